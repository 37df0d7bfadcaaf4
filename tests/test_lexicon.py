"""The English -> Finnish dictionary bridge and the derivations of a question's predicate."""

from __future__ import annotations

import pytest

from assistant.lexicon import FUNCTION_WORDS, dictionary_forms, entries, lookup, translate
from assistant.question import understand
from assistant.relevance import Relevance
from assistant.thresholds import Thresholds


def test_the_packaged_dictionary_loads_with_its_parts_of_speech():
    table = entries()
    assert len(table) > 50_000
    assert "kotiuttaa" in table[("discharge", "v")] and "kotiuttaminen" in table[("discharge", "n")]
    assert table[("ambulance", "n")][0] == "ambulanssi"


def test_inflected_english_words_reach_their_dictionary_form():
    assert ("reception", False) in list(dictionary_forms("receptions"))
    assert ("slow", True) in list(dictionary_forms("slowed"))
    assert ("apply", True) in list(dictionary_forms("applied"))
    assert ("plan", True) in list(dictionary_forms("planned"))
    assert [f for f, _ in dictionary_forms("policy")] == ["policy"]


def test_only_translations_the_corpus_uses_are_kept_and_a_verb_form_prefers_verb_senses():
    corpus = {"kotiuttaa", "kotiuttaminen", "purkaa", "hidas", "hidastaa"}
    assert set(lookup("discharge", corpus.__contains__)[0]) == {"kotiuttaminen", "kotiuttaa", "purkaa"}
    # "slowed" is a verb form: the verb's translation comes before the adjective's.
    assert lookup("slowed", corpus.__contains__) == (("hidastaa", "hidas"), True)
    assert lookup("slow", corpus.__contains__) == (("hidas", "hidastaa"), False)
    assert lookup("discharge", lambda t: False) == ((), False)


def test_translate_takes_the_longest_phrase_and_leaves_function_and_skipped_words_out():
    def keep(t: str) -> bool:
        return True

    found = translate("What is the role of public health in the plan?", keep, skip={"plan"})
    phrases = [t.phrase for t in found]
    assert "public health" in phrases and "public" not in phrases and "health" not in phrases
    assert not {"what", "is", "the", "of", "in", "plan"} & set(phrases)
    assert found[phrases.index("public health")].finnish[0] == "kansanterveys"
    assert all(w in FUNCTION_WORDS for w in ("which", "the", "would"))


def _vocabulary(*lemmas: str) -> Relevance:
    return Relevance.of_tokens([[lemma] for lemma in lemmas], Thresholds())


def test_an_english_question_is_bridged_through_the_dictionary_to_the_corpus_words():
    vocabulary = _vocabulary("hallinnoida", "hallinnoija", "hanke", "uudistus", "projekti", "antaa")
    query = understand("Which organisation administers the reform projects?", vocabulary=vocabulary)
    bridged = query.bridged.split()
    assert "hallinnoida" in bridged and "uudistus" in bridged and "projekti" in bridged
    assert "hoitaa" not in bridged  # a translation the corpus does not use stays out
    # A Finnish question needs no bridge; a Swedish one has only the glossary.
    assert understand("Kuka hallinnoi hanketta?", vocabulary=vocabulary).bridged == ""
    assert "hallinnoida" not in understand("Vem administrerar projekten?", vocabulary=vocabulary).bridged


def test_derivations_of_a_verb_stem_are_its_suffixed_nouns_not_compounds():
    vocabulary = _vocabulary("hallinnoida", "hallinnoija", "hallinnointi", "hallinnointimalli", "hallinto")
    assert vocabulary.derivations("hallinno") == {"hallinnoida", "hallinnoija", "hallinnointi"}
    assert vocabulary.derivations("hall") == set()  # too short a stem to mean one verb


@pytest.mark.slow
def test_a_verb_question_reaches_the_sentence_that_says_it_with_a_noun(real_assistant):
    retriever = real_assistant.load().retriever
    query = real_assistant.understand("Kuka hallinnoi Etelä-Pohjanmaan Tulevaisuuden sote-keskus -hanketta?")
    assert "hallinnoija" in retriever.lexical_tokens(query)
    passages = retriever.retrieve(query).passages[:5]
    assert any("hallinnoijana toimii" in p.chunk.text for p in passages)


@pytest.mark.slow
def test_an_english_question_finds_what_only_the_dictionary_bridges(real_assistant):
    query = real_assistant.understand("What slowed the development of Soite's home care and family care in spring and summer 2022?")
    assert "hidastaa" in query.bridged.split()
    passages = real_assistant.load().retriever.retrieve(query).passages[:5]
    assert any("kehittämistä on hidastanut" in p.chunk.text for p in passages)


def test_dictionary_translations_are_guessed_topic_terms_and_frame_senses_are_dropped():
    vocabulary = _vocabulary("projektipäällikkö", "assistentti", "projekti", "hanke", "nousta", "kotisairaala")
    query = understand("How many project managers and assistants does the home hospital have?", vocabulary=vocabulary)
    by_lemma = {t.lemma: t for t in query.topic}
    assert not by_lemma["kotisairaala"].guessed  # the glossary's term is sure
    assert by_lemma["projektipäällikkö"].guessed and by_lemma["assistentti"].guessed
    # "project" reads first as "projekti"/"hanke", frame words: the English word frames the question, so its
    # verb sense ("nousta", to jut out) does not sneak in as the topic.
    assert "nousta" not in by_lemma


def test_only_sure_terms_can_show_a_topic_absent():
    from types import SimpleNamespace

    import numpy as np

    from assistant.evidence import EvidenceFinder
    from assistant.terms import Term

    chunks = [["kotisairaala", "hoito"], ["perhehoito", "koulutus"], ["kotihoito"]]
    relevance = Relevance.of_tokens(chunks, Thresholds())
    catalog = SimpleNamespace(regions=["R"], region_codes=np.zeros(len(chunks), dtype=np.int64))  # one region
    finder = EvidenceFinder(catalog, relevance._sparse, relevance, None, Thresholds())  # type: ignore[arg-type]
    sure, guess = Term("kotisairaala"), Term("tulkki", guessed=True)
    # A guessed translation nobody uses does not make the topic absent ...
    present, unseen = finder.presence(relevance.topic([sure, guess]), ["R"], rows=None)
    assert present and unseen == ()
    # ... while a sure term nobody uses does.
    present, unseen = finder.presence(relevance.topic([Term("yöpartio"), guess]), ["R"], rows=None)
    assert not present and [t.lemma for t in unseen] == ["yöpartio"]
    # A topic of guesses only cannot be judged absent from words.
    assert finder.presence(relevance.topic([guess]), ["R"], rows=None) == (True, ())
