/* The conversation: asking (streamed answers), the transcript with citations and sources, copy, the
 * composer and the example questions. Answer text is inserted as text; only **bold** and [n] are read. */

import { askStream } from "./api.js";
import { isWhichRegionsQuestion, topicFromQuestion } from "./compare.js";
import { el, icon, locationText, setStatus, snippet, stripMarkdown, uid } from "./dom.js";
import { buildFeedback } from "./feedback.js";
import { currentFilters, filterSummary } from "./filters.js";
import { t } from "./i18n.js";
import { closePanel, openPanel } from "./sources.js";
import { dom, HISTORY_TURNS, MAX_CHARS, RELATED_SHOWN, saveConvo, state } from "./state.js";
import { openComparison } from "./views.js";

export function renderExamples() {
  const items = t("examples");
  dom.examples.replaceChildren(
    ...(Array.isArray(items) ? items : []).map((q) =>
      el(
        "li",
        null,
        el("button", { type: "button", class: "example", onclick: () => ask(q) }, icon("search"), el("span", null, q))
      )
    )
  );
}

export function slimRef(c) {
  return {
    n: c.n,
    document: c.document,
    title: c.title,
    region: c.region,
    text: typeof c.text === "string" ? c.text.slice(0, 2000) : "",
    start: c.start,
    end: c.end,
    page: c.page === undefined ? null : c.page,
    lines: c.lines === undefined ? null : c.lines,
    score: c.score,
  };
}

export function slimResponse(data) {
  return {
    answer: typeof data.answer === "string" ? data.answer : "",
    abstained: Boolean(data.abstained),
    language: data.language || "",
    citations: Array.isArray(data.citations) ? data.citations.map(slimRef) : [],
    passages: Array.isArray(data.passages) ? data.passages.slice(0, RELATED_SHOWN).map(slimRef) : [],
    notes: Array.isArray(data.notes) ? data.notes.filter((n) => typeof n === "string") : [],
    topic: serverTopic(data),
  };
}

/** The topic the server read from the question, when its answer says (``topic`` or ``query.topic``). */
function serverTopic(data) {
  if (typeof data.topic === "string") return data.topic;
  return data.query && typeof data.query.topic === "string" ? data.query.topic : "";
}

export function buildHistory() {
  const done = state.convo.filter((i) => i.status === "done" && i.response);
  const history = [];
  for (const item of done.slice(-HISTORY_TURNS)) {
    history.push({ role: "user", content: item.question });
    history.push({ role: "assistant", content: item.response.answer });
  }
  return history;
}

export function setBusy(busy) {
  state.busy = busy;
  dom.send.disabled = busy;
  dom.composer.classList.toggle("is-busy", busy);
  dom.transcript.setAttribute("aria-busy", busy ? "true" : "false");
  setStatus(busy ? t("searching") : "");
}

export async function ask(rawQuestion) {
  const question = String(rawQuestion || "").trim();
  if (state.busy) return;
  if (!question) {
    setStatus(t("questionEmpty"));
    dom.question.focus();
    return;
  }
  const filters = currentFilters();
  const item = {
    id: uid(),
    question,
    filters: { regions: filters.regions, documents: filters.documents },
    filterLabel: filterSummary(filters),
    status: "pending",
  };
  const history = buildHistory();
  state.convo.push(item);
  saveConvo();
  dom.question.value = "";
  autosize();
  renderCharCount();
  appendTurn(item);
  scrollToBottom();
  setBusy(true);

  const controller = new AbortController();
  state.controller = controller;
  try {
    const data = await askStream({ question, history, filters }, (text) => {
      item.streamText = (item.streamText || "") + text;
      setStatus(t("writing"));
      updateTurn(item);
      scrollToBottom();
    }, controller.signal);
    item.status = "done";
    item.response = slimResponse(data);
  } catch (e) {
    if (e && e.name === "AbortError") return;
    item.status = "error";
    item.error = {
      message: (e && e.message) || t("networkError"),
      key: (e && e.key) || null,
      status: (e && e.status) || 0,
    };
  } finally {
    if (state.controller === controller) state.controller = null;
    if (!controller.signal.aborted) {
      delete item.streamText;
      setBusy(false);
      if (state.convo.includes(item)) {
        saveConvo();
        const node = updateTurn(item);
        revealAnswer(node);
      }
    }
  }
}

export function newConversation() {
  if (state.controller) state.controller.abort();
  state.controller = null;
  setBusy(false);
  state.convo = [];
  saveConvo();
  closePanel(false);
  renderTranscript(false);
  setStatus(t("newConversationDone"));
  dom.question.focus();
}

// ---------------------------------------------------------------------------------------------
// Transcript rendering
// ---------------------------------------------------------------------------------------------
export function renderTranscript(scroll) {
  dom.turns.replaceChildren(...state.convo.map(buildTurn));
  dom.empty.hidden = state.convo.length > 0;
  if (scroll) scrollToBottom();
}

export function appendTurn(item) {
  dom.empty.hidden = true;
  dom.turns.append(buildTurn(item));
}

