/* The source panel: a document opened at a cited span (citation, related passage or comparison evidence),
 * the span highlighted and scrolled into view; for PDFs the page and a link to the file at that page. */

import { getDocument } from "./api.js";
import { clamp, el, locationText } from "./dom.js";
import { t } from "./i18n.js";
import { DOC_WINDOW, dom, state } from "./state.js";

const NEAR = 400; // characters around the given offsets searched for the exact quote
const ACTIVE = ".cite.is-active, .source.is-active, .cell-btn.is-active";

export function isOverlay() {
  return window.matchMedia("(max-width: 860px)").matches;
}

export function openPanel(ref, trigger) {
  state.panel = { ref, trigger: trigger || null, full: false };
  document.querySelectorAll(ACTIVE).forEach((n) => n.classList.remove("is-active"));
  if (trigger) trigger.classList.add("is-active");
  dom.panel.hidden = false;
  dom.app.classList.add("has-panel");
  dom.backdrop.hidden = !isOverlay();
  renderPanelHeader();
  dom.docText.replaceChildren();
  dom.panelStatus.textContent = t("loadingDocument");
  dom.panelTitle.focus({ preventScroll: true });
  loadPanelDocument();
}

export function renderPanelHeader() {
  const p = state.panel;
  if (!p) return;
  const ref = p.ref;
  dom.panelKicker.textContent =
    ref.kind === "citation"
      ? t("sourceKicker", { n: ref.n })
      : ref.kind === "evidence"
        ? t("evidenceKicker", { topic: ref.topic, region: ref.region })
        : t("relatedKicker");
  dom.panelTitle.textContent = (p.doc && p.doc.title) || ref.title || ref.document;
  const meta = [];
  const region = (p.doc && p.doc.region) || ref.region;
  if (region) meta.push(region);
  if (p.doc && p.doc.year) meta.push(String(p.doc.year));
  if (p.doc && p.doc.kind) meta.push(p.doc.kind);
  const loc = locationText(ref);
  if (loc) meta.push(loc);
  dom.panelMeta.textContent = meta.join(" · ");
  dom.panelFull.textContent = p.full ? t("showExcerpt") : t("showWholeDocument");
  dom.panelFull.hidden = !p.doc || (p.doc.text || "").length <= DOC_WINDOW * 2;
  dom.panelJump.hidden = !p.doc;
  const page = Number(ref.page);
  dom.panelFile.hidden = !(page > 0);
  if (page > 0) {
    // The original file at the cited page (browsers' PDF viewers honour #page=).
    dom.panelFile.href = "/api/documents/" + encodeURIComponent(ref.document) + "/file#page=" + page;
    dom.panelFile.textContent = t("pageLink", { p: page });
  } else {
    dom.panelFile.removeAttribute("href");
  }
}

export async function loadPanelDocument() {
  const p = state.panel;
  try {
    const doc = await getDocument(p.ref.document);
    if (state.panel !== p) return;
    p.doc = doc;
    dom.panelStatus.textContent = "";
    renderPanelHeader();
    renderPanelText();
  } catch (e) {
    if (state.panel !== p) return;
    dom.panelStatus.textContent = t("documentError", { msg: e.message });
  }
}

/** Where the cited span is in the document text; re-located by content if the offsets disagree. */
export function locateSpan(text, ref) {
  const len = text.length;
  const start = clamp(Number(ref.start) || 0, 0, len);
  const end = clamp(Number(ref.end) || 0, 0, len);
  // Offsets that drifted by a few characters: the exact quoted text nearest to them wins.
  const quote = String(ref.text || "").trim();
  if (quote && text.slice(start, end).trim() !== quote) {
    const near = text.indexOf(quote, Math.max(0, start - NEAR));
    if (near >= 0 && near <= end + NEAR) return { start: near, end: near + quote.length, found: true };
  }
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const probe = norm(String(ref.text || "")).slice(0, 60);
  const fits = end > start && (!probe || norm(text.slice(start, end)).includes(probe.slice(0, 30)));
  if (fits) return { start, end, found: true };
  if (probe) {
    const words = String(ref.text).trim().slice(0, 40);
    const idx = text.indexOf(words);
    if (idx >= 0) return { start: idx, end: Math.min(len, idx + String(ref.text).trim().length), found: true };
  }
  if (end > start) return { start, end, found: true };
  return { start: 0, end: 0, found: false };
}

export function renderPanelText() {
  const p = state.panel;
  if (!p || !p.doc) return;
  const text = String(p.doc.text || "");
  const span = locateSpan(text, p.ref);
  let from = 0;
  let to = text.length;
  if (!p.full) {
    from = Math.max(0, span.start - DOC_WINDOW);
    to = Math.min(text.length, Math.max(span.end, span.start) + DOC_WINDOW);
    if (from > 0) {
      const nl = text.indexOf("\n", from);
      if (nl >= 0 && nl < span.start) from = nl + 1;
    }
    if (to < text.length) {
      const nl = text.lastIndexOf("\n", to);
      if (nl > span.end) to = nl;
    }
  }
  const nodes = [];
  if (from > 0) nodes.push(el("span", { class: "doc-ellipsis", "aria-hidden": "true" }, "[…]\n"));
  nodes.push(document.createTextNode(text.slice(from, span.start)));
  const mark = el("mark", { class: "cited", tabindex: "-1" }, text.slice(span.start, span.end));
  if (span.found) nodes.push(mark);
  nodes.push(document.createTextNode(text.slice(span.end, to)));
  if (to < text.length) nodes.push(el("span", { class: "doc-ellipsis", "aria-hidden": "true" }, "\n[…]"));
  dom.docText.replaceChildren(...nodes);
  dom.panelStatus.textContent = span.found ? "" : t("spanNotFound");
  if (span.found) {
    dom.panelBody.scrollTop = 0;
    requestAnimationFrame(() => scrollMarkIntoView());
  } else {
    dom.panelBody.scrollTop = 0;
  }
}

export function scrollMarkIntoView() {
  const mark = dom.docText.querySelector("mark");
  if (!mark) return;
  const body = dom.panelBody;
  const bodyBox = body.getBoundingClientRect();
  const markBox = mark.getBoundingClientRect();
  const offset = markBox.top - bodyBox.top + body.scrollTop;
  const target = markBox.height < bodyBox.height ? offset - (bodyBox.height - markBox.height) / 2 : offset - 16;
  body.scrollTop = Math.max(0, target);
}

export function closePanel(restoreFocus) {
  if (!state.panel) return;
  const trigger = state.panel.trigger;
  state.panel = null;
  dom.panel.hidden = true;
  dom.backdrop.hidden = true;
  dom.app.classList.remove("has-panel");
  document.querySelectorAll(ACTIVE).forEach((n) => n.classList.remove("is-active"));
  if (restoreFocus !== false && trigger && document.contains(trigger)) trigger.focus();
}

export function setupPanel() {
  dom.panelClose.addEventListener("click", () => closePanel(true));
  dom.backdrop.addEventListener("click", () => closePanel(true));
  dom.panelJump.addEventListener("click", () => {
    scrollMarkIntoView();
    const mark = dom.docText.querySelector("mark");
    if (mark) mark.focus({ preventScroll: true });
  });
  dom.panelFull.addEventListener("click", () => {
    if (!state.panel) return;
    state.panel.full = !state.panel.full;
    renderPanelHeader();
    renderPanelText();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.panel && !dom.tokenDialog.open) {
      e.preventDefault();
      closePanel(true);
    }
  });
  window.addEventListener("resize", () => {
    if (state.panel) dom.backdrop.hidden = !isOverlay();
  });
}
