// Admin view: document management behind the admin token (ASSISTANT_ADMIN_TOKEN).
// A native ES module, independent of app.js (it shares only the NDJSON reader of api.js). Text from the
// server is always set as textContent.

import { ndjsonLines } from "./api.js";

const T = {
  fi: {
    open: "Ylläpito", title: "Aineiston ylläpito", close: "Sulje",
    tokenText: "Aineiston ylläpito vaatii ylläpitäjän avaimen (ASSISTANT_ADMIN_TOKEN).",
    tokenLabel: "Ylläpitäjän avain", tokenSave: "Jatka", tokenWrong: "Avain ei kelpaa. Tarkista se ja yritä uudelleen.",
    uploadTitle: "Lisää asiakirja", file: "Tiedosto (PDF, DOCX, PPTX, HTML, TXT, MD)", region: "Alue",
    docTitle: "Otsikko", year: "Vuosi", kind: "Laji", uploadSend: "Lisää ja indeksoi", replace: "Korvaa olemassa oleva",
    documents: "Asiakirjat", chunks: "Katkelmia", updated: "Päivitetty", metadata: "Tiedot", actions: "Toiminnot",
    guessed: "arvattu", given: "annettu", pending: "odottaa indeksointia",
    edit: "Muokkaa", remove: "Poista", confirmRemove: "Vahvista poisto", save: "Tallenna", cancel: "Peruuta",
    editTitle: "Muokkaa: {name}", audit: "Tapahtumaloki", time: "Aika", action: "Toiminto", document: "Asiakirja",
    outcome: "Tulos", detail: "Lisätieto", chooseRegion: "Valitse alue…", needFile: "Valitse ensin tiedosto.",
    needFields: "Anna alue ja otsikko.", queued: "Jonossa…", done: "Valmis: {doc} on haettavissa.",
    removed: "Valmis: {doc} on poistettu.", saved: "Valmis: tiedot päivitetty.", failed: "Epäonnistui: {msg}",
    error: "Virhe: {msg}",
  },
  sv: {
    open: "Administration", title: "Hantera material", close: "Stäng",
    tokenText: "Hanteringen av materialet kräver administratörens nyckel (ASSISTANT_ADMIN_TOKEN).",
    tokenLabel: "Administratörsnyckel", tokenSave: "Fortsätt", tokenWrong: "Nyckeln gäller inte. Kontrollera den.",
    uploadTitle: "Lägg till dokument", file: "Fil (PDF, DOCX, PPTX, HTML, TXT, MD)", region: "Område",
    docTitle: "Titel", year: "År", kind: "Typ", uploadSend: "Lägg till och indexera", replace: "Ersätt befintlig",
    documents: "Dokument", chunks: "Avsnitt", updated: "Uppdaterad", metadata: "Uppgifter", actions: "Åtgärder",
    guessed: "gissade", given: "angivna", pending: "väntar på indexering",
    edit: "Redigera", remove: "Ta bort", confirmRemove: "Bekräfta borttagning", save: "Spara", cancel: "Avbryt",
    editTitle: "Redigera: {name}", audit: "Händelselogg", time: "Tid", action: "Åtgärd", document: "Dokument",
    outcome: "Resultat", detail: "Detalj", chooseRegion: "Välj område…", needFile: "Välj först en fil.",
    needFields: "Ange område och titel.", queued: "I kö…", done: "Klart: {doc} är sökbart.",
    removed: "Klart: {doc} är borttaget.", saved: "Klart: uppgifterna är uppdaterade.", failed: "Misslyckades: {msg}",
    error: "Fel: {msg}",
  },
  en: {
    open: "Manage", title: "Manage documents", close: "Close",
    tokenText: "Managing documents needs the admin token (ASSISTANT_ADMIN_TOKEN).",
    tokenLabel: "Admin token", tokenSave: "Continue", tokenWrong: "The token was not accepted. Check it and try again.",
    uploadTitle: "Add a document", file: "File (PDF, DOCX, PPTX, HTML, TXT, MD)", region: "Region",
    docTitle: "Title", year: "Year", kind: "Kind", uploadSend: "Add and index", replace: "Replace the existing one",
    documents: "Documents", chunks: "Chunks", updated: "Updated", metadata: "Metadata", actions: "Actions",
    guessed: "guessed", given: "given", pending: "waiting to be indexed",
    edit: "Edit", remove: "Delete", confirmRemove: "Confirm delete", save: "Save", cancel: "Cancel",
    editTitle: "Edit: {name}", audit: "Audit log", time: "Time", action: "Action", document: "Document",
    outcome: "Outcome", detail: "Detail", chooseRegion: "Choose a region…", needFile: "Choose a file first.",
    needFields: "Give a region and a title.", queued: "Queued…", done: "Done: {doc} can now be asked about.",
    removed: "Done: {doc} was deleted.", saved: "Done: the metadata was updated.", failed: "Failed: {msg}",
    error: "Error: {msg}",
  },
};
const TOKEN_KEY = "sote.adminToken";

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem(TOKEN_KEY) || "", regions: [], editing: null, pendingUpload: null };

