"""Region evidence: the one rule that decides whether a region's documents say something about a topic.
The chat's "which regions…" answers and the practice map both use it.

A sentence is evidence when it carries the topic: its lemmas cover at least ``Thresholds.coverage`` of the
topic's weight (a topic lemma, a compound containing it, its compound parts, a glossary synonym; see
``relevance``), or, with sentence vectors, its cosine to the topic reaches ``Thresholds.dense_sentence``.
Frame words ("käytössä", "suunnitteilla", "alueilla") are never topic terms, so they never count, and the
search covers every chunk of a region rather than the best few for one wording, so the wording of the
question cannot change which regions have evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.question import Term
from assistant.records import Chunk, Filters
from assistant.relevance import Relevance, Thresholds
from assistant.sentence_index import IndexedSentence, SentenceIndex
from assistant.topic import Topic


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

    def __init__(self, chunks: Sequence[Chunk], relevance: Relevance, sentences: SentenceIndex,
                 thresholds: Thresholds) -> None:
        self.chunks = tuple(chunks)
        self._by_id = {c.chunk_id: c for c in self.chunks}
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

    def find(self, topic: Topic, regions: Sequence[str], filters: Filters | None = None,
             topic_vector: np.ndarray | None = None) -> dict[str, list[Found]]:
        """Each region's evidence sentences (regions without any are left out), strongest first."""
        filters = filters or Filters()
        wanted = set(regions)
        found: dict[int, Found] = {}
        required = self.required(topic) if topic else 1.0
        for row in self.relevance.rows_with(topic) if topic else ():
            chunk = self.chunks[row]
            if chunk.region not in wanted or not filters.admits(chunk):
                continue
            for sid in self.sentences.of_chunk(chunk.chunk_id):
                coverage = self.carries(topic, self.sentences[sid], required)
                if coverage and sid not in found:
                    found[sid] = Found(chunk, self.sentences[sid], coverage)
        if topic_vector is not None and self.t.dense_sentence <= 1.0:
            self._dense(found, topic, topic_vector, wanted, filters)
        by_region: dict[str, list[Found]] = {}
        # Strongest first; among equals a sentence whole enough to quote, then the earlier one.
        for f in sorted(found.values(), key=lambda f: (-f.strength, not f.sentence.quotable, f.sentence.id)):
            by_region.setdefault(f.chunk.region, []).append(f)
        return by_region

    def _dense(self, found: dict[int, Found], topic: Topic, vector: np.ndarray, wanted: set[str],
               filters: Filters) -> None:
        sims = self.sentences.similarities(vector)
        if sims is None:
            return
        for sid in np.flatnonzero(sims >= self.t.dense_sentence).tolist():
            sentence = self.sentences[sid]
            owners = [self._by_id[c] for c in sentence.chunks if c in self._by_id]
            chunk = next((c for c in owners if c.region in wanted and filters.admits(c)), None)
            if chunk is None:
                continue
            previous = found.get(sid)
            coverage = previous.coverage if previous else topic.coverage(sentence.full, sentence.tokens, sentence.sequence)
            found[sid] = Found(chunk, sentence, coverage, float(sims[sid]))

    def presence(self, topic: Topic, regions: Sequence[str], filters: Filters | None = None
                 ) -> tuple[bool, tuple[Term, ...]]:
        """Whether some passage within ``regions`` and ``filters`` carries the topic (a long question's terms
        may spread over a passage's sentences), and the topic terms that no passage there carries at all."""
        filters = filters or Filters()
        wanted = set(regions)
        rows = [r for r in self.relevance.rows_with(topic)
                if self.chunks[r].region in wanted and filters.admits(self.chunks[r])]
        required = self.required(topic) if topic else self.t.coverage
        present = any(self.relevance.chunk_coverage(topic, self.chunks[r].chunk_id, partial=True) >= required
                      for r in rows)
        seen: set[int] = set()
        for r in rows:
            seen |= {i for i in range(len(topic.terms)) if i not in seen
                     and self.relevance.chunk_coverage(topic.only(i), self.chunks[r].chunk_id) > 0}
        return present, tuple(t for i, t in enumerate(topic.terms) if i not in seen)
