"""When to answer and which regions count as having evidence: calibrated relevance thresholds.

A passage's relevance combines the dense cosine (comparable across questions for one embedder) with
its coverage of the question's content words. Thresholds were calibrated on the dev set so that at most
5 % of answerable questions abstain (see README, "Measured figures").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.records import Passage
from assistant.sentences import idf_table, overlap_score, stems


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.80  # minimum relevance of the best passage to answer at all
    region: float = 0.82  # minimum relevance of a region's best passage in a comparative answer
    region_margin: float = 0.05  # ... and at most this far below the best region
    coverage_weight: float = 0.10


def relevance(passage: Passage, query: set[str], idf: dict[str, float], t: Thresholds) -> float:
    return passage.dense + t.coverage_weight * overlap_score(query, stems(passage.chunk.embed_text), idf)


def best_relevance(passages: Sequence[Passage], query: set[str], t: Thresholds) -> float:
    if not passages:
        return 0.0
    idf = idf_table(p.chunk.text for p in passages)
    return max(relevance(p, query, idf, t) for p in passages[:5])


def regions_with_evidence(groups: dict[str, list[Passage]], query: set[str], t: Thresholds) -> dict[str, list[Passage]]:
    """The regions whose best passage clears the region threshold and is near the best region, best first."""
    scored = {r: best_relevance(ps[:3], query, t) for r, ps in groups.items() if ps}
    if not scored:
        return {}
    top = max(scored.values())
    keep = [r for r, s in scored.items() if s >= t.region and s >= top - t.region_margin]
    return {r: groups[r] for r in sorted(keep, key=lambda r: -scored[r])}
