"""An index generation on disk: its layout, writing it, atomic swap-in, clean-up, and loading it.

Layout under the index folder::

    current -> gen-<stamp>/     symlink, replaced atomically when a build succeeds
    gen-<stamp>/manifest.json   embedder, dimension, tokenizer, chunking, documents and their hashes
    gen-<stamp>/vectors.faiss   FAISS IndexIDMap2(IndexFlatIP), rows in catalog order, keyed by chunk id
    gen-<stamp>/ann.faiss       approximate index over the same rows (large corpora only)
    gen-<stamp>/bm25/*.npy      BM25 posting lists and row -> terms (``sparse.SparseBm25``)
    gen-<stamp>/catalog.sqlite  documents (cleaned text, metadata), chunks (text, offsets, tokens) and
                                sentences (text, offsets, lemmas; ``sentence_index``)
    embeddings.sqlite           embedding cache shared by generations
    .lock                       held by the one build allowed at a time (``index_lock``)

A loaded ``Snapshot`` maps the vectors and posting lists and reads chunk texts from SQLite on demand;
``chunks`` (everything as Python objects) is still there for code that scans all chunks, loaded on
first use.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import numpy as np

from assistant.catalog import (
    ChunkCatalog,
    StoredChunk,
    StoredDocument,
    write_catalog,
)
from assistant.errors import EmbedderMismatch, IndexMissing
from assistant.index_lock import try_index_lock
from assistant.sentence_index import document_sentences
from assistant.sparse import SparseBm25
from assistant.store import AnnConfig, DenseIndex, VectorStore, build_ann

FORMAT = 3  # 2: vectors in catalog order, bm25/ and ann.faiss beside them; 3: sentences stored in the catalog
CURRENT = "current"
MANIFEST, VECTORS, CATALOG, CACHE = "manifest.json", "vectors.faiss", "catalog.sqlite", "embeddings.sqlite"
ANN, BM25 = "ann.faiss", "bm25"


@dataclass(frozen=True)
class Snapshot:
    """A loaded, searchable index generation: vectors and postings mapped, chunk texts read on demand."""

    path: Path
    manifest: dict[str, Any]
    vectors: DenseIndex
    documents: Mapping[str, StoredDocument]
    catalog: ChunkCatalog
    sparse: SparseBm25 | None

    @property
    def embedder(self) -> str:
        return str(self.manifest["embedder"])

    @cached_property
    def chunks(self) -> tuple[StoredChunk, ...]:
        """Every chunk in memory, in catalog order (for code that still scans them all)."""
        return tuple(self.catalog.every_chunk())

    @cached_property
    def lexicon(self) -> dict[str, list[str]]:
        return self.catalog.lexicon()


class _Documents(Mapping[str, StoredDocument]):
    """Documents by id, each read from SQLite when asked for (their texts are most of the catalog)."""

    def __init__(self, catalog: ChunkCatalog) -> None:
        self._catalog = catalog
        self._ids = tuple(sorted(d.doc_id for d in catalog.stored_documents(with_text=False)))
        self._known = frozenset(self._ids)

    def __getitem__(self, doc_id: str) -> StoredDocument:
        found = self._catalog.stored_documents(only=doc_id)
        if not found:
            raise KeyError(doc_id)
        return found[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._known


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


def write_generation(folder: Path, documents: Iterable[StoredDocument], chunks: Sequence[StoredChunk],
                     vectors: VectorStore, manifest: dict[str, Any], lexicon: dict[str, list[str]],
                     ann: AnnConfig | None = None) -> None:
    """Write every file of a generation; ``vectors`` must hold exactly the ids of ``chunks``. ``documents``
    is iterated once, last (a generator keeps a large corpus's texts out of memory)."""
    ids = [sc.chunk.chunk_id for sc in chunks]
    if vectors.size != len(ids):
        raise RuntimeError(f"vector count {vectors.size} != chunk count {len(ids)}; run with --rebuild")
    ordered = vectors.ordered(ids)
    ordered.save(folder / VECTORS)
    kind = build_ann(ordered.matrix(), folder / ANN, ann) if ids else "flat"
    SparseBm25.from_tokens([sc.tokens for sc in chunks]).save(folder / BM25)
    write_catalog(folder / CATALOG, documents, chunks, lexicon, partial(document_sentences, memo={}))
    write_manifest(folder, {**manifest, "format": FORMAT, "ann": kind})


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


def remove_stale(index_dir: Path, keep: Path | None) -> list[str]:
    """Delete old generations, leftovers of interrupted builds and half-made ``current`` links (never
    the live generation). Call it only while holding the index lock. Returns what was removed."""
    live = current_generation(index_dir)
    keep_paths = {live, keep.resolve() if keep else None}
    removed = []
    for path in sorted(index_dir.glob("*gen-*")):
        if path.is_dir() and not path.is_symlink() and path.resolve() not in keep_paths:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for link in sorted(index_dir.glob(f".{CURRENT}.*")):
        link.unlink(missing_ok=True)
        removed.append(link.name)
    return removed


def tidy(index_dir: Path) -> list[str]:
    """Remove what killed runs left behind, unless a build is running right now (then leave it be)."""
    if not index_dir.is_dir():
        return []
    try:
        with try_index_lock(index_dir) as locked:
            return remove_stale(index_dir, keep=None) if locked else []
    except OSError:  # a replica serving a read-only mount: nothing to clean, and that is fine
        return []


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))


def load_snapshot(index_dir: Path, expected_embedder: str | None = None, ann: AnnConfig | None = None) -> Snapshot:
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
    vectors = DenseIndex(folder / VECTORS, folder / ANN, ann)
    catalog = ChunkCatalog(folder / CATALOG)
    if vectors.size != catalog.size or (vectors.size and not np.array_equal(
            vectors.ids[:1], [c.chunk.chunk_id for c in catalog.chunks([0])])):
        raise IndexMissing(f"The index in {index_dir}/ is inconsistent (vectors and catalog differ). "
                           "Run `assistant index --rebuild`.")
    sparse = SparseBm25.load(folder / BM25) if (folder / BM25).is_dir() else None
    return Snapshot(folder, manifest, vectors, _Documents(catalog), catalog, sparse)
