/* Which view is shown, the chat or the comparison, kept in the address bar: "/" is the chat,
 * "/?compare=Omaolo,kotisairaala" the comparison of those topics (a link people can share). */

import { compareUrl, hasResultFor, parseTopics, runComparison, setTopics } from "./compare.js";
import { closePanel } from "./sources.js";
import { dom, state } from "./state.js";

/** The view and topics an address asks for. */
export function fromUrl(search) {
  const params = new URLSearchParams(search);
  if (!params.has("compare")) return { view: "chat", topics: [] };
  return { view: "compare", topics: parseTopics(params.get("compare") || "") };
}

/** Show ``view``; for the comparison, optionally set ``topics`` and run them unless already shown. */
export function showView(view, options) {
  const { topics = null, run = false, push = true, focus = true } = options || {};
  const compare = view === "compare";
  if (state.view !== view) closePanel(false);
  state.view = compare ? "compare" : "chat";
  dom.app.classList.toggle("is-compare", compare);
  dom.chat.hidden = compare;
  dom.filters.hidden = compare;
  dom.compareView.hidden = !compare;
  dom.navChat.toggleAttribute("aria-current", !compare);
  dom.navCompare.toggleAttribute("aria-current", compare);
  if (!compare) {
    if (push && location.search) history.pushState(null, "", "/");
    if (focus) dom.question.focus();
    return;
  }
  if (topics) setTopics(topics);
  const url = compareUrl(state.compare.topics);
  if (push && location.pathname + location.search !== url) history.pushState(null, "", url);
  if (run && state.compare.topics.length && !hasResultFor(state.compare.topics)) runComparison();
  if (focus) (state.compare.topics.length ? dom.compareTitle : dom.topicInput).focus();
}

/** Open the comparison of ``topics`` (e.g. from a chat answer's "Näytä taulukkona"). */
export function openComparison(topics) {
  showView("compare", { topics, run: true });
}

export function setupViews() {
  const nav = (view) => (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // new tab: let it be
    e.preventDefault();
    showView(view);
  };
  dom.navChat.addEventListener("click", nav("chat"));
  dom.navCompare.addEventListener("click", nav("compare"));
  window.addEventListener("popstate", () => {
    const { view, topics } = fromUrl(location.search);
    showView(view, { topics, run: true, push: false, focus: false });
  });
}
