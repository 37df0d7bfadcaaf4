"""JSON shapes of the HTTP API, shared by the API and the CLI (``--json``): records in, plain dicts out."""

from __future__ import annotations

from typing import Any

from assistant.records import Answer, Cell, Comparison, Evidence, Passage


def passage_json(p: Passage, n: int | None = None, score: bool = False) -> dict[str, Any]:
    c = p.chunk
    out: dict[str, Any] = {"document": c.doc_id, "title": c.title, "region": c.region, "text": c.text,
                           "start": c.start, "end": c.end, "page": c.page,
                           "lines": list(c.lines) if c.lines else None, "heading": c.heading}
    if n is not None:
        out = {"n": n, **out}
    if score:
        out["score"] = round(p.score, 6)
    return out


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "answer": answer.text, "abstained": answer.abstained, "language": answer.language,
        "citations": [passage_json(c.passage, n=c.n) for c in answer.citations],
        "passages": [passage_json(p, score=True) for p in answer.passages],
        "notes": list(answer.notes),
    }


def evidence_json(e: Evidence) -> dict[str, Any]:
    return {"text": e.text, "document": e.document, "title": e.title, "year": e.year, "start": e.start,
            "end": e.end, "lines": list(e.lines) if e.lines else None, "page": e.page}


def cell_json(cell: Cell) -> dict[str, Any]:
    return {"topic": cell.topic, "region": cell.region, "status": cell.status,
            "evidence": evidence_json(cell.evidence) if cell.evidence else None, "more": cell.more}


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """``POST /api/compare``'s body: topics, regions and one cell per topic x region (see the README)."""
    return {"topics": list(comparison.topics), "regions": list(comparison.regions),
            "cells": [cell_json(c) for c in comparison.cells]}
