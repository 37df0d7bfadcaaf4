/* The API client: fetch with the reader's token (asked for once, on 401), errors with readable messages,
 * the NDJSON answer stream, cached documents and file downloads. */

import { t } from "./i18n.js";
import { dom, KEYS, state } from "./state.js";

let retryAfterToken = null;

export class ApiError extends Error {
  constructor(message, status, key) {
    super(message);
    this.status = status || 0;
    this.key = key || null; // i18n key when the message is ours, so it can be re-translated
  }
}

export async function errorFromResponse(res) {
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
export async function apiFetch(path, options) {
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

export async function apiJson(path, options) {
  const res = await apiFetch(path, options);
  if (!res.ok) throw await errorFromResponse(res);
  try {
    return await res.json();
  } catch (_e) {
    throw new ApiError(t("serverError", { status: res.status }), res.status, "serverError");
  }
}

/** POST /api/ask/stream, reading NDJSON line by line. Resolves with the final answer object. */
export async function askStream(body, onDelta, signal) {
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
  try {
    for await (const line of ndjsonLines(res.body)) handle(line);
  } catch (e) {
    if (e instanceof ApiError || (e && e.name === "AbortError")) throw e;
    throw new ApiError(t("streamIncomplete"), 0, "streamIncomplete"); // the connection broke mid-stream
  }
  if (!final) throw new ApiError(t("streamIncomplete"), 0, "streamIncomplete");
  return final;
}

/** The non-empty lines of an NDJSON response body, trimmed, as they arrive (the last one even without a
 * newline). Read errors propagate to the caller. */
export async function* ndjsonLines(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield line;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) yield buffer.trim();
}

export function getDocument(id) {
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
export function setToken(token) {
  state.token = token || "";
  try {
    if (state.token) localStorage.setItem(KEYS.token, state.token);
    else localStorage.removeItem(KEYS.token);
  } catch (_e) {
    /* ignore */
  }
}

export function promptToken(message) {
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

export function finishTokenPrompt(token) {
  const p = state.tokenPrompt;
  state.tokenPrompt = null;
  if (dom.tokenDialog.open) {
    if (typeof dom.tokenDialog.close === "function") dom.tokenDialog.close();
    else dom.tokenDialog.removeAttribute("open");
  }
  if (p) p.resolve(token);
  if (token && state.docsFailed) {
    // The document list failed for lack of a token earlier; try again now that there is one.
    if (retryAfterToken) retryAfterToken();
  }
}

/** ``retry`` runs when a token is given after the document list failed without one. */
export function setupTokenDialog(retry) {
  retryAfterToken = retry;
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

/** Fetch ``path`` (with the token) and save the response as a file named by the server. */
export async function download(path, fallbackName) {
  const res = await apiFetch(path);
  if (!res.ok) throw await errorFromResponse(res);
  const disposition = res.headers.get("content-disposition") || "";
  const match = /filename="([^"]+)"/.exec(disposition);
  const name = match ? match[1] : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
