"""Planning and per-document work of an index build: diff the corpus against the live generation
(``plan_build``), and turn one corpus file into tokenised chunks (``process``, pure apart from reading
the file, so Ray workers run exactly what the local build runs)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.catalog import StoredChunk, StoredDocument
from assistant.chunking import split
from assistant.config import Settings
from assistant.errors import AssistantError, UnreadableDocument
from assistant.ingest.corpus import scan_corpus
from assistant.ingest.limits import Limits, check_chunks
from assistant.ingest.sources import file_hash, load_document
from assistant.lexical import lexicon, tokenize, words
from assistant.snapshot import Snapshot, current_generation, load_snapshot, read_manifest

# Bump when cleaning or chunking changes, so every document is re-processed once.
PIPELINE_VERSION = 7
TOKENIZER = "voikko-compounds"


@dataclass(frozen=True)
class Job:
    """One corpus file to (re)process."""

    path: Path
    doc_id: str
    content_hash: str
    fingerprint: str


@dataclass(frozen=True)
class Processed:
    """A job's outcome: the document and its tokenised chunks, or why it was skipped."""

    job: Job
    document: StoredDocument | None = None
    chunks: tuple[StoredChunk, ...] = ()
    skipped: str = ""
    lexicon: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the words analysed, to carry across processes


@dataclass
class Plan:
    """What a build will do: the jobs, and what it keeps from the previous generation."""

    previous: Snapshot | None
    metadata: dict[str, dict[str, Any]]
    jobs: list[Job] = field(default_factory=list)
    documents: dict[str, StoredDocument] = field(default_factory=dict)
    chunks: dict[str, list[StoredChunk]] = field(default_factory=dict)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    old_chunks: dict[str, list[StoredChunk]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    without_metadata: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # id clashes, sources.toml problems

    def keep_old(self, doc_id: str) -> None:
        """Carry a document's last good version into the new generation, if there was one."""
        if self.previous is None or doc_id not in self.previous.documents:
            return
        self.documents[doc_id] = self.previous.documents[doc_id]
        self.chunks[doc_id] = self.old_chunks.get(doc_id, [])
        self.entries[doc_id] = self.previous.manifest["documents"][doc_id]


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


def plan_build(settings: Settings, embedder_name: str, rebuild: bool) -> Plan:
    """Diff the corpus against the live generation: which files to process, which to carry over."""
    previous = _previous(settings, embedder_name, rebuild)
    scan = scan_corpus(settings.corpus_dir, Limits.of(settings), owners=_owners(settings.index_dir))
    plan = Plan(previous, scan.metadata.tables, notes=list(scan.notes))
    old_docs = previous.manifest["documents"] if previous else {}
    for sc in previous.chunks if previous else ():
        plan.old_chunks.setdefault(sc.chunk.doc_id, []).append(sc)
    for skip in scan.skipped:
        plan.skipped.append((skip.name, skip.reason))
        if skip.doc_id:
            plan.keep_old(skip.doc_id)
    for path, doc_id in scan.files:
        if doc_id not in plan.metadata:
            plan.without_metadata.append(path.name)
        try:
            content = file_hash(path)
        except OSError as exc:
            plan.skipped.append((path.name, f"could not be read ({exc.strerror or exc})"))
            plan.keep_old(doc_id)
            continue
        fp = fingerprint(content, plan.metadata.get(doc_id), settings)
        if previous and doc_id in old_docs and old_docs[doc_id]["fingerprint"] == fp:
            plan.unchanged.append(doc_id)
            plan.keep_old(doc_id)
        else:
            plan.jobs.append(Job(path, doc_id, content, fp))
    plan.removed = sorted(d for d in old_docs if d not in scan.present)
    return plan


def _owners(index_dir: Path) -> dict[str, str]:
    """Document id -> file name in the live index, also for ``--rebuild``, so that ids never move."""
    live = current_generation(index_dir)
    try:
        documents = read_manifest(live)["documents"] if live else {}
        return {doc_id: str(entry.get("file", "")) for doc_id, entry in documents.items()}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


def process(job: Job, settings: Settings, metadata: dict[str, dict[str, Any]]) -> Processed:
    """Load, clean, split and tokenise one document (pure apart from reading the file)."""
    limits = Limits.of(settings)
    try:
        doc = load_document(job.path, settings.corpus_dir, metadata, job.content_hash, settings.mask_contacts,
                            doc_id=job.doc_id, limits=limits)
        chunks = split(doc, settings.chunk_size, settings.chunk_overlap)
        check_chunks(job.path.name, len(chunks), limits)
    except UnreadableDocument as exc:
        return Processed(job, skipped=exc.reason)
    # The index analyses every word (the per-question bound is for questions only).
    stored = tuple(StoredChunk(c, tuple(tokenize(c.lexical_text, TOKENIZER, max_analysed=None))) for c in chunks)
    seen = {p for c in chunks for w in words(c.lexical_text) for p in (w, *w.split("-"))}
    return Processed(job, StoredDocument(job.doc_id, doc.file_name, job.content_hash, doc.info, doc.clean.text,
                                         doc.page_starts), stored,
                     lexicon=tuple(sorted((w, tuple(ls)) for w, ls in lexicon(seen).items())))
