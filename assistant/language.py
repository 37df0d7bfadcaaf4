"""Tell Finnish, Swedish and English questions apart (the only three we answer in).

Short questions defeat statistical detectors, so this counts marker words and letters instead.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["fi", "sv", "en"]

_WORD = re.compile(r"[a-zåäöéü]+")
_SWEDISH = frozenset(
    ["och", "är", "som", "vilka", "vilken", "vilket", "hur", "vad", "var", "när", "för", "på", "med", "att", "det", "den", "de", "inte", "har", "hade", "kan", "ska", "till", "från", "av", "om", "eller", "också", "vid", "finns", "gör", "görs", "använder", "används", "välfärdsområde", "välfärdsområdet", "välfärdsområdena", "områden", "områdena", "regionerna", "vården", "tjänster", "hemvård"]
)
_ENGLISH = frozenset(
    ["the", "and", "is", "are", "was", "were", "which", "what", "how", "who", "where", "when", "why", "does", "do", "did", "of", "in", "on", "for", "to", "with", "by", "from", "regions", "region", "services", "care", "plan", "use", "used", "using", "there", "their", "have", "has", "many", "much"]
)
_FINNISH = frozenset(
    ["ja", "on", "ovat", "mitä", "miten", "missä", "mikä", "mitkä", "millä", "kuinka", "onko", "entä", "sekä", "että", "kun", "tai", "alueet", "alueilla", "alueella", "palvelut", "palveluja", "hyvinvointialue", "kehitetään"]
)


def detect_language(text: str) -> Language:
    """'fi', 'sv' or 'en' (Finnish when unsure, as the documents are Finnish).

    >>> detect_language("Which regions use Omaolo?"), detect_language("Vilka områden använder Omaolo?")
    ('en', 'sv')
    """
    words = _WORD.findall(text.lower())
    if not words:
        return "fi"
    sv = sum(w in _SWEDISH for w in words) + 2 * text.lower().count("å")
    en = sum(w in _ENGLISH for w in words)
    fi = sum(w in _FINNISH for w in words) + sum(w.endswith(("ssa", "ssä", "lla", "llä", "sta", "stä", "ksi"))
                                                  for w in words)
    scores: list[tuple[int, Language]] = [(fi, "fi"), (sv, "sv"), (en, "en")]
    best = max(scores)
    return best[1] if best[0] > 0 and best[0] > fi else "fi"
