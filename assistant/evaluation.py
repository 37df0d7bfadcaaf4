"""Evaluate answers on question sets (``tests/data/questions.jsonl``, ``dev.jsonl``) and "which regions have X"
cell sets (``region_cells.jsonl``); the compare set is in ``eval_compare``.

Definitions (every metric is a mean over the questions or cells it applies to):

- **hit@5, MRR@10** (answerable questions): a passage is a hit when its region is a gold region and its text
  contains one of the evidence quotes (first 80 chars), compared without case, spaces or punctuation.
- **Cited regions**: the regions of the citations whose marker ``[n]`` appears in the answer outside the
  closing "no mention" line ("Ei mainintaa aineistossa: …", "Inget omnämnande …", "No mention …"); an
  answer without any marker counts all its citations. Precision, recall and F1 per cross-region question
  against the gold regions (no citation: precision 0); ``micro_f1`` pools all questions.
- **Region-cell accuracy** per phrasing: for each topic × region, correct when the region is cited iff it
  is labelled present.
- **Evidence sentence** (answerable questions with evidence): the answer, without citation markers, contains
  an evidence quote (normalised as for hits), or at least 60 % of the distinct words (≥ 2 letters, case
  folded; a word cut by a line-final hyphen is dropped) of an evidence line of the corpus occur in it.
- **Figure** (questions with ``figure``): the answer carries the figure after normalising both: citation
  markers removed, no-break and thin spaces as spaces, thousands separators dropped ("8 533 000" =
  "8533000"), no space before "%", en/em dashes as "-", a decimal point between digits as a comma; a
  digit may not touch the figure on its digit ends. "a|b" lists alternatives.
- **Abstention**: share of ``abstained: true`` among unanswerable and among answerable questions.
"""

from __future__ import annotations

import json
import re
import statistics
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.eval_backends import Backend, Reply

NO_MENTION = re.compile(r"^\W*(ei mainintaa|ei mainita|mainintaa ei|inget omnämnande|nämns inte|"
                        r"no mention|not mentioned)", re.IGNORECASE)
MARKER = re.compile(r"\[(\d+)\]")
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\s]+")


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    kind: str
    split: str
    regions: tuple[str, ...]
    quotes: tuple[str, ...]  # normalised evidence quotes
    lines: tuple[str, ...] = ()  # the corpus lines the evidence comes from (or the quotes, without a corpus)
    figure: str | None = None


def norm(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöšžčđŋŧá]", "", text.lower())


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_lines(corpus_dir: Path | None) -> Callable[[str, int], str | None]:
    """Looks up line ``n`` of a corpus file by its name or by its original name in ``sources.toml``."""
    names: dict[str, Path] = {}
    if corpus_dir and corpus_dir.is_dir():
        names = {p.name: p for p in corpus_dir.glob("*.txt")}
        toml = corpus_dir / "sources.toml"
        if toml.exists():
            for stem, meta in tomllib.loads(toml.read_text(encoding="utf-8")).items():
                if isinstance(meta, dict) and meta.get("source") and (corpus_dir / f"{stem}.txt").exists():
                    names.setdefault(str(meta["source"]), corpus_dir / f"{stem}.txt")
    cache: dict[Path, list[str]] = {}

    def line(file: str, n: int) -> str | None:
        path = names.get(file)
        if path is None:
            return None
        lines = cache.setdefault(path, path.read_text(encoding="utf-8").split("\n"))
        return lines[n - 1] if 0 < n <= len(lines) else None

    return line


def read_cases(path: Path, corpus_dir: Path | None = None) -> list[Case]:
    """Question cases from a JSONL file in the ``dev.jsonl`` format (``split`` and ``figure`` optional)."""
    line_of = corpus_lines(corpus_dir)
    cases = []
    for row in _rows(path):
        evidence = row.get("evidence", [])
        quotes = tuple(q for q in (norm(ev["quote"])[:80] for ev in evidence) if q)
        lines = tuple(line_of(ev.get("file", ""), int(ev.get("line", 0))) or ev["quote"] for ev in evidence)
        cases.append(Case(row["id"], row["question"], row.get("kind", "fact"), row.get("split", "all"),
                          tuple(row.get("gold_regions", [])), quotes, lines, row.get("figure")))
    return cases


