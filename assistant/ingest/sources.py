"""Corpus metadata (``corpus/sources.toml``) and turning a corpus file into a ``Document``."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from assistant.errors import UnreadableDocument
from assistant.ingest.clean import clean_text
from assistant.ingest.corpus import corpus_files, doc_id_for
from assistant.ingest.limits import Limits, check_language, check_length
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_file
from assistant.ingest.metadata import METADATA_FILE, read_sources
from assistant.records import Document, SourceInfo
from assistant.regions import guess_region

__all__ = ["METADATA_FILE", "corpus_files", "doc_id_for", "file_hash", "load_document", "read_metadata",
           "source_info"]


def read_metadata(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """Usable tables of ``sources.toml`` keyed by document id, regions canonical (see ``metadata.py``)."""
    return read_sources(corpus_dir).tables


def file_hash(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def source_info(meta: dict[str, Any] | None, text: str, fallback_title: str) -> SourceInfo:
    if meta:
        year = meta.get("year")
        return SourceInfo(
            region=str(meta.get("region") or guess_region(text)),
            title=str(meta.get("title") or fallback_title),
            organisation=str(meta.get("organisation", "")),
            year=int(year) if isinstance(year, int) else None,
            period=str(meta.get("period", "")),
            kind=str(meta.get("kind", "")),
            has_metadata=True,
            region_guessed=not meta.get("region"),
        )
    return SourceInfo(region=guess_region(text), title=fallback_title, has_metadata=False, region_guessed=True)


def load_document(path: Path, corpus_dir: Path, metadata: dict[str, dict[str, Any]],
                  content_hash: str, mask_contacts: bool = True, *, doc_id: str | None = None,
                  limits: Limits | None = None) -> Document:
    """Load, clean and describe one corpus file; raises ``UnreadableDocument`` if it can't be read, would
    exceed ``limits`` or is not language. ``doc_id`` defaults to :func:`doc_id_for`."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(path.name, f"unsupported file type '{path.suffix}'")
    limits = limits or Limits()
    raw = load_file(path)
    check_length(path.name, raw.text, limits)
    clean = clean_text(raw.text, mask_contacts=mask_contacts)
    if not clean.text.strip():
        raise UnreadableDocument(path.name, "no text left after cleaning")
    check_language(path.name, clean.text)
    doc_id = doc_id or doc_id_for(path, corpus_dir)
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    info = source_info(metadata.get(doc_id), clean.text, title)
    return Document(doc_id, path.name, info, content_hash, clean, raw.page_starts)
