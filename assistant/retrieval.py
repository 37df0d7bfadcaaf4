"""Hybrid retrieval: dense (FAISS, multilingual e5) + Finnish BM25, fused; filters; region fan-out; and
the sentences of the index that carry the question's topic (``evidence``).

``Retriever.retrieve(query, filters) -> Retrieved`` is the whole contract; the per-chunk score arrays stay
inside. Every score is computed for every chunk (the corpus is small, exact search is cheap), which keeps
filters exact on both legs: a filter never empties the candidate list the way post-filtering top-k does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from assistant.embedding import Embedder
from assistant.evidence import EvidenceFinder, Found
from assistant.lexical import Bm25Index, preload
from assistant.question import Query, Term
from assistant.records import Chunk, Filters, Passage
from assistant.relevance import Relevance, Thresholds
from assistant.sentence_index import SentenceIndex, build_sentence_index
from assistant.snapshot import Snapshot
from assistant.topic import Topic

PASSAGES_RETURNED = 12


@dataclass(frozen=True)
class Fusion:
    """How the legs are combined. RRF on ranks; lexical weight per language (0 turns the leg off)."""

    # Measured on the dev set: BM25 over Voikko lemmas is the stronger leg for Finnish questions, so it
    # gets twice the dense weight, and a small k lets the top ranks of each leg dominate.
    rrf_k: int = 20
    lexical_weight_fi: float = 2.0
    # English/Swedish questions share no words with the documents; with the glossary's Finnish terms added
    # BM25 helps them too: dev hit@5 on non-Finnish questions 0.80 -> 0.90.
    lexical_weight_other: float = 1.0


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
class Retrieved:
    """What the index holds for one query.

    ``passages``: the best chunks within the filters, best first (regions diversified when the question
    names none). ``scope``: the regions asked about. ``by_region``: each scope region's best passages.
    ``evidence``: per scope region, the sentences that carry the topic (regions without any are absent).
    ``present``: some passage in scope carries the topic; ``unseen``: topic terms no passage in scope has;
    ``elsewhere``: when the topic is absent from the regions asked about, the evidence in the other regions.
    ``sentence_dense``: the question's cosine with every sentence of the index (None without vectors).
    """

    passages: tuple[Passage, ...]
    scope: tuple[str, ...]
    topic: Topic
    evidence: Mapping[str, list[Found]]
    by_region: Mapping[str, tuple[Passage, ...]]
    present: bool = False
    unseen: tuple[Term, ...] = ()
    elsewhere: Mapping[str, list[Found]] = field(default_factory=dict)
    sentence_dense: np.ndarray | None = None
    passage_of: Callable[[Chunk], Passage] | None = None

    def passage(self, chunk: Chunk) -> Passage:
        """``chunk`` as a passage of this query (with its scores, if it was scored)."""
        return self.passage_of(chunk) if self.passage_of else Passage(chunk, 0.0)


class Retriever:
    def __init__(self, snapshot: Snapshot, embedder: Embedder, fusion: Fusion | None = None,
                 thresholds: Thresholds | None = None,
                 embed_sentences: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self.chunks: tuple[Chunk, ...] = tuple(sc.chunk for sc in snapshot.chunks)
        self._row = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._vectors = snapshot.vectors
        self._embedder = embedder
        preload(snapshot.lexicon)
        tokens = [sc.tokens for sc in snapshot.chunks]
        self._bm25 = Bm25Index(tokens, snapshot.manifest.get("tokenizer", "voikko"))
        self.fusion = fusion or Fusion()
        self.thresholds = thresholds or Thresholds()
        self.regions = tuple(sorted({c.region for c in self.chunks}))
        # Plan documents (by their metadata kind): what they say is planned unless they say it is done.
        self.plans = frozenset(d.doc_id for d in snapshot.documents.values()
                               if any(w in (d.info.kind or "").lower() for w in ("suunnitelma", "plan")))
        self._region_of = np.array([c.region for c in self.chunks])
        self.relevance = Relevance(tokens, self.thresholds, [c.chunk_id for c in self.chunks],
                                   [c.doc_id for c in self.chunks])
        self.sentences: SentenceIndex = build_sentence_index(
            {d.doc_id: d.text for d in snapshot.documents.values()}, self.chunks, embed_sentences)
        self.evidence = EvidenceFinder(self.chunks, self.relevance, self.sentences, self.thresholds)

    @property
    def vocabulary(self) -> Relevance:
        """The index's lemmas (``in`` works on it)."""
        return self.relevance

    def retrieve(self, query: Query, filters: Filters | None = None, k: int = PASSAGES_RETURNED) -> Retrieved:
        """Passages, regional groups and topic evidence for ``query`` within ``filters``."""
        filters = filters or Filters()
        if query.regions and not filters.regions:
            filters = Filters(query.regions, filters.documents, filters.years)
        scope = filters.regions or self.regions
        vector = self._embedder.embed_query(query.dense_text)
        dense, lexical, fused = self._score(query, vector)
        mask = self._mask(filters)

        def passage(row: int) -> Passage:
            return Passage(self.chunks[row], float(fused[row]), float(dense[row]), float(lexical[row]))

        passages = [passage(i) for i in self._top(fused, mask, k)]
        by_region = {r: tuple(passage(i) for i in self._top(fused, mask & (self._region_of == r),
                                                            self.thresholds.region_depth)) for r in scope}
        if not query.regions and not filters.regions and not query.comparative:
            passages = _diversify(passages, by_region, k)
        topic = self.relevance.topic(query.topic, query.either)
        evidence = self.evidence.find(topic, scope, filters, self.topic_vector(query) if topic else None)
        present, unseen = self.evidence.presence(topic, scope, filters) if topic else (False, ())
        present = present or bool(evidence)
        others = [r for r in self.regions if r not in scope]
        elsewhere = self.evidence.find(topic, others, Filters(documents=filters.documents)) \
            if topic and not present and others else {}
        return Retrieved(tuple(passages), tuple(scope), topic, evidence, by_region, present, unseen, elsewhere,
                         self.sentences.similarities(vector), lambda c: passage(self._row[c.chunk_id]))

    def topic_vector(self, query: Query) -> np.ndarray | None:
        """The topic's own embedding for dense evidence (None when that route is off or has no vectors)."""
        if self.thresholds.dense_sentence > 1.0 or self.sentences.vectors is None or not query.topic:
            return None
        return self._embedder.embed_query(query.topic_text)

    def _score(self, query: Query, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        dense = np.full(len(self.chunks), -1.0, dtype=np.float32)
        ids, sims = self._vectors.search(vector, len(self.chunks))
        for cid, sim in zip(ids.tolist(), sims.tolist(), strict=True):
            dense[self._row[cid]] = sim
        lexical = self._bm25.scores(query.lexical_text)
        weight = self.fusion.lexical_weight_fi if query.language == "fi" else self.fusion.lexical_weight_other
        if weight and lexical.any():
            fused = rrf([_ranks(dense), _ranks(lexical)], [1.0, weight], self.fusion.rrf_k)
        else:
            fused = rrf([_ranks(dense)], [1.0], self.fusion.rrf_k)
        return dense, lexical, fused

    def _mask(self, filters: Filters) -> np.ndarray:
        if filters.empty:
            return np.ones(len(self.chunks), dtype=bool)
        return np.fromiter((filters.admits(c) for c in self.chunks), dtype=bool, count=len(self.chunks))

    def _top(self, fused: np.ndarray, mask: np.ndarray, k: int) -> list[int]:
        """Rows of the ``k`` best chunks among those ``mask`` admits, best first."""
        masked = np.where(mask, fused, -np.inf)
        order = np.argsort(-masked, kind="stable")[:k]
        return [int(i) for i in order if np.isfinite(masked[i])]


def _diversify(passages: list[Passage], by_region: Mapping[str, tuple[Passage, ...]], k: int,
               head: int = 5) -> list[Passage]:
    """Keep the top ``head`` as ranked, then make sure every region's best passage follows, so a question
    that names no region still shows where else the topic appears; then the rest."""
    out = list(passages[:head])
    seen = {p.chunk.chunk_id for p in out}
    regions = {p.chunk.region for p in out}
    extra = sorted((ps[0] for r, ps in by_region.items() if ps and r not in regions), key=lambda p: -p.score)
    for p in [*extra, *passages[head:]]:
        if p.chunk.chunk_id not in seen:
            out.append(p)
            seen.add(p.chunk.chunk_id)
    return out[:k]
