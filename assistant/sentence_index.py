"""Every sentence of a loaded index, split once per generation: display text, offsets in its document,
lemmas and, when an embedder is given, a vector. Evidence, ranking and the practice map read sentences
from here, so no question re-splits or re-tokenises a passage.

Sentences are split over whole documents (a sentence cut by a chunk boundary stays whole) and belong to
every chunk that contains their start.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.records import Chunk
from assistant.sentences import split_sentences
from assistant.topic import lemma_sequence


@dataclass(frozen=True)
class IndexedSentence:
    """A sentence of document ``doc_id``; ``start``/``end`` index the document's cleaned text."""

    id: int
    text: str
    doc_id: str
    start: int
    end: int
    full: frozenset[str]  # its words' lemmas
    tokens: frozenset[str]  # the same with compound parts
    sequence: tuple[str, ...]  # its words' lemmas in order
    quotable: bool
    item: bool  # a bullet or numbered list item
    chunks: tuple[int, ...]  # ids of the chunks it belongs to


class SentenceIndex:
    def __init__(self, sentences: Sequence[IndexedSentence], vectors: np.ndarray | None = None) -> None:
        self.sentences = tuple(sentences)
        self.vectors = vectors if vectors is not None and len(vectors) == len(self.sentences) else None
        by_chunk: dict[int, list[int]] = {}
        for s in self.sentences:
            for cid in s.chunks:
                by_chunk.setdefault(cid, []).append(s.id)
        self._by_chunk = {cid: tuple(ids) for cid, ids in by_chunk.items()}

    def __len__(self) -> int:
        return len(self.sentences)

    def __getitem__(self, i: int) -> IndexedSentence:
        return self.sentences[i]

    def of_chunk(self, chunk_id: int) -> tuple[int, ...]:
        """Ids of the sentences of a chunk, in reading order."""
        return self._by_chunk.get(chunk_id, ())

    def similarities(self, vector: np.ndarray) -> np.ndarray | None:
        """Cosine of ``vector`` (normalised) with every sentence, or None without sentence vectors."""
        return None if self.vectors is None else self.vectors @ vector


def build_sentence_index(documents: Mapping[str, str], chunks: Sequence[Chunk],
                         embed: Callable[[list[str]], np.ndarray] | None = None) -> SentenceIndex:
    """Split ``documents`` (id -> cleaned text) into sentences that belong to ``chunks``; ``embed`` (if
    given) returns one normalised vector per sentence text."""
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    out: list[IndexedSentence] = []
    for doc_id, doc_chunks in by_doc.items():
        text = documents.get(doc_id, "")
        doc_chunks.sort(key=lambda c: c.start)
        starts = [c.start for c in doc_chunks]
        for s in split_sentences(text):
            # Chunks that contain the sentence's start (chunks overlap, so there may be two).
            last = bisect.bisect_right(starts, s.start)
            owners = tuple(c.chunk_id for c in doc_chunks[max(0, last - 3):last] if c.start <= s.start < c.end)
            if not owners:
                continue  # furniture the chunker dropped
            sequence, tokens = lemma_sequence(s.text)
            out.append(IndexedSentence(len(out), s.text, doc_id, s.start, s.end, frozenset(sequence), tokens, sequence,
                                       s.quotable, s.item, owners))
    vectors = None
    if embed is not None and out:
        vectors = np.asarray(embed([s.text for s in out]), dtype=np.float32)
    return SentenceIndex(out, vectors)
