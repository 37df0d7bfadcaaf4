/* Sote-avustaja – the page's entry module (native ES modules, no build step; fits the CSP's script-src 'self').
 *
 * Everything the user sees comes from the strings in i18n.js or from the API; API text (questions, answers,
 * document text) is only ever inserted with textContent / createElement, never as HTML.
 *   i18n.js strings · state.js shared state · dom.js element helpers · api.js API client and token
 *   filters.js chat filters · chat.js conversation · feedback.js thumbs · sources.js source panel
 *   compare.js comparison view · views.js chat/comparison switch and the address bar
 */

import { ApiError, apiJson, errorFromResponse, promptToken, setupTokenDialog } from "./api.js";
import { renderCharCount, renderExamples, newConversation, renderTranscript, setupComposer } from "./chat.js";
import { renderCompare, setupCompare } from "./compare.js";
import { el, setStatus, showBanner } from "./dom.js";
import { renderFilters } from "./filters.js";
import { I18N, LANGS, t } from "./i18n.js";
import { renderPanelHeader, setupPanel } from "./sources.js";
import { $, dom, KEYS, saveFilters, state, storageGet, storageSet } from "./state.js";
import { fromUrl, setupViews, showView } from "./views.js";

function applyI18n() {
  document.documentElement.lang = state.lang;
  document.title = t("appTitle");
  document.querySelectorAll("[data-i18n]").forEach((n) => (n.textContent = t(n.dataset.i18n)));
  document
    .querySelectorAll("[data-i18n-placeholder]")
    .forEach((n) => n.setAttribute("placeholder", t(n.dataset.i18nPlaceholder)));
  document
    .querySelectorAll("[data-i18n-title]")
    .forEach((n) => n.setAttribute("title", t(n.dataset.i18nTitle)));
  document
    .querySelectorAll("[data-i18n-aria-label]")
    .forEach((n) => n.setAttribute("aria-label", t(n.dataset.i18nAriaLabel)));
  dom.langSelect.replaceChildren(
    ...LANGS.map((code) =>
      el("option", { value: code, lang: code, selected: code === state.lang }, I18N[code].langName)
    )
  );
  dom.langSelect.value = state.lang;
  dom.topicHint.textContent = t("topicHint", { max: 10 });
}

function setLanguage(lang) {
  state.lang = LANGS.includes(lang) ? lang : "fi";
  storageSet(KEYS.lang, state.lang);
  applyI18n();
  renderHealth();
  renderExamples();
  renderFilters();
  renderTranscript(false);
  renderCharCount();
  renderCompare();
  if (state.panel) renderPanelHeader();
  if (state.busy) setStatus(t("searching"));
}

function renderHealth() {
  const h = state.health;
  dom.healthLine.textContent =
    h && typeof h.documents === "number"
      ? "· " + t("healthLine", { docs: h.documents, regions: (h.regions || []).length })
      : "";
}

async function loadHealth() {
  try {
    const res = await fetch("/api/health", { headers: { Accept: "application/json" } });
    if (!res.ok) throw await errorFromResponse(res);
    state.health = await res.json();
    showBanner("");
  } catch (e) {
    const msg = e instanceof ApiError ? e.message : t("networkError");
    showBanner(t("healthError", { msg }));
    state.health = null;
  }
  renderHealth();
}

async function loadDocuments() {
  try {
    const data = await apiJson("/api/documents");
    state.documents = Array.isArray(data.documents) ? data.documents : [];
    if (state.docsFailed) showBanner("");
    state.docsFailed = false;
  } catch (e) {
    state.docsFailed = true;
    if (!dom.banner.textContent) showBanner(t("documentsError", { msg: e.message }));
  }
}

