/* The comparison view (practice map): topics typed as chips, POST /api/compare, a table with regions as
 * rows and topics as columns, a labelled status badge per cell that opens its evidence in the source
 * panel, CSV/XLSX export and a shareable address (/?compare=Omaolo,kotisairaala). */

import { apiJson, download } from "./api.js";
import { el, icon, snippet } from "./dom.js";
import { t } from "./i18n.js";
import { openPanel } from "./sources.js";
import { dom, state } from "./state.js";

export const MAX_TOPICS = 10;
const STATUSES = ["in_use", "pilot", "planned", "mentioned", "not_found"];
const QUOTE_CHARS = 110;

// ---------------------------------------------------------------------------------------------------
// Topics from text, URLs and chat questions
// ---------------------------------------------------------------------------------------------------
/** "Omaolo, kotisairaala ,," -> ["Omaolo", "kotisairaala"]: trimmed, no empties or repeats. */
export function parseTopics(text) {
  const seen = new Set();
  const out = [];
  for (const part of String(text || "").split(",")) {
    const topic = part.replace(/\s+/g, " ").trim();
    if (topic && !seen.has(topic.toLowerCase())) {
      seen.add(topic.toLowerCase());
      out.push(topic);
    }
  }
  return out;
}

/** The address of a comparison, e.g. "/?compare=Omaolo,kotisairaala" (empty topics: the empty view). */
export function compareUrl(topics) {
  return "/?compare=" + topics.map((x) => encodeURIComponent(x)).join(",");
}

// "Which regions …" frames in the three languages: the question's words around the topic.
const WHICH_REGIONS = [
  /\b(missä|millä|mitkä|mitä|monellako|kuinka monella|kuinka moni)\s+(hyvinvointi|sote-?)?alue/i,
  /\bvilka\s+(välfärds)?områden|\bi vilka\s+(välfärds)?områden/i,
  /\b(which|what)\s+(wellbeing services counties|counties|regions|areas)\b/i,
];
const FRAME_START = [
  /^(missä|millä|mitkä|mitä|monellako|kuinka monella|kuinka moni)\s+(hyvinvointi|sote-?)?alue\w*\s*/i,
  /^(i\s+)?vilka\s+(välfärds)?områden\s*/i,
  /^(in\s+)?(which|what)\s+(wellbeing services counties|counties|regions|areas)\s*/i,
];
const FRAME_LEAD =
  /^(on|ovat|onko|oli|ollaan|har|hade|finns|använder|erbjuder|planerar|have|has|had|are|is|use|uses|using|offer|offers|plan|plans|planning|introduced|adopted|piloted|piloting|mention|mentioned|the)\s+/i;
const FRAME_TAIL = new RegExp(
  "\\s+(on\\s+|ovat\\s+|onko\\s+|oli\\s+|har\\s+|have\\s+|has\\s+|been\\s+|is\\s+|are\\s+)*(" +
    [
      "otettu käyttöön", "ottanut käyttöön", "ottaneet käyttöön", "käyttöön", "käytössä", "käytetään", "käyttävät",
      "käyttää", "pilotoitu", "pilotoidaan", "pilotoivat", "kokeiltu", "kokeillaan", "kokeilevat", "suunnitteilla",
      "suunnitellaan", "suunnittelevat", "kehitetään", "kehittävät", "tarjotaan", "tarjoavat", "hyödynnetään",
      "hyödyntävät", "mainitaan", "mainittu", "toiminnassa", "käynnistetty", "aloitettu", "tagits i bruk",
      "tagit i bruk", "i bruk", "används", "planeras", "prövas", "införts", "finns", "in use", "introduced",
      "adopted", "piloted", "planned", "in place", "taken into use", "mentioned", "used",
    ].join("|") +
    ")(?=[\\s,.;:!?]|$).*$",
  "i"
);

/** Whether a chat question asks which regions have something ("Missä alueilla …", "Which regions …"). */
export function isWhichRegionsQuestion(question) {
  return WHICH_REGIONS.some((re) => re.test(String(question || "")));
}

/** "Missä alueilla Omaoloa on otettu käyttöön?" -> "Omaoloa": the question minus its frame words.
 * (The server lemmatises topics, so an inflected form compares like the base form.) */
