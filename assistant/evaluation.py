"""Evaluate retrieval and answers on a question set in the format of ``shared/eval/dev.jsonl``.

Passages match by region and evidence text, never by file name: a passage is a hit when its region is
a gold region and its text contains one of the evidence quotes (compared without case, spaces or
punctuation, so de-hyphenation and re-wrapping don't matter). For cross-region questions, region
recall@10 is the share of gold regions among the regions of the top 10 passages (the stricter
"with evidence" variant also needs the passage to contain a quote); cited-region precision/recall
compare the regions of the answer's citations with the gold regions.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.records import Answer, Passage
from assistant.service import Assistant


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    kind: str
    regions: tuple[str, ...]
    quotes: tuple[str, ...]  # normalised evidence quotes


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöšžčđŋŧá]", "", text.lower())


def read_cases(path: Path) -> list[Case]:
    """Cases from a JSONL file (id, question, kind, gold_regions, evidence[].quote)."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        quotes = tuple(q for q in (_norm(ev["quote"])[:80] for ev in row.get("evidence", [])) if q)
        cases.append(Case(row["id"], row["question"], row.get("kind", "fact"), tuple(row.get("gold_regions", [])),
                          quotes))
    return cases


def is_hit(passage: Passage, case: Case) -> bool:
    if passage.chunk.region not in case.regions:
        return False
    text = _norm(passage.chunk.text)
    return any(q in text for q in case.quotes)


def _first_hit(passages: Sequence[Passage], case: Case, k: int) -> int | None:
    return next((i for i, p in enumerate(passages[:k]) if is_hit(p, case)), None)


def score_case(case: Case, answer: Answer) -> dict[str, Any]:
    rank = _first_hit(answer.passages, case, 10)
    out: dict[str, Any] = {"id": case.id, "kind": case.kind, "abstained": answer.abstained,
                           "hit@5": rank is not None and rank < 5, "rr@10": 0.0 if rank is None else 1 / (rank + 1)}
    if case.kind == "cross_region":
        gold = set(case.regions)
        present = {p.chunk.region for p in answer.passages[:10]} & gold
        with_evidence = {p.chunk.region for p in answer.passages[:10] if is_hit(p, case)}
        cited = {c.passage.chunk.region for c in answer.citations}
        precision = len(cited & gold) / len(cited) if cited else 0.0
        recall = len(cited & gold) / len(gold)
        out.update({"region_recall@10": len(present) / len(gold),
                    "evidence_region_recall@10": len(with_evidence) / len(gold),
                    "cited_precision": precision, "cited_recall": recall,
                    "cited_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0})
    return out


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [float(r[key]) for r in rows if key in r]
    return round(statistics.fmean(values), 3) if values else None


def evaluate(assistant: Assistant, cases: Sequence[Case]) -> dict[str, Any]:
    """Per-question scores and the summary (overall, per kind, abstention, latency)."""
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    for case in cases:
        started = time.perf_counter()
        try:
            answer = assistant.ask(case.question)
        except InvalidQuestion as exc:
            rows.append({"id": case.id, "kind": case.kind, "error": exc.message})
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append(score_case(case, answer))
    answerable = [r for r in rows if r["kind"] != "unanswerable" and "error" not in r]
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    cross = [r for r in answerable if r["kind"] == "cross_region"]
    kinds = sorted({r["kind"] for r in answerable})
    latencies.sort()
    summary = {
        "questions": len(rows),
        "hit@5": _mean(answerable, "hit@5"), "mrr@10": _mean(answerable, "rr@10"),
        "by_kind": {k: {"n": sum(r["kind"] == k for r in answerable),
                        "hit@5": _mean([r for r in answerable if r["kind"] == k], "hit@5"),
                        "mrr@10": _mean([r for r in answerable if r["kind"] == k], "rr@10")} for k in kinds},
        "cross_region": {"n": len(cross), "region_recall@10": _mean(cross, "region_recall@10"),
                         "evidence_region_recall@10": _mean(cross, "evidence_region_recall@10"),
                         "cited_precision": _mean(cross, "cited_precision"),
                         "cited_recall": _mean(cross, "cited_recall"), "cited_f1": _mean(cross, "cited_f1")},
        "abstention": {"unanswerable_abstained": _mean(unanswerable, "abstained"),
                       "answerable_abstained": _mean(answerable, "abstained")},
        "latency_ms": {"p50": round(_percentile(latencies, 50), 1), "p95": round(_percentile(latencies, 95), 1)},
    }
    return {"summary": summary, "questions": rows}


def _percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def format_summary(summary: dict[str, Any]) -> str:
    cr, ab, lat = summary["cross_region"], summary["abstention"], summary["latency_ms"]
    lines = [f"questions: {summary['questions']}",
             f"hit@5: {summary['hit@5']}   MRR@10: {summary['mrr@10']}"]
    for kind, v in summary["by_kind"].items():
        lines.append(f"  {kind:<13} n={v['n']:<3} hit@5={v['hit@5']}  MRR@10={v['mrr@10']}")
    lines.append(f"cross-region (n={cr['n']}): region recall@10={cr['region_recall@10']} (with evidence quote: "
                 f"{cr['evidence_region_recall@10']})  cited precision="
                 f"{cr['cited_precision']} recall={cr['cited_recall']} F1={cr['cited_f1']}")
    lines.append(f"abstention: unanswerable={ab['unanswerable_abstained']}  answerable={ab['answerable_abstained']}")
    lines.append(f"latency: p50={lat['p50']} ms  p95={lat['p95']} ms")
    return "\n".join(lines)
