"""Language detection, region gazetteer, follow-up resolution and the glossary bridge."""

from __future__ import annotations

import pytest

from assistant.followup import resolve
from assistant.glossary import bridge
from assistant.language import detect_language
from assistant.morphology import MAX_WORDS_ANALYSED
from assistant.question import is_comparative, question_kind, understand
from assistant.records import Turn
from assistant.regions import UNKNOWN_REGION, canonical_region, guess_region, mentioned_regions, strip_regions


@pytest.mark.parametrize("question, language", [
    ("Mitä Omaolo-palveluja on otettu käyttöön?", "fi"),
    ("Missä alueilla pilotoidaan Omaoloa?", "fi"),
    ("digisoite.fi mikä se on", "fi"),
    ("Which regions use Terveyskylä digital care paths?", "en"),
    ("How does the Lapland plan intend to archive old records?", "en"),
    ("Vilka funktioner vid Raseborgs sjukhuscampus övergår till välfärdsområdet?", "sv"),
    ("Hur ordnas hemvården i Lappland?", "sv"),
])
def test_detect_language(question, language):
    assert detect_language(question) == language


@pytest.mark.parametrize("text, regions", [
    ("Entä Lapissa?", ["Lappi"]),
    ("Mitä Soitella tehdään?", ["Keski-Pohjanmaa"]),
    ("POPsote ja Oulu", ["Pohjois-Pohjanmaa"]),
    ("South Ostrobothnia and Lapland", ["Etelä-Pohjanmaa", "Lappi"]),
    ("Södra Österbotten", ["Etelä-Pohjanmaa"]),
    ("Länsi-Uudellamaalla ja Espoossa", ["Länsi-Uusimaa"]),
    ("Miten Kainuun hyvinvointialue toimii?", ["Kainuu"]),
    ("Lapsiperheiden palvelut", []),
])
def test_mentioned_regions_in_three_languages_and_inflections(text, regions):
    assert mentioned_regions(text) == regions


def test_guess_region_from_text_and_unknown():
    assert guess_region("Soiten alueella Kokkolassa kehitetään. Soite vastaa palveluista.") == "Keski-Pohjanmaa"
    assert guess_region("Tämä teksti ei mainitse aluetta.") == UNKNOWN_REGION
    assert canonical_region("lapland") == "Lappi" and canonical_region("Atlantis") is None


def test_strip_regions_removes_inflected_names():
    assert strip_regions("Kuinka monta ohjaajaa on Etelä-Pohjanmaalla?") == "Kuinka monta ohjaajaa on?"


@pytest.mark.parametrize("question, expected", [
    ("Missä alueilla Omaoloa on otettu käyttöön?", True),
    ("Miten eri alueet kehittävät kotihoitoa?", True),
    ("Which regions mention 116117?", True),
    ("Vilka välfärdsområden använder Omaolo?", True),
    ("I vilka regioner finns hemsjukhus?", True),
    ("In which regions is home care developed?", True),
    ("Millä hyvinvointialueilla on kotisairaala?", True),
    ("Vertaa kotihoidon kehittämistä alueittain", True),
    ("Miten Lapissa kehitetään kotihoitoa?", False),
    ("Mitä Omaolo-palveluja Soitella on?", False),
])
def test_comparative_questions(question, expected):
    assert is_comparative(question) is expected


def test_follow_up_takes_topic_from_previous_question():
    history = [Turn("user", "Mitä Omaolo-palveluja Soitella on?"), Turn("assistant", "Oirearviot [1]")]
    resolved = resolve("entä Lapissa?", history)
    assert "Omaolo" in resolved and mentioned_regions(resolved) == ["Lappi"]
    assert resolve("and in Lapland?", history).count("Omaolo") == 1
    assert resolve("Mitä kotihoidossa tehdään Lapissa?", history) == "Mitä kotihoidossa tehdään Lapissa?"
    assert resolve("entä Lapissa?", []) == "entä Lapissa?"


def test_bridge_adds_finnish_terms():
    assert "kotihoito" in bridge("How is home care organised?")
    assert "omaishoitaja" in bridge("blankett för närståendevårdare")


def test_swedish_nouns_in_el_bridge_in_their_syncopated_plural():
    assert bridge("Vilka välfärdsområden har servicesedlar?") == "palveluseteli"
    assert bridge("Var används servicesedeln?") == "palveluseteli"
    assert bridge("Vilka har sedlar?") == ""  # the syncopated form only stands for a whole glossary term


@pytest.mark.parametrize("question, predicate", [
    ("Milloin ensiarviotiimin pilotointi alkaa?", ("pilotoi", "alka")),  # a deverbal noun and a verb
    ("Kuka hallinnoi hanketta?", ("hallinnoi",)),  # "hallinnoija", "hallinnointi" begin with it
    ("Mihin mennessä RAI-arviointivälineistö on otettava käyttöön?", ("otta", "käytt")),
    ("Mikä on kotisairaala?", ()),  # olla and mikä ask nothing of the topic
])
def test_the_predicate_is_kept_as_the_stem_its_derivations_share(question, predicate):
    assert understand(question).predicate == predicate


