"""Region evidence: the one rule that decides whether a region's documents say something about a topic.
The chat's "which regions…" answers and the practice map both use it.

A sentence is evidence when it carries the topic: its lemmas cover at least ``Thresholds.coverage`` of the
topic's weight (a topic lemma, a compound containing it, its compound parts, a glossary synonym; see
``relevance``), or, with sentence vectors, its cosine to the topic reaches ``Thresholds.dense_sentence``.
Frame words ("käytössä", "suunnitteilla", "alueilla") are never topic terms, so they never count, and the
search reads a region's chunks that carry the topic's own lemmas (not the best few passages for one
wording), so the wording of the question cannot change which regions have evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.catalog import ChunkCatalog
from assistant.question import Term
from assistant.records import Chunk, Filters
from assistant.relevance import Relevance, Thresholds
from assistant.sentence_index import IndexedSentence, SentenceIndex
from assistant.sparse import SparseBm25
from assistant.topic import Topic

# How many chunks one question's evidence may read: a region with more topic chunks than its share keeps the
# ones that score highest on the topic. The bundled corpus never reaches it; a national one always does.
ROWS_PER_QUESTION = 300
MIN_ROWS_PER_REGION = 10


@dataclass(frozen=True)
class Found:
    """A sentence of ``chunk`` that carries the topic, with its lexical ``coverage`` and its cosine
    ``dense`` to the topic (0 without sentence vectors)."""

    chunk: Chunk
    sentence: IndexedSentence
    coverage: float
    dense: float = 0.0

    @property
    def strength(self) -> float:
        return self.coverage + self.dense


class EvidenceFinder:
    """Finds evidence sentences in one loaded index."""

    def __init__(self, catalog: ChunkCatalog, sparse: SparseBm25, relevance: Relevance, sentences: SentenceIndex,
                 thresholds: Thresholds) -> None:
        self.catalog = catalog
        self._sparse = sparse
        self.relevance = relevance
        self.sentences = sentences
        self.t = thresholds

    def required(self, topic: Topic) -> float:
        """The coverage a sentence needs to be evidence of ``topic``. A long topic (an open question's
        "matalan kynnyksen mielenterveyspalvelut", "customer feedback and client experience") is rarely
        said whole in one sentence: its heaviest (most specific) term then suffices, provided it carries at
        least ``Thresholds.long_coverage`` of the weight; frame words are never terms, so they never count."""
        groups = topic.either or (tuple(range(len(topic.terms))),)
        if min(len(g) for g in groups) < self.t.long_topic:
            return self.t.coverage
        heaviest = min(max(topic.weights[i] for i in g) / sum(topic.weights[i] for i in g) for g in groups)
        return min(self.t.coverage, heaviest) if heaviest >= self.t.long_coverage else self.t.coverage

    def carries(self, topic: Topic, sentence: IndexedSentence, required: float | None = None) -> float:
        """The sentence's topic coverage (0 when below the evidence threshold, see ``required``)."""
        coverage = topic.coverage(sentence.full, sentence.tokens, sentence.sequence)
        return coverage if coverage >= (self.required(topic) if required is None else required) else 0.0

    def candidate_rows(self, topic: Topic, regions: Sequence[str], filters: Filters) -> np.ndarray:
        """Rows (ascending) of ``regions`` within ``filters`` that could carry the topic. Where a region has
        more than its share of ``ROWS_PER_QUESTION``, it keeps the rows that cover most of the topic's weight
        (then score highest in BM25 over the topic's own lemmas; never the question's other words), so the
        set does not depend on the question's wording and the work does not grow with the corpus."""
        rows = self._in_scope(self.relevance.rows_with(topic), regions, filters)
        codes = self.catalog.region_codes[rows]
        share = max(MIN_ROWS_PER_REGION, ROWS_PER_QUESTION // max(len(set(regions)), 1))
        if not len(rows) or np.bincount(codes).max() <= share:
            return rows
        covered = np.zeros(len(rows))
        carried = np.zeros(self.catalog.size, dtype=bool)
        for i, weight in enumerate(topic.weights):
            carried[:] = False
            carried[self.relevance.term_rows(topic, i)] = True
            covered += weight * carried[rows]
        bm25 = self._sparse.totals(self._sparse.ids(sorted(_lemmas(topic))))[rows]
        # Coverage first, then BM25: coverage as its rank among the few values it takes, times a step no BM25
        # difference can bridge.
        levels = np.unique(covered, return_inverse=True)[1].reshape(-1)
        score = levels * (1.0 + float(bm25.max())) + bm25
        by_region = np.argsort(codes, kind="stable")  # a radix sort for small integer codes
        bounds = np.flatnonzero(np.r_[True, codes[by_region][1:] != codes[by_region][:-1], True])
        keep = []
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            mine = by_region[lo:hi]
            keep.append(mine if hi - lo <= share else mine[np.argpartition(-score[mine], share - 1)[:share]])
        return np.sort(rows[np.concatenate(keep)])

    def _in_scope(self, rows: np.ndarray, regions: Sequence[str], filters: Filters) -> np.ndarray:
        wanted = [i for i, r in enumerate(self.catalog.regions) if r in set(regions)]
        keep = np.isin(self.catalog.region_codes[rows], wanted)
        if filters.documents or filters.years:
            keep &= self.catalog.mask(Filters(documents=filters.documents, years=filters.years))[rows]
        return rows[keep]

    def find(self, topic: Topic, regions: Sequence[str], filters: Filters | None = None,
             topic_vector: np.ndarray | None = None, rows: np.ndarray | None = None) -> dict[str, list[Found]]:
        """Each region's evidence sentences (regions without any are left out), strongest first; ``rows``:
        ``candidate_rows`` of the same arguments, if already known."""
        if not topic:
            return {}
        if rows is None:
            rows = self.candidate_rows(topic, regions, filters or Filters())
        chunks = [sc.chunk for sc in self.catalog.chunks(rows.tolist(), tokens=False)]
        dense = topic_vector is not None and self.t.dense_sentence <= 1.0 and self.sentences.has_vectors
        # Without the dense route only a sentence holding a carrier or a part of some term can carry the topic.
        lemmas = None if dense else _lemmas(topic)
        of_chunk = self.sentences.of_rows(rows.tolist(), chunks, lemmas)
        if dense:
            self.sentences.prepare_vectors([s for ss in of_chunk.values() for s in ss])
        found: dict[int, Found] = {}
        required = self.required(topic)
        for chunk in chunks:
            for sentence in of_chunk.get(chunk.chunk_id, ()):
                if sentence.id in found:
                    continue
                coverage = topic.coverage(sentence.full, sentence.tokens, sentence.sequence)
                sim = self.sentences.similarity(topic_vector, sentence) if dense else 0.0
                if coverage >= required or sim >= self.t.dense_sentence:
                    found[sentence.id] = Found(chunk, sentence, coverage, sim if sim >= self.t.dense_sentence else 0.0)
        by_region: dict[str, list[Found]] = {}
        # Strongest first; among equals a sentence whole enough to quote, then the earlier one.
        for f in sorted(found.values(), key=lambda f: (-f.strength, not f.sentence.quotable, f.sentence.id)):
            by_region.setdefault(f.chunk.region, []).append(f)
        return by_region

    def presence(self, topic: Topic, regions: Sequence[str], filters: Filters | None = None,
                 rows: np.ndarray | None = None) -> tuple[bool, tuple[Term, ...]]:
        """Whether some passage within ``regions`` and ``filters`` carries the topic (a long question's terms
        may spread over a passage's sentences), and the topic terms that no passage there carries at all;
        ``rows``: ``candidate_rows`` of the same arguments, if already known."""
        original = topic
        filters = filters or Filters()
        # A guessed translation may be the wrong sense: only the other terms can show the topic is absent.
        topic = topic.reliable()
        if not topic:
            return True, ()
        if rows is None or topic.terms != original.terms:
            rows = self.candidate_rows(topic, regions, filters)
        required = self.required(topic)
        present = any(self.relevance.row_coverage(topic, r, partial=True) >= required for r in rows.tolist())
        unseen = tuple(t for i, t in enumerate(topic.terms)
                       if not len(self._in_scope(self.relevance.term_rows(topic, i), regions, filters)))
        return present, unseen


def _lemmas(topic: Topic) -> frozenset[str]:
    """Every lemma that can carry some term of the topic: its carriers and its compound parts."""
    return frozenset().union(*topic.carriers, (p for ps in topic.part_sets for parts in ps for p in parts))
