"""Relevance: when to answer at all, and which regions have evidence for a comparative question.

A passage's relevance is its dense cosine plus a weighted coverage of the question's content words
(IDF over the whole index, Snowball stems; for English and Swedish questions, the glossary's Finnish
terms plus question words the corpus knows, e.g. names like "Omaolo" or "116117"). Thresholds were
calibrated on the dev set (README, "Measured figures").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.glossary import bridge
from assistant.records import Chunk, Passage
from assistant.sentences import overlap_score, stems


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.80  # minimum relevance of the best passage to answer at all
    answer_other: float = 0.78  # the same for English/Swedish questions (cross-lingual cosines run lower)
    region_margin: float = 0.08  # a region is kept if its relevance is within this of the best region
    coverage_weight: float = 0.05
    region_depth: int = 10  # passages per region inspected for evidence
    anchor_share: float = 0.02  # question words in at most this share of chunks are its anchors (names, codes)
    fan_out_unnamed: bool = False  # questions naming no region are answered region by region when several qualify


class Relevance:
    """Corpus statistics for coverage scoring; built once per loaded index."""

    def __init__(self, chunks: Sequence[Chunk], thresholds: Thresholds) -> None:
        self.t = thresholds
        self._stems = {c.chunk_id: stems(c.embed_text) for c in chunks}
        df: dict[str, int] = {}
        for s in self._stems.values():
            for term in s:
                df[term] = df.get(term, 0) + 1
        n = max(len(chunks), 1)
        self._idf = {term: math.log(1 + n / count) for term, count in df.items()}
        self._rare = {term for term, count in df.items() if count <= max(2, n * thresholds.anchor_share)}

    def terms(self, question: str, language: str) -> set[str]:
        """Content stems to look for. Unknown Finnish words stay in (their absence is telling)."""
        if language == "fi":
            return stems(question)
        known = {s for s in stems(question) if s in self._idf}
        return stems(bridge(question)) | known

    def coverage(self, terms: set[str], passage: Passage) -> float:
        chunk_stems = self._stems.get(passage.chunk.chunk_id)
        if chunk_stems is None:
            chunk_stems = stems(passage.chunk.embed_text)
        return overlap_score(terms, chunk_stems, self._idf)

    @property
    def idf(self) -> dict[str, float]:
        return self._idf

    def anchors(self, terms: set[str]) -> set[str]:
        """The question's rare words ("116117", "Terveyskylä", "OT-keskus"): what it is really about."""
        return terms & self._rare

    def mentions(self, anchors: set[str], passage: Passage) -> bool:
        chunk_stems = self._stems.get(passage.chunk.chunk_id) or stems(passage.chunk.embed_text)
        return bool(anchors & chunk_stems)

    def score(self, terms: set[str], passage: Passage) -> float:
        return passage.dense + self.t.coverage_weight * self.coverage(terms, passage)

    def best(self, terms: set[str], passages: Sequence[Passage]) -> float:
        return max((self.score(terms, p) for p in passages), default=0.0)

    def answerable(self, terms: set[str], passages: Sequence[Passage], language: str) -> bool:
        floor = self.t.answer if language == "fi" else self.t.answer_other
        return self.best(terms, passages[:5]) >= floor

    def regions_with_evidence(self, terms: set[str], groups: dict[str, list[Passage]], language: str
                              ) -> dict[str, list[Passage]]:
        """Regions whose best passage is within the margin of the best region's, best first; each region's
        passages reordered so the most relevant comes first (that one gets quoted)."""
        floor = self.t.answer if language == "fi" else self.t.answer_other
        ranked: dict[str, list[Passage]] = {}
        scores: dict[str, float] = {}
        for region, found in groups.items():
            if found:
                ordered = sorted(found[: self.t.region_depth], key=lambda p: -self.score(terms, p))
                ranked[region], scores[region] = ordered, self.score(terms, ordered[0])
        if not scores or max(scores.values()) < floor:
            return {}
        top = max(scores.values())
        keep = [r for r, s in scores.items() if s >= top - self.t.region_margin]
        anchors = self.anchors(terms)
        if anchors:
            # A region that never mentions what the question is about has no evidence, however close.
            with_anchor = [r for r, ps in ranked.items() if any(self.mentions(anchors, p) for p in ps)]
            keep = [r for r in keep if r in with_anchor] or keep
        return {r: ranked[r] for r in sorted(keep, key=lambda r: -scores[r])}
