"""Finnish tokenising and BM25: inflected forms and compounds must meet, stopwords must not count."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.lexical import STOPWORDS, TOKENIZERS, Bm25Index, tokenize


@pytest.mark.parametrize("method", ["voikko", "voikko-compounds", "simplemma"])
def test_inflected_forms_meet(method: str) -> None:
    # Consonant gradation (hoito/hoidon, asiakas/asiakkaille) needs a lemmatiser ...
    assert set(tokenize("kotihoidon", method)) & set(tokenize("kotihoito", method))
    assert set(tokenize("asiakkaille", method)) & set(tokenize("asiakas", method))


def test_snowball_meets_regular_inflection_only() -> None:
    # ... a stemmer only strips endings, which is why it loses to Voikko on this corpus.
    assert tokenize("palveluja", "snowball") == tokenize("palveluissa", "snowball")
    assert tokenize("kotihoidon", "snowball") != tokenize("kotihoito", "snowball")


def test_voikko_lemmas() -> None:
    assert tokenize("Kotihoidon asiakkaat", "voikko") == ["kotihoito", "asiakas"]


def test_compound_parts_added() -> None:
    tokens = tokenize("mielenterveyspalveluissa", "voikko-compounds")
    assert "mielenterveyspalvelu" in tokens
    assert "palvelu" in tokens
    # A plain word meets the compound through its part.
    assert set(tokenize("palveluja", "voikko-compounds")) <= set(tokens)


def test_hyphenated_compounds_yield_parts() -> None:
    tokens = tokenize("sote-keskuksen", "voikko-compounds")
    assert "keskus" in tokens
    assert "sote" in tokens


def test_stopwords_removed() -> None:
    assert tokenize("Miten ja missä alueilla on", "voikko-compounds") == []
    assert tokenize("What are the regions", "plain") == ["regions"]
    assert "ja" in STOPWORDS


def test_unknown_words_fall_back() -> None:
    # Names and abbreviations Voikko does not know still give a stable token.
    assert tokenize("POPsoten", "voikko") == tokenize("POPsoten", "voikko")
    assert tokenize("Omaolo", "voikko-compounds")


def test_all_methods_run() -> None:
    for method in TOKENIZERS:
        assert tokenize("Kotihoidon asiakkaat saavat palveluja.", method)


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
    assert Bm25Index([], "plain").scores("mitä tahansa").shape == (0,)
    index = Bm25Index([tokenize(d, "plain") for d in DOCS], "plain")
    assert not index.scores("ja tai").any()
