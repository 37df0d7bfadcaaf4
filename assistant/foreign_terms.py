"""The topic of an English or Swedish question: the corpus's own words in it (names, codes, Finnish
words), the glossary's Finnish terms, and the general dictionary's translations of the rest (guesses, see
``Term.guessed``); the documents are Finnish, so nothing else can meet them."""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import replace

from assistant.cues import is_frame
from assistant.glossary import bridge_hits
from assistant.lexical import STOPWORDS, tokenize
from assistant.lexicon import Translation, translate
from assistant.morphology import analyse
from assistant.topic_term import Term, phrase_term, word_parts

YEAR_OR_COUNT = re.compile(r"\d{1,4}(?:[.,]\d+)*")  # years and counts constrain; longer codes (116117) name
_WORD = re.compile(r"[\w][\w.:-]*[\w]|\w")
Split = tuple[frozenset[int], frozenset[int]]  # positions of the words of phrase A and of phrase B


def foreign_terms(text: str, vocabulary: Container[str], translated: Sequence[Translation],
                  split: re.Match[str] | None) -> tuple[dict[str, tuple[int, Term]], list[str], set[str], Split | None]:
    """(terms by lemma with their positions, frame words, lemmas, the "A or B" split) of an English or
    Swedish ``text``; when nothing in it reaches the corpus, its own content words, as guesses."""
    terms: dict[str, tuple[int, Term]] = {}
    at: Split | None = None
    for match in _WORD.finditer(text):
        found = _corpus_word(match.group(0), match.start() == 0, vocabulary)
        if found:
            terms.setdefault(found.lemma, (match.start(), found))
    for start, _, group in bridge_hits(text):
        alternatives = [t for t in (phrase_term(alt) for alt in group) if t and not is_frame(t.lemma)]
        if alternatives:
            term = replace(alternatives[0], alternatives=tuple(alternatives[1:]), word=group[0])
            terms.setdefault(term.lemma, (start, term))
    for translation in translated:
        senses = [t for t in (phrase_term(f) for f in translation.finnish) if t]
        # A word whose likeliest sense is a frame word frames the question ("project" -> projekti, hanke).
        options = [t for t in senses if not is_frame(t.lemma)]
        if options and senses[0] is options[0]:
            term = replace(options[0], alternatives=tuple(options[1:]), word=translation.phrase,
                           verb=translation.verb, guessed=True)
            terms.setdefault(term.lemma, (translation.start, term))
    if not terms:
        for match in _WORD.finditer(text):
            word = match.group(0).lower()
            if len(word) > 2 and word.isalpha() and not is_frame(word) and word not in STOPWORDS:
                terms.setdefault(word, (match.start(), Term(word, word=match.group(0), guessed=True)))
    frame = [w.lower() for w in re.findall(r"[\wåäö]+", text) if is_frame(w.lower())]
    lemmas = set(tokenize(" ".join(" ".join(g) for _, _, g in bridge_hits(text))))
    lemmas |= {t.lemma for _, t in terms.values()}
    if split:
        at = _nearest_split(text, [(p, t) for p, t in terms.values()], split.start(), split.end())
    return terms, frame, lemmas, at


def translated_words(text: str, vocabulary: Container[str]) -> list[Translation]:
    """The general dictionary's translations of the words of an English ``text`` that the glossary and the
    corpus's own words (names, codes) do not cover, and that are not frame words; only translations whose
    lemmas the index has (``vocabulary``) are kept."""
    covered = {w for start, end, _ in bridge_hits(text) for w in text[start:end].lower().split()}
    skip = covered | {w for w in re.findall(r"[a-z]+", text.lower()) if is_frame(w) or w in vocabulary}

    def known(finnish: str) -> bool:
        lemmas = [t[0] for t in (tokenize(w) for w in finnish.split()) if t]
        return bool(lemmas) and all(lemma in vocabulary for lemma in lemmas)

    return translate(text, known, skip)


def _nearest_split(text: str, found: Sequence[tuple[int, Term]], start: int, end: int) -> Split | None:
    """English/Swedish "A or B": the terms right next to "or" (at most one word between) are the alternatives."""
    before = [p for p, t in found if p < start and len(text[p:start].split()) <= len(t.word.split()) + 1]
    after = [p for p, _ in found if p >= end and len(text[end:p].split()) <= 1]
    if not before or not after:
        return None
    return frozenset({max(before)}), frozenset({min(after)})


def _corpus_word(word: str, first: bool, vocabulary: Container[str]) -> Term | None:
    """A word of an English/Swedish question that the corpus itself uses: a name or code (capitalised,
    with digits, dots or hyphens) or a Finnish word Voikko knows; a hyphenated name by its first piece."""
    clean = word.strip(".,:;?!()")
    if is_frame(clean.lower()) or YEAR_OR_COUNT.fullmatch(clean):
        return None
    name = any(ch.isdigit() or ch in ".-" for ch in clean) or (not first and clean[:1].isupper())
    tokens = tokenize(clean)
    if tokens and tokens[0] in vocabulary and (name or analyse(clean).known):
        return Term(tokens[0], word_parts(clean), word=clean)
    if "-" in clean and clean[:1].isupper():
        head = tokenize(clean.split("-")[0])
        if head and head[0] in vocabulary:
            return Term(head[0], word=clean)
    return None
