"""Relevance: when to answer at all (abstention), and which regions have evidence for a comparative question.

A passage's relevance is its dense cosine plus a weighted coverage of the question's content words
(IDF over the whole index, Snowball stems; for English and Swedish questions, the glossary's Finnish
terms plus question words the corpus knows, e.g. names like "Omaolo" or "116117"). Thresholds were
calibrated on the dev set (README, "Measured figures").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.glossary import bridge
from assistant.lexical import tokenize
from assistant.records import Chunk, Passage
from assistant.sentences import overlap_score, stems

_WORD = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class Thresholds:
    # Minimum relevance of the best passage to answer at all. Calibrated on the dev set: the lowest
    # answerable Finnish question scores 0.87, off-topic Finnish questions 0.78-0.89; cross-lingual
    # cosines run lower, so English/Swedish get their own floor (answerable >= 0.79).
    answer: float = 0.85
    answer_other: float = 0.785
    region_margin: float = 0.08  # a region is kept if its relevance is within this of the best region
    coverage_weight: float = 0.05
    region_depth: int = 10  # passages per region inspected for evidence
    anchor_share: float = 0.02  # question words in at most this share of chunks are its anchors (names, codes)


@dataclass(frozen=True)
class Anchors:
    terms: frozenset[str]
    phrases: frozenset[tuple[str, str]]

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)


def _pairs(tokens: Sequence[str], window: int = 3) -> set[tuple[str, str]]:
    """Ordered lemma pairs a few tokens apart (compound parts sit between a word and the next)."""
    return {(a, b) for i, a in enumerate(tokens) for b in tokens[i + 1:i + 1 + window]}


class Relevance:
    """Corpus statistics for coverage scoring; built once per loaded index."""

    def __init__(self, chunks: Sequence[Chunk], thresholds: Thresholds,
                 tokens: Sequence[Sequence[str]] | None = None) -> None:
        """``tokens``: each chunk's stored BM25 tokens (same lemmas as ``stems``), saving a re-tokenise."""
        self.t = thresholds
        token_lists = tokens if tokens is not None else [tokenize(c.lexical_text) for c in chunks]
        self._stems = {c.chunk_id: set(t) for c, t in zip(chunks, token_lists, strict=True)}
        self._pairs = {c.chunk_id: _pairs(t) for c, t in zip(chunks, token_lists, strict=True)}
        df: dict[str, int] = {}
        for s in self._stems.values():
            for term in s:
                df[term] = df.get(term, 0) + 1
        n = max(len(chunks), 1)
        self._idf = {term: math.log(1 + n / count) for term, count in df.items()}
        # A question word the corpus never uses is the rarest of all: its absence must weigh the most.
        self._unknown = math.log(1 + 2 * n)
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
            chunk_stems = stems(passage.chunk.lexical_text)
        return overlap_score(terms, chunk_stems, self._idf, self._unknown)

    @property
    def idf(self) -> dict[str, float]:
        return self._idf

    def anchors(self, question: str) -> Anchors:
        """What the question is really about: its rare names and codes ("116117", "Terveyskylä",
        "OT-keskus") and rare named phrases ("Hyvä vastaanotto", "Lapset puheeksi"), i.e. capitalised or
        numeric words after the first one. A region that never mentions them has no evidence for the
        question, however close its cosine."""
        found = _WORD.findall(question)
        terms: set[str] = set()
        phrases: set[tuple[str, str]] = set()
        for i, word in enumerate(found):
            if i == 0 or not (word[0].isupper() or any(ch.isdigit() for ch in word)):
                continue
            terms |= {t for t in stems(word) if t in self._rare}
            if i + 1 < len(found) and found[i + 1][0].islower():
                first, second = tokenize(word), tokenize(found[i + 1])
                if first and second:
                    pair = (first[0], second[0])
                    df = sum(pair in pairs for pairs in self._pairs.values())
                    if 0 < df <= max(2, len(self._pairs) * self.t.anchor_share):
                        phrases.add(pair)
        return Anchors(frozenset(terms), frozenset(phrases))

    def mentions(self, anchors: Anchors, passage: Passage) -> bool:
        cid = passage.chunk.chunk_id
        chunk_stems = self._stems.get(cid) or stems(passage.chunk.lexical_text)
        pairs = self._pairs.get(cid) or _pairs(tokenize(passage.chunk.lexical_text))
        return bool(anchors.terms & chunk_stems or anchors.phrases & pairs)

    def score(self, terms: set[str], passage: Passage) -> float:
        return passage.dense + self.t.coverage_weight * self.coverage(terms, passage)

    def best(self, terms: set[str], passages: Sequence[Passage]) -> float:
        return max((self.score(terms, p) for p in passages), default=0.0)

    def answerable(self, terms: set[str], passages: Sequence[Passage], language: str) -> bool:
        floor = self.t.answer if language == "fi" else self.t.answer_other
        return self.best(terms, passages[:5]) >= floor

    def regions_with_evidence(self, question: str, terms: set[str], groups: dict[str, list[Passage]],
                              language: str) -> dict[str, list[Passage]]:
        """Regions whose best passage is within the margin of the best region's, best first; each region's
        passages reordered so the most relevant comes first (that one gets quoted)."""
        floor = self.t.answer if language == "fi" else self.t.answer_other
        ranked: dict[str, list[Passage]] = {}
        scores: dict[str, float] = {}
        for region, found in groups.items():
            if found:
                # Keep the fused order (BM25 + dense) inside a region; relevance only decides membership.
                ranked[region] = list(found)
                scores[region] = self.best(terms, found[: self.t.region_depth])
        if not scores or max(scores.values()) < floor:
            return {}
        top = max(scores.values())
        keep = [r for r, s in scores.items() if s >= top - self.t.region_margin]
        anchors = self.anchors(question)
        if anchors:
            # A region that never mentions what the question is about has no evidence, however close.
            with_anchor = [r for r, ps in ranked.items() if any(self.mentions(anchors, p) for p in ps)]
            keep = [r for r in keep if r in with_anchor] or keep
        return {r: ranked[r] for r in sorted(keep, key=lambda r: -scores[r])}
