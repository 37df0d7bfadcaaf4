"""Practice-map status from one sentence: Finnish tense, mood and cue words; the most advanced one wins."""

from __future__ import annotations

import pytest

from assistant.status import classify, decide


@pytest.mark.parametrize("text, status", [
    ("Omaolo otettiin käyttöön vuonna 2021.", "in_use"),
    ("Omaolo-oirearviot ovat tuotannossa (15/16).", "in_use"),
    ("Jokilaaksojen kotisairaala on toiminnassa.", "in_use"),
    ("Ensiarviotiimi on perustettu ja toiminta on vakiintunut.", "in_use"),
    ("Lääkeautomaatteja käytetään kotihoidossa.", "in_use"),
    ("Yöpartiota pilotoidaan Kokkolassa.", "pilot"),
    ("AVAIN-mittarin kokeilu jatkuu aikuissosiaalityössä.", "pilot"),
    ("Omaolo otetaan käyttöön vuonna 2023.", "planned"),
    ("Suunnitellaan digipalveluyksikön perustaminen.", "planned"),
    ("Tavoitteena on ottaa Omaolo käyttöön.", "planned"),
    ("Palvelu tullaan ottamaan käyttöön 2023.", "planned"),
    ("Omaoloa ei ole vielä otettu käyttöön.", "planned"),
    ("Hyödynnetään Omaoloa asiakasohjauksessa.", "planned"),
    ("Kotisairaala mainitaan raportissa.", "mentioned"),
])
def test_classify(text, status):
    assert classify(text) == status


def test_most_advanced_status_wins_and_names_its_sentence():
    texts = ["Kotisairaalan laajentamista suunnitellaan.", "Kotisairaala otettiin käyttöön 2021.",
             "Kotisairaalaa pilotoidaan."]
    assert decide(texts) == ("in_use", 1)
    assert decide([]) == ("not_found", -1)
