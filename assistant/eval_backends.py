"""Where `assistant eval` gets its answers: in process through ``Assistant``, or over HTTP like the judge.

Both backends return the same small views (``Reply``, ``CellView``) so the metrics never depend on how
the answer was obtained. The HTTP backend uses only the standard library (no client dependency).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.records import Answer


@dataclass(frozen=True)
class Source:
    """A cited or retrieved passage: its region and text (``n`` is the citation number, if cited)."""

    region: str
    text: str
    n: int | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    abstained: bool
    citations: tuple[Source, ...]
    passages: tuple[Source, ...]


@dataclass(frozen=True)
class CellView:
    topic: str
    region: str
    status: str
    evidence: str | None
    more: int = 0


class CompareUnavailable(Exception):
    """The backend has no compare operation (yet); compare metrics are skipped with this note."""


class Backend(Protocol):
    name: str

    def ask(self, question: str) -> Reply: ...

    def compare(self, topics: Sequence[str]) -> list[CellView]: ...


def reply_from_answer(answer: Answer) -> Reply:
    return Reply(answer.text, answer.abstained,
                 tuple(Source(c.passage.chunk.region, c.passage.chunk.text, c.n) for c in answer.citations),
                 tuple(Source(p.chunk.region, p.chunk.text) for p in answer.passages))


def reply_from_json(body: dict[str, Any]) -> Reply:
    """A ``POST /api/ask`` response as a ``Reply``."""
    return Reply(body.get("answer", ""), bool(body.get("abstained")),
                 tuple(Source(c.get("region", ""), c.get("text", ""), c.get("n")) for c in body.get("citations", [])),
                 tuple(Source(p.get("region", ""), p.get("text", "")) for p in body.get("passages", [])))


def cells_from_json(body: dict[str, Any]) -> list[CellView]:
    """A ``POST /api/compare`` response as cells."""
    return [CellView(c["topic"], c["region"], c["status"], (c.get("evidence") or {}).get("text"), int(c.get("more", 0)))
            for c in body.get("cells", [])]


class InProcess:
    """Asks an ``Assistant`` directly (the default)."""

    name = "in-process"

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant

    def ask(self, question: str) -> Reply:
        return reply_from_answer(self.assistant.ask(question))

    def compare(self, topics: Sequence[str]) -> list[CellView]:
        compare = getattr(self.assistant, "compare", None)
        if compare is None:
            raise CompareUnavailable("Assistant.compare is not available in this build")
        result = compare(list(topics))
        return [CellView(c.topic, c.region, c.status, c.evidence.text if c.evidence else None, c.more)
                for c in result.cells]


class Http:
    """Asks a running server through ``POST /api/ask`` and ``POST /api/compare``, as the hidden sets are judged."""

    def __init__(self, url: str, token: str = "", timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.name = f"http {self.url}"
        self.timeout = timeout
        self.headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.url}{path}", data=json.dumps(payload).encode("utf-8"),
                                         headers=self.headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - loopback URL from the CLI
            return dict(json.loads(response.read().decode("utf-8")))

    def ask(self, question: str) -> Reply:
        return reply_from_json(self._post("/api/ask", {"question": question}))

    def compare(self, topics: Sequence[str]) -> list[CellView]:
        try:
            return cells_from_json(self._post("/api/compare", {"topics": list(topics)}))
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 405):
                raise CompareUnavailable(f"{self.url} has no POST /api/compare (HTTP {exc.code})") from exc
            raise
