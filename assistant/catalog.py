"""Chunk and document metadata beside the vectors, in one SQLite file per index generation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.records import Chunk, SourceInfo

_SCHEMA = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, file_name TEXT, content_hash TEXT, info TEXT, text TEXT,
                        page_starts TEXT);
CREATE TABLE chunks (chunk_id INTEGER PRIMARY KEY, doc_id TEXT, ord INTEGER, region TEXT, title TEXT,
                     heading TEXT, text TEXT, start INTEGER, "end" INTEGER, line_first INTEGER,
                     line_last INTEGER, page INTEGER, year INTEGER, tokens TEXT);
CREATE TABLE lexicon (word TEXT PRIMARY KEY, lemmas TEXT);
"""


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


def write_catalog(path: Path, documents: Iterable[StoredDocument], chunks: Iterable[StoredChunk],
                  lexicon: dict[str, list[str]] | None = None) -> None:
    db = sqlite3.connect(path)
    try:
        with db:
            db.executescript(_SCHEMA)
            db.executemany(
                "INSERT INTO documents VALUES (?,?,?,?,?,?)",
                [(d.doc_id, d.file_name, d.content_hash, json.dumps(asdict(d.info), ensure_ascii=False), d.text,
                  json.dumps(list(d.page_starts))) for d in documents],
            )
            rows = []
            for ordinal, sc in enumerate(chunks):
                c = sc.chunk
                lines = c.lines or (None, None)
                rows.append((c.chunk_id, c.doc_id, ordinal, c.region, c.title, c.heading, c.text, c.start, c.end,
                             lines[0], lines[1], c.page, c.year, " ".join(sc.tokens)))
            db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            db.executemany("INSERT INTO lexicon VALUES (?,?)",
                           [(w, " ".join(lemmas)) for w, lemmas in (lexicon or {}).items()])
    finally:
        db.close()


def read_documents(path: Path) -> list[StoredDocument]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT doc_id, file_name, content_hash, info, text, page_starts FROM documents").fetchall()
    finally:
        db.close()
    return [StoredDocument(r[0], r[1], r[2], SourceInfo(**json.loads(r[3])), r[4], tuple(json.loads(r[5])))
            for r in rows]


def read_chunks(path: Path) -> list[StoredChunk]:
    """All chunks in index order (document by document, in reading order)."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            'SELECT chunk_id, doc_id, region, title, heading, text, start, "end", line_first, line_last, page, year, '
            "tokens FROM chunks ORDER BY ord"
        ).fetchall()
    finally:
        db.close()
    return [
        StoredChunk(
            Chunk(chunk_id=r[0], doc_id=r[1], region=r[2], title=r[3], heading=r[4], text=r[5], start=r[6], end=r[7],
                  lines=(r[8], r[9]) if r[8] is not None else None, page=r[10], year=r[11]),
            tuple(r[12].split()) if r[12] else (),
        )
        for r in rows
    ]


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
