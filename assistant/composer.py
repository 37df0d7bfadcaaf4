"""The ``Composer`` seam (the extractive and the LLM composer both implement it) and citation numbering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from assistant.question import Query
from assistant.records import Answer, Citation, Passage
from assistant.retrieval import Retrieved


class Composer(Protocol):
    """Turns a query and what was retrieved for it into an answer."""

    def compose(self, query: Query, retrieved: Retrieved) -> Answer: ...

    def compose_stream(self, query: Query, retrieved: Retrieved) -> Iterator[str | Answer]:
        """Text pieces as they are written (if the composer writes gradually), then the final ``Answer``."""
        ...


class Citations:
    """Numbers passages in order of first citation: the first cited passage is [1]."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self._passages: list[Passage] = []

    def number(self, passage: Passage) -> int:
        key = passage.chunk.chunk_id
        if key not in self._numbers:
            self._passages.append(passage)
            self._numbers[key] = len(self._passages)
        return self._numbers[key]

    def all(self) -> tuple[Citation, ...]:
        return tuple(Citation(i + 1, p) for i, p in enumerate(self._passages))