export function topicFromQuestion(question) {
  let text = String(question || "").replace(/[?!.]+\s*$/, "").replace(/["“”«»]/g, "").trim();
  for (const re of FRAME_START) text = text.replace(re, "");
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text.replace(FRAME_LEAD, "");
  }
  text = text.replace(FRAME_TAIL, "").trim();
  return (text || String(question || "").trim()).slice(0, 200);
}

// ---------------------------------------------------------------------------------------------------
// Chips
// ---------------------------------------------------------------------------------------------------
function say(text) {
  dom.compareMessage.textContent = text || "";
}

/** Add topics (comma-separated text); says so when the limit of 10 stops some. */
function addTopics(text) {
  const topics = state.compare.topics;
  let refused = false;
  for (const topic of parseTopics(text)) {
    if (topics.some((x) => x.toLowerCase() === topic.toLowerCase())) continue;
    if (topics.length >= MAX_TOPICS) {
      refused = true;
      continue;
    }
    topics.push(topic);
    say(t("topicAdded", { topic, n: topics.length, max: MAX_TOPICS }));
  }
  if (refused) say(t("tooManyTopics", { max: MAX_TOPICS }));
  renderChips();
}

function removeTopic(index) {
  const [topic] = state.compare.topics.splice(index, 1);
  renderChips();
  if (topic) say(t("topicRemoved", { topic }));
  dom.topicInput.focus();
}

export function setTopics(topics) {
  state.compare.topics = parseTopics(topics.join(",")).slice(0, MAX_TOPICS);
  renderChips();
}

function renderChips() {
  dom.topicChips.replaceChildren(
    ...state.compare.topics.map((topic, i) =>
      el(
        "li",
        { class: "topic-chip" },
        el("span", { class: "topic-chip-text" }, topic),
        el(
          "button",
          {
            type: "button",
            class: "topic-chip-remove",
            "aria-label": t("removeTopic", { topic }),
            title: t("removeTopic", { topic }),
            onclick: () => removeTopic(i),
          },
          el("span", { "aria-hidden": "true" }, "×")
        )
      )
    )
  );
  const full = state.compare.topics.length >= MAX_TOPICS;
  dom.topicInput.placeholder = state.compare.topics.length ? "" : t("topicPlaceholder");
  dom.topicInput.setAttribute("aria-invalid", "false");
  dom.topicBox.classList.toggle("is-full", full);
}

function onTopicKey(e) {
  const input = dom.topicInput;
  if (e.isComposing) return;
  if (e.key === "Enter" || e.key === ",") {
    e.preventDefault();
    if (input.value.trim()) {
      addTopics(input.value);
      input.value = "";
    } else if (e.key === "Enter") {
      runComparison();
    }
  } else if (e.key === "Backspace" && !input.value && state.compare.topics.length) {
    e.preventDefault();
    removeTopic(state.compare.topics.length - 1);
  }
}

function onTopicInput() {
  // A pasted "a, b, c" becomes chips; the text after the last comma stays in the field.
  const value = dom.topicInput.value;
  if (!value.includes(",")) return;
  const cut = value.lastIndexOf(",");
  addTopics(value.slice(0, cut));
  dom.topicInput.value = value.slice(cut + 1).trimStart();
}

// ---------------------------------------------------------------------------------------------------
// Running a comparison
// ---------------------------------------------------------------------------------------------------
/** Compare the current topics (plus any text still in the field); the address becomes shareable. */
export async function runComparison() {
  const c = state.compare;
  if (dom.topicInput.value.trim()) {
    addTopics(dom.topicInput.value);
    dom.topicInput.value = "";
  }
  if (!c.topics.length) {
    say(t("noTopics"));
    dom.topicInput.setAttribute("aria-invalid", "true");
    dom.topicInput.focus();
    return;
  }
  if (c.controller) c.controller.abort();
  const controller = new AbortController();
  const topics = c.topics.slice();
  Object.assign(c, { controller, busy: true, error: null });
  history.replaceState(null, "", compareUrl(topics));
  renderBusy();
  say(t("comparing"));
  try {
    const data = await apiJson("/api/compare", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ topics }),
      signal: controller.signal,
    });
    c.result = data;
    c.key = topics.join("\n");
    const regions = (data.regions || []).length;
    const found = (data.cells || []).some((cell) => cell.status !== "not_found");
    say(found ? t("compareDone", { topics: data.topics.length, regions }) : t("nothingMentioned", { topics: data.topics.join(", ") }));
  } catch (e) {
    if (e && e.name === "AbortError") return;
    c.result = null;
    c.error = (e && e.message) || t("networkError");
    say("");
  } finally {
    if (c.controller === controller) {
      c.controller = null;
      c.busy = false;
      renderBusy();
      renderResult();
    }
  }
}

/** Whether the shown table is for exactly these topics (then reopening it needs no request). */
export function hasResultFor(topics) {
  return Boolean(state.compare.result) && state.compare.key === topics.join("\n");
}

function renderBusy() {
  const busy = state.compare.busy;
  dom.compareRun.disabled = busy;
  dom.compareRun.classList.toggle("is-busy", busy);
  dom.compareResult.setAttribute("aria-busy", busy ? "true" : "false");
}

// ---------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------
function statusText(cell) {
  const label = t("statuses")[cell.status] || cell.status;
  const year = cell.evidence && cell.evidence.year;
  return year ? label + " (" + year + ")" : label;
}

function badge(cell) {
  return el("span", { class: "badge badge-" + cell.status }, statusText(cell));
}

function buildCell(cell) {
  const td = el("td", { class: "cell", "data-status": cell.status, "data-topic": cell.topic, "data-region": cell.region });
  if (!cell.evidence) {
    td.append(badge(cell));
    return td;
  }
  const more = Number(cell.more) || 0;
  td.append(
    el(
      "button",
      {
        type: "button",
        class: "cell-btn",
        "aria-label": t("cellLabel", { topic: cell.topic, region: cell.region, status: statusText(cell) }),
        onclick: (e) => openEvidence(cell, e.currentTarget),
      },
      badge(cell),
      el("span", { class: "cell-quote" }, snippet(cell.evidence.text, QUOTE_CHARS)),
      more ? el("span", { class: "cell-more" }, t("moreEvidence", { n: more })) : null
    )
  );
  return td;
}

