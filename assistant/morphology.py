"""Finnish word analysis beyond the lemma: word class, tense, mood, participle and the verb a word is
derived from (Voikko). Question understanding uses it to tell a question's topic from its frame, and
the practice map to read a sentence's status ("otettiin käyttöön" is past, "otetaan käyttöön" a plan).

Lemmas are spelled as ``lexical`` spells them for the index ("omaolo-palvelu", "käyttöön=otto"); words
Voikko does not know keep their lower-case form here (``lexical`` stems them for BM25).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.lexical import words

# Voikko analyses a word in ~3.5 ms (pure Python): a 2000-character question could cost a second. Past
# this many distinct words a text's remaining words are left unanalysed (their lemma is the word).
MAX_WORDS_ANALYSED = 48
_DERIVED_FROM = re.compile(r"^\[L[a-z]\]\[Xp\]([^\[]+)\[X\]")


@dataclass(frozen=True)
class Morph:
    """One word's first Voikko analysis. ``known`` is False for words Voikko does not know (names, codes).

    ``verb`` is the verb a participle or deverbal noun comes from ("otettu" -> "ottaa"), else "".
    ``passive`` marks the impersonal passive ("otetaan", "otettiin").
    """

    word: str
    lemma: str
    word_class: str = ""
    tense: str = ""
    mood: str = ""
    participle: str = ""
    passive: bool = False
    case: str = ""
    verb: str = ""
    known: bool = True
    readings: tuple[str, ...] = ()  # lemmas of Voikko's other analyses ("sähköistä": sähkö or sähköinen)
    moods: tuple[str, ...] = ()  # the moods of all its analyses ("vahvistaa": A-infinitive or indicative)

    @property
    def is_verb(self) -> bool:
        return self.word_class == "teonsana" or bool(self.participle)


@lru_cache(maxsize=100_000)
def analyse(word: str) -> Morph:
    """The first Voikko analysis of ``word`` (a single word, any case).

    >>> analyse("otettiin").lemma, analyse("otettiin").tense, analyse("otettiin").passive
    ('ottaa', 'past_imperfective', True)
    >>> analyse("otettu").verb, analyse("otettu").participle
    ('ottaa', 'past_passive')
    """
    import pyvoikko

    lowered = word.lower()
    found = pyvoikko.analyse(word) or (word != lowered and pyvoikko.analyse(lowered))
    if not found:
        return Morph(lowered, lowered, known=False)
    a = found[0]
    fst = str(a.FSTOUTPUT or "")
    derived = _DERIVED_FROM.match(fst)
    base = str(a.BASEFORM or lowered).lower().replace("--", "-")
    verb = derived.group(1).lower() if derived and fst.startswith("[Lt]") else ""
    others = tuple(dict.fromkeys(str(b.BASEFORM).lower().replace("--", "-") for b in found[1:] if b.BASEFORM))
    return Morph(lowered, base, str(a.CLASS or ""), str(a.TENSE or ""), str(a.MOOD or ""),
                 str(a.PARTICIPLE or ""), str(a.PERSON or "") == "4", str(a.SIJAMUOTO or ""),
                 verb if verb != base else "", True, tuple(o for o in others if o != base),
                 tuple(dict.fromkeys(str(b.MOOD) for b in found if b.MOOD)))


def analyse_text(text: str, limit: int = MAX_WORDS_ANALYSED) -> list[Morph]:
    """Every word of ``text`` in order; at most ``limit`` distinct words get a Voikko analysis."""
    seen: dict[str, Morph] = {}
    out: list[Morph] = []
    for word in words(text):
        if word not in seen:
            seen[word] = analyse(word) if len(seen) < limit else Morph(word, word, known=False)
        out.append(seen[word])
    return out
