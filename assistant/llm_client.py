"""HTTP client for any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp, OpenAI).

Only the standard library is used for HTTP, so the feature adds no dependencies. Every failure surfaces
as :class:`LlmUnavailable`, which the LLM composer answers by falling back to the extractive answer.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.errors import AssistantError

_FALLBACK = "the extractive answer was used instead"


class LlmUnavailable(AssistantError):
    """The LLM endpoint failed (HTTP error, timeout, refused connection or malformed reply)."""

    status = 502


def endpoint_url(base: str) -> str:
    """Return the chat-completions URL for ``http://h:p``, ``http://h:p/v1`` or the full URL."""
    url = base.strip().rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    if url.endswith("/v1"):
        return url + "/chat/completions"
    return url + "/v1/chat/completions"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would resend the Authorization header to the new host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class LlmClient:
    """Client for one OpenAI-compatible endpoint and model.

    ``timeout`` applies to each socket operation: connecting, the first byte and every gap between
    streamed chunks. All failures raise :class:`LlmUnavailable`, never urllib or json errors.
    """

    def __init__(self, url: str, model: str, api_key: str = "", timeout: float = 30.0) -> None:
        self.url = endpoint_url(url)
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    @property
    def name(self) -> str:
        return f"llm:{self.model}"

    def complete(self, messages: Sequence[dict[str, str]]) -> str:
        """Return the whole reply text (stripped, non-empty)."""
        with self._post(messages, stream=False) as response:
            raw = self._read(response)
        return self._message_content(raw)

    def stream(self, messages: Sequence[dict[str, str]]) -> Iterator[str]:
        """Yield reply pieces as they arrive; may raise :class:`LlmUnavailable` mid-stream."""
        with self._post(messages, stream=True) as response:
            if "text/event-stream" not in response.headers.get("Content-Type", ""):
                # Some servers ignore "stream": true and send one JSON body; accept that too.
                yield self._message_content(self._read(response))
                return
            while True:
                try:
                    line = response.readline()
                except (OSError, http.client.HTTPException) as exc:
                    raise self._failure(exc) from exc
                if not line:
                    return  # connection closed without [DONE]: treat as the end
                text = line.decode("utf-8", errors="replace").strip()
                if not text.startswith("data:"):
                    continue  # blank separators, ": keep-alive" comments, "event:" lines
                data = text[len("data:") :].strip()
                if data == "[DONE]":
                    return
                piece = self._delta_content(data)
                if piece:
                    yield piece

    # --- internals -------------------------------------------------------------------------------

    def _post(self, messages: Sequence[dict[str, str]], stream: bool) -> http.client.HTTPResponse:
        body = {"model": self.model, "messages": list(messages), "temperature": 0.1, "stream": stream}
        headers = {
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
        }
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            request = urllib.request.Request(
                self.url, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST"
            )
            response: http.client.HTTPResponse = self._opener.open(request, timeout=self.timeout)
        except ValueError as exc:  # unknown URL scheme or malformed URL
            raise self._unavailable(f"the URL is not usable ({exc})") from exc
        except urllib.error.HTTPError as exc:
            raise self._unavailable(f"it answered HTTP {exc.code}{self._error_detail(exc)}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise self._failure(exc) from exc
        return response

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        try:
            return response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise self._failure(exc) from exc

    def _message_content(self, raw: bytes) -> str:
        data = self._parse(raw)
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise self._unavailable(f"its reply had no choices[0].message.content ({exc!r})") from exc
        if not isinstance(content, str) or not content.strip():
            raise self._unavailable("it returned an empty answer")
        return content.strip()

    def _delta_content(self, data: str) -> str:
        event = self._parse(data.encode("utf-8"))
        choices = event.get("choices")
        if not choices:
            return ""  # e.g. a trailing usage-only chunk
        try:
            content = choices[0].get("delta", {}).get("content")
        except AttributeError as exc:
            raise self._unavailable(f"it sent a malformed stream chunk ({exc})") from exc
        return content if isinstance(content, str) else ""

    def _parse(self, raw: bytes) -> dict[str, Any]:
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
            raise self._unavailable(f"it returned malformed JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise self._unavailable("it returned malformed JSON (not an object)")
        if "error" in data:
            raise self._unavailable(f"it reported an error: {str(data['error'])[:200]}")
        return data

    @staticmethod
    def _error_detail(exc: urllib.error.HTTPError) -> str:
        try:
            detail = exc.read(300).decode("utf-8", errors="replace").strip()
        except (OSError, http.client.HTTPException):
            detail = ""
        return f" ({detail})" if detail else ""

    def _failure(self, exc: BaseException) -> LlmUnavailable:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            return self._unavailable(f"it did not answer within {self.timeout:g} s (timeout)")
        if isinstance(reason, ConnectionRefusedError):
            return self._unavailable("the connection was refused (is the server running?)")
        return self._unavailable(f"the connection failed ({reason})")

    def _unavailable(self, what: str) -> LlmUnavailable:
        return LlmUnavailable(f"LLM endpoint {self.url} failed: {what}; {_FALLBACK}.")
