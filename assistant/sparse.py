"""BM25 top-k from an inverted index without scoring every chunk, and compact term statistics.

The impacts (BM25's per-term, per-chunk score contributions) are bm25s's own, stored column by
column (one posting list per term, rows ascending), so a top-k here equals a top-k of
``bm25s.BM25.get_scores``. ``top_k`` is exact MaxScore: a lower bound θ on the k-th best score comes
from fully scoring each term's highest-impact postings; terms whose upper bounds sum to less than θ
are "non-essential" (a chunk containing only them cannot reach the top k), so only the posting lists
of the essential terms are read, and the non-essential ones are looked up for those candidates alone.

Arrays are saved as ``.npy`` and memory-mapped at load: processes serving the same index share them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

TOP_PER_TERM = 32  # highest-impact postings kept per term to seed θ
MASK_SCAN_MAX = 100_000  # a filter admitting at most this many rows is scored row by row
_FILES = ("indptr", "rows", "impacts", "maxima", "top", "fwd_indptr", "fwd_terms")


def best_first(scores: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest ``scores``, best first, ties to the lower row (as a stable sort).

    >>> best_first(np.array([0.5, 0.9, 0.5, 0.1]), np.array([7, 3, 2, 9]), 2).tolist()
    [1, 2]
    """
    if k < len(scores):
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        within = np.flatnonzero(scores >= kth)  # all ties at the boundary, then the lowest rows among them
    else:
        within = np.arange(len(scores))
    return within[np.lexsort((rows[within], -scores[within]))][:k]


