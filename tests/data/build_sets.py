"""Builds tests/data/questions.jsonl, region_cells.jsonl and compare_cells.jsonl from the specs in
``sets_spec.py``: every evidence quote is looked up in the corpus file (it must occur verbatim on one
line) so line numbers are exact, and splits are drawn at random (seed 20250107) within each kind (questions),
over topics (region cells, compare cells: a topic's cells stay in one half).

Run: ``python tests/data/build_sets.py`` from the repository root. Fails loudly on a quote that is not
in the corpus.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from sets_spec import CELLS, COMPARE, QUESTIONS, QUESTIONS_ROUND2, QUESTIONS_ROUND3  # noqa: E402

FILES = {
    "PP": "pohjois-pohjanmaa-popsote-vammaispalvelut-oma-arviointi-2022.txt",
    "KP": "keski-pohjanmaa-soite-sote-keskus-arviointi-2022.txt",
    "EP": "etela-pohjanmaa-sote-keskus-hankesuunnitelma-2021.txt",
    "LU": "lansi-uusimaa-palvelustrategia-arviointi-2024.txt",
    "LA": "lappi-sote-uudistus-toimeenpanosuunnitelma-2021.txt",
}
REGIONS = {"PP": "Pohjois-Pohjanmaa", "KP": "Keski-Pohjanmaa", "EP": "Etelä-Pohjanmaa",
           "LU": "Länsi-Uusimaa", "LA": "Lappi"}
ORDER = list(REGIONS)
SEED = 20250107
LINES = {k: (ROOT / "corpus" / f).read_text(encoding="utf-8").split("\n") for k, f in FILES.items()}


def locate(key: str, quote: str, near: int | None = None) -> dict[str, object]:
    hits = [i + 1 for i, line in enumerate(LINES[key]) if quote in line]
    if not hits:
        raise SystemExit(f"quote not found in {key}: {quote!r}")
    line = min(hits, key=lambda h: abs(h - near)) if near else hits[0]
    return {"file": FILES[key], "line": line, "quote": quote}


def evidence(items: list[tuple]) -> list[dict[str, object]]:
    return [locate(*item) for item in items]


def splits(rows: list[dict], key: str, seed: int = SEED, before: list[dict] | None = None) -> None:
    """Half of each group to calibration, at random; an odd group's extra question goes to the half that
    ``before`` (earlier rounds) has fewer of in that group, so the halves stay balanced overall."""
    rng = random.Random(seed)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    for name, group in groups.items():
        order = list(range(len(group)))
        rng.shuffle(order)
        earlier = Counter(r["split"] for r in before or [] if r[key] == name)
        cut = (len(group) + 1) // 2 if earlier["calibration"] <= earlier["validation"] else len(group) // 2
        for rank, i in enumerate(order):
            group[i]["split"] = "calibration" if rank < cut else "validation"


def write(name: str, rows: list[dict]) -> None:
    with (HERE / name).open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} rows")


def question_rows(specs: list[dict], first: int) -> list[dict]:
    rows = []
    for n, spec in enumerate(specs, first):
        keys = [k for k in ORDER if k in spec["regions"]]
        # An unanswerable question has no gold region or evidence (a near-topic line in the spec documents
        # the trap, nothing more).
        if spec["kind"] == "unanswerable":
            keys, spec = [], {**spec, "ev": []}
        ev = evidence(spec.get("ev", []))
        if spec["kind"] != "unanswerable":
            missing = set(keys) - {k for k, f in FILES.items() if any(e["file"] == f for e in ev)}
            if missing:
                raise SystemExit(f"Q{n}: no evidence for {missing}: {spec['q']}")
        row = {"id": f"Q{n:03d}", "question": spec["q"], "kind": spec["kind"],
               "language": spec.get("lang", "fi"),
               "gold_files": [FILES[k] for k in keys], "gold_regions": [REGIONS[k] for k in keys],
               "evidence": ev, "answer": spec["a"]}
        if "figure" in spec:
            row["figure"] = spec["figure"]
        rows.append(row)
    return rows


def build_questions() -> list[dict]:
    # Each round is split within its kinds by its own seed, so a later round never moves an earlier
    # question to the other half.
    rows = question_rows(QUESTIONS, 1)
    splits(rows, "kind")
    later = question_rows(QUESTIONS_ROUND2, len(rows) + 1)
    splits(later, "kind", SEED + 2)
    third = question_rows(QUESTIONS_ROUND3, len(rows) + len(later) + 1)
    splits(third, "kind", SEED + 3, before=rows + later)
    return rows + later + third


def build_cells() -> list[dict]:
    rows = []
    for spec in CELLS:
        present = [k for k in ORDER if k in spec["present"]]
        ev = evidence(spec["ev"])
        if {k for k, f in FILES.items() if any(e["file"] == f for e in ev)} != set(present):
            raise SystemExit(f"cell evidence does not match present regions: {spec['topic']}")
        rows.append({"topic": spec["topic"], "present": [REGIONS[k] for k in present],
                     "absent": [REGIONS[k] for k in ORDER if k not in present],
                     "phrasings": spec["phrasings"], "evidence": ev})
    # A topic sits in the same half as its compare cells (one presence rule serves both); the rest alternate
    # so the halves stay balanced.
    of_topic = {str(r["topic"]): str(r["split"]) for r in build_compare()}
    for row in rows:
        row["split"] = of_topic.get(row["topic"], "")
    for row in (r for r in rows if not r["split"]):
        counts = Counter(r["split"] for r in rows)
        row["split"] = "calibration" if counts["calibration"] <= counts["validation"] else "validation"
    return rows


def build_compare() -> list[dict]:
    rows = []
    for topic, cells in COMPARE:
        for key in ORDER:
            status, *rest = cells.get(key, ("not_found",))
            row: dict[str, object] = {"topic": topic, "region": REGIONS[key], "status": status,
                                      "quote": None, "file": None, "line": None}
            if status != "not_found":
                if not rest:
                    raise SystemExit(f"{topic}/{key}: status {status} needs a quote")
                row.update(locate(key, *rest))
            rows.append(row)
    # Split by topic, so a topic's cells never straddle the halves; the first seeded draw in which every
    # status occurs in both halves wins (with 6 pilot cells in 4 topics, a plain draw can leave a half without).
    topics = sorted({str(r["topic"]) for r in rows})
    for attempt in range(1000):
        rng = random.Random(SEED + attempt)
        order = topics[:]
        rng.shuffle(order)
        cal = set(order[: (len(order) + 1) // 2])
        halves = [{r["status"] for r in rows if (r["topic"] in cal) == first} for first in (True, False)]
        if halves[0] == halves[1] == {r["status"] for r in rows}:
            break
    for row in rows:
        row["split"] = "calibration" if row["topic"] in cal else "validation"
    return rows


if __name__ == "__main__":
    write("questions.jsonl", build_questions())
    write("region_cells.jsonl", build_cells())
    write("compare_cells.jsonl", build_compare())
