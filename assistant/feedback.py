"""Thumbs up/down feedback on answers, kept in a small SQLite file.

The store opens a fresh connection per call, so one ``FeedbackStore`` can be shared by the
threads of the web server. The file, its parent directory and the table are created on first use.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.ingest.masking import mask_contacts, mask_identity_codes

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
MAX_TEXT_CHARS = 20000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL DEFAULT '[]'
)
"""


@dataclass(frozen=True)
class FeedbackEntry:
    id: int
    created: str
    question: str
    answer: str
    rating: str
    comment: str
    citations: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "question": self.question,
            "answer": self.answer,
            "rating": self.rating,
            "comment": self.comment,
            "citations": self.citations,
        }


class FeedbackStore:
    """Append-only feedback log in SQLite at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    conn = sqlite3.connect(self.path, timeout=10)
                    try:
                        with conn:
                            conn.execute(_SCHEMA)
                    finally:
                        conn.close()
                    self._ready = True
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def add(
        self,
        question: str,
        answer: str,
        rating: str,
        comment: str = "",
        citations: list[dict[str, Any]] | None = None,
    ) -> int:
        """Store one rating and return its id; ``rating`` must be ``"up"`` or ``"down"``.

        Identity codes, e-mail addresses and phone numbers people type are masked before they are stored."""
        if rating not in RATINGS:
            raise InvalidQuestion(f'Palautteen arvion pitää olla "up" tai "down", ei {rating!r}.')
        if not isinstance(question, str) or not isinstance(answer, str):
            raise InvalidQuestion("Palautteen kysymyksen ja vastauksen pitää olla tekstiä.")
        comment = _private((comment or "").strip()[:MAX_COMMENT_CHARS])
        question = _private(question)
        try:
            citations_json = json.dumps(citations or [], ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise InvalidQuestion(f"Palautteen lähdeviitteitä ei voitu tallentaa: {exc}") from exc
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created, question, answer, rating, comment, citations)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    created,
                    question[:MAX_TEXT_CHARS],
                    answer[:MAX_TEXT_CHARS],
                    rating,
                    comment,
                    citations_json,
                ),
            )
            new_id = cur.lastrowid
        assert new_id is not None
        return int(new_id)

    def list(self, limit: int = 100) -> list[FeedbackEntry]:
        """Newest entries first, at most ``limit`` of them."""
        limit = max(0, int(limit))
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created, question, answer, rating, comment, citations"
                " FROM feedback ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            FeedbackEntry(
                id=int(r[0]),
                created=str(r[1]),
                question=str(r[2]),
                answer=str(r[3]),
                rating=str(r[4]),
                comment=str(r[5]),
                citations=str(r[6]),
            )
            for r in rows
        ]


def _private(text: str) -> str:
    return mask_contacts(mask_identity_codes(text))