class SparseBm25:
    """Term -> (rows, impacts) posting lists over the catalog's rows, plus row -> terms for statistics."""

    def __init__(self, vocab: Sequence[str], arrays: dict[str, np.ndarray], num_rows: int) -> None:
        self.vocab = tuple(vocab)
        self.term_id = {t: i for i, t in enumerate(self.vocab)}
        self.num_rows = num_rows
        self._a = arrays

    # -- building ------------------------------------------------------------------------------------
    @classmethod
    def from_bm25s(cls, vocab: dict[str, int], scores: dict[str, object]) -> SparseBm25:
        """From a fitted ``bm25s.BM25().scores`` (CSC: ``indptr`` over term ids, ``indices`` = rows)."""
        indptr = np.asarray(scores["indptr"], dtype=np.int64)
        rows = np.asarray(scores["indices"], dtype=np.int32)
        impacts = np.asarray(scores["data"], dtype=np.float32)
        num_rows = int(scores["num_docs"])  # type: ignore[call-overload]
        terms = np.repeat(np.arange(len(indptr) - 1, dtype=np.int32), np.diff(indptr))
        ascending = np.diff(rows) > 0
        starts = indptr[1:-1]
        ascending[starts[(starts > 0) & (starts < len(rows))] - 1] = True  # each posting list starts afresh
        if not ascending.all():  # rows ascending inside each posting list (bm25s already does so)
            order = np.lexsort((rows, terms))
            rows, impacts = rows[order], impacts[order]
        maxima = np.zeros(len(indptr) - 1, dtype=np.float32)
        top = np.full((len(indptr) - 1, TOP_PER_TERM), -1, dtype=np.int32)
        for t in range(len(indptr) - 1):
            lo, hi = indptr[t], indptr[t + 1]
            if hi > lo:
                maxima[t] = impacts[lo:hi].max()
                best = np.argsort(-impacts[lo:hi], kind="stable")[:TOP_PER_TERM]
                top[t, :len(best)] = rows[lo:hi][best]
        by_row = np.argsort(rows, kind="stable")
        fwd_indptr = np.zeros(num_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=num_rows), out=fwd_indptr[1:])
        names = sorted(vocab, key=vocab.__getitem__)
        return cls(names, {"indptr": indptr, "rows": rows, "impacts": impacts, "maxima": maxima, "top": top,
                           "fwd_indptr": fwd_indptr, "fwd_terms": terms[by_row]}, num_rows)

    @classmethod
    def from_tokens(cls, tokenised: Sequence[Sequence[str]]) -> SparseBm25:
        """Fit bm25s (default parameters, as ``lexical.Bm25Index``) on token lists, one per row."""
        import bm25s

        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in tokenised]
        if not vocab:  # no rows, or rows without a single token: empty posting lists
            return cls.from_bm25s({}, {"indptr": np.zeros(1, np.int64), "indices": np.zeros(0, np.int32),
                                       "data": np.zeros(0, np.float32), "num_docs": len(ids)})
        model = bm25s.BM25()
        model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls.from_bm25s(vocab, model.scores)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _FILES:
            np.save(folder / f"{name}.npy", self._a[name])
        (folder / "vocab.json").write_text(json.dumps({"rows": self.num_rows, "vocab": self.vocab},
                                                      ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> SparseBm25:
        meta = json.loads((folder / "vocab.json").read_text("utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _FILES}
        return cls(meta["vocab"], arrays, int(meta["rows"]))

    # -- search --------------------------------------------------------------------------------------
    def ids(self, tokens: Sequence[str]) -> list[int]:
        """Term ids of ``tokens`` the index knows, repeats kept (a repeated query word counts twice)."""
        return [self.term_id[t] for t in tokens if t in self.term_id]

    def _postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = int(self._a["indptr"][term]), int(self._a["indptr"][term + 1])
        return self._a["rows"][lo:hi], self._a["impacts"][lo:hi]

    def _lookup(self, term: int, rows: np.ndarray) -> np.ndarray:
        """Impact of ``term`` in each of ``rows`` (0 where absent)."""
        found_rows, impacts = self._postings(term)
        if not len(found_rows):
            return np.zeros(len(rows), dtype=np.float32)
        pos = np.searchsorted(found_rows, rows).clip(0, len(found_rows) - 1)
        return np.where(found_rows[pos] == rows, impacts[pos], 0.0).astype(np.float32)

    def _exact(self, weights: dict[int, int], rows: np.ndarray) -> np.ndarray:
        total = np.zeros(len(rows), dtype=np.float32)
        for term, w in weights.items():
            total += w * self._lookup(term, rows)
        return total

    def score_rows(self, term_ids: Sequence[int], rows: np.ndarray) -> np.ndarray:
        """Exact BM25 scores of ``rows`` only (e.g. for candidates the dense leg found)."""
        weights: dict[int, int] = {}
        for t in term_ids:
            weights[t] = weights.get(t, 0) + 1
        return self._exact(weights, np.asarray(rows, dtype=np.int64))

    def top_k(self, term_ids: Sequence[int], k: int, mask: np.ndarray | None = None,
              scan_max: int = MASK_SCAN_MAX) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the ``k`` best-scoring rows with a positive score, best first (ties: lower row
        first); only rows ``mask`` admits. Equals sorting ``bm25s`` full scores, without computing them."""
        weights: dict[int, int] = {}
        for t in term_ids:
            weights[t] = weights.get(t, 0) + 1
        if not weights or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if mask is not None and mask.sum() <= scan_max:
            # A narrow filter (a region, a document): look its rows up in the query terms' lists directly.
            admitted = np.flatnonzero(mask)
            scores = self._exact(weights, admitted)
            order = best_first(scores, admitted, k)
            order = order[scores[order] > 0]
            return admitted[order].astype(np.int64), scores[order]
        theta = 0.0
        seed = np.unique(np.concatenate([self._a["top"][t] for t in weights]))
        seed = seed[seed >= 0]
        if mask is not None:
            seed = seed[mask[seed]]
        if len(seed) >= k:
            kth = float(np.partition(self._exact(weights, seed), len(seed) - k)[len(seed) - k])
            theta = kth * (1 - 1e-5)  # float32 sums: leave room for rounding
        by_bound = sorted(weights, key=lambda t: weights[t] * float(self._a["maxima"][t]))
        bounds = np.cumsum([weights[t] * float(self._a["maxima"][t]) for t in by_bound])
        # Strictly below θ: a chunk holding only these terms scores less than k chunks already found.
        first = int(np.searchsorted(bounds, theta, side="left")) if theta > 0 else 0
        essential, optional = by_bound[first:], by_bound[:first]
        if not essential:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # Essential terms' postings summed in one pass (a dense accumulator is cheaper than sorting them).
        partial = np.bincount(np.concatenate([self._postings(t)[0] for t in essential]),
                              weights=np.concatenate([weights[t] * np.asarray(self._postings(t)[1], np.float64)
                                                      for t in essential]), minlength=self.num_rows)
        candidates = np.flatnonzero(partial > 0)
        if mask is not None:
            candidates = candidates[mask[candidates]]
        if first:  # a candidate whose partial score plus every optional term's bound stays below θ is out
            candidates = candidates[partial[candidates] + float(bounds[first - 1]) >= theta]
        if not len(candidates):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = partial[candidates].astype(np.float32)
        for t in optional:
            scores += weights[t] * self._lookup(t, candidates)
        order = best_first(scores, candidates, k)
        order = order[scores[order] > 0]
        return candidates[order].astype(np.int64), scores[order]

    def totals(self, term_ids: Sequence[int]) -> np.ndarray:
        """Every row's BM25 score for ``term_ids`` (each counted once), from one pass over their postings:
        cheaper than looking many rows up in many lists."""
        terms = sorted(set(term_ids))
        if not terms:
            return np.zeros(self.num_rows)
        return np.bincount(np.concatenate([self._postings(t)[0] for t in terms]),
                           weights=np.concatenate([np.asarray(self._postings(t)[1], np.float64) for t in terms]),
                           minlength=self.num_rows)

    def top_k_by_group(self, term_ids: Sequence[int], k: int, groups: np.ndarray,
                       mask: np.ndarray | None = None) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per group code (``groups``: an int code per row, e.g. the region), the ``k`` best rows with a
        positive score, from one pass over the query terms' posting lists (for the per-region fan-out)."""
        weights: dict[int, int] = {}
        for t in term_ids:
            weights[t] = weights.get(t, 0) + 1
        if not weights or k <= 0:
            return {}
        rows = [self._postings(t)[0] for t in weights]
        impacts = [w * np.asarray(self._postings(t)[1], dtype=np.float64) for t, w in weights.items()]
        total = np.bincount(np.concatenate(rows), weights=np.concatenate(impacts), minlength=self.num_rows)
        candidates = np.flatnonzero(total > 0)
        if mask is not None:
            candidates = candidates[mask[candidates]]
        if not len(candidates):
            return {}
        scores = total[candidates].astype(np.float32)
        codes = groups[candidates]
        by_group = np.argsort(codes, kind="stable")  # a radix sort for small integer codes
        codes, candidates, scores = codes[by_group], candidates[by_group], scores[by_group]
        bounds = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True])
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            best = best_first(scores[lo:hi], candidates[lo:hi], k)
            out[int(codes[lo])] = (candidates[lo:hi][best].astype(np.int64), scores[lo:hi][best])
        return out

    # -- statistics for relevance --------------------------------------------------------------------
    def df(self, term: str) -> int:
        """In how many rows ``term`` occurs (0 if never)."""
        t = self.term_id.get(term)
        return 0 if t is None else int(self._a["indptr"][t + 1] - self._a["indptr"][t])

    def idf(self, term: str) -> float | None:
        """``log(1 + n / df)`` as ``relevance.Relevance`` defines it; None for a term the index lacks."""
        count = self.df(term)
        return float(np.log(1 + max(self.num_rows, 1) / count)) if count else None

    def terms_of(self, row: int) -> frozenset[str]:
        """The distinct tokens of one row (the compact replacement for a per-chunk Python set)."""
        lo, hi = int(self._a["fwd_indptr"][row]), int(self._a["fwd_indptr"][row + 1])
        return frozenset(self.vocab[t] for t in self._a["fwd_terms"][lo:hi])

    def rows_with(self, term: str) -> np.ndarray:
        """Rows containing ``term``, ascending (intersect two of these for a phrase's candidates)."""
        t = self.term_id.get(term)
        return np.zeros(0, dtype=np.int32) if t is None else np.asarray(self._postings(t)[0])


def union_rows(lists: Sequence[np.ndarray], size: int) -> np.ndarray:
    """The ascending union of row lists (a bitmap over the rows: cheaper than sorting long lists)."""
    lists = [x for x in lists if len(x)]
    if len(lists) <= 1:
        return np.asarray(lists[0], dtype=np.int64) if lists else np.zeros(0, dtype=np.int64)
    seen = np.zeros(size, dtype=bool)
    for rows in lists:
        seen[rows] = True
    return np.flatnonzero(seen)