def set_type(path: Path) -> str:
    """``questions``, ``region_cells`` or ``compare_cells``, from the fields of the first row."""
    first = next(iter(_rows(path)), {})
    return "region_cells" if "phrasings" in first else "compare_cells" if "status" in first else "questions"


# -- metrics on one reply -------------------------------------------------------------------------------
def is_hit(region: str, text: str, case: Case) -> bool:
    return region in case.regions and any(q in norm(text) for q in case.quotes)


def cited_regions(reply: Reply) -> set[str]:
    """Regions of the citations referenced in the answer body; the closing "no mention" line cites nothing."""
    body = "\n".join(line for line in reply.text.splitlines() if not NO_MENTION.match(line))
    if not MARKER.search(reply.text):
        return {c.region for c in reply.citations}
    used = {int(n) for n in MARKER.findall(body)}
    return {c.region for c in reply.citations if c.n in used}


def _plain(text: str) -> str:
    return MARKER.sub(" ", text).replace("**", "")


def _words(text: str) -> set[str]:
    text = re.sub(r"[\w-]*-\s*$", "", text.strip())  # a word cut at the line end is not a word
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 2}


def quotes_evidence(answer: str, case: Case, overlap: float = 0.6) -> bool:
    plain = _plain(answer)
    if any(q and q in norm(plain) for q in case.quotes):
        return True
    words = _words(plain)
    for line in case.lines:
        expected = _words(line)
        if expected and len(expected & words) / len(expected) >= overlap:
            return True
    return False


def normalise_figure(text: str) -> str:
    text = _SPACES.sub(" ", MARKER.sub(" ", text).lower())
    text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", text)  # thousands separators
    text = re.sub(r"(?<=\d) ?%", "%", text).replace("–", "-").replace("—", "-")
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


def carries_figure(answer: str, figure: str) -> bool:
    text = normalise_figure(answer)
    for alt in (normalise_figure(a).strip() for a in figure.split("|")):
        pattern = (r"(?<!\d)" if alt[:1].isdigit() else "") + re.escape(alt) + (r"(?!\d)" if alt[-1:].isdigit() else "")
        if alt and re.search(pattern, text):
            return True
    return False


def prf(cited: set[str], gold: set[str]) -> tuple[float, float, float]:
    precision = len(cited & gold) / len(cited) if cited else 0.0
    recall = len(cited & gold) / len(gold) if gold else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def score_case(case: Case, reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"id": case.id, "kind": case.kind, "split": case.split, "abstained": reply.abstained}
    if case.kind == "unanswerable":
        return out
    rank = next((i for i, p in enumerate(reply.passages[:10]) if is_hit(p.region, p.text, case)), None)
    out.update({"hit@5": rank is not None and rank < 5, "rr@10": 0.0 if rank is None else 1 / (rank + 1)})
    if case.quotes:
        out["evidence_sentence"] = quotes_evidence(reply.text, case)
    if case.figure:
        out["figure"] = carries_figure(reply.text, case.figure)
    if case.kind == "cross_region":
        cited, gold = cited_regions(reply), set(case.regions)
        p, r, f = prf(cited, gold)
        retrieved = {s.region for s in reply.passages[:10]} & gold
        out.update({"region_recall@10": len(retrieved) / len(gold), "cited": sorted(cited),
                    "cited_precision": p, "cited_recall": r, "cited_f1": f,
                    "tp": len(cited & gold), "fp": len(cited - gold), "fn": len(gold - cited)})
    return out


