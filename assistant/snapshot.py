"""An index generation on disk: its layout, manifest, atomic swap-in, and loading it for search.

Layout under the index folder::

    current -> gen-<stamp>/     symlink, replaced atomically when a build succeeds
    gen-<stamp>/manifest.json   embedder, dimension, tokenizer, chunking, documents and their hashes
    gen-<stamp>/vectors.faiss   FAISS IndexIDMap2(IndexFlatIP) keyed by chunk id
    gen-<stamp>/catalog.sqlite  documents (cleaned text, metadata) and chunks (text, offsets, tokens)
    embeddings.sqlite           embedding cache shared by generations
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.catalog import StoredChunk, StoredDocument, read_chunks, read_documents, read_lexicon
from assistant.errors import EmbedderMismatch, IndexMissing
from assistant.store import VectorStore

FORMAT = 1
CURRENT = "current"
MANIFEST, VECTORS, CATALOG, CACHE = "manifest.json", "vectors.faiss", "catalog.sqlite", "embeddings.sqlite"


@dataclass(frozen=True)
class Snapshot:
    """A loaded, searchable index generation (everything in memory; the files may go away)."""

    path: Path
    manifest: dict[str, Any]
    vectors: VectorStore
    documents: dict[str, StoredDocument]
    chunks: tuple[StoredChunk, ...]
    lexicon: dict[str, list[str]]

    @property
    def embedder(self) -> str:
        return str(self.manifest["embedder"])


def current_generation(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def new_generation(index_dir: Path) -> Path:
    """A fresh, hidden work folder; it becomes visible only through ``publish``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / f".building-gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    return path


def publish(index_dir: Path, building: Path) -> Path:
    """Rename the finished build into place and repoint ``current`` in one atomic ``os.replace``."""
    final = index_dir / building.name.removeprefix(".building-")
    os.replace(building, final)
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(final.name, tmp_link)
    os.replace(tmp_link, index_dir / CURRENT)
    remove_stale(index_dir, keep=final)
    return final


def remove_stale(index_dir: Path, keep: Path | None) -> None:
    """Delete old generations and leftovers of interrupted builds (never the live one)."""
    live = current_generation(index_dir)
    for path in index_dir.glob("*gen-*"):
        if path.is_dir() and path.resolve() not in {live, keep.resolve() if keep else None}:
            shutil.rmtree(path, ignore_errors=True)


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))


def load_snapshot(index_dir: Path, expected_embedder: str | None = None) -> Snapshot:
    """Load the live generation; raises ``IndexMissing`` / ``EmbedderMismatch`` with what to do."""
    folder = current_generation(index_dir)
    if folder is None or not (folder / MANIFEST).exists():
        raise IndexMissing(f"No index in {index_dir}/. Run `assistant index` first (a few minutes the first time).")
    manifest = read_manifest(folder)
    if manifest.get("format") != FORMAT:
        raise IndexMissing(f"The index in {index_dir}/ has an old format. Run `assistant index --rebuild`.")
    if expected_embedder and manifest["embedder"] != expected_embedder:
        raise EmbedderMismatch(
            f"The index in {index_dir}/ was built with {manifest['embedder']} (dimension {manifest['dim']}), "
            f"but the configured embedder is {expected_embedder}. Re-index with "
            f"`assistant index --rebuild --embedder {expected_embedder}` or configure the index's embedder."
        )
    vectors = VectorStore.load(folder / VECTORS)
    documents = {d.doc_id: d for d in read_documents(folder / CATALOG)}
    chunks = tuple(read_chunks(folder / CATALOG))
    return Snapshot(folder, manifest, vectors, documents, chunks, read_lexicon(folder / CATALOG))
