"""Topic coverage on small data: elliptic coordination and the long-topic evidence rule."""

from __future__ import annotations

from assistant.evidence import EvidenceFinder
from assistant.relevance import Relevance, Thresholds
from assistant.terms import Term
from assistant.topic import Topic, lemma_sequence


def test_elliptic_coordination_carries_the_unsaid_compound():
    _, tokens = lemma_sequence("Parannetaan mielenterveys- ja päihdepalvelujen saatavuutta sekä sosiaali- ja terveyspalveluja.")
    assert {"mielenterveyspalvelu", "päihdepalvelu", "sosiaalipalvelu", "terveyspalvelu"} <= tokens
    _, plain = lemma_sequence("Mielenterveys on tärkeää, ja päihdepalvelut toimivat.")
    assert "mielenterveyspalvelu" not in plain


def _topic(weights: tuple[float, ...]) -> Topic:
    names = ("asiakaskokemus", "asiakaspalaute", "mittari", "kysely")[:len(weights)]
    return Topic(tuple(Term(n) for n in names), tuple(frozenset({n}) for n in names), tuple(() for _ in names), weights)


def test_a_long_topic_is_carried_by_a_term_that_outweighs_the_rest():
    finder = EvidenceFinder(None, None, Relevance.of_tokens([], Thresholds()), None, Thresholds())  # type: ignore[arg-type]
    assert finder.required(_topic((1.6, 0.9, 0.25))) == 1.6 / 2.75  # asiakaskokemus alone suffices
    assert finder.required(_topic((2.0, 2.0, 0.25))) == Thresholds().coverage  # no head term: the usual share
    assert finder.required(_topic((3.0, 0.25))) == Thresholds().coverage  # a short topic keeps the usual share
