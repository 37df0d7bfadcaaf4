"""English -> Finnish word translations from a general dictionary (FreeDict eng-fin, CC BY-SA 3.0, built
from Wiktionary; see ``data/README.md``): the bridge for the English words the domain glossary lacks.

The glossary knows the domain's phrases; an English question is mostly other words ("discharge",
"administers", "slowed", "receptions"). Each is looked up in its dictionary form (plural, past and -ing
forms undone), and only translations the index itself uses are kept, so the dictionary's other senses
rarely reach a search: "discharge" -> kotiuttaa, purkaa, ... of which the corpus has "kotiuttaa".
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DICTIONARY = Path(__file__).with_name("data") / "eng_fin.tsv.gz"
MAX_PHRASE = 3  # the longest English headword looked up, in words ("emergency medical services")
MAX_TRANSLATIONS = 4  # per English word: the dictionary lists common senses first

# English function words and question words: never looked up (the dictionary translates them too).
_FUNCTION_WORDS = """
a about above after again against all also am among an and any are as at be because been before being below
between both but by can could did do does doing done down during each either else ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is it its itself
just least less like made make many may me might more most much must my myself neither no nor not now of off
often on once only or other others our ours ourselves out over own per rather same shall she should since so
some such than that the their theirs them themselves then there these they this those through thus to too
under until up upon us very was we were what when where whether which while who whom whose why will with
within without would yet you your yours yourself
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


@dataclass(frozen=True)
class Translation:
    """An English word or phrase of a question (``start``: its offset in the lower-cased question) and its
    Finnish translations that the index uses, the likeliest sense first."""

    phrase: str
    start: int
    finnish: tuple[str, ...]
    verb: bool = False  # the likeliest sense is a verb's: it says what is asked of the topic, not the topic


@lru_cache(maxsize=1)
def entries() -> dict[tuple[str, str], tuple[str, ...]]:
    """(headword in lower case, "n" | "a" | "v") -> Finnish translations, in the dictionary's order."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    with gzip.open(DICTIONARY, "rt", encoding="utf-8") as lines:
        for line in lines:
            head, pos, items = line.rstrip("\n").split("\t")
            table[(head, pos)] = tuple(items.split("|"))
    return table


def dictionary_forms(word: str) -> Iterator[tuple[str, bool]]:
    """(form, verbal) for ``word`` and the forms English inflection may have come from, most likely first;
    ``verbal``: only a verb makes the form ("-ed", "-ing"). "receptions" -> reception; "slowed" -> slow.

    >>> [f for f, _ in dictionary_forms("planned")]
    ['planned', 'plann', 'planne', 'plan']
    """
    yield word, False
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y", False
    if word.endswith("es") and len(word) > 4:
        yield word[:-2], False
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        yield word[:-1], False
    for suffix in ("ed", "ing", "er", "est"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem, verbal = word[: -len(suffix)], suffix in ("ed", "ing")
            yield stem, verbal
            yield stem + "e", verbal
            if len(stem) > 2 and stem[-1] == stem[-2]:  # "planned" -> plan
                yield stem[:-1], verbal
            if stem.endswith("i"):  # "applied" -> apply
                yield stem[:-1] + "y", verbal


def lookup(phrase: str, keep: Callable[[str], bool]) -> tuple[tuple[str, ...], bool]:
    """(translations, verb) of an English word or phrase: the translations ``keep`` accepts, from the
    first dictionary form that has any, verb senses first for a verb form ("slowed"), else noun and
    adjective senses first, at most MAX_TRANSLATIONS; ``verb``: the first of them is a verb's."""
    table = entries()
    words = phrase.split()
    for form, verbal in dictionary_forms(words[-1]):
        head = " ".join([*words[:-1], form])
        order = ("v", "n", "a") if verbal else ("n", "a", "v")
        found = [(t, pos) for pos in order for t in table.get((head, pos), ()) if keep(t)]
        if found:
            return tuple(dict.fromkeys(t for t, _ in found))[:MAX_TRANSLATIONS], found[0][1] == "v"
    return (), False


def translate(text: str, keep: Callable[[str], bool], skip: Container[str] = ()) -> list[Translation]:
    """The translations of the content words of ``text``, longest phrase first, in question order; words in
    ``skip`` (already bridged, frame words, names) and function words are left out."""
    spans = [(m.group(0), m.start()) for m in _WORD.finditer(text.lower())]
    found: list[Translation] = []
    i = 0
    while i < len(spans):
        for n in range(min(MAX_PHRASE, len(spans) - i), 0, -1):
            words = [w for w, _ in spans[i:i + n]]
            # "in charge" is a headword, "in" alone is not looked up
            if (n == 1 and words[0] in FUNCTION_WORDS) or words[-1] in FUNCTION_WORDS or any(w in skip for w in words):
                continue
            finnish, verb = lookup(" ".join(words), keep)
            if finnish:
                found.append(Translation(" ".join(words), spans[i][1], finnish, verb))
                i += n
                break
        else:
            i += 1
    return found