INDEX_REGIONS = {"Pohjois-Pohjanmaa", "Keski-Pohjanmaa", "Etelä-Pohjanmaa", "Länsi-Uusimaa", "Lappi"}


@pytest.mark.parametrize("question", [
    "Missä alueilla on kotisairaala?",
    "Millä alueilla on käytössä tai suunnitteilla kotisairaala?",
    "Missä kotisairaala on otettu käyttöön?",
    "Millä hyvinvointialueilla kotisairaalaa pilotoidaan tai kehitetään?",
    "Which regions have a hospital at home?",
    "Vilka välfärdsområden har hemsjukhus?",
])
def test_frame_words_never_reach_the_topic(question):
    query = understand(question, index_regions=INDEX_REGIONS)
    assert query.comparative
    assert [t.lemma for t in query.topic] == ["kotisairaala"]


@pytest.mark.parametrize("question, kind", [
    ("Mihin mennessä Lapin kuntien on otettava RAI-arviointivälineistö käyttöön?", "when"),
    ("Since when have the services covered the whole region?", "when"),
    ("Kuinka monta ohjaajaa koulutuksessa on?", "how_many"),
    ("Hur många invånare bor i Södra Österbotten?", "how_many"),
    ("Mikä on Länsi-Uudenmaan tavoite perhehoidon osuudelle?", "how_much"),
    ("Kuka hallinnoi hanketta?", "who"),
    ("Onko Pohjois-Pohjanmaalle perustettu vammaisneuvosto?", "yes_no"),
    ("Mitä valtakunnallisia menetelmiä Lapissa hyödynnetään?", "list"),
    ("Miten kotihoitoa kehitetään?", "open"),
    ("Miten kustannuksia on hillitty työnjaolla?", "open"),
    ("How do the regions collect customer feedback?", "open"),
    ("How much did the project cost?", "how_much"),
    # "moni" inflects: every case of it asks for a count, a word that merely begins with it does not.
    ("Kuinka monesta palvelusta kokonaisuus koostuu?", "how_many"),
    ("Monessako kunnassa on kotisairaala?", "how_many"),
    ("Monipuolistetaanko palveluja?", "yes_no"),
    ("Missä ajassa hoitoon pääsee?", "how_many"),
    ("How long does it take to get an appointment?", "how_many"),
])
def test_question_kind(question, kind):
    assert question_kind(question) == kind


def test_query_names_missing_regions_and_keeps_codes_out_of_years():
    query = understand("Miten Kainuun hyvinvointialue on ottanut Omaolon käyttöön vuonna 2022?",
                       index_regions=INDEX_REGIONS)
    assert query.missing == ("Kainuu",) and query.regions == () and not query.comparative
    assert [t.lemma for t in query.topic] == ["omaolo"] and query.numbers == ("2022",)
    assert [t.lemma for t in understand("Missä mainitaan 116117?", index_regions=INDEX_REGIONS).topic] == ["116117"]


def test_or_splits_the_topic_into_alternatives():
    query = understand("Millä alueilla kehitetään palliatiivista hoitoa tai saattohoitoa?", index_regions=INDEX_REGIONS)
    lemmas = [t.lemma for t in query.topic]
    assert query.either == ((0, 1), (2,)) and lemmas[2] == "saattohoito"


def test_english_question_keeps_the_corpus_names_and_bridges_the_rest():
    query = understand("Which regions use Omaolo symptom checker?", index_regions=INDEX_REGIONS,
                       vocabulary={"omaolo", "care"})
    assert [t.lemma for t in query.topic] == ["omaolo", "oirearvio"] and query.language == "en"
    unknown = understand("How many inhabitants live in South Ostrobothnia?", index_regions=INDEX_REGIONS)
    assert unknown.regions == ("Etelä-Pohjanmaa",) and "asukas" in [t.lemma for t in unknown.topic]


def test_analysis_work_per_question_is_bounded():
    words = " ".join(f"sana{i}x" for i in range(MAX_WORDS_ANALYSED + 30))
    query = understand(f"Mitä {words}?", index_regions=INDEX_REGIONS)
    assert len(query.topic) == MAX_WORDS_ANALYSED + 30  # every word kept, only the first ones analysed


def test_a_noun_derived_from_a_verb_names_the_topic():
    query = understand("Miten alueet kehittävät asiakkaiden tunnistamista ja hoidon jatkuvuutta?", index_regions=INDEX_REGIONS)
    nouns = {t.lemma: t.verb for t in query.topic}
    assert nouns.get("jatkuvuus") is False and any(not v for k, v in nouns.items() if k.startswith("tunnista"))
    assert next(t for t in query.topic if t.lemma.startswith("kehittäv")).verb  # the question's verb stays a verb

