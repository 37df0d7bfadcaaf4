"""Corpus metadata (``corpus/sources.toml``) and turning a corpus file into a ``Document``."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from assistant.errors import UnreadableDocument
from assistant.ingest.clean import clean_text
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_file
from assistant.records import Document, SourceInfo
from assistant.regions import guess_region

METADATA_FILE = "sources.toml"


def read_metadata(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """Tables of ``sources.toml`` keyed by document id (file name without extension)."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableDocument(METADATA_FILE, f"is not valid TOML ({exc}); fix it and re-run") from exc


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every file in the corpus folder (recursively) except metadata and hidden files, sorted."""
    return sorted(
        p for p in corpus_dir.rglob("*")
        if p.is_file() and p.name != METADATA_FILE and not any(part.startswith(".") for part in p.parts)
        and p.name.lower() != "readme.md"
    )


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """Stable id from the path inside the corpus: ``sub/report.pdf`` -> ``sub/report``."""
    return path.relative_to(corpus_dir).with_suffix("").as_posix()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
                  content_hash: str, mask_contacts: bool = True) -> Document:
    """Load, clean and describe one corpus file; raises ``UnreadableDocument`` if it can't be read."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(path.name, f"unsupported file type '{path.suffix}'")
    raw = load_file(path)
    clean = clean_text(raw.text, mask_contacts=mask_contacts)
    if not clean.text.strip():
        raise UnreadableDocument(path.name, "no text left after cleaning")
    doc_id = doc_id_for(path, corpus_dir)
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    info = source_info(metadata.get(doc_id), clean.text, title)
    return Document(doc_id, path.name, info, content_hash, clean, raw.page_starts)