# -- running a set -----------------------------------------------------------------------------------------
def mean(rows: Iterable[dict[str, Any]], key: str) -> float | None:
    values = [float(r[key]) for r in rows if key in r]
    return round(statistics.fmean(values), 3) if values else None


def percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = (len(s) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return round(s[lo] + (s[hi] - s[lo]) * (k - lo), 1)


def timed_ask(backend: Backend, question: str, latencies: list[float]) -> Reply | str:
    """The reply, or the error message when the backend refuses the question."""
    started = time.perf_counter()
    try:
        reply = backend.ask(question)
    except (AssistantError, OSError, ValueError) as exc:
        return getattr(exc, "message", None) or str(exc)
    latencies.append((time.perf_counter() - started) * 1000)
    return reply


def summarize_questions(rows: list[dict[str, Any]], latencies: Sequence[float]) -> dict[str, Any]:
    ok = [r for r in rows if "error" not in r]
    answerable = [r for r in ok if r["kind"] != "unanswerable"]
    cross = [r for r in answerable if r["kind"] == "cross_region"]
    tp, fp, fn = (sum(r[k] for r in cross) for k in ("tp", "fp", "fn"))
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {
        "questions": len(rows), "errors": len(rows) - len(ok),
        "hit@5": mean(answerable, "hit@5"), "mrr@10": mean(answerable, "rr@10"),
        "by_kind": {k: {"n": sum(r["kind"] == k for r in ok), "hit@5": mean([r for r in answerable if r["kind"] == k], "hit@5"),
                        "evidence_sentence": mean([r for r in answerable if r["kind"] == k], "evidence_sentence")}
                    for k in sorted({r["kind"] for r in ok})},
        "cross_region": {"n": len(cross), "region_recall@10": mean(cross, "region_recall@10"), "precision": mean(cross, "cited_precision"), "recall": mean(cross, "cited_recall"),
                         "f1": mean(cross, "cited_f1"), "micro_f1": round(micro, 3) if micro is not None else None},
        "evidence_sentence": mean(answerable, "evidence_sentence"),
        "figure": mean(answerable, "figure"), "figure_n": sum("figure" in r for r in answerable),
        "abstention": {"unanswerable": mean([r for r in ok if r["kind"] == "unanswerable"], "abstained"),
                       "answerable": mean(answerable, "abstained")},
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
    }


def evaluate_questions(backend: Backend, cases: Sequence[Case]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    for case in cases:
        reply = timed_ask(backend, case.question, latencies)
        rows.append({"id": case.id, "kind": case.kind, "split": case.split, "error": reply} if isinstance(reply, str)
                    else score_case(case, reply))
    return {"summary": summarize_questions(rows, latencies), "rows": rows}


def evaluate_cells(backend: Backend, topics: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Asks every phrasing of every topic; a cell is correct when the region is cited iff it is present."""
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    for topic in topics:
        present, regions = set(topic["present"]), [*topic["present"], *topic["absent"]]
        for phrasing, question in topic["phrasings"].items():
            reply = timed_ask(backend, question, latencies)
            cited = set() if isinstance(reply, str) else cited_regions(reply)
            rows.append({"topic": topic["topic"], "phrasing": phrasing, "cited": sorted(cited),
                         "correct": sum((r in cited) == (r in present) for r in regions), "cells": len(regions),
                         "wrongly_cited": sorted(cited - present), "missed": sorted(present - cited)}
                        | ({"error": reply} if isinstance(reply, str) else {}))
    by_phrasing = {}
    for phrasing in dict.fromkeys(r["phrasing"] for r in rows):
        mine = [r for r in rows if r["phrasing"] == phrasing]
        cells = sum(r["cells"] for r in mine)
        by_phrasing[phrasing] = {"cells": cells, "accuracy": round(sum(r["correct"] for r in mine) / cells, 3) if cells else None}
    return {"summary": {"topics": len(topics), "by_phrasing": by_phrasing,
                        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}},
            "rows": rows}
