"""Split a cleaned document into retrievable chunks that keep their heading path and location.

Sections are cut at detected headings first, so a chunk never straddles two topics; each section
is then split with langchain-text-splitters' recursive splitter (paragraph, line, sentence, word).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from assistant.ingest.clean import line_at
from assistant.records import Chunk, Document

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.{2,140})$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÅÄÖ][^\n]{2,110})$")
_LETTER_HEADING = re.compile(r"^([A-Z])\.\s+([A-ZÅÄÖ][^\n]{2,110})$")
_GOAL_HEADING = re.compile(r"^(HYÖTYTAVOITE:?\s*\d?\.?\s*[^\n]{2,110})$")
_MIN_SECTION_CHARS = 200
MIN_CHUNK_CHARS = 150
HEADING_DEPTH = 3


@dataclass(frozen=True)
class Heading:
    start: int
    level: int
    title: str


def _is_sentence(title: str) -> bool:
    """List items and table cells read as sentences; headings do not ("3 Toteutus")."""
    return (title.endswith((".", "!", "?")) or re.search(r"[a-zåäö)]\. [A-ZÅÄÖ]", title) is not None
            or re.search(r"\s(?:on|ovat|oli|olivat|ei|eivät)\s", title) is not None)


def _follows_outline(parts: tuple[int, ...], current: tuple[int, ...]) -> bool:
    """Whether heading number ``parts`` can come next after ``current`` in a document outline.

    Chapters only move forward by small steps (a wrapped, undetected heading may be skipped), so
    numbered list items that restart at 1 inside a chapter are not taken for chapters.

    >>> _follows_outline((4, 2, 1), (4, 2)), _follows_outline((5,), (4, 2)), _follows_outline((1,), (4, 2))
    (True, True, False)
    >>> _follows_outline((1,), ()), _follows_outline((3,), ())
    (True, False)
    """
    if not current:
        return all(p <= 1 for p in parts)  # an outline starts at 1 (1, 1.1)
    for i, part in enumerate(parts):
        have = current[i] if i < len(current) else 0
        if part != have:
            return 1 <= part - have <= 3 and all(p <= 3 for p in parts[i + 1:])
    return False


def _number(line: str) -> tuple[int, ...]:
    m = _NUMBERED_HEADING.match(line)
    return tuple(int(p) for p in m.group(1).split(".")) if m else ()


def _siblings(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Adjacent lines numbered 1., 2. (same depth, consecutive) form a list, not two headings."""
    return bool(a) and len(a) == len(b) and a[:-1] == b[:-1] and abs(a[-1] - b[-1]) == 1


def find_headings(text: str) -> list[Heading]:
    """Headings in cleaned text, each with its nesting level (1 = chapter).

    Numbered lines count only when they follow the outline, do not read as sentences and are not
    part of a run of numbered lines (a list such as the eight tulostavoitteet of 000).

    >>> [h.title for h in find_headings("1 Sote-keskus\\nTeksti.\\n1.1 Avosairaanhoito")]
    ['1 Sote-keskus', '1.1 Avosairaanhoito']
    >>> [h.title for h in find_headings("1 Tausta\\nTeksti.\\n1. Tavoite yksi\\n2. Tavoite kaksi\\n2 Toteutus")]
    ['1 Tausta', '2 Toteutus']
    """
    lines = text.split("\n")
    numbers = [_number(line.strip()) for line in lines]
    content = [k for k, line in enumerate(lines) if line.strip()]
    neighbours = {k: (content[i - 1] if i else None, content[i + 1] if i + 1 < len(content) else None)
                  for i, k in enumerate(content)}
    headings: list[Heading] = []
    outline: tuple[int, ...] = ()
    offset = 0
    for k, line in enumerate(lines):
        stripped = line.strip()
        in_list = any(n is not None and _siblings(numbers[k], numbers[n]) for n in neighbours.get(k, (None, None)))
        if stripped and not stripped.endswith((",", ";")):
            if m := _MARKDOWN_HEADING.match(stripped):
                headings.append(Heading(offset, len(m.group(1)), m.group(2).strip()))
            elif m := _GOAL_HEADING.match(stripped):
                headings.append(Heading(offset, 1, stripped))
            elif (m := _NUMBERED_HEADING.match(stripped)) and len(stripped) <= 120:
                parts = tuple(int(p) for p in m.group(1).split("."))
                if not in_list and not _is_sentence(stripped) and _follows_outline(parts, outline):
                    outline = parts
                    headings.append(Heading(offset, len(parts), stripped))
            elif (m := _LETTER_HEADING.match(stripped)) and len(stripped) <= 120:
                headings.append(Heading(offset, 5, stripped))
        offset += len(line) + 1
    return headings


