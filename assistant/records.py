"""Frozen records that flow through the pipeline: load -> clean -> chunk -> retrieve -> answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class RawText:
    """Text extracted by a loader.

    ``page_starts`` holds, for formats with pages or slides, the 1-based line number on which each
    page begins (page ``i+1`` starts at ``page_starts[i]``); it is empty for plain text.
    """

    text: str
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class SourceInfo:
    """What we know about a document: from ``corpus/sources.toml`` or guessed from its text."""

    region: str
    title: str
    organisation: str = ""
    year: int | None = None
    period: str = ""
    kind: str = ""
    has_metadata: bool = True
    region_guessed: bool = False


@dataclass(frozen=True)
class Segment:
    """Cleaned text from ``start`` onwards came from raw line ``line`` (1-based)."""

    start: int
    line: int


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus a map back to raw line numbers (segments sorted by ``start``)."""

    text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Document:
    doc_id: str
    file_name: str
    info: SourceInfo
    content_hash: str
    clean: CleanText
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. ``start``/``end`` are offsets into the document's cleaned text."""

    chunk_id: int
    doc_id: str
    region: str
    title: str
    heading: str
    text: str
    start: int
    end: int
    lines: tuple[int, int] | None
    page: int | None
    year: int | None = None

    @property
    def lexical_text(self) -> str:
        """Text for BM25 and coverage: the heading path adds words the chunk lacks. (The dense leg embeds
        ``text`` alone: with the heading prepended, dense MRR@10 on the dev set fell from 0.77 to 0.69.)"""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


@dataclass(frozen=True)
class Filters:
    regions: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def admits(self, chunk: Chunk) -> bool:
        return (
            (not self.regions or chunk.region in self.regions)
            and (not self.documents or chunk.doc_id in self.documents)
            and (not self.years or chunk.year in self.years)
        )

    @property
    def empty(self) -> bool:
        return not (self.regions or self.documents or self.years)


@dataclass(frozen=True)
class Passage:
    """A chunk as retrieved for one question, with its fused relevance score."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    lexical: float = 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    passage: Passage


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Answer:
    text: str
    abstained: bool
    language: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


Status = Literal["in_use", "pilot", "planned", "mentioned", "not_found"]
STATUSES: tuple[Status, ...] = ("in_use", "pilot", "planned", "mentioned", "not_found")


@dataclass(frozen=True)
class Evidence:
    """The sentence that decided a practice-map cell. ``start``/``end`` index the document's cleaned text
    (``GET /api/documents/{id}``), like citations do."""

    text: str
    document: str
    title: str
    year: int | None
    start: int
    end: int
    lines: tuple[int, int] | None
    page: int | None


@dataclass(frozen=True)
class Cell:
    """One topic x region cell of the practice map; ``evidence`` is None only for ``not_found``;
    ``more`` counts the other supporting passages."""

    topic: str
    region: str
    status: Status
    evidence: Evidence | None
    more: int = 0


@dataclass(frozen=True)
class Comparison:
    topics: tuple[str, ...]
    regions: tuple[str, ...]
    cells: tuple[Cell, ...]
