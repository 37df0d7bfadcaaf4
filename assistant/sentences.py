"""Sentence splitting and scoring for the extractive composer (pure functions, no I/O)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.lexical import tokenize

# A sentence ends at . ! ? before a capital, digit or bullet -- but not after "mm." / "esim." / "n." etc.
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?<!\bmm\.)(?<!\besim\.)(?<!\bns\.)(?<!\bjne\.)(?<!\bklo\.)(?<!\bvrt\.)(?<!\bn\.)(?<!\bca\.)"
    r"\s+(?=[A-ZÅÄÖ0-9\-–•])"
)
_MIN_CHARS = 25
_MIN_WORDS = 4
_CAPTION = re.compile(r"^(Kuvio|Kuva|Taulukko|Figur|Tabell|Figure|Table)\s+\d", re.IGNORECASE)  # captions without figures
_LIST_NUMBER = re.compile(r"^\d{1,2}\.?\s+(?=[A-ZÅÄÖ])")
_MAX_CHARS = 420


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset within the passage text


def split_sentences(text: str) -> list[Sentence]:
    """Sentences and list items of ``text`` with their offsets; fragments under 25 chars are dropped.

    >>> [s.text for s in split_sentences("Omaolo on käytössä. Se toimii hyvin kaikilla asemilla.")]
    ['Se toimii hyvin kaikilla asemilla.']
    """
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        pos = line.start()
        for part in _BOUNDARY.split(line.group(0)):
            stripped = part.strip(" -–•")
            if _quotable(stripped):
                offset = text.find(stripped, pos)
                out.append(Sentence(_clip(_LIST_NUMBER.sub("", stripped)), max(offset, 0)))
            pos += len(part)
    return out


def _quotable(text: str) -> bool:
    """Whole enough to quote: long enough, and not a table-cell fragment cut mid-parenthesis or mid-list."""
    return (len(text) >= _MIN_CHARS and len(text.split()) >= _MIN_WORDS and text.count("(") <= text.count(")")
            and not _CAPTION.match(text) and not text.startswith("(")
            and not text.endswith((",", "(", ":", "?", " ja", " sekä", " tai")))


def _clip(text: str) -> str:
    if len(text) <= _MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, _MAX_CHARS)
    return text[: cut if cut > 0 else _MAX_CHARS] + " …"


def stems(text: str) -> set[str]:
    """Content terms of ``text``: Voikko lemmas with compound parts, as in the BM25 index, so that
    "kotihoitoa", "kotihoidon" and "kotihoitotiimi" all meet "kotihoito"."""
    return set(tokenize(text, "voikko-compounds"))


def overlap_score(query: set[str], sentence: set[str], idf: Mapping[str, float], unknown: float = 1.0) -> float:
    """IDF-weighted share of the query's stems that the sentence contains, with prefix matches
    for Finnish compounds ("kotihoito" inside "kotihoitotiimi") counting half. ``unknown`` is the
    weight of a stem missing from ``idf``."""
    if not query:
        return 0.0
    total = sum(idf.get(q, unknown) for q in query)
    got = 0.0
    for q in query:
        if q in sentence:
            got += idf.get(q, unknown)
        elif len(q) >= 5 and any(s.startswith(q) or q.startswith(s) and len(s) >= 5 for s in sentence):
            got += 0.5 * idf.get(q, unknown)
    return got / total


def idf_table(texts: Iterable[str]) -> dict[str, float]:
    docs = [stems(t) for t in texts]
    n = len(docs) or 1
    df: dict[str, int] = {}
    for d in docs:
        for s in d:
            df[s] = df.get(s, 0) + 1
    return {s: math.log(1 + n / c) for s, c in df.items()}
