/* Page state shared by the modules, the element registry and what is kept in localStorage. */

export const KEYS = {
  lang: "sote.lang",
  token: "sote.token",
  convo: "sote.conversation.v1",
  filters: "sote.filters.v1",
};
export const MAX_CHARS = 2000;
export const HISTORY_TURNS = 6; // previous question/answer pairs sent as context
export const MAX_STORED_TURNS = 40;
export const RELATED_SHOWN = 5;
export const DOC_WINDOW = 3000; // characters shown either side of the cited span

export const state = {
  lang: "fi",
  token: "",
  convo: [],
  filters: { regions: [], documents: [] },
  health: null,
  documents: [],
  busy: false,
  controller: null,
  docCache: new Map(),
  docsFailed: false,
  panel: null, // {ref, trigger, full}
  view: "chat", // "chat" | "compare"
  compare: { topics: [], result: null, busy: false, error: null, controller: null },
  tokenPrompt: null,
};

export const $ = (id) => document.getElementById(id);
export const dom = {};

export function storageGet(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch (_e) {
    return fallback;
  }
}
export function storageSet(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch (_e) {
    /* storage full or disabled: the page keeps working without persistence */
  }
}

export function saveFilters() {
  storageSet(KEYS.filters, state.filters);
}

export function saveConvo() {
  const items = state.convo.slice(-MAX_STORED_TURNS).map((item) => {
    const copy = Object.assign({}, item);
    delete copy.streamText;
    return copy;
  });
  storageSet(KEYS.convo, items);
}
