"""Incremental index build: diff the corpus against the live manifest, embed only what changed,
write a new generation beside the old one and swap it in atomically.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.catalog import StoredChunk, StoredDocument, write_catalog
from assistant.chunking import split
from assistant.config import Settings
from assistant.embed_cache import EmbeddingCache
from assistant.embedding import Embedder, make_embedder
from assistant.errors import AssistantError, UnreadableDocument
from assistant.ingest.corpus import scan_corpus
from assistant.ingest.limits import Limits, check_chunks
from assistant.ingest.sources import file_hash, load_document
from assistant.lexical import lexicon, preload, tokenize
from assistant.snapshot import (
    CACHE,
    CATALOG,
    FORMAT,
    VECTORS,
    Snapshot,
    current_generation,
    load_snapshot,
    new_generation,
    publish,
    read_manifest,
    remove_stale,
    write_manifest,
)
from assistant.store import VectorStore

# Bump when cleaning or chunking changes, so every document is re-processed once.
PIPELINE_VERSION = 7
TOKENIZER = "voikko-compounds"


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    without_metadata: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # id clashes, sources.toml problems
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    published: bool = False

    def summary(self) -> str:
        lines = [
            f"Documents: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped.",
            f"Chunks: {self.chunks} in the index, {self.embedded} newly embedded. Took {self.seconds:.1f} s.",
        ]
        lines += [f"  skipped {name}: {reason}" for name, reason in self.skipped]
        if self.skipped:
            lines.append("Fix or remove the skipped files and run `assistant index` again; everything else is indexed "
                         "(a skipped file that was indexed before keeps its previous version).")
        lines += [f"  note: {note}" for note in self.notes]
        if self.without_metadata:
            lines.append("Without metadata in sources.toml (region guessed from the text): "
                         + ", ".join(self.without_metadata))
        if not self.published:
            lines.append("Nothing changed; the index was left as it was.")
        return "\n".join(lines)


def fingerprint(content_hash: str, meta: dict[str, Any] | None, settings: Settings) -> str:
    """What a document's chunks depend on: its bytes, its metadata and the pipeline settings."""
    basis = json.dumps([content_hash, meta or {}, settings.chunk_size, settings.chunk_overlap,
                        settings.mask_contacts, PIPELINE_VERSION, TOKENIZER], sort_keys=True, default=str)
    return hashlib.sha256(basis.encode()).hexdigest()


def _previous(settings: Settings, embedder_name: str, rebuild: bool) -> Snapshot | None:
    if rebuild:
        return None
    try:
        snap = load_snapshot(settings.index_dir)
    except (AssistantError, OSError, ValueError, KeyError):
        return None  # unreadable or missing: build from scratch
    return snap if snap.embedder == embedder_name else None


def _progress(total: int, desc: str, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="chunk" if "Embed" in desc else "file", disable=quiet or total == 0,
                file=sys.stderr, leave=False)