function t(key, vars = {}) {
  const table = T[document.documentElement.lang] || T.fi;
  return (table[key] || T.en[key] || key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c === null || c === undefined ? "" : c);
  return node;
}

function translate() {
  for (const node of document.querySelectorAll("[data-admin-i18n]")) node.textContent = t(node.dataset.adminI18n);
  for (const node of document.querySelectorAll("[data-admin-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.adminI18nLabel));
  }
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}) {
  const headers = Object.assign({ Accept: "application/json" }, options.headers, { Authorization: `Bearer ${state.token}` });
  const res = await fetch(path, Object.assign({}, options, { headers }));
  if (res.status === 401) { askToken(t("tokenWrong")); throw new ApiError(401, t("tokenWrong")); }
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try { message = (await res.json()).error || message; } catch (_) { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  return res;
}

// ------------------------------------------------------------------------------ token
function askToken(error) {
  $("admin-body").hidden = true;
  $("admin-token-form").hidden = false;
  $("admin-token-error").hidden = !error;
  $("admin-token-error").textContent = error || "";
  $("admin-token-input").focus();
}

async function saveToken(event) {
  event.preventDefault();
  state.token = $("admin-token-input").value.trim();
  if (!state.token) return;
  sessionStorage.setItem(TOKEN_KEY, state.token);
  $("admin-token-input").value = "";
  await refresh();
}

// ------------------------------------------------------------------------------ lists
function regionOptions(select, chosen) {
  select.replaceChildren(el("option", { value: "" }, t("chooseRegion")),
    ...state.regions.map((r) => el("option", { value: r }, r)));
  select.value = chosen || "";
}

function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || "fi") : "";
}

function documentRow(doc) {
  const remove = el("button", { type: "button", class: "btn btn-small btn-ghost admin-delete" }, t("remove"));
  remove.addEventListener("click", () => {
    if (remove.dataset.armed) { deleteDocument(doc); return; }
    remove.dataset.armed = "1";
    remove.textContent = t("confirmRemove");
  });
  const edit = el("button", { type: "button", class: "btn btn-small btn-ghost admin-edit", onclick: () => startEdit(doc) },
    t("edit"));
  const meta = doc.indexed ? t(doc.metadata_guessed ? "guessed" : "given") : t("pending");
  return el("tr", { "data-document": doc.id },
    el("td", {}, doc.region), el("td", { class: "admin-doc-title" }, doc.title, el("br"), el("small", {}, doc.file)),
    el("td", {}, doc.year ?? ""), el("td", {}, doc.kind || ""), el("td", { class: "admin-num" }, String(doc.chunks)),
    el("td", {}, formatTime(doc.updated)), el("td", { class: doc.metadata_guessed ? "admin-guessed" : "" }, meta),
    el("td", { class: "admin-row-actions" }, edit, remove));
}

async function refresh() {
  try {
    const res = await api("/api/admin/documents");
    const body = await res.json();
    $("admin-token-form").hidden = true;
    $("admin-body").hidden = false;
    state.regions = body.regions;
    if (!$("admin-region").options.length) regionOptions($("admin-region"), "");
    $("admin-docs").tBodies[0].replaceChildren(...body.documents.map(documentRow));
    const audit = await (await api("/api/admin/audit?limit=50")).json();
    $("admin-audit").tBodies[0].replaceChildren(...audit.audit.map((e) => el("tr", { class: `admin-${e.outcome}` },
      el("td", {}, formatTime(e.at)), el("td", {}, e.action), el("td", {}, e.document), el("td", {}, e.outcome),
      el("td", {}, e.detail))));
  } catch (err) {
    if (err.status !== 401) showError(err.message);
  }
}

// ------------------------------------------------------------------------------ jobs
function showError(message, canReplace = false) {
  $("admin-error").hidden = false;
  $("admin-error-text").textContent = t("error", { msg: message });
  $("admin-replace").hidden = !canReplace;
}

