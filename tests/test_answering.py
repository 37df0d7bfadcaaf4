"""Pure answer logic: fusion, sentence selection, citation numbering, region grouping, abstention."""

from __future__ import annotations

import numpy as np

from assistant.answering import (
    Citations,
    compose_by_region,
    compose_not_found,
    compose_single,
    pick_sentences,
)
from assistant.records import Chunk, Passage
from assistant.relevance import Relevance, Thresholds
from assistant.retrieval import rrf
from assistant.sentences import split_sentences


def passage(text: str, region: str = "Lappi", cid: int = 1, dense: float = 0.85, score: float = 0.5) -> Passage:
    chunk = Chunk(cid, f"doc-{region}", region, f"{region} raportti", "", text, 0, len(text), (1, 2), None)
    return Passage(chunk, score, dense, 1.0)


def test_rrf_rewards_agreement_between_legs():
    dense_ranks = np.array([0, 1, 2])
    lexical_ranks = np.array([2, 0, 1])
    fused = rrf([dense_ranks, lexical_ranks], [1.0, 1.0], 60)
    assert fused.argmax() == 1  # second in one leg, first in the other beats first-and-last
    assert np.allclose(rrf([dense_ranks, lexical_ranks], [1.0, 0.0], 60), rrf([dense_ranks], [1.0], 60))


def test_sentences_keep_numbers_and_abbreviations_intact():
    text = "Hoitoon pääsy parani mm. Kokkolassa: 40 % sai ajan 7 päivässä. Yöpartio aloitti 1.3.2021 Kokkolassa."
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == ["Hoitoon pääsy parani mm. Kokkolassa: 40 % sai ajan 7 päivässä.",
                         "Yöpartio aloitti 1.3.2021 Kokkolassa."]
    assert all(text[s.start:s.start + 10] == s.text[:10] for s in split_sentences(text))


def test_pick_sentences_prefers_the_sentence_that_answers():
    p = passage("Lapissa järjestetään koulutuksia. Omaolo-palvelu otettiin käyttöön vuonna 2021 Rovaniemellä. "
                "Sää oli kylmä koko vuoden ajan.")
    picks = pick_sentences("Milloin Omaolo otettiin käyttöön?", "fi", [p], limit=1)
    assert picks[0].sentence.text == "Omaolo-palvelu otettiin käyttöön vuonna 2021 Rovaniemellä."


def test_citations_number_passages_in_order_of_first_use():
    a, b = passage("A", cid=10), passage("B", cid=20)
    cites = Citations()
    assert [cites.number(b), cites.number(a), cites.number(b)] == [1, 2, 1]
    assert [c.passage.chunk.chunk_id for c in cites.all()] == [20, 10]


def test_single_answer_cites_each_sentence():
    p1 = passage("Omaolo-oirearviot ovat tuotannossa kaikilla terveysasemilla vuodesta 2021.", cid=1)
    p2 = passage("Omaolo-palveluarviot otettiin käyttöön myös sosiaalihuollossa vuonna 2022.", cid=2)
    answer = compose_single("Mitä Omaolo-palveluja on käytössä?", "fi", [p1, p2])
    assert not answer.abstained and "[1]" in answer.text
    numbers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)}
    assert numbers == {c.n for c in answer.citations}


def test_region_answer_groups_by_region_with_own_citations():
    groups = {"Lappi": [passage("Lapissa Omaolo otetaan käyttöön DigiFinlandin kanssa.", "Lappi", 1)],
              "Keski-Pohjanmaa": [passage("Soitessa Omaolo-oirearviot ovat tuotannossa.", "Keski-Pohjanmaa", 2)]}
    answer = compose_by_region("Missä alueilla Omaolo on käytössä?", "en", groups, [])
    lines = answer.text.splitlines()
    assert lines[0].startswith("The documents have evidence from 2 regions")
    assert lines[1].startswith("**Lappi** — ") and lines[1].endswith("[1]")
    assert lines[2].startswith("**Keski-Pohjanmaa** — ") and lines[2].endswith("[2]")
    assert [c.passage.chunk.region for c in answer.citations] == ["Lappi", "Keski-Pohjanmaa"]


def test_not_found_names_missing_region_in_question_language():
    answer = compose_not_found("fi", [passage("jotain")], ["Kainuu"])
    assert answer.abstained and not answer.citations and "Kainuu" in answer.text
    assert answer.text.startswith("Aineistosta ei löytynyt vastausta")
    assert compose_not_found("sv", []).text.startswith("Materialet innehåller inget svar")


def test_regions_with_evidence_drops_weak_regions():
    groups = {"Lappi": [passage("Omaolo käytössä Lapissa", "Lappi", 1, dense=0.88)],
              "Kainuu": [passage("Jotain aivan muuta", "Kainuu", 2, dense=0.80)],
              "Pohjanmaa": [passage("Omaolo on käytössä", "Pohjanmaa", 3, dense=0.86)]}
    relevance = Relevance([p.chunk for ps in groups.values() for p in ps], Thresholds(region_margin=0.05))
    terms = relevance.terms("Missä Omaolo on käytössä?", "fi")
    assert list(relevance.regions_with_evidence("Missä Omaolo on käytössä?", terms, groups, "fi")) == [
        "Lappi", "Pohjanmaa"]
    # Nothing relevant enough anywhere: no region qualifies, so the service abstains.
    weak = {r: [Passage(p.chunk, p.score, 0.5, 0.0) for p in ps] for r, ps in groups.items()}
    assert relevance.regions_with_evidence("Missä Omaolo on käytössä?", terms, weak, "fi") == {}


def test_english_terms_use_glossary_and_known_names():
    chunks = [passage("Kotihoito ja Omaolo käytössä.", "Lappi", 1).chunk]
    terms = Relevance(chunks, Thresholds()).terms("Is Omaolo used in home care?", "en")
    assert {"omaolo", "kotihoito"} <= terms and "used" not in terms
