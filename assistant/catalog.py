"""Chunk and document metadata beside the vectors, in one SQLite file per index generation."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.records import Chunk, Filters, SourceInfo

_SCHEMA = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, file_name TEXT, content_hash TEXT, info TEXT, text TEXT,
                        page_starts TEXT);
CREATE TABLE chunks (chunk_id INTEGER PRIMARY KEY, doc_id TEXT, ord INTEGER, region TEXT, title TEXT,
                     heading TEXT, text TEXT, start INTEGER, "end" INTEGER, line_first INTEGER,
                     line_last INTEGER, page INTEGER, year INTEGER, tokens TEXT);
CREATE TABLE lexicon (word TEXT PRIMARY KEY, lemmas TEXT);
CREATE INDEX chunks_ord ON chunks(ord);
CREATE TABLE sentences (id INTEGER PRIMARY KEY, doc_id TEXT, start INTEGER, "end" INTEGER, text TEXT,
                        sequence TEXT, tokens TEXT, quotable INTEGER, item INTEGER, chunks TEXT);
CREATE INDEX sentences_at ON sentences(doc_id, start);
CREATE TABLE chunk_sentences (row INTEGER PRIMARY KEY, first INTEGER, last INTEGER);
"""
# Splits one document into the sentence rows to store (``sentence_index.document_sentences``).
SentenceSplitter = Callable[[str, str, Sequence[Chunk]], Iterable[tuple[Any, ...]]]


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    file_name: str
    content_hash: str
    info: SourceInfo
    text: str
    page_starts: tuple[int, ...]


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    tokens: tuple[str, ...]


def write_catalog(path: Path, documents: Iterable[StoredDocument], chunks: Sequence[StoredChunk],
                  lexicon: dict[str, list[str]] | None = None, sentences: SentenceSplitter | None = None) -> None:
    """Write a generation's catalog. ``documents`` is iterated once (a generator keeps a national corpus's
    texts out of memory); ``sentences`` splits each document into its stored sentences."""
    by_doc: dict[str, list[Chunk]] = {}
    ordinal: dict[int, int] = {}
    spans: dict[int, tuple[int, int]] = {}  # chunk row -> (first, last) sentence id
    next_id = 0
    for i, sc in enumerate(chunks):
        by_doc.setdefault(sc.chunk.doc_id, []).append(sc.chunk)
        ordinal[sc.chunk.chunk_id] = i
    db = sqlite3.connect(path)
    try:
        with db:
            db.executescript(_SCHEMA)
            for d in documents:
                db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?)",
                           (d.doc_id, d.file_name, d.content_hash, json.dumps(asdict(d.info), ensure_ascii=False),
                            d.text, json.dumps(list(d.page_starts))))
                if sentences is not None:
                    rows = list(sentences(d.doc_id, d.text, by_doc.get(d.doc_id, [])))
                    db.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?,?,?,?,?)",
                                   ((next_id + i, *r) for i, r in enumerate(rows)))
                    # A chunk's sentences are consecutive ids: keep each chunk row's range to read them in one go.
                    for i, r in enumerate(rows):
                        for owner in r[8].split():
                            first, _ = spans.get(ordinal[int(owner)], (next_id + i, 0))
                            spans[ordinal[int(owner)]] = (first, next_id + i)
                    next_id += len(rows)
            db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
                (c.chunk_id, c.doc_id, ordinal, c.region, c.title, c.heading, c.text, c.start, c.end,
                 *(c.lines or (None, None)), c.page, c.year, " ".join(sc.tokens))
                for ordinal, sc in enumerate(chunks) for c in (sc.chunk,)))
            db.executemany("INSERT INTO chunk_sentences VALUES (?,?,?)", ((r, f, la) for r, (f, la) in spans.items()))
            db.executemany("INSERT INTO lexicon VALUES (?,?)",
                           [(w, " ".join(lemmas)) for w, lemmas in (lexicon or {}).items()])
    finally:
        db.close()


def read_documents(path: Path | sqlite3.Connection, with_text: bool = True,
                   only: str | None = None) -> list[StoredDocument]:
    """Documents (all, or the one ``only`` names); ``with_text=False`` leaves their texts empty.
    ``path`` may be an open connection (kept open)."""
    db = path if isinstance(path, sqlite3.Connection) else sqlite3.connect(path)
    text = "text" if with_text else "''"
    where, args = ("WHERE doc_id = ?", (only,)) if only is not None else ("", ())
    try:
        rows = db.execute(f"SELECT doc_id, file_name, content_hash, info, {text}, page_starts FROM documents {where}",
                          args).fetchall()
    finally:
        if db is not path:
            db.close()
    return [StoredDocument(r[0], r[1], r[2], SourceInfo(**json.loads(r[3])), r[4], tuple(json.loads(r[5])))
            for r in rows]


_CHUNK_COLUMNS = ('chunk_id, doc_id, region, title, heading, text, start, "end", line_first, line_last, page, year, '
                  "tokens")


_SENTENCE_COLUMNS = 'id, doc_id, start, "end", text, sequence, tokens, quotable, item, chunks'


def _stored(r: tuple[Any, ...]) -> StoredChunk:
    return StoredChunk(
        Chunk(chunk_id=r[0], doc_id=r[1], region=r[2], title=r[3], heading=r[4], text=r[5], start=r[6], end=r[7],
              lines=(r[8], r[9]) if r[8] is not None else None, page=r[10], year=r[11]),
        tuple(r[12].split()) if r[12] else (),
    )