function restore() {
  const lang = storageGet(KEYS.lang, null);
  const fromBrowser = (navigator.language || "fi").slice(0, 2);
  state.lang = LANGS.includes(lang) ? lang : fromBrowser === "sv" ? "sv" : "fi";
  try {
    state.token = localStorage.getItem(KEYS.token) || "";
  } catch (_e) {
    state.token = "";
  }
  const convo = storageGet(KEYS.convo, []);
  state.convo = Array.isArray(convo)
    ? convo
        .filter((i) => i && typeof i.question === "string" && i.id)
        .map((i) => (i.status === "pending" ? Object.assign(i, { status: "error", error: { key: "interrupted" } }) : i))
    : [];
  const filters = storageGet(KEYS.filters, null);
  if (filters && Array.isArray(filters.regions) && Array.isArray(filters.documents)) {
    state.filters = {
      regions: filters.regions.filter((x) => typeof x === "string"),
      documents: filters.documents.filter((x) => typeof x === "string").slice(0, 1),
    };
  }
}

function registerElements() {
  const ids = {
    app: "app", langSelect: "lang-select", newChat: "new-chat", healthLine: "health-line",
    navChat: "nav-chat", navCompare: "nav-compare", filters: "filters",
    regionChips: "region-chips", docSelect: "doc-select", activeFilters: "active-filters",
    activeFiltersText: "active-filters-text", clearFilters: "clear-filters", banner: "banner",
    chat: "chat", transcript: "transcript", empty: "empty-state", examples: "examples", turns: "turns",
    composer: "composer", question: "question", send: "send", status: "status", charCount: "char-count",
    panel: "panel", backdrop: "panel-backdrop", panelKicker: "panel-kicker", panelTitle: "panel-title",
    panelMeta: "panel-meta", panelClose: "panel-close", panelJump: "panel-jump", panelFull: "panel-full",
    panelFile: "panel-file", panelBody: "panel-body", panelStatus: "panel-status", docText: "doc-text",
    tokenDialog: "token-dialog", tokenForm: "token-form", tokenInput: "token-input",
    tokenError: "token-error", tokenCancel: "token-cancel",
    compareView: "compare-view", compareTitle: "compare-title", topicForm: "topic-form", topicBox: "topic-box",
    topicChips: "topic-chips", topicInput: "topic-input", topicHint: "topic-hint", compareRun: "compare-run",
    compareMessage: "compare-message", compareError: "compare-error", compareErrorText: "compare-error-text",
    compareStart: "compare-start", compareExamples: "compare-examples", compareResult: "compare-result",
    compareTable: "compare-table", compareLegend: "compare-legend", exportCsv: "export-csv",
    exportXlsx: "export-xlsx", copyLink: "copy-link",
  };
  for (const [key, id] of Object.entries(ids)) dom[key] = $(id);
}

async function init() {
  registerElements();
  restore();
  applyI18n();
  renderExamples();
  renderFilters();
  renderTranscript(true);
  setupComposer();
  setupTokenDialog(() => loadDocuments().then(renderFilters));
  setupPanel();
  setupCompare();
  setupViews();

  dom.langSelect.addEventListener("change", () => setLanguage(dom.langSelect.value));
  dom.newChat.addEventListener("click", () => {
    if (state.view !== "chat") showView("chat", { focus: false });
    newConversation();
  });
  dom.clearFilters.addEventListener("click", () => {
    state.filters = { regions: [], documents: [] };
    saveFilters();
    renderFilters();
    dom.question.focus();
  });
  dom.docSelect.addEventListener("change", () => {
    state.filters.documents = dom.docSelect.value ? [dom.docSelect.value] : [];
    saveFilters();
    renderFilters();
  });

  const start = fromUrl(location.search);
  showView(start.view, { topics: start.topics, push: false, focus: start.view === "compare" });
  await loadHealth();
  renderFilters();
  if (state.health && state.health.auth_required && !state.token) {
    await promptToken(null);
  }
  await loadDocuments();
  renderFilters();
  // Re-render so stored answers show document titles in the filter labels.
  renderTranscript(true);
  if (start.view === "compare" && state.view === "compare") showView("compare", { run: true, push: false, focus: false });
  document.body.classList.add("is-ready");
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
