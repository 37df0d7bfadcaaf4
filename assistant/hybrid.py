"""Hybrid candidate search over top-k lists: dense ANN top-k + sparse BM25 top-k, fused by weighted
RRF, with exact filters and a per-region fan-out, touching only the candidates (never every chunk).

The building block a national-scale retriever calls::

    search = HybridSearch(snapshot)                     # once per loaded generation
    hits = search.search(query_vector, tokens, k=12, filters=Filters(regions=("Lappi",)))
    groups = search.by_region(query_vector, tokens, regions, k=10, filters=filters)
    passages = search.passages(hits)                    # chunk texts read from SQLite for these rows only

Every hit carries its exact dense cosine and its BM25 score, also when only one leg found it, so the
relevance code can score it as it scores a full-scan passage today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.records import Filters, Passage
from assistant.snapshot import Snapshot

NO_FILTERS = Filters()


@dataclass(frozen=True)
class Hit:
    """One candidate: its catalog row, fused RRF score, exact cosine and BM25 score."""

    row: int
    chunk_id: int
    fused: float
    dense: float
    lexical: float


def rrf_lists(lists: Sequence[np.ndarray], weights: Sequence[float], k: int) -> dict[int, float]:
    """Weighted reciprocal-rank fusion of ranked row lists (best first); a row absent from a list gets
    nothing from it.

    >>> rrf_lists([np.array([3, 1]), np.array([1, 7])], [1.0, 2.0], 20)  # doctest: +ELLIPSIS
    {3: 0.047..., 1: 0.138..., 7: 0.090...}
    """
    fused: dict[int, float] = {}
    for rows, weight in zip(lists, weights, strict=True):
        if not weight:
            continue
        for rank, row in enumerate(rows.tolist()):
            fused[row] = fused.get(row, 0.0) + weight / (k + 1 + rank)
    return fused


class HybridSearch:
    """Top-k hybrid search over one loaded generation (``Snapshot`` with ``sparse`` postings)."""

    def __init__(self, snapshot: Snapshot, depth: int = 100, rrf_k: int = 20) -> None:
        if snapshot.sparse is None:
            raise ValueError("this index has no BM25 postings; rebuild it with `assistant index --rebuild`")
        self.snapshot = snapshot
        self._sparse = snapshot.sparse
        self.depth = depth  # how far down each leg's ranking fusion looks
        self.rrf_k = rrf_k

    def mask(self, filters: Filters) -> np.ndarray | None:
        return None if filters.empty else self.snapshot.catalog.mask(filters)

    def search(self, query: np.ndarray, tokens: Sequence[str], k: int, filters: Filters = NO_FILTERS,
               lexical_weight: float = 2.0, mask: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best fused hits among the rows ``filters`` (and ``mask``, bool per row) admit."""
        if mask is None:
            mask = self.mask(filters)
        elif not filters.empty:
            mask = mask & self.snapshot.catalog.mask(filters)
        depth = max(self.depth, k)
        vectors, sparse = self.snapshot.vectors, self._sparse
        dense_rows, dense_scores = vectors.search_rows(query, depth, mask)
        term_ids = sparse.ids(tokens)
        lex_rows, lex_scores = sparse.top_k(term_ids, depth, mask) if lexical_weight else (np.zeros(0, np.int64),
                                                                                             np.zeros(0, np.float32))
        fused = rrf_lists([dense_rows, lex_rows], [1.0, lexical_weight], self.rrf_k)
        best = sorted(fused, key=lambda r: (-fused[r], r))[:k]
        return self._hits(best, fused, query, term_ids, dict(zip(dense_rows.tolist(), dense_scores.tolist(),
                                                                  strict=True)),
                          dict(zip(lex_rows.tolist(), lex_scores.tolist(), strict=True)))

    def by_region(self, query: np.ndarray, tokens: Sequence[str], regions: Sequence[str], k: int,
                  filters: Filters = NO_FILTERS, lexical_weight: float = 2.0, depth: int = 20) -> dict[str, list[Hit]]:
        """The ``k`` best hits of each region, each equal to ``HybridSearch(snapshot, depth).search`` filtered
        to that region. The sparse leg scores the query terms' postings once and splits them by region; the
        dense leg over-fetches once (a prefix of the global ranking holds a prefix of each region's) and
        searches again, filtered to the region, only for regions whose prefix is shorter than ``depth``."""
        catalog, vectors, sparse = self.snapshot.catalog, self.snapshot.vectors, self._sparse
        mask = self.mask(filters)
        depth = max(depth, k)
        term_ids = sparse.ids(tokens)
        codes = catalog.region_codes
        pool_rows, pool_scores = vectors.search_rows(query, 2 * depth * len(regions), mask)
        lexical = sparse.top_k_by_group(term_ids, depth, codes, mask) if lexical_weight else {}
        chosen: dict[str, list[int]] = {}
        fused_all: dict[int, float] = {}
        dense_all: dict[int, float] = {}
        lexical_all: dict[int, float] = {}
        for region in regions:
            code = catalog.regions.index(region) if region in catalog.regions else -1
            mine = codes[pool_rows] == code
            dense_rows, dense_scores = pool_rows[mine][:depth], pool_scores[mine][:depth]
            if len(dense_rows) < depth and code >= 0:
                region_mask = catalog.region_rows(region) if mask is None else mask & catalog.region_rows(region)
                dense_rows, dense_scores = vectors.search_rows(query, depth, region_mask)
            lex_rows, lex_scores = lexical.get(code, (np.zeros(0, np.int64), np.zeros(0, np.float32)))
            fused = rrf_lists([dense_rows, lex_rows], [1.0, lexical_weight], self.rrf_k)
            chosen[region] = sorted(fused, key=lambda r: (-fused[r], r))[:k]
            fused_all.update(fused)  # a row belongs to one region, so the regions' scores never collide
            dense_all.update(zip(dense_rows.tolist(), dense_scores.tolist(), strict=True))
            lexical_all.update(zip(lex_rows.tolist(), lex_scores.tolist(), strict=True))
        # Every region's hits scored in one batch (one posting-list lookup per term, not one per region).
        hits = {h.row: h for h in self._hits([r for rows in chosen.values() for r in rows], fused_all, query,
                                             term_ids, dense_all, lexical_all)}
        return {region: [hits[r] for r in rows] for region, rows in chosen.items()}

    def passages(self, hits: Sequence[Hit]) -> list[Passage]:
        """Hits as ``Passage`` records; chunk texts are read from SQLite for these rows only."""
        stored = self.snapshot.catalog.chunks([h.row for h in hits], tokens=False)
        return [Passage(sc.chunk, h.fused, h.dense, h.lexical) for h, sc in zip(hits, stored, strict=True)]

    def _hits(self, rows: list[int], fused: dict[int, float], query: np.ndarray, term_ids: list[int],
              dense: dict[int, float], lexical: dict[int, float]) -> list[Hit]:
        if not rows:
            return []
        vectors, sparse = self.snapshot.vectors, self._sparse
        arr = np.asarray(rows, dtype=np.int64)
        # A row one leg missed still gets that leg's exact score: relevance needs both for every passage.
        cos = vectors.rows(arr) @ np.asarray(query, dtype=np.float32).reshape(-1)
        bm25 = sparse.score_rows(term_ids, arr)
        return [Hit(r, int(vectors.ids[r]), fused[r], dense.get(r, float(c)), lexical.get(r, float(b)))
                for r, c, b in zip(rows, cos.tolist(), bm25.tolist(), strict=True)]
