"""Embeddings cached by (embedder, text) hash, so re-indexing never re-embeds unchanged text."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def text_key(embedder: str, text: str) -> str:
    return hashlib.sha1(f"{embedder}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """SQLite key -> float32 vector. Writes are transactional, so a crash never leaves half a row."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def close(self) -> None:
        self._db.close()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            batch = list(keys[i:i + 500])
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def embed(self, embedder_name: str, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray],
              batch: int = 32, on_progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, int]:
        """Vectors for ``texts`` (cached ones reused); returns (vectors, how many were newly embedded)."""
        keys = [text_key(embedder_name, t) for t in texts]
        cached = self.get_many(keys)
        missing = list(dict.fromkeys(k for k in keys if k not in cached))
        by_key = {k: t for k, t in zip(keys, texts, strict=True)}
        for i in range(0, len(missing), batch):
            part = missing[i:i + batch]
            vectors = embed([by_key[k] for k in part])
            fresh = dict(zip(part, vectors, strict=True))
            self.put_many(fresh)  # commit per batch: an interrupted run keeps what it embedded
            cached.update(fresh)
            if on_progress:
                on_progress(len(part))
        if not keys:
            return np.zeros((0, 0), dtype=np.float32), 0
        return np.vstack([cached[k] for k in keys]).astype(np.float32), len(missing)
