"""Hybrid retrieval: dense (FAISS, multilingual e5) + Finnish BM25, fused; filters; region fan-out.

Every score is computed for every chunk (the corpus is small, exact search is cheap), which keeps
filters exact on both legs: a filter never empties the candidate list the way post-filtering top-k does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.embedding import Embedder
from assistant.glossary import bridge
from assistant.lexical import Bm25Index, preload
from assistant.records import Chunk, Filters, Passage
from assistant.snapshot import Snapshot

_COMPARATIVE = re.compile(
    r"\b(mitkä alueet|missä alueilla|millä alueilla|eri alueet|eri alueilla|alueet|alueiden välillä|kaikki alueet|"
    r"kaikilla alueilla|alueittain|hyvinvointialueet|hyvinvointialueilla|hyvinvointialueiden|vertaa|vertailu|"
    r"which regions|what regions|the regions|regions|which areas|which counties|wellbeing services counties|"
    r"compare|comparison|across regions|region by region|"
    r"vilka välfärdsområden|välfärdsområdena|vilka områden|områdena|vilka regioner|regionerna|jämför)\b",
    re.IGNORECASE,
)


def is_comparative(question: str) -> bool:
    """Whether the question asks about several regions ("Missä alueilla ...", "Which regions ...")."""
    return bool(_COMPARATIVE.search(question))


@dataclass(frozen=True)
class Fusion:
    """How the legs are combined. RRF on ranks; lexical weight per language (0 turns the leg off)."""

    # Measured on the dev set: BM25 over Voikko lemmas is the stronger leg for Finnish questions, so it
    # gets twice the dense weight, and a small k lets the top ranks of each leg dominate.
    rrf_k: int = 20
    lexical_weight_fi: float = 2.0
    # English/Swedish questions share no words with the documents; with the glossary's Finnish terms added
    # (``bridge``) BM25 helps them too: dev hit@5 on non-Finnish questions 0.80 -> 0.90.
    lexical_weight_other: float = 1.0
    bridge_other: bool = True


def rrf(ranks: list[np.ndarray], weights: list[float], k: int) -> np.ndarray:
    """Weighted reciprocal-rank fusion; ``ranks[i][j]`` is chunk j's 0-based rank in leg i.

    >>> rrf([np.array([0, 1]), np.array([1, 0])], [1.0, 1.0], 60).round(4).tolist()
    [0.0325, 0.0325]
    """
    total = np.zeros(len(ranks[0]), dtype=np.float64)
    for rank, weight in zip(ranks, weights, strict=True):
        if weight:
            total += weight / (k + 1 + rank)
    return total


def _ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(len(scores))
    return ranks


@dataclass(frozen=True)
class Scored:
    """Per-chunk scores of one question (arrays aligned with ``Retriever.chunks``)."""

    dense: np.ndarray
    lexical: np.ndarray
    fused: np.ndarray


class Retriever:
    def __init__(self, snapshot: Snapshot, embedder: Embedder, fusion: Fusion | None = None) -> None:
        self.chunks: tuple[Chunk, ...] = tuple(sc.chunk for sc in snapshot.chunks)
        self._row = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._vectors = snapshot.vectors
        self._embedder = embedder
        preload(snapshot.lexicon)
        self._bm25 = Bm25Index([sc.tokens for sc in snapshot.chunks], snapshot.manifest.get("tokenizer", "voikko"))
        self.fusion = fusion or Fusion()
        self.regions = tuple(sorted({c.region for c in self.chunks}))

    def score(self, question: str, language: str, lexical_query: str | None = None) -> Scored:
        """Scores of every chunk. ``lexical_query`` (default: the question) feeds BM25 only; callers pass
        the question without region names when the region is already applied as a filter."""
        dense = np.full(len(self.chunks), -1.0, dtype=np.float32)
        ids, sims = self._vectors.search(self._embedder.embed_query(question), len(self.chunks))
        for cid, sim in zip(ids.tolist(), sims.tolist(), strict=True):
            dense[self._row[cid]] = sim
        lexical_query = question if lexical_query is None else lexical_query
        if language == "fi":
            lexical, weight = self._bm25.scores(lexical_query), self.fusion.lexical_weight_fi
        else:
            extra = bridge(lexical_query) if self.fusion.bridge_other else ""
            lexical = self._bm25.scores(f"{lexical_query} {extra}")
            weight = self.fusion.lexical_weight_other
        if weight and lexical.any():
            fused = rrf([_ranks(dense), _ranks(lexical)], [1.0, weight], self.fusion.rrf_k)
        else:
            fused = rrf([_ranks(dense)], [1.0], self.fusion.rrf_k)
        return Scored(dense, lexical, fused)

    def mask(self, filters: Filters) -> np.ndarray:
        if filters.empty:
            return np.ones(len(self.chunks), dtype=bool)
        return np.fromiter((filters.admits(c) for c in self.chunks), dtype=bool, count=len(self.chunks))

    def top(self, scored: Scored, mask: np.ndarray, k: int) -> list[Passage]:
        """The ``k`` best chunks among those ``mask`` admits, best first."""
        fused = np.where(mask, scored.fused, -np.inf)
        order = np.argsort(-fused, kind="stable")[:k]
        return [
            Passage(self.chunks[i], float(scored.fused[i]), float(scored.dense[i]), float(scored.lexical[i]))
            for i in order
            if np.isfinite(fused[i])
        ]

    def by_region(self, scored: Scored, mask: np.ndarray, regions: tuple[str, ...], k: int) -> dict[str, list[Passage]]:
        """Fan-out: the ``k`` best passages of each region, so no region is crowded out by another."""
        region_of = np.array([c.region for c in self.chunks])
        return {r: self.top(scored, mask & (region_of == r), k) for r in regions}
