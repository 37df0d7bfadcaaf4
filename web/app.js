/* Sote-avustaja – chat page.
 *
 * Plain script, no build step. Everything the user sees comes from the I18N dictionary below or
 * from the API; API text (questions, answers, document text) is only ever inserted with
 * textContent / createElement, never as HTML.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Strings
  // ---------------------------------------------------------------------------------------------
  const I18N = {
    fi: {
      langName: "Suomi",
      appTitle: "Sote-avustaja",
      appSubtitle: "Kysy hyvinvointialueiden suunnitelmista – vastaukset lähteineen",
      healthLine: "{docs} asiakirjaa · {regions} aluetta",
      skipToQuestion: "Siirry kysymyskenttään",
      languageLabel: "Kieli",
      newConversation: "Uusi keskustelu",
      newConversationDone: "Uusi keskustelu aloitettu.",
      filtersLabel: "Rajaukset",
      regionsLabel: "Alueet",
      documentLabel: "Asiakirja",
      allDocuments: "Kaikki asiakirjat",
      activeFilters: "Rajattu: {list}",
      clearFilters: "Poista rajaukset",
      filterDocument: "asiakirja {title}",
      filtersUsed: "Rajaus: {list}",
      transcriptLabel: "Keskustelu",
      emptyTitle: "Mitä haluat tietää?",
      emptyText:
        "Avustaja etsii vastauksen hyvinvointialueiden sosiaali- ja terveydenhuollon suunnitelmista " +
        "ja näyttää, mistä asiakirjan kohdasta tieto on peräisin.",
      examplesTitle: "Esimerkkikysymyksiä",
      examples: [
        "Missä alueilla Omaoloa on otettu käyttöön?",
        "Miten eri alueet kehittävät kotihoitoa?",
        "Mitä Lapissa tehdään saamenkielisten palvelujen kehittämiseksi?",
        "Miten vammaispalveluita arvioidaan Pohjois-Pohjanmaalla?",
      ],
      questionLabel: "Kysymys",
      questionPlaceholder: "Kirjoita kysymys…",
      send: "Lähetä",
      composerHint: "Enter lähettää, Shift+Enter aloittaa uuden rivin",
      questionEmpty: "Kirjoita ensin kysymys.",
      tooLong: "{n} / {max} merkkiä – kysymys on liian pitkä",
      searching: "Haetaan…",
      writing: "Kirjoitetaan vastausta…",
      you: "Sinä",
      assistant: "Avustaja",
      sources: "Lähteet",
      citeLabel: "Lähde {n}: {region} — {title}",
      page: "s. {p}",
      lines: "rivit {a}–{b}",
      notFoundTitle: "Aineistosta ei löytynyt vastausta",
      relatedTitle: "Mahdollisesti liittyviä kohtia",
      noRelated: "Aineistosta ei löytynyt läheisiäkään kohtia.",
      notes: "Huomioita",
      copyAnswer: "Kopioi vastaus lähteineen",
      copied: "Vastaus lähteineen kopioitu leikepöydälle.",
      copyFailed: "Kopiointi ei onnistunut. Valitse teksti ja kopioi se käsin.",
      feedbackPrompt: "Oliko vastauksesta apua?",
      thumbUp: "Kyllä, vastaus oli hyödyllinen",
      thumbDown: "Ei, vastaus ei ollut hyödyllinen",
      commentLabel: "Kommentti (vapaaehtoinen)",
      commentPlaceholder: "Mikä vastauksessa oli hyvää tai mitä siitä puuttui?",
      sendFeedback: "Lähetä palaute",
      sendingFeedback: "Lähetetään…",
      feedbackThanks: "Kiitos palautteesta!",
      feedbackFailed: "Palautteen lähetys epäonnistui: {msg}",
      errorTitle: "Vastausta ei saatu",
      networkError: "Palvelimeen ei saatu yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen.",
      serverError: "Palvelin vastasi virheellä ({status}). Yritä hetken kuluttua uudelleen.",
      streamIncomplete: "Vastaus katkesi kesken. Yritä uudelleen.",
      interrupted: "Haku keskeytyi, koska sivu ladattiin uudelleen.",
      authCancelled: "Pyyntöä ei lähetetty, koska käyttötunnistetta ei annettu.",
      retry: "Yritä uudelleen",
      editQuestion: "Muokkaa kysymystä",
      closePanel: "Sulje lähdepaneeli",
      jumpToPassage: "Siirry lainattuun kohtaan",
      showWholeDocument: "Näytä koko asiakirja",
      showExcerpt: "Näytä vain lainatun kohdan ympäristö",
      documentTextLabel: "Asiakirjan teksti",
      loadingDocument: "Ladataan asiakirjaa…",
      documentError: "Asiakirjaa ei voitu avata: {msg}",
      spanNotFound: "Lainattua kohtaa ei löytynyt asiakirjan tekstistä; alla asiakirjan alku.",
      sourceKicker: "Lähde {n}",
      relatedKicker: "Mahdollisesti liittyvä kohta",
      tokenTitle: "Kirjautuminen",
      tokenText: "Palvelu vaatii käyttötunnisteen. Saat sen palvelun ylläpitäjältä.",
      tokenLabel: "Käyttötunniste",
      tokenSave: "Tallenna",
      tokenInvalid: "Tunniste ei kelvannut. Tarkista se ja yritä uudelleen.",
      tokenMissing: "Kirjoita käyttötunniste.",
      cancel: "Peruuta",
      healthError: "Palvelimen tilaa ei saatu: {msg}",
      documentsError: "Asiakirjaluetteloa ei saatu: {msg}",
    },
    sv: {
      langName: "Svenska",
      appTitle: "Vårdassistenten",
      appSubtitle: "Fråga om välfärdsområdenas planer – svar med källor",
      healthLine: "{docs} dokument · {regions} områden",
      skipToQuestion: "Hoppa till frågefältet",
      languageLabel: "Språk",
      newConversation: "Ny konversation",
      newConversationDone: "En ny konversation har börjat.",
      filtersLabel: "Avgränsningar",
      regionsLabel: "Områden",
      documentLabel: "Dokument",
      allDocuments: "Alla dokument",
      activeFilters: "Avgränsat: {list}",
      clearFilters: "Ta bort avgränsningar",
      filterDocument: "dokument {title}",
      filtersUsed: "Avgränsning: {list}",
      transcriptLabel: "Konversation",
      emptyTitle: "Vad vill du veta?",
      emptyText:
        "Assistenten söker svar i välfärdsområdenas planer för social- och hälsovården och visar " +
        "var i dokumentet uppgiften finns.",
      examplesTitle: "Exempelfrågor",
      examples: [
        "I vilka områden har Omaolo tagits i bruk?",
        "Hur utvecklar olika områden hemvården?",
        "Vad görs i Lappland för att utveckla tjänster på samiska?",
      ],
      questionLabel: "Fråga",
      questionPlaceholder: "Skriv din fråga…",
      send: "Skicka",
      composerHint: "Enter skickar, Shift+Enter ger ny rad",
      questionEmpty: "Skriv först en fråga.",
      tooLong: "{n} / {max} tecken – frågan är för lång",
      searching: "Söker…",
      writing: "Svaret skrivs…",
      you: "Du",
      assistant: "Assistenten",
      sources: "Källor",
      citeLabel: "Källa {n}: {region} — {title}",
      page: "s. {p}",
      lines: "rader {a}–{b}",
      notFoundTitle: "Inget svar hittades i materialet",
      relatedTitle: "Möjligen relaterade avsnitt",
      noRelated: "Inga närliggande avsnitt hittades heller.",
      notes: "Anmärkningar",
      copyAnswer: "Kopiera svaret med källor",
      copied: "Svaret med källor har kopierats.",
      copyFailed: "Kopieringen misslyckades. Markera texten och kopiera den manuellt.",
      feedbackPrompt: "Var svaret till hjälp?",
      thumbUp: "Ja, svaret var till hjälp",
      thumbDown: "Nej, svaret var inte till hjälp",
      commentLabel: "Kommentar (frivillig)",
      commentPlaceholder: "Vad var bra i svaret eller vad saknades?",
      sendFeedback: "Skicka respons",
      sendingFeedback: "Skickar…",
      feedbackThanks: "Tack för responsen!",
      feedbackFailed: "Responsen kunde inte skickas: {msg}",
      errorTitle: "Inget svar",
      networkError: "Ingen kontakt med servern. Kontrollera nätverket och försök igen.",
      serverError: "Servern svarade med ett fel ({status}). Försök igen om en stund.",
      streamIncomplete: "Svaret avbröts. Försök igen.",
      interrupted: "Sökningen avbröts eftersom sidan laddades om.",
      authCancelled: "Begäran skickades inte eftersom ingen åtkomstkod angavs.",
      retry: "Försök igen",
      editQuestion: "Redigera frågan",
      closePanel: "Stäng källpanelen",
      jumpToPassage: "Gå till det citerade avsnittet",
      showWholeDocument: "Visa hela dokumentet",
      showExcerpt: "Visa bara omgivningen kring avsnittet",
      documentTextLabel: "Dokumentets text",
      loadingDocument: "Dokumentet laddas…",
      documentError: "Dokumentet kunde inte öppnas: {msg}",
      spanNotFound: "Det citerade avsnittet hittades inte i texten; nedan visas dokumentets början.",
      sourceKicker: "Källa {n}",
      relatedKicker: "Möjligen relaterat avsnitt",
      tokenTitle: "Inloggning",
      tokenText: "Tjänsten kräver en åtkomstkod. Du får den av tjänstens administratör.",
      tokenLabel: "Åtkomstkod",
      tokenSave: "Spara",
      tokenInvalid: "Åtkomstkoden godkändes inte. Kontrollera den och försök igen.",
      tokenMissing: "Skriv åtkomstkoden.",
      cancel: "Avbryt",
      healthError: "Serverns status kunde inte hämtas: {msg}",
      documentsError: "Dokumentlistan kunde inte hämtas: {msg}",
    },
    en: {
      langName: "English",
      appTitle: "Care planning assistant",
      appSubtitle: "Ask about the wellbeing services counties' plans – answers with sources",
      healthLine: "{docs} documents · {regions} regions",
      skipToQuestion: "Skip to the question field",
      languageLabel: "Language",
      newConversation: "New conversation",
      newConversationDone: "Started a new conversation.",
      filtersLabel: "Filters",
      regionsLabel: "Regions",
      documentLabel: "Document",
      allDocuments: "All documents",
      activeFilters: "Filtered: {list}",
      clearFilters: "Clear filters",
      filterDocument: "document {title}",
      filtersUsed: "Filter: {list}",
      transcriptLabel: "Conversation",
      emptyTitle: "What would you like to know?",
      emptyText:
        "The assistant searches the social and health care plans of the wellbeing services counties " +
        "and shows where in each document the information comes from.",
      examplesTitle: "Example questions",
      examples: [
        "In which regions has Omaolo been introduced?",
        "How are the regions developing home care?",
        "What is Lapland doing to develop services in the Sámi languages?",
      ],
      questionLabel: "Question",
      questionPlaceholder: "Type your question…",
      send: "Send",
      composerHint: "Enter sends, Shift+Enter starts a new line",
      questionEmpty: "Type a question first.",
      tooLong: "{n} / {max} characters – the question is too long",
      searching: "Searching…",
      writing: "Writing the answer…",
      you: "You",
      assistant: "Assistant",
      sources: "Sources",
      citeLabel: "Source {n}: {region} — {title}",
      page: "p. {p}",
      lines: "lines {a}–{b}",
      notFoundTitle: "No answer found in the documents",
      relatedTitle: "Possibly related passages",
      noRelated: "No nearby passages were found either.",
      notes: "Notes",
      copyAnswer: "Copy answer with sources",
      copied: "Answer with sources copied to the clipboard.",
      copyFailed: "Copying failed. Select the text and copy it by hand.",
      feedbackPrompt: "Was this answer helpful?",
      thumbUp: "Yes, the answer was helpful",
      thumbDown: "No, the answer was not helpful",
      commentLabel: "Comment (optional)",
      commentPlaceholder: "What was good about the answer, or what was missing?",
      sendFeedback: "Send feedback",
      sendingFeedback: "Sending…",
      feedbackThanks: "Thank you for your feedback!",
      feedbackFailed: "Sending feedback failed: {msg}",
      errorTitle: "No answer",
      networkError: "Could not reach the server. Check your connection and try again.",
      serverError: "The server answered with an error ({status}). Try again in a moment.",
      streamIncomplete: "The answer was cut off. Please try again.",
      interrupted: "The search was interrupted because the page was reloaded.",
      authCancelled: "The request was not sent because no access token was given.",
      retry: "Try again",
      editQuestion: "Edit the question",
      closePanel: "Close the source panel",
      jumpToPassage: "Go to the cited passage",
      showWholeDocument: "Show the whole document",
      showExcerpt: "Show only the text around the passage",
      documentTextLabel: "Document text",
      loadingDocument: "Loading the document…",
      documentError: "Could not open the document: {msg}",
      spanNotFound: "The cited passage was not found in the text; showing the start of the document.",
      sourceKicker: "Source {n}",
      relatedKicker: "Possibly related passage",
      tokenTitle: "Sign in",
      tokenText: "This service needs an access token. You can get one from the administrator.",
      tokenLabel: "Access token",
      tokenSave: "Save",
      tokenInvalid: "The token was not accepted. Check it and try again.",
      tokenMissing: "Enter the access token.",
      cancel: "Cancel",
      healthError: "Could not get the server status: {msg}",
      documentsError: "Could not load the document list: {msg}",
    },
  };
  const LANGS = ["fi", "sv", "en"];

  // ---------------------------------------------------------------------------------------------
  // Constants and state
  // ---------------------------------------------------------------------------------------------
  const KEYS = {
    lang: "sote.lang",
    token: "sote.token",
    convo: "sote.conversation.v1",
    filters: "sote.filters.v1",
  };
  const MAX_CHARS = 2000;
  const HISTORY_TURNS = 6; // previous question/answer pairs sent as context
  const MAX_STORED_TURNS = 40;
  const RELATED_SHOWN = 5;
  const DOC_WINDOW = 3000; // characters shown either side of the cited span

  const state = {
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
    tokenPrompt: null,
  };

  const $ = (id) => document.getElementById(id);
  const dom = {};

  // ---------------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------------
  function t(key, vars) {
    const table = I18N[state.lang] || I18N.fi;
    let s = key in table ? table[key] : key in I18N.fi ? I18N.fi[key] : key;
    if (typeof s === "string" && vars) {
      s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    }
    return s;
  }

  /** createElement with attributes and children; strings become text nodes (never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  const ICONS = {
    thumb:
      "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
      "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    copy:
      "M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 " +
      "2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z",
    doc:
      "M14 2H6c-1.1 0-2 .9-2 2v16c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V8l-6-6zm2 16H8v-2h8v2zm0-4H8v-2h8v2zm-3-5V3.5L18.5 9H13z",
    search:
      "M15.5 14h-.79l-.28-.27A6.47 6.47 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 " +
      "4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z",
    warn: "M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z",
  };
  function icon(name, extraClass) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon-svg" + (extraClass ? " " + extraClass : ""));
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function storageGet(key, fallback) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (_e) {
      return fallback;
    }
  }
  function storageSet(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (_e) {
      /* storage full or disabled: the page keeps working without persistence */
    }
  }

  function uid() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  function clamp(n, lo, hi) {
    return Math.max(lo, Math.min(hi, n));
  }

  function locationText(ref) {
    const parts = [];
    if (ref.page !== null && ref.page !== undefined) parts.push(t("page", { p: ref.page }));
    if (Array.isArray(ref.lines) && ref.lines.length === 2) {
      parts.push(t("lines", { a: ref.lines[0], b: ref.lines[1] }));
    }
    return parts.join(", ");
  }

  function stripMarkdown(text) {
    return String(text || "").replace(/\*\*(.+?)\*\*/g, "$1");
  }

  // ---------------------------------------------------------------------------------------------
  // API
  // ---------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(message, status, key) {
      super(message);
      this.status = status || 0;
      this.key = key || null; // i18n key when the message is ours, so it can be re-translated
    }
  }

  async function errorFromResponse(res) {
    let message = "";
    try {
      const data = await res.json();
      if (data && typeof data.error === "string") message = data.error;
      else if (data && typeof data.detail === "string") message = data.detail;
      else if (data && Array.isArray(data.detail)) {
        message = data.detail.map((d) => (d && d.msg ? d.msg : String(d))).join("; ");
      }
    } catch (_e) {
      /* not JSON */
    }
    if (message) return new ApiError(message, res.status);
    return new ApiError(t("serverError", { status: res.status }), res.status, "serverError");
  }

  /** fetch() with the Bearer token; on 401 asks for a (new) token and retries. */
  async function apiFetch(path, options) {
    const opts = options || {};
    for (let attempt = 0; attempt < 4; attempt++) {
      const headers = new Headers(opts.headers || {});
      if (state.token) headers.set("Authorization", "Bearer " + state.token);
      let res;
      try {
        res = await fetch(path, Object.assign({}, opts, { headers }));
      } catch (e) {
        if (e && e.name === "AbortError") throw e;
        throw new ApiError(t("networkError"), 0, "networkError");
      }
      if (res.status !== 401) return res;
      const err = await errorFromResponse(res);
      const hadToken = Boolean(state.token);
      setToken("");
      const token = await promptToken(hadToken ? t("tokenInvalid") : err.message);
      if (!token) throw new ApiError(t("authCancelled"), 401, "authCancelled");
    }
    throw new ApiError(t("tokenInvalid"), 401, "tokenInvalid");
  }

  async function apiJson(path, options) {
    const res = await apiFetch(path, options);
    if (!res.ok) throw await errorFromResponse(res);
    try {
      return await res.json();
    } catch (_e) {
      throw new ApiError(t("serverError", { status: res.status }), res.status, "serverError");
    }
  }

  /** POST /api/ask/stream, reading NDJSON line by line. Resolves with the final answer object. */
  async function askStream(body, onDelta, signal) {
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/x-ndjson" },
      body: JSON.stringify(body),
      signal,
    };
    let res = await apiFetch("/api/ask/stream", init);
    if (res.status === 404 || res.status === 405) {
      // A server without the streaming route: fall back to the plain endpoint.
      res = await apiFetch("/api/ask", Object.assign({}, init, { headers: { "Content-Type": "application/json" } }));
    }
    if (!res.ok) throw await errorFromResponse(res);

    const ctype = res.headers.get("content-type") || "";
    if (!res.body || !ctype.includes("ndjson")) {
      let data;
      try {
        data = await res.json();
      } catch (_e) {
        throw new ApiError(t("serverError", { status: res.status }), res.status, "serverError");
      }
      if (data && data.type === "error") throw new ApiError(data.error, data.status);
      if (data && typeof data.error === "string" && !("answer" in data)) throw new ApiError(data.error, data.status);
      return data;
    }

    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let final = null;
    const handle = (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch (_e) {
        return; // ignore a malformed line; a missing final answer is reported below
      }
      if (!msg || typeof msg !== "object") return;
      if (msg.type === "delta" && typeof msg.text === "string") onDelta(msg.text);
      else if (msg.type === "answer") final = msg;
      else if (msg.type === "error") {
        throw new ApiError(msg.error || t("serverError", { status: msg.status || 500 }), msg.status || 500);
      }
    };
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (e && e.name === "AbortError") throw e;
        throw new ApiError(t("streamIncomplete"), 0, "streamIncomplete");
      }
      const { done, value } = chunk;
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) handle(line);
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) handle(buffer.trim());
    if (!final) throw new ApiError(t("streamIncomplete"), 0, "streamIncomplete");
    return final;
  }

  function getDocument(id) {
    if (!state.docCache.has(id)) {
      const p = apiJson("/api/documents/" + encodeURIComponent(id)).catch((e) => {
        state.docCache.delete(id);
        throw e;
      });
      state.docCache.set(id, p);
    }
    return state.docCache.get(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Token dialog
  // ---------------------------------------------------------------------------------------------
  function setToken(token) {
    state.token = token || "";
    try {
      if (state.token) localStorage.setItem(KEYS.token, state.token);
      else localStorage.removeItem(KEYS.token);
    } catch (_e) {
      /* ignore */
    }
  }

  function promptToken(message) {
    if (state.tokenPrompt) return state.tokenPrompt.promise;
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    state.tokenPrompt = { promise, resolve };
    dom.tokenError.hidden = !message;
    dom.tokenError.textContent = message || "";
    dom.tokenInput.value = "";
    if (typeof dom.tokenDialog.showModal === "function") dom.tokenDialog.showModal();
    else dom.tokenDialog.setAttribute("open", "");
    dom.tokenInput.focus();
    return promise;
  }

  function finishTokenPrompt(token) {
    const p = state.tokenPrompt;
    state.tokenPrompt = null;
    if (dom.tokenDialog.open) {
      if (typeof dom.tokenDialog.close === "function") dom.tokenDialog.close();
      else dom.tokenDialog.removeAttribute("open");
    }
    if (p) p.resolve(token);
    if (token && state.docsFailed) {
      // The document list failed for lack of a token earlier; try again now that there is one.
      loadDocuments().then(renderFilters);
    }
  }

  function setupTokenDialog() {
    dom.tokenForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const token = dom.tokenInput.value.trim();
      if (!token) {
        dom.tokenError.hidden = false;
        dom.tokenError.textContent = t("tokenMissing");
        dom.tokenInput.focus();
        return;
      }
      setToken(token);
      finishTokenPrompt(token);
    });
    dom.tokenCancel.addEventListener("click", () => finishTokenPrompt(null));
    dom.tokenDialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finishTokenPrompt(null);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Static texts, language
  // ---------------------------------------------------------------------------------------------
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

  function showBanner(message) {
    dom.banner.hidden = !message;
    dom.banner.textContent = message || "";
  }

  function setStatus(text) {
    dom.status.textContent = text || "";
  }

  // ---------------------------------------------------------------------------------------------
  // Examples
  // ---------------------------------------------------------------------------------------------
  function renderExamples() {
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

  // ---------------------------------------------------------------------------------------------
  // Filters
  // ---------------------------------------------------------------------------------------------
  function availableRegions() {
    const fromHealth = (state.health && state.health.regions) || [];
    const fromDocs = state.documents.map((d) => d.region).filter(Boolean);
    return Array.from(new Set([...fromHealth, ...fromDocs])).sort((a, b) => a.localeCompare(b, "fi"));
  }

  function docTitle(id) {
    const d = state.documents.find((x) => x.id === id);
    return d ? d.title : id;
  }

  function saveFilters() {
    storageSet(KEYS.filters, state.filters);
  }

  function renderFilters() {
    const regions = availableRegions();
    dom.regionChips.replaceChildren(
      ...regions.map((region) => {
        const on = state.filters.regions.includes(region);
        return el(
          "button",
          {
            type: "button",
            class: "chip" + (on ? " is-on" : ""),
            "aria-pressed": on ? "true" : "false",
            "data-region": region,
            onclick: () => toggleRegion(region),
          },
          el("span", { class: "chip-check", "aria-hidden": "true" }, on ? "✓" : ""),
          region
        );
      })
    );

    // Document select: only documents of the chosen regions (all when none chosen), grouped by region.
    const chosen = state.filters.regions;
    const docs = state.documents.filter((d) => !chosen.length || chosen.includes(d.region));
    if (state.filters.documents.length && !docs.some((d) => d.id === state.filters.documents[0])) {
      state.filters.documents = [];
      saveFilters();
    }
    const groups = new Map();
    for (const d of docs) {
      const key = d.region || "—";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(d);
    }
    const options = [el("option", { value: "" }, t("allDocuments"))];
    for (const [region, list] of Array.from(groups.entries()).sort((a, b) => a[0].localeCompare(b[0], "fi"))) {
      options.push(
        el(
          "optgroup",
          { label: region },
          list.map((d) => el("option", { value: d.id }, d.title + (d.year ? " (" + d.year + ")" : "")))
        )
      );
    }
    dom.docSelect.replaceChildren(...options);
    dom.docSelect.value = state.filters.documents[0] || "";
    dom.docSelect.classList.toggle("is-on", Boolean(state.filters.documents.length));

    const summary = filterSummary(state.filters);
    dom.activeFilters.hidden = !summary;
    dom.activeFiltersText.textContent = summary ? t("activeFilters", { list: summary }) : "";
  }

  function filterSummary(filters) {
    const parts = [...(filters.regions || [])];
    for (const id of filters.documents || []) parts.push(t("filterDocument", { title: docTitle(id) }));
    return parts.join(", ");
  }

  function toggleRegion(region) {
    const set = new Set(state.filters.regions);
    if (set.has(region)) set.delete(region);
    else set.add(region);
    state.filters.regions = Array.from(set);
    saveFilters();
    renderFilters();
    const chip = dom.regionChips.querySelector('[data-region="' + CSS.escape(region) + '"]');
    if (chip) chip.focus();
  }

  function currentFilters() {
    return {
      regions: state.filters.regions.slice(),
      documents: state.filters.documents.slice(),
      years: [],
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Conversation
  // ---------------------------------------------------------------------------------------------
  function saveConvo() {
    const items = state.convo.slice(-MAX_STORED_TURNS).map((item) => {
      const copy = Object.assign({}, item);
      delete copy.streamText;
      return copy;
    });
    storageSet(KEYS.convo, items);
  }

  function slimRef(c) {
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

  function slimResponse(data) {
    return {
      answer: typeof data.answer === "string" ? data.answer : "",
      abstained: Boolean(data.abstained),
      language: data.language || "",
      citations: Array.isArray(data.citations) ? data.citations.map(slimRef) : [],
      passages: Array.isArray(data.passages) ? data.passages.slice(0, RELATED_SHOWN).map(slimRef) : [],
      notes: Array.isArray(data.notes) ? data.notes.filter((n) => typeof n === "string") : [],
    };
  }

  function buildHistory() {
    const done = state.convo.filter((i) => i.status === "done" && i.response);
    const history = [];
    for (const item of done.slice(-HISTORY_TURNS)) {
      history.push({ role: "user", content: item.question });
      history.push({ role: "assistant", content: item.response.answer });
    }
    return history;
  }

  function setBusy(busy) {
    state.busy = busy;
    dom.send.disabled = busy;
    dom.composer.classList.toggle("is-busy", busy);
    dom.transcript.setAttribute("aria-busy", busy ? "true" : "false");
    setStatus(busy ? t("searching") : "");
  }

  async function ask(rawQuestion) {
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

  function newConversation() {
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
  function renderTranscript(scroll) {
    dom.turns.replaceChildren(...state.convo.map(buildTurn));
    dom.empty.hidden = state.convo.length > 0;
    if (scroll) scrollToBottom();
  }

  function appendTurn(item) {
    dom.empty.hidden = true;
    dom.turns.append(buildTurn(item));
  }

  function updateTurn(item) {
    const old = dom.turns.querySelector('[data-turn="' + CSS.escape(item.id) + '"]');
    const fresh = buildTurn(item);
    if (old) old.replaceWith(fresh);
    else dom.turns.append(fresh);
    return fresh;
  }

  function scrollToBottom() {
    dom.transcript.scrollTop = dom.transcript.scrollHeight;
  }

  function revealAnswer(turnNode) {
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

  function buildTurn(item) {
    const turn = el("article", { class: "turn", "data-turn": item.id });
    turn.append(buildUserMessage(item));
    if (item.status === "pending") turn.append(buildPending(item));
    else if (item.status === "error") turn.append(buildError(item));
    else if (item.response && item.response.abstained) turn.append(buildNotFound(item));
    else if (item.response) turn.append(buildAnswer(item));
    return turn;
  }

  function buildUserMessage(item) {
    const label = item.filters ? filterSummary(item.filters) : "";
    return el(
      "div",
      { class: "msg msg-user" },
      el("p", { class: "msg-who visually-hidden" }, t("you")),
      el("p", { class: "msg-text user-text" }, item.question),
      label ? el("p", { class: "msg-filters" }, t("filtersUsed", { list: label })) : null
    );
  }

  function buildPending(item) {
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

  function buildError(item) {
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
  function richText(text, citations, item) {
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

  function citeButton(c, item) {
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

  function sourceButton(ref, item, kind) {
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

  function snippet(text, max) {
    const s = String(text || "").replace(/\s+/g, " ").trim();
    return s.length > max ? s.slice(0, max).replace(/\s+\S*$/, "") + " …" : s;
  }

  function buildAnswer(item) {
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

  function buildNotFound(item) {
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

  function buildActions(item, withCopy) {
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
    bar.append(buildFeedback(item));
    return bar;
  }

  // ---------------------------------------------------------------------------------------------
  // Copy
  // ---------------------------------------------------------------------------------------------
  function plainAnswer(item) {
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

  async function copyAnswer(item) {
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

  function copyFallback(text) {
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

  // ---------------------------------------------------------------------------------------------
  // Feedback
  // ---------------------------------------------------------------------------------------------
  function buildFeedback(item) {
    const fb = item.feedback || null;
    const box = el("div", { class: "feedback", "data-feedback": item.id });
    if (fb && fb.sent) {
      box.append(el("p", { class: "feedback-thanks", role: "status" }, t("feedbackThanks")));
      return box;
    }
    const group = el("div", { class: "feedback-row", role: "group", "aria-label": t("feedbackPrompt") });
    group.append(el("span", { class: "feedback-prompt", "aria-hidden": "true" }, t("feedbackPrompt")));
    for (const rating of ["up", "down"]) {
      const pressed = fb && fb.rating === rating;
      group.append(
        el(
          "button",
          {
            type: "button",
            class: "btn btn-icon thumb thumb-" + rating + (pressed ? " is-on" : ""),
            "data-rating": rating,
            "aria-pressed": pressed ? "true" : "false",
            "aria-label": t(rating === "up" ? "thumbUp" : "thumbDown"),
            title: t(rating === "up" ? "thumbUp" : "thumbDown"),
            onclick: () => {
              item.feedback = { rating, sent: false, comment: (item.feedback && item.feedback.comment) || "" };
              saveConvo();
              const fresh = rerenderFeedback(item);
              const field = fresh && fresh.querySelector("textarea");
              if (field) {
                field.focus({ preventScroll: true });
                fresh.scrollIntoView({ block: "nearest" });
              }
            },
          },
          icon("thumb", rating === "down" ? "flip" : "")
        )
      );
    }
    box.append(group);
    if (fb && !fb.sent) {
      const fieldId = "fb-comment-" + item.id;
      const errorId = "fb-error-" + item.id;
      const textarea = el("textarea", {
        id: fieldId,
        class: "feedback-comment",
        rows: 2,
        maxlength: 2000,
        placeholder: t("commentPlaceholder"),
      });
      textarea.value = fb.comment || "";
      textarea.addEventListener("input", () => {
        fb.comment = textarea.value;
      });
      const error = el("p", { class: "feedback-error", id: errorId, role: "alert", hidden: true });
      const submit = el("button", { type: "submit", class: "btn btn-primary btn-small" }, t("sendFeedback"));
      const form = el(
        "form",
        { class: "feedback-form", novalidate: true },
        el("label", { for: fieldId }, t("commentLabel")),
        textarea,
        el("div", { class: "feedback-form-row" }, submit),
        error
      );
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        submit.disabled = true;
        submit.textContent = t("sendingFeedback");
        error.hidden = true;
        try {
          await apiJson("/api/feedback", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
              question: item.question,
              answer: item.response ? item.response.answer : "",
              rating: fb.rating,
              comment: textarea.value.trim(),
              citations: item.response ? item.response.citations : [],
            }),
          });
          fb.sent = true;
          saveConvo();
          const fresh = rerenderFeedback(item);
          const thanks = fresh && fresh.querySelector(".feedback-thanks");
          if (thanks) {
            thanks.setAttribute("tabindex", "-1");
            thanks.focus({ preventScroll: true });
          }
        } catch (err) {
          submit.disabled = false;
          submit.textContent = t("sendFeedback");
          error.hidden = false;
          error.textContent = t("feedbackFailed", { msg: err.message });
        }
      });
      box.append(form);
    }
    return box;
  }

  function rerenderFeedback(item) {
    const old = dom.turns.querySelector('[data-feedback="' + CSS.escape(item.id) + '"]');
    if (!old) return null;
    const fresh = buildFeedback(item);
    old.replaceWith(fresh);
    return fresh;
  }

  // ---------------------------------------------------------------------------------------------
  // Source panel
  // ---------------------------------------------------------------------------------------------
  function isOverlay() {
    return window.matchMedia("(max-width: 860px)").matches;
  }

  function openPanel(ref, trigger) {
    state.panel = { ref, trigger: trigger || null, full: false };
    document.querySelectorAll(".cite.is-active, .source.is-active").forEach((n) => n.classList.remove("is-active"));
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

  function renderPanelHeader() {
    const p = state.panel;
    if (!p) return;
    const ref = p.ref;
    dom.panelKicker.textContent =
      ref.kind === "citation" ? t("sourceKicker", { n: ref.n }) : t("relatedKicker");
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
  }

  async function loadPanelDocument() {
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
  function locateSpan(text, ref) {
    const len = text.length;
    let start = clamp(Number(ref.start) || 0, 0, len);
    let end = clamp(Number(ref.end) || 0, 0, len);
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

  function renderPanelText() {
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

  function scrollMarkIntoView() {
    const mark = dom.docText.querySelector("mark");
    if (!mark) return;
    const body = dom.panelBody;
    const bodyBox = body.getBoundingClientRect();
    const markBox = mark.getBoundingClientRect();
    const offset = markBox.top - bodyBox.top + body.scrollTop;
    const target = markBox.height < bodyBox.height ? offset - (bodyBox.height - markBox.height) / 2 : offset - 16;
    body.scrollTop = Math.max(0, target);
  }

  function closePanel(restoreFocus) {
    if (!state.panel) return;
    const trigger = state.panel.trigger;
    state.panel = null;
    dom.panel.hidden = true;
    dom.backdrop.hidden = true;
    dom.app.classList.remove("has-panel");
    document.querySelectorAll(".cite.is-active, .source.is-active").forEach((n) => n.classList.remove("is-active"));
    if (restoreFocus !== false && trigger && document.contains(trigger)) trigger.focus();
  }

  // ---------------------------------------------------------------------------------------------
  // Composer
  // ---------------------------------------------------------------------------------------------
  function autosize() {
    const q = dom.question;
    q.style.height = "auto";
    q.style.height = Math.min(q.scrollHeight + 2, 220) + "px";
  }

  function renderCharCount() {
    const n = dom.question.value.length;
    const over = n > MAX_CHARS;
    dom.charCount.textContent = n > MAX_CHARS * 0.9 ? (over ? t("tooLong", { n, max: MAX_CHARS }) : n + " / " + MAX_CHARS) : "";
    dom.charCount.classList.toggle("is-over", over);
  }

  function setupComposer() {
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

  // ---------------------------------------------------------------------------------------------
  // Start-up
  // ---------------------------------------------------------------------------------------------
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

  async function init() {
    Object.assign(dom, {
      app: $("app"),
      langSelect: $("lang-select"),
      newChat: $("new-chat"),
      healthLine: $("health-line"),
      regionChips: $("region-chips"),
      docSelect: $("doc-select"),
      activeFilters: $("active-filters"),
      activeFiltersText: $("active-filters-text"),
      clearFilters: $("clear-filters"),
      banner: $("banner"),
      transcript: $("transcript"),
      empty: $("empty-state"),
      examples: $("examples"),
      turns: $("turns"),
      composer: $("composer"),
      question: $("question"),
      send: $("send"),
      status: $("status"),
      charCount: $("char-count"),
      panel: $("panel"),
      backdrop: $("panel-backdrop"),
      panelKicker: $("panel-kicker"),
      panelTitle: $("panel-title"),
      panelMeta: $("panel-meta"),
      panelClose: $("panel-close"),
      panelJump: $("panel-jump"),
      panelFull: $("panel-full"),
      panelBody: $("panel-body"),
      panelStatus: $("panel-status"),
      docText: $("doc-text"),
      tokenDialog: $("token-dialog"),
      tokenForm: $("token-form"),
      tokenInput: $("token-input"),
      tokenError: $("token-error"),
      tokenCancel: $("token-cancel"),
    });

    restore();
    applyI18n();
    renderExamples();
    renderFilters();
    renderTranscript(true);
    setupComposer();
    setupTokenDialog();

    dom.langSelect.addEventListener("change", () => setLanguage(dom.langSelect.value));
    dom.newChat.addEventListener("click", newConversation);
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

    await loadHealth();
    renderFilters();
    if (state.health && state.health.auth_required && !state.token) {
      await promptToken(null);
    }
    await loadDocuments();
    renderFilters();
    // Re-render so stored answers show document titles in the filter labels.
    renderTranscript(true);
    document.body.classList.add("is-ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
