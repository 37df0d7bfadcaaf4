"""Personal data is masked at indexing: e-mail addresses, phone numbers and Finnish identity codes,
in every spelling the issue found leaking, while the figures of the planning documents stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.ingest.clean import clean_text
from assistant.ingest.masking import hetu_control, mask_contacts, mask_identity_codes
from assistant.service import Assistant
from tests.test_api import FAKE_THRESHOLDS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.mark.parametrize("address", [
    "liisa.laine(at)kainuu.fi", "ville.vesa [at] kainuu.fi", "anni.aalto @ kainuu.fi", "a.b@example.fi",
    "kalle.kuusi{at}kainuu.fi", "outi.oja(at)kainuu(dot)fi", "mailto:x.y@kainuu.fi",
])
def test_email_spellings_are_masked(address: str) -> None:
    assert mask_contacts(f"Lisätietoja: {address}, kiitos.") == "Lisätietoja: [sähköposti], kiitos."


@pytest.mark.parametrize("number", [
    "(08) 615 541", "+358 (0)44 797 0000", "+46 70 123 45 67", "040 123 4567", "09-310 1234",
    "+358401234567", "0401234567", "0800 123 456", "+358 40 123 4567",
])
def test_phone_spellings_are_masked(number: str) -> None:
    assert mask_contacts(f"puh. {number}.") == "puh. [puhelin]."


@pytest.mark.parametrize("figure", [
    "2 500 000 €", "142 826 euroa", "0,5 %", "40 %", "klo 08-16", "1.1.2021", "2020-2023", "+15 %",
    "+2 000 henkilöä", "15/16", "1.8.2020–31.12.2022", "v. 2019 06 2020", "Taulukko 1", "112", "3 000 kpl",
])
def test_ordinary_figures_are_not_masked(figure: str) -> None:
    text = f"Tulos: {figure} vuonna 2022."
    assert mask_identity_codes(mask_contacts(text)) == text


@pytest.mark.parametrize("sign", list("+-ABCDEFUVWXY"))
def test_identity_codes_with_every_century_sign_are_masked(sign: str) -> None:
    code = f"010180{sign}123{hetu_control('010180', '123')}"
    assert mask_identity_codes(f"Asiakas {code} haki.") == "Asiakas [henkilötunnus] haki."


def test_identity_code_check_keeps_ordinary_numbers() -> None:
    right = hetu_control("131052", "308")
    wrong = next(c for c in "0123456789" if c != right)
    assert mask_identity_codes("131052-308T") == "[henkilötunnus]"  # the example in DVV's instructions
    assert mask_identity_codes(f"diaari 131052-308{wrong}") == f"diaari 131052-308{wrong}"  # all digits, check fails
    assert mask_identity_codes("010180-123A") == "[henkilötunnus]"  # letter: never an ordinary number
    assert mask_identity_codes("321380-123A") == "321380-123A"  # no such date
    assert mask_identity_codes("ID 9010180-123A") == "ID 9010180-123A"  # part of a longer code


def test_identity_codes_are_masked_even_when_contact_masking_is_off() -> None:
    text = clean_text("Asiakas 131052-308T, puh. 040 123 4567", mask_contacts=False).text
    assert "131052-308T" not in text and "040 123 4567" in text


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:20])
def test_real_corpus_keeps_every_figure(path: Path) -> None:
    """The bundled documents hold no phone numbers or identity codes (every candidate was checked by hand),
    so masking must not change a single figure in them."""
    raw = path.read_text("utf-8")
    masked, plain = clean_text(raw).text, clean_text(raw, mask_contacts=False).text
    assert "[puhelin]" not in masked and "[henkilötunnus]" not in masked
    numbers = re.compile(r"\d+")
    assert numbers.findall(masked) == numbers.findall(re.sub(r"\S*@\S*", "", plain))  # e-mails hold no figures


LEAKY = ("# Yhteystiedot\n\nKainuun hyvinvointialueen kotihoidon yhteyshenkilöt: liisa.laine(at)kainuu.fi, "
         "ville.vesa [at] kainuu.fi ja anni.aalto @ kainuu.fi. Puhelin (08) 615 541, +358 (0)44 797 0000 "
         "tai +46 70 123 45 67. Asiakkaan henkilötunnus 010180-123A ja 131052-308T.\n\n"
         "Kotihoidon asiakkaita oli 1 250 ja kustannukset 2 500 000 € vuonna 2022.\n")
SECRETS = ("laine", "vesa", "aalto", "615 541", "797 0000", "123 45 67", "010180", "131052")


def test_contacts_never_reach_the_api(small_index, fake_embedder) -> None:
    from assistant.indexer import build_index

    (small_index.corpus_dir / "kainuu-yhteystiedot.md").write_text(LEAKY, "utf-8")
    build_index(small_index, embedder=fake_embedder, quiet=True)
    with TestClient(create_app(small_index, Assistant(small_index, fake_embedder, FAKE_THRESHOLDS))) as c:
        text = c.get("/api/documents/kainuu-yhteystiedot").json()["text"]
        body = c.post("/api/ask", json={"question": "Kainuun kotihoidon yhteyshenkilöt puhelin henkilötunnus"}).json()
    shown = text + body["answer"] + " ".join(p["text"] for p in body["passages"] + body["citations"])
    assert any(p["document"] == "kainuu-yhteystiedot" for p in body["passages"])
    assert not [s for s in SECRETS if s in shown], shown
    assert "1 250" in text and "2 500 000 €" in text
    assert text.count("[sähköposti]") == 3 and text.count("[puhelin]") == 3 and text.count("[henkilötunnus]") == 2