function clearError() {
  $("admin-error").hidden = true;
  $("admin-replace").hidden = true;
}

async function watch(job, doneKey) {
  const box = $("admin-job");
  const bar = $("admin-progress");
  const text = $("admin-job-message");
  box.hidden = false;
  box.dataset.job = job.job;
  box.dataset.state = "queued";
  bar.value = 0;
  text.textContent = t("queued");
  let last = null;
  const res = await api(`/api/admin/jobs/${encodeURIComponent(job.job)}/events`, { headers: { Accept: "application/x-ndjson" } });
  for await (const line of ndjsonLines(res.body)) {
    last = JSON.parse(line);
    bar.value = last.progress;
    box.dataset.state = last.state;
    text.textContent = last.state === "done" ? t(doneKey, { doc: job.document })
      : last.state === "failed" ? t("failed", { msg: last.message }) : last.message;
  }
  await refresh();
  return last;
}

// ------------------------------------------------------------------------------ actions
async function upload(event, replace = false) {
  if (event) event.preventDefault();
  clearError();
  const file = $("admin-file").files[0];
  if (!file) { showError(t("needFile")); return; }
  if (!$("admin-region").value || !$("admin-doc-title").value.trim()) { showError(t("needFields")); return; }
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("region", $("admin-region").value);
  form.append("title", $("admin-doc-title").value.trim());
  form.append("year", $("admin-year").value.trim());
  form.append("kind", $("admin-kind").value.trim());
  if (replace) form.append("replace", "true");
  const send = $("admin-upload-send");
  send.disabled = true;
  try {
    const job = await (await api("/api/admin/documents", { method: "POST", body: form })).json();
    $("admin-upload").reset();
    await watch(job, "done");
  } catch (err) {
    if (err.status === 401) return;
    showError(err.message, err.status === 409 && !replace && /replace/.test(err.message));
    await refresh(); // the refusal is in the audit log
  } finally {
    send.disabled = false;
  }
}

async function deleteDocument(doc) {
  clearError();
  try {
    const job = await (await api(`/api/admin/documents/${encodeURI(doc.id)}`, { method: "DELETE" })).json();
    await watch(job, "removed");
  } catch (err) {
    if (err.status !== 401) showError(err.message);
  }
}

function startEdit(doc) {
  state.editing = doc;
  $("admin-edit-title").textContent = t("editTitle", { name: doc.file });
  regionOptions($("admin-edit-region"), doc.region);
  $("admin-edit-title-input").value = doc.title || "";
  $("admin-edit-year").value = doc.year ?? "";
  $("admin-edit-kind").value = doc.kind || "";
  $("admin-edit").hidden = false;
  $("admin-edit-title-input").focus();
}

async function saveEdit(event) {
  event.preventDefault();
  clearError();
  const doc = state.editing;
  const year = $("admin-edit-year").value.trim();
  const body = { region: $("admin-edit-region").value, title: $("admin-edit-title-input").value.trim(),
    kind: $("admin-edit-kind").value.trim(), year: year ? Number(year) : null };
  try {
    const job = await (await api(`/api/admin/documents/${encodeURI(doc.id)}`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
    $("admin-edit").hidden = true;
    await watch(job, "saved");
  } catch (err) {
    if (err.status !== 401) showError(err.message);
  }
}

// ------------------------------------------------------------------------------ start
async function open() {
  translate();
  $("admin-dialog").showModal();
  if (!state.token) askToken("");
  else await refresh();
}

async function init() {
  try {
    const health = await (await fetch("/api/health", { headers: { Accept: "application/json" } })).json();
    document.body.dataset.admin = health.admin_enabled ? "on" : "off";
    if (!health.admin_enabled) return; // the view stays hidden when the server has no admin token
  } catch (_) {
    document.body.dataset.admin = "off";
    return;
  }
  translate();
  const button = $("admin-open");
  button.hidden = false;
  button.addEventListener("click", open);
  $("admin-close").addEventListener("click", () => $("admin-dialog").close());
  $("admin-token-form").addEventListener("submit", saveToken);
  $("admin-upload").addEventListener("submit", (e) => upload(e));
  $("admin-replace").addEventListener("click", () => upload(null, true));
  $("admin-edit").addEventListener("submit", saveEdit);
  $("admin-edit-cancel").addEventListener("click", () => { $("admin-edit").hidden = true; });
  // app.js sets <html lang> when the language changes: follow it.
  new MutationObserver(translate).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

init();
