"""Incremental index build: plan (diff the corpus against the live manifest) -> load and split the
changed documents -> embed only new text -> write a new generation beside the old one and swap it in.

Each step is a function; ``process`` (one document in, its chunks out) and the embedding cache are
the pieces the Ray build (``ray_build.py``) runs on a cluster, so both paths give the same index.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.catalog import StoredDocument
from assistant.config import Settings
from assistant.embed_cache import EmbeddingCache
from assistant.embedding import Embedder, make_embedder
from assistant.errors import UnreadableDocument
from assistant.index_lock import index_lock
from assistant.lexical import lexicon, preload
from assistant.plan import TOKENIZER, Job, Plan, Processed, plan_build, process
from assistant.snapshot import (
    CACHE,
    VECTORS,
    new_generation,
    publish,
    remove_stale,
    write_generation,
)
from assistant.store import AnnConfig, VectorStore


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    without_metadata: list[str] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)
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
        if self.cleaned:
            lines.append("Removed leftovers of interrupted runs: " + ", ".join(self.cleaned))
        if not self.published:
            lines.append("Nothing changed; the index was left as it was.")
        return "\n".join(lines)


class Runner(Protocol):
    """Where processing and embedding run: in this process (``LocalRunner``) or on Ray (``RayRunner``)."""

    def process(self, jobs: list[Job], settings: Settings, metadata: dict[str, dict[str, Any]],
                quiet: bool) -> list[Processed]: ...

    def embed(self, cache: EmbeddingCache, embedder: Embedder, texts: list[str], quiet: bool) -> tuple[np.ndarray, int]:
        ...


def progress(total: int, desc: str, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="chunk" if "Embed" in desc else "file", disable=quiet or total == 0,
                file=sys.stderr, leave=False)


class LocalRunner:
    """Everything in this process, one document after another."""

    def process(self, jobs: list[Job], settings: Settings, metadata: dict[str, dict[str, Any]],
                quiet: bool) -> list[Processed]:
        bar = progress(len(jobs), "Loading", quiet)
        out = []
        for job in jobs:
            out.append(process(job, settings, metadata))
            bar.update(1)
        bar.close()
        return out

    def embed(self, cache: EmbeddingCache, embedder: Embedder, texts: list[str], quiet: bool) -> tuple[np.ndarray, int]:
        bar = progress(len(texts), "Embedding", quiet)
        try:
            return cache.embed(embedder.name, texts, embedder.embed_passages, on_progress=bar.update)
        finally:
            bar.close()


def build_index(settings: Settings, embedder: Embedder | None = None, rebuild: bool = False,
                quiet: bool = False, before_publish: Callable[[Path], None] | None = None, *,
                wait: float | None = 0.0, runner: Runner | None = None, ann: AnnConfig | None = None) -> IndexReport:
    """Bring ``settings.index_dir`` up to date with ``settings.corpus_dir``.

    Unreadable files are reported and skipped (a previously indexed version is kept). The live index
    is replaced only after the new generation is complete, so a crash leaves the old one serving.
    One build per index folder at a time: another waits ``wait`` seconds (None: as long as it takes)
    for the lock, then raises ``IndexBusy``. ``before_publish`` is a test seam called with the
    finished, not yet published, folder.
    """
    started = time.perf_counter()
    if not settings.corpus_dir.is_dir():
        raise UnreadableDocument(str(settings.corpus_dir), "the corpus folder does not exist; pass --corpus DIR")
    report = IndexReport()
    with index_lock(settings.index_dir, wait):
        embedder = embedder or make_embedder(settings.embedder)
        report.cleaned = remove_stale(settings.index_dir, keep=None)
        plan = plan_build(settings, embedder.name, rebuild)
        report.unchanged, report.removed = plan.unchanged, plan.removed
        report.skipped, report.without_metadata = plan.skipped, plan.without_metadata
        report.notes = plan.notes
        if plan.previous:
            preload(plan.previous.lexicon)  # words seen before are not analysed again
        runner = runner or LocalRunner()
        fresh: list[tuple[Processed, StoredDocument]] = []
        for done in runner.process(plan.jobs, settings, plan.metadata, quiet):
            preload({w: list(ls) for w, ls in done.lexicon})
            if done.document is None:
                report.skipped.append((done.job.path.name, done.skipped))
                plan.keep_old(done.job.doc_id)
                continue
            (report.changed if plan.previous and done.job.doc_id in plan.previous.manifest["documents"]
             else report.added).append(done.job.doc_id)
            fresh.append((done, done.document))
        if plan.previous and not fresh and not report.removed:
            report.chunks = sum(len(v) for v in plan.chunks.values())
            report.seconds = time.perf_counter() - started
            return report
        _write(settings, embedder, plan, fresh, report, runner, quiet, before_publish, ann)
    report.published = True
    report.seconds = time.perf_counter() - started
    return report


def _write(settings: Settings, embedder: Embedder, plan: Plan, fresh: list[tuple[Processed, StoredDocument]], report: IndexReport,
           runner: Runner, quiet: bool, before_publish: Callable[[Path], None] | None, ann: AnnConfig | None) -> None:
    building = new_generation(settings.index_dir)
    try:
        vectors = VectorStore.load(plan.previous.path / VECTORS) if plan.previous else VectorStore(embedder.dim)
        vectors.remove([sc.chunk.chunk_id for d, scs in plan.old_chunks.items() if d not in plan.chunks for sc in scs])
        new_chunks = [sc for done, _ in fresh for sc in done.chunks]
        cache = EmbeddingCache(settings.index_dir / CACHE)
        try:
            matrix, report.embedded = runner.embed(cache, embedder, [sc.chunk.text for sc in new_chunks], quiet)
        finally:
            cache.close()
        vectors.add([sc.chunk.chunk_id for sc in new_chunks], matrix)

        documents = list(plan.documents.values())
        all_chunks = [sc for scs in plan.chunks.values() for sc in scs]
        for done, doc in fresh:
            documents.append(doc)
            all_chunks.extend(done.chunks)
            plan.entries[doc.doc_id] = {"file": doc.file_name, "fingerprint": done.job.fingerprint,
                                        "region": doc.info.region, "title": doc.info.title, "chunks": len(done.chunks)}
        documents.sort(key=lambda d: d.doc_id)
        position = {d.doc_id: i for i, d in enumerate(documents)}
        all_chunks.sort(key=lambda sc: (position[sc.chunk.doc_id], sc.chunk.start))
        write_generation(building, documents, all_chunks, vectors, {
            "embedder": embedder.name, "dim": embedder.dim, "tokenizer": TOKENIZER,
            "chunk_size": settings.chunk_size, "chunk_overlap": settings.chunk_overlap,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": {d.doc_id: plan.entries[d.doc_id] for d in documents},
            "skipped": [{"file": n, "reason": r} for n, r in report.skipped],
        }, lexicon(), ann)
        if before_publish:
            before_publish(building)
        publish(settings.index_dir, building)
    except BaseException:
        remove_stale(settings.index_dir, keep=None)
        raise
    report.chunks = len(all_chunks)