export function updateTurn(item) {
  const old = dom.turns.querySelector('[data-turn="' + CSS.escape(item.id) + '"]');
  const fresh = buildTurn(item);
  if (old) old.replaceWith(fresh);
  else dom.turns.append(fresh);
  return fresh;
}

export function scrollToBottom() {
  dom.transcript.scrollTop = dom.transcript.scrollHeight;
}

export function revealAnswer(turnNode) {
  const answer = turnNode && turnNode.querySelector(".msg-assistant");
  if (!answer) return;
  const box = dom.transcript.getBoundingClientRect();
  const rect = answer.getBoundingClientRect();
  if (rect.height + 16 > box.height) {
    // A long answer: show its beginning rather than its end.
    dom.transcript.scrollTop += rect.top - box.top - 8;
  } else {
    scrollToBottom();
  }
}

export function buildTurn(item) {
  const turn = el("article", { class: "turn", "data-turn": item.id });
  turn.append(buildUserMessage(item));
  if (item.status === "pending") turn.append(buildPending(item));
  else if (item.status === "error") turn.append(buildError(item));
  else if (item.response && item.response.abstained) turn.append(buildNotFound(item));
  else if (item.response) turn.append(buildAnswer(item));
  return turn;
}

export function buildUserMessage(item) {
  const label = item.filters ? filterSummary(item.filters) : "";
  return el(
    "div",
    { class: "msg msg-user" },
    el("p", { class: "msg-who visually-hidden" }, t("you")),
    el("p", { class: "msg-text user-text" }, item.question),
    label ? el("p", { class: "msg-filters" }, t("filtersUsed", { list: label })) : null
  );
}

export function buildPending(item) {
  const streaming = Boolean(item.streamText);
  const body = streaming
    ? el("div", { class: "answer answer-streaming" }, richText(item.streamText, [], null))
    : el("p", { class: "searching" }, el("span", { class: "dots", "aria-hidden": "true" }), t("searching"));
  return el(
    "div",
    { class: "msg msg-assistant is-pending" },
    el("p", { class: "msg-who" }, t("assistant")),
    body
  );
}

export function buildError(item) {
  const err = item.error || {};
  const message = err.key ? t(err.key) : err.message || t("networkError");
  return el(
    "div",
    { class: "msg msg-assistant is-error", role: "alert" },
    el("p", { class: "msg-who" }, icon("warn", "icon-warn"), t("errorTitle")),
    el("p", { class: "error-text" }, message),
    err.status === 422
      ? el(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-small",
            onclick: () => {
              dom.question.value = item.question;
              autosize();
              renderCharCount();
              dom.question.focus();
            },
          },
          t("editQuestion")
        )
      : el(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-small",
            onclick: () => {
              if (state.busy) return;
              state.convo = state.convo.filter((x) => x !== item);
              saveConvo();
              renderTranscript(false);
              ask(item.question);
            },
          },
          t("retry")
        )
  );
}

/** Light markdown: **bold** → <strong>, newline → <br>, [n] → citation button. */
export function richText(text, citations, item) {
  const frag = document.createDocumentFragment();
  const byN = new Map((citations || []).map((c) => [Number(c.n), c]));
  const lines = String(text || "").split("\n");
  const re = /\*\*(.+?)\*\*|\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;
  lines.forEach((line, i) => {
    if (i > 0) frag.append(el("br"));
    let last = 0;
    let m;
    re.lastIndex = 0;
    while ((m = re.exec(line)) !== null) {
      if (m.index > last) frag.append(document.createTextNode(line.slice(last, m.index)));
      if (m[1] !== undefined) {
        frag.append(el("strong", null, m[1]));
      } else {
        const nums = m[2].split(/\s*[,;]\s*/).map(Number);
        if (item && nums.every((n) => byN.has(n))) {
          nums.forEach((n) => frag.append(citeButton(byN.get(n), item)));
        } else {
          frag.append(document.createTextNode(m[0]));
        }
      }
      last = re.lastIndex;
    }
    if (last < line.length) frag.append(document.createTextNode(line.slice(last)));
  });
  return frag;
}

export function citeButton(c, item) {
  return el(
    "button",
    {
      type: "button",
      class: "cite",
      "data-n": c.n,
      "aria-label": t("citeLabel", { n: c.n, region: c.region || "", title: c.title || "" }),
      title: (c.region ? c.region + " — " : "") + (c.title || ""),
      onclick: (e) => openPanel(Object.assign({ kind: "citation", turn: item.id }, c), e.currentTarget),
    },
    String(c.n)
  );
}

export function sourceButton(ref, item, kind) {
  const loc = locationText(ref);
  return el(
    "button",
    {
      type: "button",
      class: "source",
      "data-n": ref.n,
      onclick: (e) => openPanel(Object.assign({}, ref, { kind, turn: item.id }), e.currentTarget),
    },
    kind === "citation" ? el("span", { class: "source-n" }, String(ref.n)) : icon("doc", "source-icon"),
    el(
      "span",
      { class: "source-body" },
      el("span", { class: "source-line" },
        el("span", { class: "source-region" }, ref.region || "—"),
        el("span", { class: "source-sep", "aria-hidden": "true" }, " — "),
        el("span", { class: "source-title" }, ref.title || ref.document),
        loc ? el("span", { class: "source-loc" }, ", " + loc) : null
      ),
      kind === "related" && ref.text
        ? el("span", { class: "source-snippet" }, snippet(ref.text, 220))
        : null
    )
  );
}

