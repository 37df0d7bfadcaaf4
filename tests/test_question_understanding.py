"""Language detection, region gazetteer, follow-up resolution and the glossary bridge."""

from __future__ import annotations

import pytest

from assistant.followup import resolve
from assistant.glossary import bridge
from assistant.language import detect_language
from assistant.records import Turn
from assistant.regions import UNKNOWN_REGION, canonical_region, guess_region, mentioned_regions, strip_regions
from assistant.retrieval import is_comparative


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
