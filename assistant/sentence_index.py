"""The sentences of an index generation: split at index time, read per chunk on demand while serving.

Sentences are split over whole documents (a sentence cut by a chunk boundary stays whole), lemmatised
once and stored in the catalog (``sentences`` table) with ids in reading order, document by document, so
``id ± 1`` is the neighbouring sentence. A sentence belongs to every chunk that contains its start.
Serving reads only the sentences of the chunks a question touches and keeps a bounded cache, so memory
does not grow with the corpus. Evidence, ranking and the practice map read sentences from here; no
question re-splits or re-lemmatises a passage.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.records import Chunk
from assistant.sentences import split_sentences
from assistant.topic import lemma_sequence

PRELOAD_SENTENCES = 50_000  # an index with at most this many keeps them all in memory (the bundled one: 3 600)
CACHED_SENTENCES = 100_000  # sentences kept parsed in memory (a few hundred MB at most); then start afresh
_MEMO_TEXTS = 50_000  # sentence texts whose lemmas one build remembers (repeated boilerplate is lemmatised once)

# One stored sentence: doc_id, start, end, text, lemmas in order, lemmas with parts, quotable, item, chunk ids.
SentenceRow = tuple[str, int, int, str, str, str, int, int, str]


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


def document_sentences(doc_id: str, text: str, chunks: Sequence[Chunk],
                       memo: dict[str, tuple[tuple[str, ...], frozenset[str]]] | None = None) -> Iterator[SentenceRow]:
    """The rows to store for one document's ``chunks`` (sentences outside every chunk are furniture the
    chunker dropped). ``memo`` (text -> lemmas) is shared across one build's documents."""
    ordered = sorted(chunks, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    for s in split_sentences(text):
        last = bisect.bisect_right(starts, s.start)  # chunks overlap, so two may contain the start
        owners = [c.chunk_id for c in ordered[max(0, last - 3):last] if c.start <= s.start < c.end]
        if not owners:
            continue
        lemmas = memo.get(s.text) if memo is not None else None
        if lemmas is None:
            lemmas = lemma_sequence(s.text)
            if memo is not None and len(memo) < _MEMO_TEXTS:
                memo[s.text] = lemmas
        sequence, tokens = lemmas
        yield (doc_id, s.start, s.end, s.text, " ".join(sequence), " ".join(sorted(tokens)), int(s.quotable),
               int(s.item), " ".join(map(str, owners)))


class SentenceSource(Protocol):
    """Where stored sentence rows come from (the catalog): ``(id, *SentenceRow)`` tuples."""

    def sentence_rows_in(self, doc_id: str, start: int, end: int) -> list[tuple]: ...  # type: ignore[type-arg]

    def sentence_rows_between(self, first: int, last: int) -> list[tuple]: ...  # type: ignore[type-arg]

    def sentence_rows_of(self, rows: Sequence[int]) -> list[tuple]: ...  # type: ignore[type-arg]

    def sentence_count(self) -> int: ...


def _parse(row: tuple) -> IndexedSentence:  # type: ignore[type-arg]
    sid, doc_id, start, end, text, sequence, tokens, quotable, item, owners = row
    seq = tuple(sequence.split())
    return IndexedSentence(sid, text, doc_id, start, end, frozenset(seq), frozenset(tokens.split()), seq,
                           bool(quotable), bool(item), tuple(int(c) for c in owners.split()))


class SentenceIndex:
    """Stored sentences, read per chunk and cached; with ``embed`` (texts -> normalised vectors), each
    sentence read also gets a vector, for dense similarity to a question."""

    def __init__(self, source: SentenceSource, embed: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self._source = source
        self._embed = embed
        self._lock = threading.Lock()
        self._by_id: dict[int, IndexedSentence] = {}
        self._by_chunk: dict[int, tuple[int, ...]] = {}
        self._vectors: dict[int, np.ndarray] = {}

    def preload(self, limit: int = PRELOAD_SENTENCES) -> bool:
        """Read every sentence into memory if the index has at most ``limit`` (a small corpus then answers
        without a storage read); returns whether it did."""
        if self._source.sentence_count() > limit:
            return False
        found = [_parse(r) for r in self._source.sentence_rows_between(0, 2**62)]
        by_chunk: dict[int, list[int]] = {}
        for s in found:
            for cid in s.chunks:
                by_chunk.setdefault(cid, []).append(s.id)
        with self._lock:
            self._by_id = {s.id: s for s in found}
            self._by_chunk = {cid: tuple(ids) for cid, ids in by_chunk.items()}
        return True

    @property
    def has_vectors(self) -> bool:
        return self._embed is not None

    def of_chunk(self, chunk: Chunk) -> tuple[IndexedSentence, ...]:
        """A chunk's sentences in reading order."""
        ids = self._by_chunk.get(chunk.chunk_id)
        if ids is not None:
            cached = tuple(self._by_id.get(i) for i in ids)
            if all(cached):
                return cached  # type: ignore[return-value]
        found = tuple(_parse(r) for r in self._source.sentence_rows_in(chunk.doc_id, chunk.start, chunk.end))
        self._remember(found)
        self._by_chunk[chunk.chunk_id] = tuple(s.id for s in found)
        return found

    def of_rows(self, rows: Sequence[int], chunks: Sequence[Chunk], touching: Set[str] | None = None
                ) -> dict[int, tuple[IndexedSentence, ...]]:
        """Sentences of many chunks (``chunks[i]`` at catalog row ``rows[i]``) in one read, by chunk id. With
        ``touching``, a sentence read from storage is kept only if one of its lemmas is in it (the rest are
        not even parsed: a topic's evidence needs only the sentences that hold one of its lemmas)."""
        out: dict[int, tuple[IndexedSentence, ...]] = {}
        missing: dict[int, Chunk] = {}
        for row, chunk in zip(rows, chunks, strict=True):
            cached = tuple(self._by_id.get(i) for i in self._by_chunk.get(chunk.chunk_id, (-1,)))
            if all(cached):
                out[chunk.chunk_id] = cached  # type: ignore[assignment]
            else:
                missing[row] = chunk
        if missing:
            found: dict[int, list[IndexedSentence]] = {row: [] for row in missing}
            for stored in self._source.sentence_rows_of(list(missing)):
                if touching is None or not touching.isdisjoint(stored[7].split()):
                    found[stored[0]].append(_parse(stored[1:]))
            for row, sentences in found.items():
                self._remember(sentences)
                if touching is None:  # a chunk's sentences are cached only when all were read
                    self._by_chunk[missing[row].chunk_id] = tuple(s.id for s in sentences)
                out[missing[row].chunk_id] = tuple(sentences)
        return out

    def get(self, sid: int) -> IndexedSentence | None:
        """The sentence with id ``sid``, or None past either end of the index."""
        if sid in self._by_id:
            return self._by_id[sid]
        found = [_parse(r) for r in self._source.sentence_rows_between(sid, sid)]
        self._remember(found)
        return found[0] if found else None

    def around(self, sentence: IndexedSentence, before: int, after: int) -> list[IndexedSentence]:
        """The sentences of ``sentence``'s document from ``before`` ahead of it to ``after`` past it."""
        wanted = range(max(0, sentence.id - before), sentence.id + after + 1)
        if any(i not in self._by_id for i in wanted):
            self._remember([_parse(r) for r in self._source.sentence_rows_between(wanted.start, wanted.stop - 1)])
        return [s for s in (self._by_id.get(i) for i in wanted) if s is not None and s.doc_id == sentence.doc_id]

    def similarity(self, vector: np.ndarray | None, sentence: IndexedSentence) -> float:
        """Cosine of the normalised ``vector`` with the sentence (0 without vectors)."""
        if vector is None or self._embed is None:
            return 0.0
        found = self._vectors.get(sentence.id)
        if found is None:
            found = np.asarray(self._embed([sentence.text]), dtype=np.float32)[0]
            self._vectors[sentence.id] = found
        return float(found @ vector)

    def prepare_vectors(self, sentences: Sequence[IndexedSentence]) -> None:
        """Embed, in one batch, those of ``sentences`` that have no vector yet."""
        missing = list({s.id: s for s in sentences if s.id not in self._vectors}.values())
        if self._embed is not None and missing:
            for s, v in zip(missing, np.asarray(self._embed([s.text for s in missing]), dtype=np.float32), strict=True):
                self._vectors[s.id] = v

    def _remember(self, found: Sequence[IndexedSentence]) -> None:
        with self._lock:
            if len(self._by_id) + len(found) > CACHED_SENTENCES:  # bounded: start afresh rather than grow
                self._by_id, self._by_chunk, self._vectors = {}, {}, {}
            for s in found:
                self._by_id.setdefault(s.id, s)
