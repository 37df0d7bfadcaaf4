"""Audit log of document management: every admin action with its time, document and outcome (SQLite)."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
action TEXT NOT NULL, document TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')"""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # UTC, ISO 8601
    action: str  # upload | edit | delete | reindex
    document: str
    outcome: str  # accepted | refused | done | failed
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AuditLog:
    """Append-only; safe to use from the request threads and the job worker at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute(_SCHEMA)

    def record(self, action: str, document: str, outcome: str, detail: str = "") -> None:
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self._lock, self._db:
            self._db.execute("INSERT INTO audit (at, action, document, outcome, detail) VALUES (?,?,?,?,?)",
                             (at, action, document, outcome, detail[:2000]))

    def list(self, limit: int = 200) -> list[AuditEntry]:
        """Newest first."""
        with self._lock:
            rows = self._db.execute("SELECT id, at, action, document, outcome, detail FROM audit "
                                    "ORDER BY id DESC LIMIT ?", (max(1, min(limit, 5000)),)).fetchall()
        return [AuditEntry(*r) for r in rows]

    def times(self) -> dict[str, tuple[str, str]]:
        """Per document, the times of its first and latest successful change: (added, updated)."""
        with self._lock:
            rows = self._db.execute("SELECT document, MIN(at), MAX(at) FROM audit WHERE outcome = 'done' "
                                    "GROUP BY document").fetchall()
        return {doc: (first, last) for doc, first, last in rows}

    def close(self) -> None:
        self._db.close()
