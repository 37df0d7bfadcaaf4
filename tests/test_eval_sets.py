"""The hand-written evaluation sets stay true to the corpus and to the mix the issues ask for."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CORPUS

DATA = Path(__file__).resolve().parent / "data"
REGIONS = {"Pohjois-Pohjanmaa", "Keski-Pohjanmaa", "Etelä-Pohjanmaa", "Länsi-Uusimaa", "Lappi"}
FILE_REGION = {
    "pohjois-pohjanmaa-popsote-vammaispalvelut-oma-arviointi-2022.txt": "Pohjois-Pohjanmaa",
    "keski-pohjanmaa-soite-sote-keskus-arviointi-2022.txt": "Keski-Pohjanmaa",
    "etela-pohjanmaa-sote-keskus-hankesuunnitelma-2021.txt": "Etelä-Pohjanmaa",
    "lansi-uusimaa-palvelustrategia-arviointi-2024.txt": "Länsi-Uusimaa",
    "lappi-sote-uudistus-toimeenpanosuunnitelma-2021.txt": "Lappi",
}
LINES = {name: (CORPUS / name).read_text(encoding="utf-8").split("\n") for name in FILE_REGION}


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _quote_on_its_line(ev: dict) -> bool:
    return ev["quote"] in LINES[ev["file"]][ev["line"] - 1]


def test_questions_have_the_required_mix_and_halves():
    rows = _rows("questions.jsonl")
    kinds = Counter(r["kind"] for r in rows)
    assert len(rows) >= 150 and kinds["cross_region"] >= 40 and kinds["unanswerable"] >= 30 and kinds["numeric"] >= 30
    assert sum(r["language"] in ("en", "sv") for r in rows) >= 25
    assert len({r["id"] for r in rows}) == len(rows)
    for kind in kinds:
        halves = Counter(r["split"] for r in rows if r["kind"] == kind)
        assert set(halves) == {"calibration", "validation"} and abs(halves["calibration"] - halves["validation"]) <= 1
    assert all(r.get("figure") for r in rows if r["kind"] == "numeric")


def test_every_evidence_quote_is_verbatim_on_its_line():
    rows = _rows("questions.jsonl") + _rows("region_cells.jsonl")
    evidence = [ev for r in rows for ev in r["evidence"]]
    evidence += [{"file": c["file"], "line": c["line"], "quote": c["quote"]} for c in _rows("compare_cells.jsonl") if c["quote"]]
    bad = [ev for ev in evidence if not _quote_on_its_line(ev)]
    assert len(evidence) > 300 and not bad, bad[:3]


def test_gold_regions_are_exactly_the_regions_with_evidence():
    for r in _rows("questions.jsonl"):
        with_evidence = {FILE_REGION[ev["file"]] for ev in r["evidence"]}
        if r["kind"] == "unanswerable":
            assert r["gold_regions"] == [] and not r["evidence"], r["id"]
        else:
            assert set(r["gold_regions"]) == with_evidence, r["id"]
            assert {FILE_REGION[f] for f in r["gold_files"]} == with_evidence, r["id"]


def test_region_cells_cover_every_region_in_every_phrasing():
    rows = _rows("region_cells.jsonl")
    assert len(rows) >= 15 and 5 * len(rows) >= 70
    for r in rows:
        assert set(r["present"]) | set(r["absent"]) == REGIONS and not set(r["present"]) & set(r["absent"])
        assert {FILE_REGION[ev["file"]] for ev in r["evidence"]} == set(r["present"]), r["topic"]
        assert set(r["phrasings"]) == {"missa", "kaytossa", "en", "sv"} and r["split"] in ("calibration", "validation")
    assert sum(1 <= len(r["present"]) <= 3 for r in rows) > len(rows) / 2  # most topics are in 1-3 regions


def test_compare_cells_are_labelled_and_sourced():
    rows = _rows("compare_cells.jsonl")
    assert len(rows) >= 80 and len({(r["topic"], r["region"]) for r in rows}) == len(rows)
    for r in rows:
        assert r["status"] in ("in_use", "pilot", "planned", "mentioned", "not_found")
        assert (r["quote"] is None) == (r["status"] == "not_found")
        if r["quote"]:
            assert FILE_REGION[r["file"]] == r["region"]
    halves = Counter(r["split"] for r in rows)
    assert set(halves) == {"calibration", "validation"}


@pytest.mark.parametrize("name", ["questions.jsonl", "region_cells.jsonl", "compare_cells.jsonl"])
def test_sets_are_what_the_spec_builds(name):
    import tests.data.build_sets as build

    built = {"questions.jsonl": build.build_questions, "region_cells.jsonl": build.build_cells,
             "compare_cells.jsonl": build.build_compare}[name]()
    assert built == _rows(name)


def test_halves_keep_topics_together_and_every_status_in_each():
    compare = _rows("compare_cells.jsonl")
    half_of = {}
    for r in compare:
        assert half_of.setdefault(r["topic"], r["split"]) == r["split"], r["topic"]
    statuses = {h: {r["status"] for r in compare if r["split"] == h} for h in ("calibration", "validation")}
    assert statuses["calibration"] == statuses["validation"] == {"in_use", "pilot", "planned", "mentioned", "not_found"}
    for r in _rows("region_cells.jsonl"):
        assert half_of.get(r["topic"], r["split"]) == r["split"], r["topic"]
