"""Sentence splitting for quoting and evidence (pure functions, no I/O).

Finnish planning documents are full of abbreviations ("v. 2023", "esim.", "mm.", "n. 40 %"), dates
(1.4.2023), numbered list items and lines wrapped mid-sentence; a quote cut at any of them loses the fact
that was asked. A line break ends a sentence only when the line ends like one or the next line starts
like a new one (a capital, a bullet, a number); inside a line a full stop ends a sentence only before a
capital or a digit, and never after an abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Never end a sentence ("v. 2023", "esim. Omaolo", "n. 40 %", "klo 12", "s. 14", "milj. €").
_NEVER_END = frozenset({
    "v", "esim", "mm", "ns", "n", "klo", "ks", "nro", "s", "milj", "t", "vrt", "ca", "os", "mrd", "tri",
    "prof", "ao", "ko", "em", "ed", "huom", "lk", "puh", "vs", "yo", "sis", "so", "yht", "kk", "vk", "vko",
    "engl", "ruots", "suom", "lyh", "e.g", "i.e", "ms", "mom", "pyk", "luku", "liite",
})
# End a sentence only before a capital letter ("…palvelut jne. Lisäksi…", but "19 kpl. 2019" goes on).
_END_BEFORE_CAPITAL = frozenset({"jne", "ym", "yms", "tms", "kpl", "etc", "hlö", "hlöä"})
_STOP = re.compile(r"[.!?]+[\"”’)]*(?=\s)")
_STARTS_NEW = re.compile(r"[A-ZÅÄÖÉÜ0-9\"“•–-]")
_STARTS_ITEM = re.compile(r"^\s*(?:[-–•]\s|o\s+(?=[A-ZÅÄÖ])|\(?\d{1,2}[.)]\s+\S|[a-zåäö]\)\s)")
_ENDS_LINE = re.compile(r"[.!?:;][\"”’)]*\s*$")
_JOINS = re.compile(r"(?:,|\bja|\bsekä|\btai|\bettä|\bkuin|\bjoka|\bjotka|\bsekä)\s*$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\wÅÄÖåäö.]+)$")
_LEAD = re.compile(r"^(?:[-–•]\s*|o\s+(?=[A-ZÅÄÖ])|\(?\d{1,2}[.)]\s+(?=[A-ZÅÄÖ]))")  # bullets, "o" sub-bullets
_CAPTION = re.compile(r"^(Kuvio|Kuva|Taulukko|Figur|Tabell|Figure|Table)\s+\d", re.IGNORECASE)
_LOOK_BACK = 120  # characters around a candidate break that decide it (whole-text slices would be quadratic)
MIN_CHARS = 20
MIN_WORDS = 3
MAX_CHARS = 420


@dataclass(frozen=True)
class Sentence:
    """A sentence or list item: display ``text`` (whitespace collapsed, bullet or item number dropped) and
    the ``start``/``end`` offsets of its span in the text it was split from."""

    text: str
    start: int
    end: int = -1
    item: bool = False  # a bullet or numbered list item

    @property
    def quotable(self) -> bool:
        """Whole enough to quote: long enough, not a caption, not a fragment cut mid-parenthesis or mid-list."""
        t = self.text
        return (len(t) >= MIN_CHARS and len(t.split()) >= MIN_WORDS and t.count("(") <= t.count(")")
                and not _CAPTION.match(t) and not t.startswith("(")
                and not t.endswith((",", "(", ":", "?", " ja", " sekä", " tai")))


def _ends_here(text: str, stop: re.Match[str]) -> bool:
    """Whether the full stop (or ! ?) at ``stop`` ends a sentence inside a line."""
    after = text[stop.end():stop.end() + _LOOK_BACK].lstrip(" ")
    if not after or after[0] == "\n" or not _STARTS_NEW.match(after):
        return False
    if stop.group(0)[0] != ".":
        return True
    before = text[max(0, stop.start() - _LOOK_BACK):stop.start()]
    word = _WORD_BEFORE.search(before)
    token = word.group(1).lower() if word else ""
    line_start = before.rfind("\n") + 1
    if re.fullmatch(r"\s*\(?\d{1,2}", before[line_start:]):
        return False  # the number of a list item: "2. Otamme käyttöön…"
    if token in _NEVER_END or (len(token) == 1 and token.isalpha()):
        return False  # abbreviations and initials: "v. 2023", "A. Virtanen"
    return not (token in _END_BEFORE_CAPITAL and not after[0].isupper())


def _line_breaks(text: str) -> list[int]:
    """Offsets of line breaks that end a sentence (the rest are wrapped lines to join)."""
    cuts = []
    for m in re.finditer(r"\n\s*", text):
        before = text[max(0, m.start() - _LOOK_BACK):m.start()].rstrip()
        after = text[m.end():m.end() + _LOOK_BACK]
        if not before or not after:
            continue
        word = _WORD_BEFORE.search(before)
        abbreviation = bool(word and before.endswith(".") and word.group(1).lower().rstrip(".") in _NEVER_END)
        continues = (not _STARTS_ITEM.match(after) and not _ENDS_LINE.search(before)
                     and (after[0].islower() or after[0] in "(%€" or bool(_JOINS.search(before))))
        if not (abbreviation or continues):
            cuts.append(m.start())
    return cuts


def split_sentences(text: str) -> list[Sentence]:
    """Sentences and list items of ``text`` with their offsets; empty pieces are dropped.

    >>> [s.text for s in split_sentences("Tavoite on otettava käyttöön v. 2023 aikana. Kunnat\\naloittavat 1.4.2023.")]
    ['Tavoite on otettava käyttöön v. 2023 aikana.', 'Kunnat aloittavat 1.4.2023.']
    """
    cuts = set(_line_breaks(text))
    cuts |= {m.end() for m in _STOP.finditer(text) if _ends_here(text, m)}
    out: list[Sentence] = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        piece = text[start:cut]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            item = _LEAD.match(body)
            skip = item.end() if item else 0
            shown = " ".join(body[skip:].split())
            begin = start + lead + skip
            if shown:
                out.append(Sentence(_clip(shown), begin, start + lead + len(body), bool(item)))
        start = cut
    return out


def _clip(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS] + " …"