def build_index(settings: Settings, embedder: Embedder | None = None, rebuild: bool = False,
                quiet: bool = False, before_publish: Callable[[Path], None] | None = None) -> IndexReport:
    """Bring ``settings.index_dir`` up to date with ``settings.corpus_dir``.

    Unreadable files are reported and skipped (a previously indexed version is kept). The live index
    is replaced only after the new generation is complete, so a crash leaves the old one serving.
    ``before_publish`` is a test seam called with the finished, not yet published, folder.
    """
    started = time.perf_counter()
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise UnreadableDocument(str(corpus), "the corpus folder does not exist; pass --corpus DIR")
    embedder = embedder or make_embedder(settings.embedder)
    report = IndexReport()
    previous = _previous(settings, embedder.name, rebuild)
    old_docs = previous.manifest["documents"] if previous else {}
    limits = Limits.of(settings)
    scan = scan_corpus(corpus, limits, owners=_owners(settings.index_dir))
    metadata = scan.metadata.tables
    report.notes += scan.notes
    if previous:
        preload(previous.lexicon)  # words seen before are not analysed again
    old_chunks: dict[str, list[StoredChunk]] = {}
    for sc in previous.chunks if previous else ():
        old_chunks.setdefault(sc.chunk.doc_id, []).append(sc)

    keep: dict[str, StoredDocument] = {}
    kept_chunks: dict[str, list[StoredChunk]] = {}
    entries: dict[str, dict[str, Any]] = {}
    todo: list[tuple[Path, str, str, str]] = []
    for skip in scan.skipped:
        report.skipped.append((skip.name, skip.reason))
        if skip.doc_id:
            _keep_old(skip.doc_id, previous, old_docs, old_chunks, keep, kept_chunks, entries)
    for path, doc_id in scan.files:
        if doc_id not in metadata:
            report.without_metadata.append(path.name)
        try:
            content = file_hash(path)
        except OSError as exc:
            report.skipped.append((path.name, f"could not be read ({exc.strerror or exc})"))
            _keep_old(doc_id, previous, old_docs, old_chunks, keep, kept_chunks, entries)
            continue
        fp = fingerprint(content, metadata.get(doc_id), settings)
        if doc_id in old_docs and old_docs[doc_id]["fingerprint"] == fp and previous:
            report.unchanged.append(doc_id)
            _keep_old(doc_id, previous, old_docs, old_chunks, keep, kept_chunks, entries)
        else:
            todo.append((path, doc_id, content, fp))

    fresh: list[tuple[StoredDocument, list[StoredChunk], str]] = []
    bar = _progress(len(todo), "Loading", quiet)
    for path, doc_id, content, fp in todo:
        try:
            doc = load_document(path, corpus, metadata, content, settings.mask_contacts, doc_id=doc_id, limits=limits)
            chunks = split(doc, settings.chunk_size, settings.chunk_overlap)
            check_chunks(path.name, len(chunks), limits)
        except UnreadableDocument as exc:
            report.skipped.append((path.name, exc.reason))
            _keep_old(doc_id, previous, old_docs, old_chunks, keep, kept_chunks, entries)
            bar.update(1)
            continue
        stored = [StoredChunk(c, tuple(tokenize(c.lexical_text, TOKENIZER, max_analysed=None))) for c in chunks]
        (report.changed if doc_id in old_docs else report.added).append(doc_id)
        fresh.append((StoredDocument(doc_id, doc.file_name, content, doc.info, doc.clean.text, doc.page_starts),
                      stored, fp))
        bar.update(1)
    bar.close()

    present = scan.present
    report.removed = sorted(d for d in old_docs if d not in present)
    if previous and not fresh and not report.removed:
        report.chunks = sum(len(v) for v in kept_chunks.values())
        report.seconds = time.perf_counter() - started
        return report

    building = new_generation(settings.index_dir)
    try:
        vectors = VectorStore.load(previous.path / VECTORS) if previous else VectorStore(embedder.dim)
        stale = [sc.chunk.chunk_id for d, scs in old_chunks.items() if d not in kept_chunks for sc in scs]
        vectors.remove(stale)
        new_chunks = [sc for _, scs, _ in fresh for sc in scs]
        cache = EmbeddingCache(settings.index_dir / CACHE)
        bar = _progress(len(new_chunks), "Embedding", quiet)
        try:
            matrix, report.embedded = cache.embed(
                embedder.name, [sc.chunk.text for sc in new_chunks], embedder.embed_passages,
                on_progress=bar.update)
        finally:
            bar.close()
            cache.close()
        vectors.add([sc.chunk.chunk_id for sc in new_chunks], matrix)

        documents = list(keep.values())
        all_chunks = [sc for scs in kept_chunks.values() for sc in scs]
        for stored_doc, scs, fp in fresh:
            documents.append(stored_doc)
            all_chunks.extend(scs)
            entries[stored_doc.doc_id] = {"file": stored_doc.file_name, "fingerprint": fp,
                                          "region": stored_doc.info.region, "title": stored_doc.info.title,
                                          "chunks": len(scs)}
        order = sorted(d.doc_id for d in documents)
        documents.sort(key=lambda d: d.doc_id)
        all_chunks.sort(key=lambda sc: (order.index(sc.chunk.doc_id), sc.chunk.start))
        if vectors.size != len(all_chunks):
            raise RuntimeError(f"vector count {vectors.size} != chunk count {len(all_chunks)}; run with --rebuild")
        vectors.save(building / VECTORS)
        write_catalog(building / CATALOG, documents, all_chunks, lexicon())
        write_manifest(building, {
            "format": FORMAT, "embedder": embedder.name, "dim": embedder.dim, "tokenizer": TOKENIZER,
            "chunk_size": settings.chunk_size, "chunk_overlap": settings.chunk_overlap,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": {d: entries[d] for d in order},
            "skipped": [{"file": n, "reason": r} for n, r in report.skipped],
        })
        if before_publish:
            before_publish(building)
        publish(settings.index_dir, building)
    except BaseException:
        remove_stale(settings.index_dir, keep=None)
        raise
    report.published = True
    report.chunks = len(all_chunks)
    report.seconds = time.perf_counter() - started
    return report


def _owners(index_dir: Path) -> dict[str, str]:
    """Document id -> file name in the live index, also for ``--rebuild``, so that ids never move."""
    live = current_generation(index_dir)
    try:
        documents = read_manifest(live)["documents"] if live else {}
        return {doc_id: str(entry.get("file", "")) for doc_id, entry in documents.items()}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


def _keep_old(doc_id: str, previous: Snapshot | None, old_docs: dict[str, Any],
              old_chunks: dict[str, list[StoredChunk]], keep: dict[str, StoredDocument],
              kept_chunks: dict[str, list[StoredChunk]], entries: dict[str, dict[str, Any]]) -> None:
    """Carry a document's last good version into the new generation, if there was one."""
    if previous is None or doc_id not in previous.documents:
        return
    keep[doc_id] = previous.documents[doc_id]
    kept_chunks[doc_id] = old_chunks.get(doc_id, [])
    entries[doc_id] = old_docs[doc_id]
