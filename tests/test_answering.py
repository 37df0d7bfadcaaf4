"""Answer logic: fusion, sentence splitting, the kind of fact a sentence holds, ranking, citations, and the
extractive composer end to end on the small corpus (region evidence, honest abstention)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from assistant.answering import Citations
from assistant.hybrid import rrf_lists
from assistant.question import Term
from assistant.ranking import (
    Candidate,
    Echo,
    answers_kind,
    has_count,
    has_date,
    has_organisation,
    near_topic,
    rank,
)
from assistant.records import Chunk, Passage
from assistant.relevance import Relevance, Thresholds
from assistant.sentence_index import IndexedSentence
from assistant.sentences import split_sentences
from assistant.service import Assistant
from assistant.topic import lemma_sequence
from tests.test_api import FAKE_THRESHOLDS


def passage(text: str, region: str = "Lappi", cid: int = 1) -> Passage:
    chunk = Chunk(cid, f"doc-{region}", region, f"{region} raportti", "", text, 0, len(text), (1, 2), None)
    return Passage(chunk, 0.5, 0.85, 1.0)


def sentence(text: str, sid: int = 0) -> IndexedSentence:
    sequence, tokens = lemma_sequence(text)
    return IndexedSentence(sid, text, "doc", 0, len(text), frozenset(sequence), tokens, sequence, True, False, (1,))


def test_rrf_rewards_agreement_between_legs():
    dense = np.array([0, 1, 2])  # rows, best first
    lexical = np.array([1, 2, 0])
    fused = rrf_lists([dense, lexical], [1.0, 1.0], 60)
    assert max(fused, key=fused.__getitem__) == 1  # second in one leg, first in the other beats first-and-last
    assert rrf_lists([dense, lexical], [1.0, 0.0], 60) == rrf_lists([dense], [1.0], 60)


@pytest.mark.parametrize("text, expected", [
    ("Hoitoon pääsy parani mm. Kokkolassa: 40 % sai ajan 7 päivässä. Yöpartio aloitti 1.3.2021 Kokkolassa.",
     ["Hoitoon pääsy parani mm. Kokkolassa: 40 % sai ajan 7 päivässä.", "Yöpartio aloitti 1.3.2021 Kokkolassa."]),
    ("Tarkoitus ottaa tiimi käyttöön koko hyvinvointialueelle v. 2023 aikana. Kunnat aloittavat 1.4.2023.",
     ["Tarkoitus ottaa tiimi käyttöön koko hyvinvointialueelle v. 2023 aikana.", "Kunnat aloittavat 1.4.2023."]),
    ("Kustannukset ovat n. 2 milj. euroa, esim. Omaolo ja ns. Kanta-palvelut ks. s. 14 vrt. klo 12.",
     ["Kustannukset ovat n. 2 milj. euroa, esim. Omaolo ja ns. Kanta-palvelut ks. s. 14 vrt. klo 12."]),
    ("Palveluja ovat kotihoito, perhehoito jne. Seuraava lause alkaa tästä.",
     ["Palveluja ovat kotihoito, perhehoito jne.", "Seuraava lause alkaa tästä."]),
    ("Tavoitteet:\n\n1. Vahvistamme perustasoa ja työnjakoa.\n\n2. Otamme käyttöön uuden palvelupolun.",
     ["Tavoitteet:", "Vahvistamme perustasoa ja työnjakoa.", "Otamme käyttöön uuden palvelupolun."]),
    ("Työryhmät kokoontuvat Kokkolassa ja\nVetelissä. Kotisairaala aloitti toimintansa.",
     ["Työryhmät kokoontuvat Kokkolassa ja Vetelissä.", "Kotisairaala aloitti toimintansa."]),
])
def test_sentences_keep_abbreviations_dates_list_items_and_wrapped_lines(text, expected):
    found = split_sentences(text)
    assert [s.text for s in found] == expected
    for s in found:  # offsets point at the sentence in the text (whitespace aside)
        assert " ".join(text[s.start:s.end].split()) == s.text


def test_numbered_items_are_marked_and_lose_their_number():
    items = split_sentences("1. Vahvistamme perustasoa.\n2. Otamme käyttöön palvelupolun.")
    assert [s.item for s in items] == [True, True] and items[1].text.startswith("Otamme")


@pytest.mark.parametrize("kind, text, fits", [
    ("when", "Kuntien on aloitettava RAI-välineistön käyttö viimeistään 1.4.2023.", True),
    ("when", "Liikkuvan sairaalan palvelut kattavat koko alueen 03/24 alkaen.", True),
    ("when", "RAI-välineistö parantaa palvelujen laatua.", False),
    ("how_many", "Etelä-Pohjanmaalla on yhdeksän eri sote-organisaatiota.", True),
    ("how_many", "Teema 4: Henkilöstön saatavuus", False),
    ("how_many", "4 Kotisairaala ja Liikkuva sairaala toimii koko alueella.", False),
    ("how_much", "Tavoitteena perhehoidon osuus 70 % vuonna 2030", True),
    ("how_much", "Hanke kattaa useita kuntia.", False),
    ("how_much", "Kotihoidon käynneistä toteutetaan n. 9% etänä.", True),
    ("who", "Omaolon käyttöönotto toteutetaan yhteistyössä DigiFinland Oy:n kanssa.", True),
    ("who", "Palvelu toimii hyvin kaikilla asemilla.", False),
])
def test_a_sentence_holds_the_kind_of_fact_asked(kind, text, fits):
    assert answers_kind(kind, text) is fits


def test_fact_detectors_ignore_years_labels_and_glued_goal_numbers():
    assert has_date("Pilotointi alkaa 10/2022 Oulussa") and not has_date("Tuotannossa (15/16) asemaa")
    assert not has_count("vuonna 2021 Teema 4") and has_count("koulutuksessa 15 ohjaajaa")
    assert has_organisation("Hankkeen hallinnoijana toimii Seinäjoen kaupunki.")
    assert has_count("Asiakasmäärä vähintään 100.")  # a full stop after the count ends the sentence
    assert not has_count("PARADISE24fin-mittarin käyttöönotto")  # a number glued to letters is a code


def _topic(*lemmas: str) -> object:
    chunks = [["yöpartio", "kotihoito"], ["lääkäri", "asiakas"], ["ohjaaja", "koulutus"], ["perhehoito", "osuus"]]
    return Relevance.of_tokens(chunks * 5, Thresholds()).topic([Term(lemma) for lemma in lemmas])


def test_a_figure_answers_only_next_to_the_topic():
    assert near_topic("how_many", "Koulutuksessa on 15 ohjaajaa.", _topic("ohjaaja"))
    assert not near_topic("how_many", "Vastuulääkärin on saanut 35 asiakasta.", _topic("lääkäri"))
    assert near_topic("how_much", "Tavoitteena perhehoidon osuus 70 % vuonna 2030", _topic("perhehoito", "osuus"))


def test_rank_prefers_the_sentence_with_the_asked_date():
    topic = _topic("yöpartio")
    candidates = [Candidate(sentence("Yöpartio on tärkeä osa kotihoitoa.", 0), 0),
                  Candidate(sentence("Yöpartio aloitti toimintansa 1.3.2021 Kokkolassa.", 1), 1)]
    assert rank("when", topic, candidates)[0].candidate.sentence.id == 1
    assert rank("open", topic, candidates)[0].candidate.sentence.id == 0  # no prior: the better passage


def test_rank_prefers_the_sentence_that_says_what_was_asked():
    topic = _topic("yöpartio")
    candidates = [Candidate(sentence("Yöpartio otetaan käyttöön koko alueella 1.1.2023.", 0), 0),
                  Candidate(sentence("Yöpartion pilotointi alkaa 10/2022 Kokkolassa.", 1), 1)]
    assert rank("when", topic, candidates)[0].candidate.sentence.id == 0  # the better passage
    asked = Echo(predicate=("pilotoi", "alka"))  # "Milloin yöpartiota pilotoidaan?"
    assert rank("when", topic, candidates, echo=asked)[0].candidate.sentence.id == 1


def test_citations_number_passages_in_order_of_first_use():
    a, b = passage("A", cid=10), passage("B", cid=20)
    cites = Citations()
    assert [cites.number(b), cites.number(a), cites.number(b)] == [1, 2, 1]
    assert [c.passage.chunk.chunk_id for c in cites.all()] == [20, 10]


@pytest.fixture
def small_assistant(small_index, fake_embedder):
    return Assistant(small_index, fake_embedder, FAKE_THRESHOLDS)


@pytest.mark.parametrize("question", ["Missä alueilla on yöpartio?",
                                      "Millä alueilla on käytössä tai suunnitteilla yöpartio?",
                                      "Which regions have a night patrol?",
                                      "Vilka välfärdsområden har nattpatrull?"])
def test_only_regions_with_evidence_are_listed_whatever_the_wording(small_assistant, question):
    answer = small_assistant.ask(question)
    assert not answer.abstained
    assert {c.passage.chunk.region for c in answer.citations} == {"Keski-Pohjanmaa"}
    lines = answer.text.splitlines()
    assert lines[1].startswith("**Keski-Pohjanmaa** — ") and "yöpartio" in lines[1].lower()
    assert any(line.endswith(": Lappi.") for line in lines)  # the region without evidence, named once


def test_each_region_line_quotes_its_own_evidence(small_assistant):
    answer = small_assistant.ask("Missä alueilla Omaolo on käytössä?")
    lines = [line for line in answer.text.splitlines() if line.startswith("**")]
    assert len(lines) == 2 and all("omaolo" in line.lower() and re.search(r"\[\d\]$", line) for line in lines)
    assert "Ei mainintaa" not in answer.text


def test_absent_topic_abstains_and_says_what_the_documents_do_say(small_assistant):
    answer = small_assistant.ask("Kuinka monta ambulanssia Lapissa on?")
    assert answer.abstained and "ambulanssi" in answer.text.lower()


def test_figure_question_without_a_figure_abstains_with_the_closest_mention(small_assistant):
    answer = small_assistant.ask("Kuinka monta kotihoidon asiakasta Lapissa on?")
    assert answer.abstained and answer.text.startswith("Aineistossa ei kerrota kysyttyä lukumäärää.")
    assert "Lähin maininta:" in answer.text and "[1]" in answer.text and answer.citations


def test_date_question_quotes_the_sentence_with_the_date(small_assistant):
    answer = small_assistant.ask("Milloin Omaolo-palvelu otettiin käyttöön Lapissa?")
    assert not answer.abstained and "2021" in answer.text
    assert {c.passage.chunk.region for c in answer.citations} == {"Lappi"}
