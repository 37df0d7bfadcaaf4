"""Repair text-extraction artefacts, keeping a map from cleaned offsets back to raw line numbers.

Works line by line so that every cleaned character can be traced to the line it came from:
drop furniture (the table of contents including its wrapped entries, bare page numbers that rise
through the file, ``mailto:`` lists, repeated slide titles and column-header runs, later copies of
boilerplate blocks and URL lines), normalise bullets and odd spaces, mask identity codes and contact
details (``masking.py``; also addresses hyphenated across a break), then join wrapped lines and words
hyphenated across line breaks (keeping compound hyphens: sote-keskus, SBM-asiakkuudenhallinta,
oikea-aikainen).

Repeated short cells that carry data stay: 003's bare 1-5 scores, 002's status cells
("Käynnissä"), hyphenation tails ("nen").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.ingest import masking
from assistant.records import CleanText, Segment

_BULLETS = re.compile(r"^\s*(?:[\uf0b7\uf0a7\u2022\u2212\u25aa\u25cf\u2013▪●]|o(?=\s)|-(?=\s))\s*")
_ODD_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\t]")
_TOC_LINE = re.compile(r"\.{5,}\s*\d{1,3}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*/\s*\d{1,3}|sivu \d{1,3})\s*$", re.IGNORECASE)
_NUMBERED_ITEM = re.compile(r"^\(?\d{1,2}[.)]\s")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_MAILTO_LINE = re.compile(r"^\s*mailto:|^[\s,;]*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+[\s,;]*)+$")
# Compound prefixes whose hyphen is part of the word even at a line break ("sote-keskus").
_KEEP_HYPHEN_PREFIXES = frozenset({"sote", "digi", "it", "ict", "lape", "tki", "tkio", "ls", "ek", "e"})
_VOWELS = set("aeiouyäöå")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_CONTINUES = re.compile(r"^[a-zåäö%,;)\]]")
_NUMBERED_HEADING = re.compile(r"^\d+(?:\.\d+)*\.?\s+[A-ZÅÄÖ]")


@dataclass(frozen=True)
class _Line:
    text: str
    number: int  # 1-based raw line number


def clean_text(raw: str, mask_contacts: bool = True) -> CleanText:
    """Clean ``raw`` extracted text; see the module docstring for what is repaired."""
    lines = [_Line(_normalise(t), i + 1) for i, t in enumerate(raw.split("\n"))]
    lines = _drop_furniture(lines, mask_contacts)
    lines = _drop_repeated_blocks(lines)
    return _join(_mask_lines(lines, mask_contacts))


def _normalise(line: str) -> str:
    line = _ODD_SPACES.sub(" ", line).rstrip()
    if _BULLETS.match(line):
        line = _BULLETS.sub("- ", line, count=1)
    return re.sub(r" {2,}", " ", line.strip())


def _mask_lines(lines: list[_Line], contacts: bool) -> list[_Line]:
    """Mask identity codes always and, if ``contacts``, e-mail addresses and phone numbers, including
    an address hyphenated across a line break (``kelloniemi@savu-`` / ``koski.fi``): its tail on the
    next line is masked too."""
    out: list[_Line] = []
    carry = False
    for ln in lines:
        text = masking.mask_identity_codes(ln.text)
        if contacts:
            if carry and text:
                text = re.sub(r"^\S+", "", text).lstrip()
                carry = False
            if re.search(r"[\w.+-]+@[\w.-]*-$", text):
                text = re.sub(r"[\w.+-]+@[\w.-]*-$", masking.EMAIL_MASK, text)
                carry = True
            text = masking.mask_contacts(text)
        out.append(_Line(text, ln.number))
    return out


def _furniture_lines(lines: list[_Line]) -> set[str]:
    """Slide titles and table column headers: short lines repeated many times that are either an
    all-caps title ("PALVELUSTRATEGIA") or part of a run of such lines (``Tavoite`` / ``Arviointi`` /
    ``(1-5)`` / ``Sanallinen arviointi``). A lone repeated cell ("Käynnissä", a hyphenation tail
    "nen", a numbered goal) is content and stays; later copies of longer blocks go in
    ``_drop_repeated_blocks``.
    """
    counts = Counter(ln.text.lower() for ln in lines if ln.text and len(ln.text) <= 50)
    repeated = {
        text for text, n in counts.items()
        if n >= 5 and not re.fullmatch(r"[-\d\s.,%]+", text) and not text.endswith("-")
        and not _NUMBERED_ITEM.match(text)
    }
    content = [ln.text for ln in lines if ln.text]
    furniture: set[str] = set()
    run: list[str] = []
    for text in content + [""]:
        if text and text.lower() in repeated and (run or not text[0].islower()):
            run.append(text)
            continue
        if len(run) >= 3:
            furniture.update(t.lower() for t in run)
        run = []
    for text in content:
        letters = [c for c in text if c.isalpha()]
        if text.lower() in repeated and len(letters) >= 4 and all(c.isupper() for c in letters) \
                and not text.endswith(":"):
            furniture.add(text.lower())
    return furniture


def _page_numbers(lines: list[_Line]) -> set[int]:
    """Raw line numbers of bare page numbers: bare integers that (mostly) increase through the file.

    Bare digits that jump around are data, such as the 1-5 scores of an evaluation table.
    """
    bare = [(ln.number, int(ln.text)) for ln in lines if re.fullmatch(r"\d{1,3}", ln.text)]
    if not bare:
        return set()
    rising = sum(b[1] > a[1] for a, b in zip(bare, bare[1:], strict=False))
    if len(bare) > 1 and rising < 0.8 * (len(bare) - 1):
        return set()
    return {number for number, _ in bare}


def _toc_lines(lines: list[_Line], max_gap: int = 3) -> set[int]:
    """Raw line numbers of a table of contents: dot-leader lines, the wrapped entry starts between
    them (``5.3 Toimintatapojen…`` / ``avulla ..... 47``) and a ``Sisällysluettelo`` title."""
    content = [ln for ln in lines if ln.text]
    hits = [k for k, ln in enumerate(content) if _TOC_LINE.search(ln.text)]
    toc: set[int] = set()
    for a, b in zip(hits, hits[1:], strict=False):
        if b - a <= max_gap:
            toc.update(ln.number for ln in content[a:b + 1])
    toc.update(content[k].number for k in hits)
    if hits and hits[0] > 0 and re.fullmatch(r"(?i)sisällys(?:luettelo)?|sisältö|contents",
                                              content[hits[0] - 1].text):
        toc.add(content[hits[0] - 1].number)
    return toc


def _drop_furniture(lines: list[_Line], mask_contacts: bool) -> list[_Line]:
    furniture = _furniture_lines(lines)
    pages = _page_numbers(lines) | _toc_lines(lines)
    seen_urls: set[str] = set()
    kept: list[_Line] = []
    for ln in lines:
        text = ln.text
        if _TOC_LINE.search(text) or ln.number in pages or _PAGE_NUMBER.match(text) or text.lower() in furniture:
            continue
        if mask_contacts and _MAILTO_LINE.match(text):
            continue
        if _URL_LINE.match(text):
            if text in seen_urls:
                continue
            seen_urls.add(text)
        kept.append(ln)
    return kept


def _drop_repeated_blocks(lines: list[_Line], window: int = 3, min_chars: int = 80) -> list[_Line]:
    """Drop later copies of blocks of ``window`` consecutive non-blank lines already seen.

    Boilerplate (goal lists repeated under every heading) would otherwise fill the top results
    with identical chunks. Single repeated lines stay: in 001 and 003 they are sub-headings and
    per-goal assessments that belong to their own section.
    """
    content = [i for i, ln in enumerate(lines) if ln.text]
    drop: set[int] = set()
    seen_blocks: set[tuple[str, ...]] = set()
    for k in range(len(content)):
        block_idx = content[k:k + window]
        if len(block_idx) < window:
            continue
        block = tuple(lines[i].text for i in block_idx)
        if sum(map(len, block)) < min_chars:
            continue
        if block in seen_blocks:
            drop.update(block_idx)
        else:
            seen_blocks.add(block)
    return [ln for i, ln in enumerate(lines) if i not in drop]


def _keeps_hyphen(fragment: str, following: str) -> bool:
    """Whether ``fragment-`` + ``following`` is a hyphenated compound rather than a split word."""
    word = re.split(r"[\s/(]", fragment)[-1]
    if not word or not following:
        return True
    stem = word.split("-")[-1]
    # Acronyms and names with inner capitals keep their hyphen ("SBM-", "OmaOlo-"); a capitalised
    # fragment is just a sentence- or name-initial word split at the margin ("Tulevai-" + "suuden").
    acronym = stem.isupper() or any(c.isupper() for c in stem[1:])
    if not stem.isalpha() or acronym or stem.lower() in _KEEP_HYPHEN_PREFIXES:
        return True
    # Finnish writes a hyphen where equal vowels meet in a compound: "oikea-aikainen".
    return stem[-1].lower() in _VOWELS and stem[-1].lower() == following[0].lower()


def _join(lines: list[_Line]) -> CleanText:
    """Join wrapped lines into paragraphs; blank lines (collapsed) separate paragraphs."""
    out: list[str] = []
    segments: list[Segment] = []
    length = 0
    pending_blank = False
    prev = ""

    def emit(piece: str, number: int) -> None:
        nonlocal length
        segments.append(Segment(length, number))
        out.append(piece)
        length += len(piece)

    for ln in lines:
        text = ln.text
        if not text:
            pending_blank = True
            continue
        if not out:
            emit(text, ln.number)
        elif prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and text[0].islower():
            # Hyphenated across a break (possibly with blank lines between): join the halves.
            out[-1] = out[-1][:-1] if not _keeps_hyphen(prev[:-1], text) else out[-1]
            length = sum(map(len, out))
            emit(text, ln.number)
        elif not _SENTENCE_END.search(prev) and (
            _CONTINUES.match(text)
            or (text[0].isdigit() and prev[-1].islower() and not _NUMBERED_HEADING.match(text))
            or (re.search(r"\(?\d{1,3}$", prev) is not None and re.match(r"\d{3}\b", text) is not None)
        ):
            emit(" " + text, ln.number)
        else:
            emit("\n\n" + text if pending_blank else "\n" + text, ln.number)
        pending_blank = False
        prev = text
    return CleanText("".join(out), tuple(segments))


def line_at(clean: CleanText, offset: int) -> int:
    """Raw 1-based line number of the cleaned character at ``offset``."""
    import bisect

    starts = [s.start for s in clean.segments]
    i = bisect.bisect_right(starts, offset) - 1
    return clean.segments[max(i, 0)].line if clean.segments else 1
