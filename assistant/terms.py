"""A question's topic terms: its content lemmas without frame words (status and filler words such as
"käytössä", "suunnitteilla", "alueilla", "in use", "används", see ``cues``) or region names, each with its
compound parts, other readings and glossary alternatives, and where an "or" makes two alternatives.
English and Swedish questions are read by ``foreign_terms``; the ``Term`` record lives in ``topic_term``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

from assistant.cues import GENERIC_FRAME, is_frame
from assistant.foreign_terms import YEAR_OR_COUNT, Split, foreign_terms
from assistant.language import Language
from assistant.lexical import STOPWORDS, tokenize, words
from assistant.lexicon import Translation
from assistant.morphology import MAX_WORDS_ANALYSED, Morph, analyse
from assistant.topic_term import Term, word_parts

_FUNCTION_CLASSES = {"asemosana", "sidesana", "suhdesana", "kieltosana", "huudahdussana", "lukusana"}





# "A tai B" splits a topic in two: evidence of A or of B answers. (Treating "ja" / "and" the same way was
# measured too: one fewer evidence sentence on the calibration half, so "and" keeps both.)
_OR = re.compile(r"\s(?:tai|ja/tai|or|and/or|eller|och/eller)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Terms:
    """What ``topic_terms`` finds: terms in question order, where an "or" splits them, and frame words."""

    terms: tuple[Term, ...]
    either: tuple[tuple[int, ...], ...]
    frame: tuple[str, ...]
    lemmas: frozenset[str] = frozenset()  # every lemma of the question with compound parts, frame words included
    predicate: tuple[str, ...] = ()  # what is asked of the topic, as stems (see ``predicate_stem``)


def _function_word(morph: Morph) -> bool:
    """Pronouns, conjunctions, adpositions and number words ("kaksi"); a code in digits ("116117") names."""
    return morph.word_class in _FUNCTION_CLASSES and not morph.word[:1].isdigit()


def _either(positions: Sequence[int], split: Split | None) -> tuple[tuple[int, ...], ...]:
    """Two groups of term indexes for "A tai B": the terms of phrase A and those of phrase B,
    each with every term outside both phrases. Evidence of either group is evidence of the question."""
    if split is None:
        return ()
    a = {i for i, p in enumerate(positions) if p in split[0]}
    b = {i for i, p in enumerate(positions) if p in split[1]}
    if not a or not b or a == b:
        return ()
    shared = [i for i in range(len(positions)) if i not in a | b]
    return tuple(sorted(shared + sorted(a))), tuple(sorted(shared + sorted(b)))


def _phrase_split(seen: Sequence[tuple[int, Morph, str]], start: int, end: int) -> Split | None:
    """The noun phrases either side of "tai": the words next to it in the same case, with the genitive
    attributes before them ("palliatiivista hoitoa tai saattohoitoa kotona" -> "palliatiivista hoitoa" /
    "saattohoitoa"). Coordinated attributes share their head ("lasten tai nuorten palvelut")."""
    before = [w for w in seen if w[0] < start]
    after = [w for w in seen if w[0] >= end]
    if not before or not after:
        return None
    head = before[-1][1].case
    i = len(before) - 1
    while i > 0 and before[i - 1][1].case in (head, "omanto", "") and before[i - 1][1].word_class != "teonsana":
        i -= 1
    j = 0
    while j + 1 < len(after) and after[j][1].case == "omanto":
        j += 1  # genitive attributes lead to the head: "vammaisjärjestöjen verkosto"
    case = after[j][1].case
    while j + 1 < len(after) and after[j + 1][1].case == case and case and after[j + 1][1].word_class != "teonsana":
        j += 1
    a = {w[0] for w in before[i:]}
    b = {w[0] for w in after[:j + 1]}
    if head == "omanto" and j > 0:
        a.add(after[j][0])  # "lasten ja nuorten palvelut": the head belongs to both
    return frozenset(a), frozenset(b)


# A name of several words before a hyphenated head: "Lapset puheeksi -menetelmä", "Ihmeelliset vuodet -ohjelma".
_NAME = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\wåäö]*(?:\s+[\wåäö]+){1,2})\s+[-–]\w")


def _names(text: str, ordered: list[tuple[int, Term]], whole: bool) -> list[tuple[int, Term]]:
    """Multi-word names become one phrase term whose words must stand together ("Lapset puheeksi", not
    "Puheeksi otto"): those before a hyphenated head, and with ``whole`` the text itself when it is a
    capitalised name of two to four words (a practice-map topic)."""
    spans = [(m.start(1), m.end(1)) for m in _NAME.finditer(text)]
    if whole and text[:1].isupper() and 2 <= len(text.split()) <= 4:
        spans.append((0, len(text)))
    for start, end in spans:
        inside = [(p, t) for p, t in ordered if start <= p < end]
        if len(inside) < 2:
            continue
        lemmas = tuple(t.lemma for _, t in inside)
        phrase = Term(" ".join(lemmas), lemmas, word=text[start:end].strip())
        ordered = [(p, t) for p, t in ordered if not start <= p < end] + [(inside[0][0], phrase)]
        ordered.sort(key=lambda pt: pt[0])
    return ordered


def topic_terms(text: str, language: Language, vocabulary: Container[str] = (), whole: bool = False,
                translated: Sequence[Translation] = ()) -> Terms:
    """The topic of ``text`` (region names already removed).

    Finnish: each word's lemma unless it is a frame word, a function word (pronoun, conjunction,
    adposition, numeral) or a stop word; an ambiguous form keeps its other readings as alternatives.
    English/Swedish: see ``foreign_terms`` (``translated``: the dictionary's translations of its words).
    """
    split = _OR.search(text)
    at: Split | None = None
    terms: dict[str, tuple[int, Term]] = {}
    frame: list[str] = []
    lemmas: set[str] = set()
    predicate: list[str] = []
    if language == "fi":
        analysed: dict[str, Morph] = {}
        unanalysed: set[str] = set()
        seen: list[tuple[int, Morph, str]] = []
        for match in re.finditer(r"\S+", text):
            for word in words(match.group(0)):
                if word not in analysed:  # a bounded number of distinct words per question
                    if len(analysed) >= MAX_WORDS_ANALYSED:
                        unanalysed.add(word)
                    analysed[word] = Morph(word, word, known=False) if word in unanalysed else analyse(word)
                seen.append((match.start(), analysed[word], match.group(0).strip(".,:;?!()")))
        for i, (start, morph, surface) in enumerate(seen):
            # Words past the analysis bound keep their own form (no Voikko call for them either).
            tokens = [morph.word] if morph.word in unanalysed else tokenize(morph.word)
            lemmas.update(tokens)
            if not tokens or morph.word in STOPWORDS or YEAR_OR_COUNT.fullmatch(morph.word):
                continue
            lemma = tokens[0]
            framed = is_frame(lemma) or is_frame(morph.lemma) or (morph.is_verb and is_frame(morph.verb))
            if (framed or morph.is_verb) and not _function_word(morph):
                stem = predicate_stem(morph, lemma)
                if stem and stem not in predicate:
                    predicate.append(stem)
            if framed or _function_word(morph):
                frame.append(lemma)
                continue
            readings = tuple(Term(r) for r in morph.readings if r != lemma and not is_frame(r))
            following = seen[i + 1][1] if i + 1 < len(seen) else None
            modifier = morph.case == "omanto" and following is not None and following.word_class.startswith("nimisana")
            parts = () if morph.word in unanalysed else word_parts(morph.word)
            # A noun derived from a verb names a thing ("jatkuvuus", "tunnistaminen"): a topic term, not a verb.
            verb = morph.is_verb and not morph.word_class.startswith("nimisana")
            term = Term(lemma, parts, readings, surface, verb, modifier, morph.known)
            terms.setdefault(lemma, (start, term))
        if split:
            at = _phrase_split(seen, split.start(), split.end())
    else:
        found, frame, lemmas, at = foreign_terms(text, vocabulary, translated, split)
        terms.update(found)
    ordered = _names(text, sorted(terms.values(), key=lambda pt: pt[0]), whole)
    positions = [p for p, _ in ordered]
    sure = [p for p, t in ordered if not t.guessed]
    return Terms(tuple(t for _, t in ordered), _either(positions, at or _aside(text, positions, sure)), tuple(frame),
                 frozenset(lemmas), tuple(predicate))


def predicate_stem(morph: Morph, lemma: str) -> str:
    """What a question word asks of its topic, as the stem its derivations share, or "" for a word every
    question uses (``cues.GENERIC_FRAME``). Finnish derives nouns from verbs by suffixes on the verb's stem:
    "pilotoidaan" -> "pilotoi" (pilotointi, pilotoija), "hallinnoi" -> "hallinno" (hallinnoija, hallinnointi),
    "kehitetään" -> "kehittä" (kehittäjä, kehittämistyö), so a sentence that says "Pilotointi alkaa" answers
    "Milloin pilotoidaan?". A word that is neither a verb nor derived from one is matched as its lemma.

    >>> predicate_stem(analyse("pilotoidaan"), "pilotoida"), predicate_stem(analyse("olla"), "olla")
    ('pilotoi', '')
    """
    verb = morph.verb or (morph.lemma if morph.word_class == "teonsana" else "")
    if {lemma, morph.lemma, verb} & GENERIC_FRAME:
        return ""
    if not verb:
        return lemma
    stem = verb[:-2] if len(verb) > 3 and verb[-1] in "aä" and verb[-2] in "dlnrt" else verb[:-1] if verb[-1] in "aä" else verb
    if lemma != verb and morph.word_class.startswith("nimisana"):  # a noun from the verb keeps what the two share: "käyttö" / "käyttä" -> "käytt"
        stem = os.path.commonprefix([stem, lemma])
    return stem if len(stem) >= 4 else lemma


def _aside(text: str, positions: Sequence[int], sure: Sequence[int]) -> Split | None:
    """"X (Y)": the words in brackets name again what precedes them ("OT-keskus (osaamis- ja tukikeskus)",
    "lifestyle counselling (elintapaohjaus)"), so the question is about X or about Y; only ``sure`` terms
    (not guessed translations) can make a Y."""
    match = re.search(r"\(([^()]+)\)", text)
    if not match:
        return None
    inside = frozenset(p for p in sure if match.start() < p < match.end())
    before = [p for p in positions if p < match.start()]
    outside = frozenset(p for p in positions if p not in inside)
    if not inside or not before:
        return None
    return outside, inside | (outside - {max(before)})