function openEvidence(cell, trigger) {
  openPanel(Object.assign({}, cell.evidence, { kind: "evidence", topic: cell.topic, region: cell.region }), trigger);
}

function renderResult() {
  const c = state.compare;
  dom.compareError.hidden = !c.error;
  dom.compareErrorText.textContent = c.error || "";
  dom.compareResult.hidden = !c.result;
  dom.compareStart.hidden = Boolean(c.result) || Boolean(c.error);
  if (!c.result) return;
  const data = c.result;
  const cells = new Map((data.cells || []).map((cell) => [cell.topic + "\n" + cell.region, cell]));
  const caption = el("caption", { id: "compare-caption" }, t("compareCaption", { topics: data.topics.join(", ") }));
  const head = el(
    "thead",
    null,
    el("tr", null, el("th", { scope: "col", class: "region-col" }, t("regionColumn")),
      data.topics.map((topic) => el("th", { scope: "col" }, topic)))
  );
  const body = el(
    "tbody",
    null,
    data.regions.map((region) =>
      el(
        "tr",
        null,
        el("th", { scope: "row", class: "region-col" }, region),
        data.topics.map((topic) => {
          const cell = cells.get(topic + "\n" + region) || { topic, region, status: "not_found", evidence: null };
          return buildCell(cell);
        })
      )
    )
  );
  dom.compareTable.replaceChildren(caption, head, body);
  renderLegend();
}

function renderLegend() {
  dom.compareLegend.replaceChildren(
    el("h3", { class: "legend-title" }, t("legendTitle")),
    el(
      "ul",
      { class: "legend-list" },
      STATUSES.map((s) =>
        el("li", null, el("span", { class: "badge badge-" + s }, t("statuses")[s]), " ", t("statusHelp")[s])
      )
    ),
    el("p", { class: "legend-note" }, t("yearNote"))
  );
}

/** Arrow keys move between the cells that open evidence. */
function onTableKey(e) {
  const moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
  const move = moves[e.key];
  const td = e.target.closest && e.target.closest("td");
  if (!move || !td) return;
  const rows = Array.from(dom.compareTable.tBodies[0].rows);
  let r = rows.indexOf(td.parentElement);
  let col = td.cellIndex;
  for (;;) {
    r += move[0];
    col += move[1];
    const row = rows[r];
    if (!row || col < 1 || col >= row.cells.length) return;
    const button = row.cells[col].querySelector("button");
    if (button) {
      e.preventDefault();
      button.focus();
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Export, share link, examples
// ---------------------------------------------------------------------------------------------------
async function exportAs(format, button) {
  const data = state.compare.result;
  if (!data) return;
  const params = new URLSearchParams();
  data.topics.forEach((topic) => params.append("topics", topic));
  params.set("format", format);
  params.set("lang", state.lang);
  button.disabled = true;
  try {
    const name = await download("/api/compare/export?" + params.toString(), "vertailu." + format);
    say(t("exportDone", { name }));
  } catch (e) {
    say(t("exportFailed", { msg: (e && e.message) || t("networkError") }));
  } finally {
    button.disabled = false;
  }
}

async function copyLink() {
  const url = location.origin + compareUrl(state.compare.topics);
  try {
    await navigator.clipboard.writeText(url);
    say(t("linkCopied"));
  } catch (_e) {
    say(url);
  }
}

function renderExamples() {
  const sets = t("compareExamples");
  dom.compareExamples.replaceChildren(
    ...(Array.isArray(sets) ? sets : []).map((topics) =>
      el(
        "li",
        null,
        el(
          "button",
          {
            type: "button",
            class: "example",
            onclick: () => {
              setTopics(topics);
              runComparison();
            },
          },
          icon("table"),
          el("span", null, topics.join(", "))
        )
      )
    )
  );
}

/** Re-render the view's texts (after a language change). */
export function renderCompare() {
  renderChips();
  renderExamples();
  renderResult();
}

export function setupCompare() {
  dom.topicInput.addEventListener("keydown", onTopicKey);
  dom.topicInput.addEventListener("input", onTopicInput);
  dom.topicBox.addEventListener("click", (e) => {
    if (e.target === dom.topicBox || e.target === dom.topicChips) dom.topicInput.focus();
  });
  dom.topicForm.addEventListener("submit", (e) => {
    e.preventDefault();
    runComparison();
  });
  dom.compareTable.addEventListener("keydown", onTableKey);
  dom.exportCsv.addEventListener("click", () => exportAs("csv", dom.exportCsv));
  dom.exportXlsx.addEventListener("click", () => exportAs("xlsx", dom.exportXlsx));
  dom.copyLink.addEventListener("click", copyLink);
  renderCompare();
}
