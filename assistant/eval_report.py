"""`assistant eval`: runs every set, per split, through one backend and formats the report.

A set's type comes from its rows (``evaluation.set_type``); rows without ``split`` (e.g. ``dev.jsonl``)
form one group called ``all`` that counts as validation data (shown with ``--split validation``, never
with ``--split calibration``). ``--split all`` reports each half separately, never pooled, so a number
tuned on the calibration half is never shown mixed with the validation half.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.eval_backends import Backend
from assistant.eval_compare import evaluate_compare, read_compare_cells
from assistant.evaluation import evaluate_cells, evaluate_questions, read_cases, set_type

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_SETS = ("questions.jsonl", "region_cells.jsonl", "compare_cells.jsonl", "dev.jsonl")
# The judged targets of issues 7 and 8: (metric, threshold, higher is better).
TARGETS = {"hit@5": (0.92, True), "mrr@10": (0.80, True), "cited_f1": (0.92, True), "cell_accuracy": (0.95, True),
           "figure": (0.85, True), "evidence_sentence": (0.80, True), "abstain_unanswerable": (0.80, True),
           "abstain_answerable": (0.05, False), "presence_accuracy": (0.95, True), "status_accuracy": (0.80, True),
           "evidence_names_topic": (0.90, True)}


def default_paths() -> list[Path]:
    return [DATA / name for name in DEFAULT_SETS if (DATA / name).exists()]


def _groups(items: Sequence[Any], split_of: Any, split: str) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for item in items:
        name = split_of(item)
        if split == "all" or name == split or (name == "all" and split == "validation"):
            groups.setdefault(name, []).append(item)
    return dict(sorted(groups.items()))


def run(backend: Backend, paths: Sequence[Path], split: str = "all", corpus_dir: Path | None = None) -> dict[str, Any]:
    """Every set in ``paths`` evaluated per split; ``{"backend", "sets": [{"path", "type", "splits"}]}``."""
    report: dict[str, Any] = {"backend": backend.name, "sets": []}
    for path in paths:
        kind = set_type(path)
        if kind == "questions":
            groups = _groups(read_cases(path, corpus_dir), lambda c: c.split, split)
            splits = {name: evaluate_questions(backend, cases) for name, cases in groups.items()}
        elif kind == "region_cells":
            topics = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            splits = {name: evaluate_cells(backend, rows)
                      for name, rows in _groups(topics, lambda t: t.get("split", "all"), split).items()}
        else:
            cells = read_compare_cells(path)
            splits = {name: evaluate_compare(backend, rows)
                      for name, rows in _groups(cells, lambda c: c.get("split", "all"), split).items()}
        report["sets"].append({"path": str(path), "type": kind, "splits": splits})
    return report


def _mark(metric: str, value: float | None) -> str:
    if value is None:
        return "-"
    threshold, higher = TARGETS[metric]
    ok = value >= threshold if higher else value <= threshold
    return f"{value:.3f}{'' if ok else '!'}"


def format_report(report: dict[str, Any]) -> str:
    """One block per set and split; a value below its judged target is marked with "!"."""
    out = [f"backend: {report['backend']}   (! = misses the issue 7/8 target)"]
    for s in report["sets"]:
        out.append(f"\n== {s['path']} ({s['type']}) ==")
        for name, result in s["splits"].items():
            out += _format_split(s["type"], name, result["summary"])
    return "\n".join(out)


def _format_split(kind: str, name: str, m: dict[str, Any]) -> list[str]:
    if kind == "questions":
        cr, ab = m["cross_region"], m["abstention"]
        lines = [f"[{name}] {m['questions']} questions ({m['errors']} errors)  hit@5 {_mark('hit@5', m['hit@5'])}  "
                 f"MRR@10 {_mark('mrr@10', m['mrr@10'])}  evidence sentence {_mark('evidence_sentence', m['evidence_sentence'])}  "
                 f"figure {_mark('figure', m['figure'])} (n={m['figure_n']})",
                 f"    cross-region (n={cr['n']}): cited P {cr['precision']} R {cr['recall']} F1 {_mark('cited_f1', cr['f1'])} "
                 f"(micro {cr['micro_f1']})   abstain: unanswerable {_mark('abstain_unanswerable', ab['unanswerable'])} "
                 f"answerable {_mark('abstain_answerable', ab['answerable'])}   latency p50 {m['latency_ms']['p50']} ms "
                 f"p95 {m['latency_ms']['p95']} ms"]
        lines += [f"    {k:<13} n={v['n']:<3} hit@5 {v['hit@5']}  evidence sentence {v['evidence_sentence']}"
                  for k, v in m["by_kind"].items()]
        return lines
    if kind == "region_cells":
        cells = "  ".join(f"{p} {_mark('cell_accuracy', v['accuracy'])} ({v['cells']})" for p, v in m["by_phrasing"].items())
        return [f"[{name}] {m['topics']} topics; cell accuracy per phrasing: {cells}"]
    if "skipped" in m:
        return [f"[{name}] {m['cells']} cells: skipped ({m['skipped']})"]
    return [f"[{name}] {m['cells']} cells  presence {_mark('presence_accuracy', m['presence_accuracy'])}  status "
            f"{_mark('status_accuracy', m['status_accuracy'])} (present cells {m['status_accuracy_present']})  "
            f"evidence names topic {_mark('evidence_names_topic', m['evidence_names_topic'])}"]