export function buildAnswer(item) {
  const r = item.response;
  const msg = el("div", { class: "msg msg-assistant" });
  msg.append(el("p", { class: "msg-who" }, t("assistant")));
  msg.append(el("div", { class: "answer", lang: r.language || null }, richText(r.answer, r.citations, item)));
  if (r.notes && r.notes.length) {
    msg.append(el("ul", { class: "notes", "aria-label": t("notes") }, r.notes.map((n) => el("li", null, n))));
  }
  if (r.citations.length) {
    const headingId = "src-" + item.id;
    msg.append(
      el(
        "section",
        { class: "sources", "aria-labelledby": headingId },
        el("h3", { class: "sources-title", id: headingId }, t("sources")),
        el("ol", { class: "source-list" }, r.citations.map((c) => el("li", null, sourceButton(c, item, "citation"))))
      )
    );
  }
  msg.append(buildActions(item, true));
  return msg;
}

export function buildNotFound(item) {
  const r = item.response;
  const msg = el("div", { class: "msg msg-assistant is-notfound" });
  msg.append(el("p", { class: "msg-who" }, t("assistant")));
  msg.append(el("h3", { class: "notfound-title" }, icon("search", "icon-notfound"), t("notFoundTitle")));
  if (r.answer) msg.append(el("div", { class: "answer", lang: r.language || null }, richText(r.answer, r.citations, item)));
  const headingId = "rel-" + item.id;
  const related = r.passages.slice(0, RELATED_SHOWN);
  msg.append(
    el(
      "section",
      { class: "sources related", "aria-labelledby": headingId },
      el("h4", { class: "sources-title", id: headingId }, t("relatedTitle")),
      related.length
        ? el("ul", { class: "source-list" }, related.map((p) => el("li", null, sourceButton(p, item, "related"))))
        : el("p", { class: "muted" }, t("noRelated"))
    )
  );
  msg.append(buildActions(item, false));
  return msg;
}

export function buildActions(item, withCopy) {
  const bar = el("div", { class: "actions" });
  if (withCopy) {
    bar.append(
      el(
        "button",
        { type: "button", class: "btn btn-ghost btn-small copy", onclick: () => copyAnswer(item) },
        icon("copy"),
        el("span", null, t("copyAnswer"))
      )
    );
  }
  const topic = withCopy ? tableTopic(item) : "";
  if (topic) {
    bar.append(
      el(
        "button",
        {
          type: "button",
          class: "btn btn-ghost btn-small show-table",
          "data-topic": topic,
          onclick: () => openComparison([topic]),
        },
        icon("table"),
        el("span", null, t("showAsTable"))
      )
    );
  }
  bar.append(buildFeedback(item));
  return bar;
}

/** For a "which regions …" question, the topic to compare across regions; "" for other questions. */
function tableTopic(item) {
  if (!isWhichRegionsQuestion(item.question)) return "";
  return (item.response && item.response.topic) || topicFromQuestion(item.question);
}

export function plainAnswer(item) {
  const r = item.response;
  let out = stripMarkdown(r.answer).trim();
  if (r.citations.length) {
    out += "\n\n" + t("sources") + ":\n";
    out += r.citations
      .map((c) => {
        const loc = locationText(c);
        return "[" + c.n + "] " + (c.region || "") + " — " + (c.title || c.document) + (loc ? ", " + loc : "");
      })
      .join("\n");
  }
  return out;
}

export async function copyAnswer(item) {
  const text = plainAnswer(item);
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      ok = true;
    }
  } catch (_e) {
    ok = false;
  }
  if (!ok) ok = copyFallback(text);
  setStatus(ok ? t("copied") : t("copyFailed"));
}

export function copyFallback(text) {
  const ta = el("textarea", { class: "copy-buffer", readonly: true, "aria-hidden": "true" });
  ta.value = text;
  document.body.append(ta);
  const active = document.activeElement;
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (_e) {
    ok = false;
  }
  ta.remove();
  if (active && typeof active.focus === "function") active.focus();
  return ok;
}

export function autosize() {
  const q = dom.question;
  q.style.height = "auto";
  q.style.height = Math.min(q.scrollHeight + 2, 220) + "px";
}

export function renderCharCount() {
  const n = dom.question.value.length;
  const over = n > MAX_CHARS;
  dom.charCount.textContent = n > MAX_CHARS * 0.9 ? (over ? t("tooLong", { n, max: MAX_CHARS }) : n + " / " + MAX_CHARS) : "";
  dom.charCount.classList.toggle("is-over", over);
}

export function setupComposer() {
  dom.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    ask(dom.question.value);
  });
  dom.question.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      ask(dom.question.value);
    }
  });
  dom.question.addEventListener("input", () => {
    autosize();
    renderCharCount();
  });
}
