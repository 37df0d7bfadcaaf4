"""Evaluate the practice table (``POST /api/compare`` / ``Assistant.compare``) on labelled topic × region cells.

- **Presence accuracy**: a cell is present when its status is not ``not_found``; correct when the predicted
  and labelled presence agree.
- **Status accuracy**: exact agreement of the five statuses over all labelled cells (``status_accuracy``)
  and over the cells labelled present (``status_accuracy_present``).
- **Evidence names the topic**: among cells predicted present, the share whose evidence sentence names the
  topic: every distinctive word of the topic (generic words such as "menetelmä", "malli", "palvelu",
  "arviointi" are left out) occurs at a word start in the evidence, case folded. A word of up to three
  letters must stand alone ("RAI-", "IPC", "OT-" but not "ottaa"); a longer one is compared on its first
  ``max(5, length - 3)`` letters, so inflected forms count ("kotisairaalan", "palvelusetelillä",
  "AVAIN -mittarin") but another compound with the same opening does not ("palvelukohtaista").
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.eval_backends import Backend, CellView, CompareUnavailable
from assistant.evaluation import percentile

STATUSES = ("in_use", "pilot", "planned", "mentioned", "not_found")
GENERIC = {"menetelmä", "mittari", "malli", "toimintamalli", "ohjelma", "palvelu", "palvelut", "arviointi",
           "arkisto", "keskus", "yhteistyö", "method", "model", "programme", "program", "service", "tool"}
MAX_TOPICS = 10  # the API's limit per request


def read_compare_cells(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = [r for r in rows if r.get("status") not in STATUSES]
    if bad:
        raise ValueError(f"{path}: unknown status {bad[0].get('status')!r} for {bad[0].get('topic')!r}; use one of {STATUSES}")
    return rows


def topic_patterns(topic: str) -> list[str]:
    words = [w for w in re.split(r"[\s\-–/]+", topic.lower()) if len(w) >= 2]
    distinctive = [w for w in words if w not in GENERIC] or words
    return [r"(?<!\w)" + (re.escape(w) + r"(?![^\W\d_])" if len(w) <= 3 else re.escape(w[: max(5, len(w) - 3)]))
            for w in distinctive]


def names_topic(evidence: str | None, topic: str) -> bool:
    if not evidence:
        return False
    text = evidence.lower()
    return all(re.search(pattern, text) for pattern in topic_patterns(topic))


def score_cells(labelled: Sequence[dict[str, Any]], predicted: Sequence[CellView]) -> dict[str, Any]:
    """Per-cell comparison and the summary; a labelled cell with no predicted cell counts as ``not_found``."""
    got = {(c.topic, c.region): c for c in predicted}
    rows = []
    for cell in labelled:
        p = got.get((cell["topic"], cell["region"]))
        status = p.status if p else "not_found"
        rows.append({"topic": cell["topic"], "region": cell["region"], "gold": cell["status"], "status": status,
                     "presence_ok": (status != "not_found") == (cell["status"] != "not_found"),
                     "status_ok": status == cell["status"],
                     "names_topic": names_topic(p.evidence, cell["topic"]) if p and status != "not_found" else None,
                     "evidence": p.evidence if p else None})
    present_gold = [r for r in rows if r["gold"] != "not_found"]
    predicted_present = [r for r in rows if r["names_topic"] is not None]

    def share(items: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r[key]) for r in items) / len(items), 3) if items else None

    summary = {"cells": len(rows), "presence_accuracy": share(rows, "presence_ok"),
               "status_accuracy": share(rows, "status_ok"), "status_accuracy_present": share(present_gold, "status_ok"),
               "evidence_names_topic": share(predicted_present, "names_topic"),
               "confusion": {g: {s: sum(r["gold"] == g and r["status"] == s for r in rows) for s in STATUSES}
                             for g in STATUSES if any(r["gold"] == g for r in rows)}}
    return {"summary": summary, "rows": rows}


def evaluate_compare(backend: Backend, labelled: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Asks for the table in batches of ≤ 10 topics; skips with a note when the backend cannot compare."""
    topics = list(dict.fromkeys(c["topic"] for c in labelled))
    predicted: list[CellView] = []
    latencies: list[float] = []
    try:
        for i in range(0, len(topics), MAX_TOPICS):
            started = time.perf_counter()
            predicted += backend.compare(topics[i:i + MAX_TOPICS])
            latencies.append((time.perf_counter() - started) * 1000)
    except CompareUnavailable as exc:
        return {"summary": {"cells": len(labelled), "skipped": str(exc)}, "rows": []}
    result = score_cells(labelled, predicted)
    result["summary"]["latency_ms"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
    return result
