"""The only FAISS importer: normalised vectors keyed by stable int64 chunk ids.

Two shapes of the same data:

- ``VectorStore`` (build time): an in-memory ``IndexIDMap2(IndexFlatIP)`` that adds and removes by id.
- ``DenseIndex`` (serve time): the same file memory-mapped (``IO_FLAG_MMAP_IFC``: pages are shared by
  every process that maps it and loaded only when touched), whose rows follow the catalog order, plus
  for large corpora an approximate index (``ann.faiss``) that proposes a shortlist which is re-ranked
  exactly from the mapped float32 rows. Filters are exact: rows outside the filter are never returned,
  and when the approximate leg finds fewer than ``k`` admitted rows the search falls back to an exact
  scan of the admitted rows, so a filter never empties the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import MissingDependency
from assistant.sparse import best_first

# Below this many vectors exact search is cheap (a few ms) and stays the default.
FLAT_MAX = 50_000


def _faiss() -> Any:
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - core dependency
        raise MissingDependency("install faiss-cpu to build or search the index") from exc
    return faiss


class VectorStore:
    """``IndexIDMap2`` over ``IndexFlatIP``: exact search; ids survive adds and removes."""

    def __init__(self, dim: int, index: Any | None = None) -> None:
        faiss = _faiss()
        self.dim = dim
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        if not len(ids):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dimension {self.dim}, got {vectors.shape}")
        self._index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Sequence[int]) -> int:
        if not len(ids):
            return 0
        return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        if not len(ids):
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64)), dtype=np.float32)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of the ``k`` nearest vectors, best first; inner product = cosine here."""
        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def ordered(self, ids: Sequence[int]) -> VectorStore:
        """This store with rows in the order of ``ids`` (the catalog order), so that row numbers mean the
        same in the vectors, the catalog and the BM25 postings; itself if already so ordered."""
        if np.array_equal(_faiss().vector_to_array(self._index.id_map), np.asarray(ids, dtype=np.int64)):
            return self
        out = VectorStore(self.dim)
        out.add(ids, self.vectors(ids))
        return out

    def matrix(self) -> np.ndarray:
        """All vectors in row order, as a view of the index's own memory (no copy)."""
        inner = _faiss().downcast_index(self._index.index)
        if not self.size:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _faiss().rev_swig_ptr(inner.get_xb(), self.size * self.dim).reshape(self.size, self.dim)

    def save(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        index = _faiss().read_index(str(path))
        return cls(int(index.d), index)


@dataclass(frozen=True)
class AnnConfig:
    """Approximate-index parameters; measured with ``assistant bench --synthetic`` (README, "Speed and scale")."""

    kind: str = "auto"  # "auto" | "flat" | "ivf" | "hnsw"
    nlist_per_sqrt: float = 4.0  # IVF cells = this x sqrt(n)
    nprobe: int = 32
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128
    shortlist: int = 200  # candidates re-ranked exactly (at least 4 k)
    exact_scan_max: int = 20_000  # a filter admitting at most this many rows is scanned exactly

    def resolve(self, n: int) -> str:
        if self.kind != "auto":
            return self.kind
        return "flat" if n < FLAT_MAX else "ivf"


def build_ann(vectors: np.ndarray, path: Path, config: AnnConfig | None = None) -> str:
    """Write an approximate index over ``vectors`` (row numbers as ids) to ``path``; returns its kind.

    IVF stores 8-bit scalar-quantised codes (a quarter of the floats), HNSW the same codes in a graph;
    either only proposes candidates, the exact scores come from the float32 rows.
    """
    faiss = _faiss()
    config = config or AnnConfig()
    n, dim = vectors.shape
    kind = config.resolve(n)
    if kind == "flat":
        path.unlink(missing_ok=True)
        return kind
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if kind == "ivf":
        nlist = max(1, min(int(config.nlist_per_sqrt * np.sqrt(n)), n // 39))
        index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = x[rng.choice(n, size=min(n, nlist * 64), replace=False)]
        index.train(sample)
        index.add_with_ids(x, np.arange(n, dtype=np.int64))
    elif kind == "hnsw":
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = config.ef_construction
        index.train(x)
        index.add(x)
    else:
        raise ValueError(f"unknown approximate index kind '{kind}'; use auto, flat, ivf or hnsw")
    faiss.write_index(index, str(path))
    return kind


class DenseIndex:
    """Serve-time vectors: memory-mapped float32 rows in catalog order, optional approximate shortlist."""

    def __init__(self, vectors_path: Path, ann_path: Path | None = None, config: AnnConfig | None = None) -> None:
        faiss = _faiss()
        self.config = config or AnnConfig()
        self._flat = faiss.read_index(str(vectors_path), faiss.IO_FLAG_MMAP_IFC)  # read-only mapping
        inner = faiss.downcast_index(self._flat.index)
        self.dim = int(self._flat.d)
        n = int(self._flat.ntotal)
        self._rows = faiss.rev_swig_ptr(inner.get_xb(), n * self.dim).reshape(n, self.dim) if n else \
            np.zeros((0, self.dim), dtype=np.float32)
        self.ids = faiss.vector_to_array(self._flat.id_map).astype(np.int64)
        self._by_id = np.argsort(self.ids, kind="stable")
        self._ann: Any = None
        self.kind = "flat"
        if ann_path is not None and ann_path.exists():
            try:  # IVF lists memory-mapped too: shared by worker processes, paged in as probed
                self._ann = faiss.read_index(str(ann_path), faiss.IO_FLAG_MMAP)
            except RuntimeError:
                self._ann = faiss.read_index(str(ann_path))
            self.kind = "hnsw" if "HNSW" in type(self._ann).__name__ else "ivf"

    @property
    def size(self) -> int:
        return len(self.ids)

    def rows_of(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Row numbers of chunk ids (ids not in the index are dropped)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids) or not self.size:
            return np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self.ids, ids, sorter=self._by_id).clip(0, self.size - 1)
        rows = self._by_id[pos]
        return np.asarray(rows[self.ids[rows] == ids], dtype=np.int64)

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        return self.rows(self.rows_of(ids))

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The float32 vectors at ``rows`` (copied out of the mapping)."""
        return np.array(self._rows[np.asarray(rows, dtype=np.int64)], dtype=np.float32)

    def search(self, query: np.ndarray, k: int, allowed_ids: Sequence[int] | np.ndarray | None = None,
               exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, cosines) of the ``k`` best vectors, best first, among ``allowed_ids`` if given
        (chunk ids, or a boolean mask over rows)."""
        mask = None
        if allowed_ids is not None:
            allowed = np.asarray(allowed_ids)
            if allowed.dtype == bool:
                mask = allowed
            else:
                mask = np.zeros(self.size, dtype=bool)
                mask[self.rows_of(allowed)] = True
        rows, scores = self.search_rows(query, k, mask, exact=exact)
        return self.ids[rows], scores

    def search_rows(self, query: np.ndarray, k: int, mask: np.ndarray | None = None,
                    exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Like ``search`` over row numbers; ``mask`` (bool per row) is the filter."""
        q = np.ascontiguousarray(query.reshape(-1), dtype=np.float32)
        admitted = self.size if mask is None else int(mask.sum())
        k = min(k, admitted)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if mask is not None and admitted <= self.config.exact_scan_max:
            return self._exact_rows(q, k, np.flatnonzero(mask))
        if self._ann is None or exact or k * 4 > admitted:
            return self._exact_all(q, k, mask)
        rows = self._shortlist(q, max(self.config.shortlist, 4 * k), mask)
        if len(rows) < k:  # the probed cells held too few admitted rows: never return a short list
            return self._exact_all(q, k, mask)
        return self._exact_rows(q, k, rows)

    def _exact_rows(self, q: np.ndarray, k: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.unique(rows)  # sorted: the gather reads the mapped file front to back
        scores = self._rows[rows] @ q
        order = best_first(scores, rows, k)
        return rows[order], scores[order].astype(np.float32)

    def _exact_all(self, q: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        faiss = _faiss()
        params = None
        if mask is not None:
            bits = np.packbits(mask, bitorder="little")
            params = faiss.SearchParameters(sel=faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits)))
        inner = self._flat.index
        scores, rows = inner.search(q[None, :], k, params=params)
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]

    def _shortlist(self, q: np.ndarray, depth: int, mask: np.ndarray | None) -> np.ndarray:
        faiss = _faiss()
        bits = np.packbits(mask, bitorder="little") if mask is not None else None
        sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits)) if mask is not None else None
        if self.kind == "hnsw":
            params: Any = faiss.SearchParametersHNSW(efSearch=max(self.config.ef_search, depth), sel=sel)
        else:
            params = faiss.SearchParametersIVF(nprobe=self.config.nprobe, sel=sel)
        _, rows = self._ann.search(q[None, :], depth, params=params)
        return rows[0][rows[0] >= 0].astype(np.int64)
