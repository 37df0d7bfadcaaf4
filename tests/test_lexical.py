"""Finnish tokenising and BM25: inflected forms and compounds must meet, stopwords must not count."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.lexical import STOPWORDS, Bm25Index, snowball_stem, tokenize


@pytest.mark.parametrize("method", ["voikko", "voikko-compounds"])
def test_inflected_forms_meet(method: str) -> None:
    # Consonant gradation (hoito/hoidon, asiakas/asiakkaille) needs a lemmatiser, not a suffix stripper.
    assert set(tokenize("kotihoidon", method)) & set(tokenize("kotihoito", method))
    assert set(tokenize("asiakkaille", method)) & set(tokenize("asiakas", method))
    assert snowball_stem("kotihoidon") != snowball_stem("kotihoito")


def test_voikko_lemmas() -> None:
    assert tokenize("Kotihoidon asiakkaat", "voikko") == ["kotihoito", "asiakas"]


def test_compound_parts_added() -> None:
    tokens = tokenize("mielenterveyspalveluissa", "voikko-compounds")
    assert "mielenterveyspalvelu" in tokens
    assert "palvelu" in tokens
    # A plain word meets the compound through its part.
    assert set(tokenize("palveluja", "voikko-compounds")) <= set(tokens)
    assert tokenize("mielenterveyspalveluissa", "voikko") == ["mielenterveyspalvelu"]


def test_hyphenated_compounds_yield_parts() -> None:
    tokens = tokenize("sote-keskuksen", "voikko-compounds")
    assert "keskus" in tokens
    assert "sote" in tokens


def test_stopwords_removed() -> None:
    assert tokenize("Miten ja missä alueilla on", "voikko-compounds") == []
    assert tokenize("What are the regions", "voikko") == ["regions"]
    assert "ja" in STOPWORDS


@pytest.mark.parametrize("forms, token", [
    (["POPsoten", "POPsotessa"], "popsot"),  # names Voikko does not know: the Snowball stem
    (["LifeCarea", "LifeCaren"], "lifecar"),
    (["Omaolon", "Omaoloa"], "omaolo"),  # a name Voikko knows as a compound
])
def test_inflected_names_meet_on_one_token(forms: list[str], token: str) -> None:
    assert all(tokenize(form, "voikko") == [token] for form in forms)


DOCS = [
    "Kotihoidon asiakkaille tarjotaan etähoivaa ja lääkeautomaatteja.",
    "Suun terveydenhuollon jonot ovat lyhentyneet ja hammaslääkärit ovat siirtäneet tehtäviä suuhygienisteille.",
    "Lastensuojelussa otetaan käyttöön systeeminen toimintamalli.",
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Miten kotihoitoa kehitetään?", 0),
        ("hammaslääkärien ja suuhygienistien työnjako", 1),
        ("systeemisen lastensuojelun malli", 2),
    ],
)
def test_bm25_ranks_the_right_document(query: str, expected: int) -> None:
    index = Bm25Index([tokenize(d, "voikko-compounds") for d in DOCS], "voikko-compounds")
    scores = index.scores(query)
    assert scores.shape == (len(DOCS),)
    assert int(np.argmax(scores)) == expected


def test_bm25_empty_cases() -> None:
    assert Bm25Index([], "voikko").scores("mitä tahansa").shape == (0,)
    index = Bm25Index([tokenize(d, "voikko") for d in DOCS], "voikko")
    assert not index.scores("ja tai").any()
