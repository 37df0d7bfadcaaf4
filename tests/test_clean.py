"""Cleaning of extraction artefacts, checked on excerpts of the real corpus files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.clean import clean_text, line_at

CORPUS = Path(__file__).parent.parent / "corpus"
FILES = {
    "000": "pohjois-pohjanmaa-popsote-vammaispalvelut-oma-arviointi-2022.txt",
    "001": "keski-pohjanmaa-soite-sote-keskus-arviointi-2022.txt",
    "002": "etela-pohjanmaa-sote-keskus-hankesuunnitelma-2021.txt",
    "003": "lansi-uusimaa-palvelustrategia-arviointi-2024.txt",
    "004": "lappi-sote-uudistus-toimeenpanosuunnitelma-2021.txt",
}


def _raw(key: str) -> str:
    path = CORPUS / FILES[key]
    if not path.exists():
        pytest.skip(f"corpus file {path.name} not present")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {key: clean_text(_raw(key)).text for key in FILES}


def test_hyphenation_joined_across_blank_lines() -> None:
    raw = "parantaminen ja jatku-\n\nvuuden turvaaminen (Lean-kou-\n\nlutus) keskimäärin 55\n\n%:ssa"
    assert clean_text(raw).text == "parantaminen ja jatkuvuuden turvaaminen (Lean-koulutus) keskimäärin 55 %:ssa"


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("yhteistyö sote-\nkeskuksien kanssa", "sote-keskuksien"),
        ("käyttöön SBM-\nasiakkuudenhallinta", "SBM-asiakkuudenhallinta"),
        ("asiakkaan oikea-\naikaisen palvelun", "oikea-aikaisen"),
        ("IPC oh-\njaajaa", "IPC ohjaajaa"),
        ("kun-\ntien yhteinen", "kuntien"),
    ],
)
def test_compound_hyphens_kept_word_hyphens_removed(raw: str, joined: str) -> None:
    assert joined in clean_text(raw).text


def test_real_hyphenation(cleaned: dict[str, str]) -> None:
    assert "sote-keskuksien, vammaispalvelun" in cleaned["000"]
    assert "SBM-asiakkuudenhallinta" in cleaned["000"]
    assert "jatkuvuuden parantaminen" in cleaned["001"]
    assert "26 IPC ohjaajaa" in cleaned["002"]
    assert "(142 826 euroa)" in cleaned["002"]
    assert "oikea-aikainen" in cleaned["003"]


def test_toc_and_page_numbers_dropped(cleaned: dict[str, str]) -> None:
    text = cleaned["004"]
    assert "....." not in text
    assert "Sisällysluettelo" not in text
    assert "5.3.3 Asukkaiden sote-asioinnin keskittäminen yhteen sähköisen asioinnin kanavaan ja\n" not in text
    assert "\n1\n" not in text[:400]
    assert text.count("1. Johdanto") == 1


def test_score_digits_are_not_page_numbers(cleaned: dict[str, str]) -> None:
    # 003's bare 1-5 scores jump around; they are data and stay.
    raw_scores = sum(1 for line in _raw("003").split("\n") if line.strip() in {"1", "2", "3", "4", "5"})
    kept = sum(1 for line in cleaned["003"].split("\n") if line.strip() in {"1", "2", "3", "4", "5"})
    assert raw_scores > 10
    assert kept >= raw_scores - 2


def test_slide_furniture_dropped(cleaned: dict[str, str]) -> None:
    lines = cleaned["003"].split("\n")
    assert "PALVELUSTRATEGIA" not in lines
    assert "Sanallinen arviointi" not in lines
    assert "(1-5)" not in lines
    assert "4 Luovumme pitkäaikaisesta asumisesta laitoshoidossa. 5 Pitkäaikaisesta" in cleaned["003"]


def test_repeated_cells_that_are_content_stay(cleaned: dict[str, str]) -> None:
    # Status cells of 002's Taulukko 1 and hyphenation tails repeat often but are not furniture.
    assert cleaned["002"].count("Käynnissä") >= 10
    assert "tietojärjestelmien yhtenäistäminen" in cleaned["004"]
    assert "ja kehittämistoimen käynnistäminen" in cleaned["004"]


def test_boilerplate_blocks_kept_once(cleaned: dict[str, str]) -> None:
    text = cleaned["000"]
    assert text.count("Kotoa kotiin -palveluketju toimii nykyistä sujuvammin") == 1
    assert text.count("1. Palvelujen saatavuus on parantunut") == 1
    assert text.count("Tähän saakka tehdyn työn arvioinnin tulokset") <= 1


def test_bullets_normalised(cleaned: dict[str, str]) -> None:
    for text in cleaned.values():
        assert "\uf0b7" not in text and "\uf0a7" not in text and "\u2212 " not in text
    assert "- Rakenneuudistushanke STM 2020-2021" in cleaned["002"]


def test_contacts_masked(cleaned: dict[str, str]) -> None:
    assert "@" not in cleaned["004"]
    assert "mailto" not in cleaned["004"]
    assert "Marja-Liisa Kelloniemi\n[sähköposti]" in cleaned["004"]
    masked = clean_text("Lisätiedot: matti.meikalainen@example.fi, puh. 040 123 4567.").text
    assert masked == "Lisätiedot: [sähköposti], puh. [puhelin]."
    assert "@" in clean_text("a.b@example.fi", mask_contacts=False).text


def test_duplicate_url_lines_dropped(cleaned: dict[str, str]) -> None:
    url = "https://thl.fi/fi/tilastot-ja-data/ohjeet-tietojen-toimittamiseen/sosiaalihuollon-seuranta"
    assert cleaned["000"].count(url) <= 1


def test_segments_map_back_to_raw_lines() -> None:
    raw = _raw("001")
    clean = clean_text(raw)
    lines = raw.split("\n")
    for needle in ("Tarvoitteena", "Kokkola", "LifeCare"):
        offset = clean.text.index(needle)
        assert needle in lines[line_at(clean, offset) - 1]
    starts = [s.start for s in clean.segments]
    assert starts == sorted(starts)
