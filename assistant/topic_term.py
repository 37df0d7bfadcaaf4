"""A topic term (a lemma with its compound parts and alternatives) and how a word or phrase becomes one."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.lexical import tokenize


@dataclass(frozen=True)
class Term:
    """A topic term: a lemma (as the index spells it) and its compound parts ("lastensuojelu" -> lapsi,
    suojelu), so that "lasten suojelu" can meet "lastensuojelu"; ``alternatives`` are other terms for the
    same thing (the glossary's "terveyskeskus|terveysasema"). A phrase is a term whose parts are its words."""

    lemma: str
    parts: tuple[str, ...] = ()
    alternatives: tuple[Term, ...] = ()
    word: str = ""  # as the question spells it
    verb: bool = False  # a verb or participle (a paraphrase the corpus may not use)
    modifier: bool = False  # a genitive attribute of the next word ("työllisyyden kuntakokeilu"): it specifies
    known: bool = True  # Voikko knows the word
    guessed: bool = False  # a general dictionary's word-for-word translation: carries evidence, but weighs
    # little and its absence proves nothing (the translation may be the wrong sense)


def phrase_term(phrase: str) -> Term | None:
    """The term for a Finnish word or phrase from the glossary ("suun terveydenhuolto" needs both words)."""
    lemmas = [t[0] for t in (tokenize(w) for w in phrase.split()) if t]
    if not lemmas:
        return None
    if len(lemmas) == 1:
        return Term(lemmas[0], word_parts(phrase))
    return Term(" ".join(lemmas), tuple(lemmas))


def word_parts(word: str) -> tuple[str, ...]:
    """The parts a compound word is made of: its hyphenated pieces ("rai-arviointivälineistö" -> rai,
    arviointivälineistö), else Voikko's compound parts ("lastensuojelu" -> lapsi, suojelu).

    >>> word_parts("RAI-arviointivälineistö"), word_parts("etäkuntoutus"), word_parts("kunta")
    (('rai', 'arviointivälineistö'), ('etä', 'kuntoutus'), ())
    """
    if "-" in word.strip("-"):
        pieces = [tokenize(piece) for piece in word.split("-")]
        return tuple(dict.fromkeys(p[0] for p in pieces if p))
    tokens = tokenize(word)
    return tuple(dict.fromkeys(t for t in tokens[1:] if t != tokens[0]))
