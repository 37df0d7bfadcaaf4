"""The eval metrics on small hand-made answers and tables, and `assistant eval --url` against a real server."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from assistant.eval_backends import (
    CellView,
    CompareUnavailable,
    InProcess,
    Reply,
    Source,
    cells_from_json,
    reply_from_answer,
)
from assistant.eval_compare import evaluate_compare, names_topic, score_cells
from assistant.evaluation import (
    Case,
    carries_figure,
    cited_regions,
    evaluate_cells,
    prf,
    quotes_evidence,
    score_case,
)
from assistant.records import Answer, Chunk, Citation, Passage


def _passage(region: str, text: str, cid: int) -> Passage:
    return Passage(Chunk(cid, f"doc-{region}", region, "t", "", text, 0, len(text), None, None), 1.0)


def _case(**kw: object) -> Case:
    base = {"id": "X", "question": "q", "kind": "fact", "split": "calibration", "regions": ("Lappi",), "quotes": ()}
    return Case(**{**base, **kw})  # type: ignore[arg-type]


class Scripted:
    """A backend that returns prepared replies per question (to test how metrics aggregate)."""

    name = "scripted"

    def __init__(self, replies: dict[str, Reply], cells: Sequence[CellView] | None = None) -> None:
        self.replies, self.cells = replies, cells

    def ask(self, question: str) -> Reply:
        return self.replies[question]

    def compare(self, topics: Sequence[str]) -> list[CellView]:
        if self.cells is None:
            raise CompareUnavailable("no compare here")
        return [c for c in self.cells if c.topic in topics]


def test_no_mention_line_does_not_count_as_cited():
    reply = Reply("Aineistosta löytyi tietoa 2 alueelta:\n**Lappi** — RAI käyttöön. [1]\n**Keski-Pohjanmaa** — RAI-mittarit. [2]\n"
                  "Ei mainintaa aineistossa: Länsi-Uusimaa [3], Pohjois-Pohjanmaa.", False,
                  (Source("Lappi", "a", 1), Source("Keski-Pohjanmaa", "b", 2), Source("Länsi-Uusimaa", "c", 3)), ())
    assert cited_regions(reply) == {"Lappi", "Keski-Pohjanmaa"}
    no_markers = Reply("Kaksi aluetta.", False, (Source("Lappi", "a", 1), Source("Länsi-Uusimaa", "c", 2)), ())
    assert cited_regions(no_markers) == {"Lappi", "Länsi-Uusimaa"}


def test_score_case_from_real_answer_records():
    quote = "Kuntien on aloitettava RAI-välineistön käyttö viimeistään 1.4.2023."
    passages = [_passage("Lappi", "Muuta tekstiä.", 1), _passage("Keski-Pohjanmaa", "RAI-mittarit ovat mukana.", 2),
                _passage("Lappi", f"Vanhuspalvelulaki muuttui. {quote}", 3)]
    answer = Answer(f"**Lappi** — {quote} [1]\n**Keski-Pohjanmaa** — RAI-mittarit ovat mukana. [2]", False, "fi",
                    (Citation(1, passages[2]), Citation(2, passages[1])), tuple(passages))
    case = _case(kind="cross_region", regions=("Lappi", "Länsi-Uusimaa"), quotes=("kuntienonaloitettavaraivälineistön",),
                 lines=(quote,), figure="1.4.2023")
    row = score_case(case, reply_from_answer(answer))
    assert row["hit@5"] and row["rr@10"] == pytest.approx(1 / 3)
    assert row["cited"] == ["Keski-Pohjanmaa", "Lappi"] and row["cited_precision"] == 0.5 and row["cited_recall"] == 0.5
    assert row["evidence_sentence"] and row["figure"] and row["region_recall@10"] == 0.5
    assert prf(set(), {"Lappi"}) == (0.0, 0.0, 0.0)


def test_evidence_sentence_needs_the_quote_or_sixty_percent_of_the_line():
    line = "Omaolo-palveluista on tuotannossa kaikki oirearviot (15/16, pl. yleinen oirearvio) ja palveluarviot"
    case = _case(quotes=("omaolopalveluistaontuotannossakaikkioirearviot",), lines=(line,))
    assert quotes_evidence("Soitessa: Omaolo-palveluista on tuotannossa\nkaikki oirearviot. [1]", case)
    words = ["omaolo", "palveluista", "on", "tuotannossa", "kaikki", "oirearviot", "15", "16", "pl", "yleinen", "oirearvio", "ja", "palveluarviot"]
    assert len(set(words)) == 13  # "15/16" gives two words
    eight = " ".join(reversed([words[i] for i in (0, 3, 4, 6, 7, 8, 9, 10)]))  # 8/13 = 0.62, any order
    seven = " ".join(words[i] for i in (0, 3, 4, 6, 7, 8, 9))  # 7/13 = 0.54
    no_quote = _case(quotes=(), lines=(line,))
    assert quotes_evidence(eight, no_quote) and not quotes_evidence(seven, no_quote)
    assert not quotes_evidence("Lapissa otetaan käyttöön Omaolo.", case)


@pytest.mark.parametrize(("answer", "figure", "expected"), [
    ("Tavoitteena perhehoidon osuus 70 % vuonna 2030.", "70 %", True),
    ("osuus 70%", "70 %", True),
    ("osuus 70\u00a0%", "70 %", True),
    ("noin 8\u202f533 000 €", "8 533 000", True),
    ("etäkäynnit 8.8 %", "8,8 %", True),
    ("vaihtelee 15–153 päivää", "15-153", True),
    ("Kokkola 142.", "42", False),
    ("Kokkola 18 [42]", "42", False),
    ("v. 2023 aikana", "2023|1.1.2024", True),
    ("viimeistään 1.4.2023.", "1.4.2023", True),
    ("viimeistään 1.4.2024.", "1.4.2023", False),
    ("Yhdeksän organisaatiota", "yhdeksän|9", True),
])
def test_figure_is_normalised(answer, figure, expected):
    assert carries_figure(answer, figure) is expected


def test_region_cells_are_scored_per_phrasing():
    topic = {"topic": "yöpartio", "present": ["Keski-Pohjanmaa"], "absent": ["Lappi", "Länsi-Uusimaa"],
             "phrasings": {"missa": "Missä on yöpartio?", "en": "Which regions have a night patrol?"}}
    right = Reply("**Keski-Pohjanmaa** — yöpartio [1]\nEi mainintaa aineistossa: Lappi, Länsi-Uusimaa.", False,
                  (Source("Keski-Pohjanmaa", "x", 1),), ())
    wrong = Reply("**Keski-Pohjanmaa** — yöpartio [1]\n**Lappi** — kotihoito [2]", False,
                  (Source("Keski-Pohjanmaa", "x", 1), Source("Lappi", "y", 2)), ())
    result = evaluate_cells(Scripted({"Missä on yöpartio?": right, "Which regions have a night patrol?": wrong}), [topic])
    assert result["summary"]["by_phrasing"]["missa"] == {"cells": 3, "accuracy": 1.0}
    assert result["summary"]["by_phrasing"]["en"]["accuracy"] == pytest.approx(2 / 3, abs=0.001)
    assert result["rows"][1]["wrongly_cited"] == ["Lappi"]


def test_compare_cells_presence_status_and_topic_naming():
    labelled = [{"topic": "kotisairaala", "region": r, "status": s} for r, s in
                [("Keski-Pohjanmaa", "in_use"), ("Etelä-Pohjanmaa", "planned"), ("Lappi", "not_found"), ("Länsi-Uusimaa", "in_use")]]
    predicted = [CellView("kotisairaala", "Keski-Pohjanmaa", "in_use", "Jokilaaksojen kotisairaalan henkilöstölle koulutusta."),
                 CellView("kotisairaala", "Etelä-Pohjanmaa", "in_use", "Kotiin vietäviä palveluita laajennetaan."),
                 CellView("kotisairaala", "Lappi", "mentioned", "Kotihoito on tärkeä palvelu.")]
    summary = score_cells(labelled, predicted)["summary"]  # Länsi-Uusimaa missing from the table: not_found
    assert summary["presence_accuracy"] == 0.5 and summary["status_accuracy"] == 0.25
    assert summary["status_accuracy_present"] == pytest.approx(1 / 3, abs=0.001)
    assert summary["evidence_names_topic"] == pytest.approx(1 / 3, abs=0.001)
    assert summary["confusion"]["in_use"]["not_found"] == 1


def test_topic_naming_handles_inflection_and_generic_words():
    assert names_topic("AVAIN -mittarin pilotointi jatkuu", "AVAIN-mittari")
    assert names_topic("Kuntien on aloitettava RAI-välineistön käyttö", "RAI-arviointi")
    assert not names_topic("Kuntien on aloitettava arvioinnit", "RAI-arviointi")
    assert not names_topic(None, "Omaolo")
    assert names_topic("Yhtenäisen palvelusetelijärjestelmän käyttöönotto", "palveluseteli")
    assert not names_topic("MC Saga mahdollistaa palvelukohtaista seurantaa", "palveluseteli")
    assert names_topic("Yhteistyötä OT-keskuksen kanssa aloiteltu.", "OT-keskus")
    assert not names_topic("Kunnat ottavat mallin käyttöön keskuksessa.", "OT-keskus")


def test_compare_is_skipped_with_a_note_when_unavailable():
    labelled = [{"topic": "Omaolo", "region": "Lappi", "status": "planned"}]
    assert "skipped" in evaluate_compare(Scripted({}), labelled)["summary"]
    with pytest.raises(CompareUnavailable):
        InProcess(object()).compare(["Omaolo"])
    cells = cells_from_json({"cells": [{"topic": "Omaolo", "region": "Lappi", "status": "planned",
                                        "evidence": {"text": "Otetaan käyttöön OmaOlo"}, "more": 2}]})
    assert cells == [CellView("Omaolo", "Lappi", "planned", "Otetaan käyttöön OmaOlo", 2)]


# -- through a real HTTP server ------------------------------------------------------------------------------
@pytest.fixture
def server_url(small_index, fake_embedder) -> Iterator[str]:
    from assistant.api import create_app
    from assistant.service import Assistant
    from tests.live import serve
    from tests.test_api import FAKE_THRESHOLDS

    with serve(create_app(small_index, Assistant(small_index, fake_embedder, FAKE_THRESHOLDS))) as url:
        yield url


def test_eval_over_http_matches_in_process(server_url, small_index, fake_embedder, tmp_path: Path, capsys):
    from assistant.cli import main
    from assistant.eval_backends import Http
    from assistant.eval_report import run
    from assistant.service import Assistant
    from tests.test_api import FAKE_THRESHOLDS

    questions = tmp_path / "q.jsonl"
    rows = [{"id": "A", "question": "Kokkolan yöpartio aloitti", "kind": "fact", "split": "calibration",
             "gold_regions": ["Keski-Pohjanmaa"], "evidence": [{"file": "soite-raportti.txt", "line": 3,
                                                                "quote": "Kokkolan yöpartio aloitti vuonna 2021."}],
             "figure": "2021"},
            {"id": "B", "question": "Omaolo käytössä", "kind": "cross_region", "split": "validation",
             "gold_regions": ["Keski-Pohjanmaa", "Lappi"], "evidence": []}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    compare = tmp_path / "c.jsonl"
    compare.write_text(json.dumps({"topic": "Omaolo", "region": "Lappi", "status": "in_use", "quote": "x",
                                   "file": "f", "line": 1, "split": "validation"}), encoding="utf-8")
    assert main(["eval", str(questions), str(compare), "--url", server_url, "--json"]) == 0
    over_http = json.loads(capsys.readouterr().out)
    local = run(InProcess(Assistant(small_index, fake_embedder, FAKE_THRESHOLDS)), [questions, compare])
    assert over_http["sets"][0]["splits"]["calibration"]["rows"] == local["sets"][0]["splits"]["calibration"]["rows"]
    assert over_http["sets"][0]["splits"]["validation"]["rows"] == local["sets"][0]["splits"]["validation"]["rows"]
    compared = over_http["sets"][1]["splits"]["validation"]["summary"]
    assert compared["cells"] == 1 and ("skipped" not in compared or "no POST /api/compare" in compared["skipped"])
    assert Http(server_url).ask("Omaolo").passages  # the HTTP view carries the retrieved passages
    assert main(["eval", str(tmp_path / "missing.jsonl"), "--url", server_url]) == 2


def test_in_process_compare_gives_one_view_per_topic_and_region(small_index, fake_embedder):
    from assistant.service import Assistant
    from tests.test_api import FAKE_THRESHOLDS

    cells = InProcess(Assistant(small_index, fake_embedder, FAKE_THRESHOLDS)).compare(["yöpartio", "Omaolo"])
    assert {(c.topic, c.region) for c in cells} == {(t, r) for t in ("yöpartio", "Omaolo") for r in ("Lappi", "Keski-Pohjanmaa")}
    assert all((c.evidence is None) == (c.status == "not_found") for c in cells)


def test_calibration_split_never_shows_unsplit_validation_data():
    from assistant.eval_report import _groups

    rows = [{"split": "calibration"}, {"split": "validation"}, {}]
    names = {s: set(_groups(rows, lambda r: r.get("split", "all"), s)) for s in ("calibration", "validation", "all")}
    assert names == {"calibration": {"calibration"}, "validation": {"validation", "all"},
                     "all": {"calibration", "validation", "all"}}
