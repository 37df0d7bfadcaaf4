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


def _relevance() -> Relevance:
    # "malli", "palvelu" and "perhe" are generic (in many chunks); "barnahus", "kanta" and "voima" are not.
    chunks = [["malli", "palvelu"]] * 150 + [["perhe"]] * 40 + [["barnahus", "hanke"], ["kanta", "palvelu"],
                                                                 ["kanta-palvelu"], ["voimaperhe"], ["voima"]]
    return Relevance.of_tokens(chunks, Thresholds())


def test_a_hyphenated_name_of_a_generic_kind_is_carried_by_the_name():
    relevance = _relevance()
    barnahus = relevance.topic([Term("barnahus-mal", ("barnahus", "malli"), word="Barnahus-malli")])
    assert "barnahus" in barnahus.carriers[0]  # "Barnahus-hanke" is the same thing
    kanta = relevance.topic([Term("kanta-palvelu", ("kanta", "palvelu"), word="Kanta-palvelut")])
    assert "kanta" not in kanta.carriers[0]  # a plain dictionary word ("kannalta") names nothing alone


def test_a_name_is_not_carried_by_a_common_part_of_it():
    relevance = _relevance()
    assert "voima" in relevance.topic([Term("voimaperhe", ("voima", "perhe"))]).carriers[0]
    named = relevance.topic([Term("voimaperhe", ("voima", "perhe"), word="Voimaperheet")])
    assert named.carriers[0] == frozenset({"voimaperhe"})


def test_an_alternative_of_generic_words_only_cannot_name_the_topic():
    relevance = _relevance()
    terms = [Term("barnahus", word="Barnahus"), Term("malli")]  # "Barnahus (malli)"
    assert relevance.topic(terms, ((0,), (1,))).either == ()
    assert relevance.topic([Term("barnahus"), Term("voimaperhe")], ((0,), (1,))).either == ((0,), (1,))


def test_a_dash_piece_after_the_conjunction_takes_the_first_part_of_the_compound_before_it():
    _, tokens = lemma_sequence("Etäpalvelut kuten etävastaanotto ja –konsultaatio sekä mielenterveyspalvelut ja -hoito.")
    assert {"etäkonsultaatio", "mielenterveyshoito"} <= tokens
    _, plain = lemma_sequence("Hoito ja -kuntoutus sekä etävastaanotto, -konsultaatio.")
    assert not any(t.endswith("kuntoutus") and t != "kuntoutus" for t in plain) and "etäkonsultaatio" not in plain