def _sections(text: str, depth: int = 3) -> list[tuple[int, int, str]]:
    """(start, end, heading path) spans covering ``text``; tiny sections merge into the next."""
    headings = find_headings(text)
    spans: list[tuple[int, int, str]] = []
    stack: list[Heading] = []
    bounds = [0] + [h.start for h in headings if h.start > 0] + [len(text)]
    by_start = {h.start: h for h in headings}
    for start, end in zip(bounds, bounds[1:], strict=False):
        if (h := by_start.get(start)) is not None:
            stack = [s for s in stack if s.level < h.level] + [h]
        path = " > ".join(s.title for s in stack[-depth:])
        spans.append((start, end, path))
    merged: list[tuple[int, int, str]] = []
    carry: int | None = None
    for start, end, path in spans:
        begin = start if carry is None else carry
        if len(text[begin:end].strip()) < _MIN_SECTION_CHARS and end != len(text):
            carry = begin
            continue
        merged.append((begin, end, path))
        carry = None
    return merged


def chunk_id(doc_id: str, start: int, text: str) -> int:
    """Stable positive int64 id: the same text at the same place keeps its FAISS id across runs."""
    digest = hashlib.sha1(f"{doc_id}\x00{start}\x00{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF


def _page_of(document: Document, line: int) -> int | None:
    if not document.page_starts:
        return None
    return max(bisect.bisect_right(document.page_starts, line), 1)


def _merge_small(spans: list[tuple[int, int]], text: str, min_chars: int) -> list[tuple[int, int]]:
    """Fold pieces shorter than ``min_chars`` into the following piece (the last into the previous):
    a lead-in such as "Tilanneanalyysissä huomioidaan seuraavat ulottuvuudet:" is useless alone.

    >>> _merge_small([(0, 5), (6, 30)], "Otsa: " + "x" * 24, 10)
    [(0, 30)]
    """
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        begin = start if carry is None else carry
        if len(text[begin:end].strip()) < min_chars:
            carry = begin
            continue
        merged.append((begin, end))
        carry = None
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], max(merged[-1][1], spans[-1][1]))
        else:
            merged.append((carry, spans[-1][1]))
    return merged


def _pieces(section: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """(start, end) of the recursive splitter's pieces inside ``section``, stripped of whitespace."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in splitter.split_text(section):
        body = piece.strip()
        if not body:
            continue
        local = section.find(body, max(cursor - overlap - len(body), 0))
        if local < 0:
            local = section.find(body)
        cursor = local + len(body)
        spans.append((local, local + len(body)))
    return spans


def split(document: Document, size: int = 600, overlap: int = 100, min_chars: int = MIN_CHUNK_CHARS,
          headings: bool = True, heading_depth: int = HEADING_DEPTH) -> list[Chunk]:
    """Chunks of about ``size`` characters with offsets into ``document.clean.text``.

    Pieces under ``min_chars`` are merged into a neighbour; ``headings=False`` leaves the heading
    path out of the chunk (an ablation switch for evaluation); ``heading_depth`` is how many
    levels of the path are kept (the deepest ones).
    """
    text = document.clean.text
    chunks: list[Chunk] = []
    for sec_start, sec_end, path in _sections(text, heading_depth):
        section = text[sec_start:sec_end]
        for local_start, local_end in _merge_small(_pieces(section, size, overlap), section, min_chars):
            start, end = sec_start + local_start, sec_start + local_end
            body = text[start:end]
            if len(body.strip()) < 20:
                continue
            first, last = line_at(document.clean, start), line_at(document.clean, end - 1)
            heading = path if not body.startswith(path.split(" > ")[-1]) else " > ".join(path.split(" > ")[:-1])
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(document.doc_id, start, body),
                    doc_id=document.doc_id,
                    region=document.info.region,
                    title=document.info.title,
                    heading=heading if headings else "",
                    text=body,
                    start=start,
                    end=end,
                    lines=(first, last),
                    page=_page_of(document, first),
                    year=document.info.year,
                )
            )
    return chunks