def read_chunks(path: Path) -> list[StoredChunk]:
    """All chunks in index order (document by document, in reading order)."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY ord").fetchall()
    finally:
        db.close()
    return [_stored(r) for r in rows]


def read_lexicon(path: Path) -> dict[str, list[str]]:
    """The word -> lemmas map the index was tokenised with (empty for catalogs without one)."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT word, lemmas FROM lexicon").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()
    return {word: lemmas.split() for word, lemmas in rows}


class ChunkCatalog:
    """A generation's chunks read from SQLite on demand, with per-row metadata as compact arrays.

    Rows are the catalog order (``ord``), the same row numbers as ``DenseIndex`` and the sparse BM25
    index use. Only the filter columns live in memory (a few bytes per chunk); texts and tokens are
    read for the rows asked for. The connection stays open, so a generation deleted by a later build
    keeps serving until this process lets it go.
    """

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        regions: dict[str, int] = {}
        documents: dict[str, int] = {}
        region_codes: list[int] = []
        doc_codes: list[int] = []
        years: list[int] = []
        for doc_id, region, year in self._db.execute("SELECT doc_id, region, year FROM chunks ORDER BY ord"):
            region_codes.append(regions.setdefault(region, len(regions)))
            doc_codes.append(documents.setdefault(doc_id, len(documents)))
            years.append(year or 0)
        self.regions = tuple(regions)
        self.documents = tuple(documents)
        self.region_codes = np.asarray(region_codes, dtype=np.int16)
        self.doc_codes = np.asarray(doc_codes, dtype=np.int32)
        self.years = np.asarray(years, dtype=np.int16)

    @property
    def size(self) -> int:
        return len(self.region_codes)

    def mask(self, filters: Filters) -> np.ndarray:
        """Bool per row: does ``filters`` admit the chunk (exact, same rule as ``Filters.admits``)."""
        out = np.ones(self.size, dtype=bool)
        if filters.regions:
            wanted = [i for i, r in enumerate(self.regions) if r in filters.regions]
            out &= np.isin(self.region_codes, wanted)
        if filters.documents:
            wanted = [i for i, d in enumerate(self.documents) if d in filters.documents]
            out &= np.isin(self.doc_codes, wanted)
        if filters.years:
            out &= np.isin(self.years, [y for y in filters.years if y])
        return out

    def chunks_per_document(self) -> dict[str, int]:
        """How many chunks each document has."""
        counts = np.bincount(self.doc_codes, minlength=len(self.documents))
        return {d: int(n) for d, n in zip(self.documents, counts, strict=True)}

    def region_rows(self, region: str) -> np.ndarray:
        """Bool per row: chunks of ``region`` (for the per-region fan-out)."""
        return self.region_codes == (self.regions.index(region) if region in self.regions else -1)

    def chunks(self, rows: Sequence[int] | np.ndarray, tokens: bool = True) -> list[StoredChunk]:
        """The chunks at ``rows``, in the order asked for (``tokens=False``: without their tokens)."""
        wanted = [int(r) for r in rows]
        found: dict[int, StoredChunk] = {}
        columns = _CHUNK_COLUMNS if tokens else _CHUNK_COLUMNS.replace("tokens", "''")
        with self._lock:
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                marks = ",".join("?" * len(part))
                for r in self._db.execute(f"SELECT ord, {columns} FROM chunks WHERE ord IN ({marks})", part):
                    found[r[0]] = _stored(r[1:])
        return [found[r] for r in wanted if r in found]

    def every_chunk(self) -> list[StoredChunk]:
        """All chunks in catalog order (what ``read_chunks`` returns), through the open connection."""
        with self._lock:
            return [_stored(r) for r in self._db.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY ord")]

    def sentence_rows_in(self, doc_id: str, start: int, end: int) -> list[tuple[Any, ...]]:
        """Stored sentences of ``doc_id`` that start in ``[start, end)``, in reading order."""
        with self._lock:
            return self._db.execute(f"SELECT {_SENTENCE_COLUMNS} FROM sentences WHERE doc_id = ? AND start >= ? "
                                    "AND start < ? ORDER BY id", (doc_id, start, end)).fetchall()

    def sentence_rows_of(self, rows: Sequence[int]) -> list[tuple[Any, ...]]:
        """``(chunk row, *sentence)`` for the stored sentences of the chunks at ``rows``, in reading order."""
        out: list[tuple[Any, ...]] = []
        wanted = sorted(set(rows))
        columns = ", ".join(f"s.{c.strip()}" for c in _SENTENCE_COLUMNS.split(","))
        with self._lock:
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                out += self._db.execute(
                    f"SELECT c.row, {columns} FROM chunk_sentences c JOIN sentences s ON s.id BETWEEN c.first AND c.last "
                    f"WHERE c.row IN ({','.join('?' * len(part))}) ORDER BY c.row, s.id", part).fetchall()
        return out

    def sentence_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM sentences").fetchone()[0])

    def sentence_rows_between(self, first: int, last: int) -> list[tuple[Any, ...]]:
        """Stored sentences with ids ``first`` to ``last``, in order."""
        with self._lock:
            return self._db.execute(f"SELECT {_SENTENCE_COLUMNS} FROM sentences WHERE id BETWEEN ? AND ? ORDER BY id",
                                    (first, last)).fetchall()

    def lexicon(self) -> dict[str, list[str]]:
        with self._lock:
            try:
                return {w: lemmas.split() for w, lemmas in self._db.execute("SELECT word, lemmas FROM lexicon")}
            except sqlite3.OperationalError:
                return {}

    def stored_documents(self, with_text: bool = True, only: str | None = None) -> list[StoredDocument]:
        """Like ``read_documents``, through this catalog's open connection."""
        with self._lock:
            return read_documents(self._db, with_text, only)

    def close(self) -> None:
        self._db.close()
