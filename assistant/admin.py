"""Document management behind the admin API: check a change, queue it as a job that edits ``corpus/``
and re-indexes, and record every action in the audit log.

Requests validate everything they can before answering (so a bad file is refused at once and never
touches the corpus); the job then writes the change, runs ``build_index`` and loads the new generation.
If the re-index fails, the corpus change is rolled back and the previous index keeps serving.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audit import AuditLog
from assistant.corpus_edit import META_KEYS, CorpusEditor, Edit
from assistant.embedding import Embedder, make_embedder
from assistant.errors import AssistantError
from assistant.indexer import build_index
from assistant.ingest.sources import corpus_files, doc_id_for, read_metadata
from assistant.jobs import Job, JobQueue, Report
from assistant.service import Assistant
from assistant.uploads import Rejected, TooLarge, check_region, check_year, safe_name, sniff, trial_load

# Where each step of a job puts the progress bar; embedding fills the span between them.
SAVED, SPLIT, EMBEDDED, PUBLISHED = 0.05, 0.15, 0.85, 0.92


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    region: str
    title: str
    year: int | None = None
    kind: str = ""
    replace: bool = False


class _ProgressEmbedder:
    """Passes embedding through to the real embedder and moves the bar as batches finish.

    ``expected`` is an estimate of the passages to embed (the uploaded text's length over the chunk
    step); the bar stops short of the next step if the estimate was low.
    """

    def __init__(self, inner: Embedder, report: Report, expected: int) -> None:
        self.inner, self.report, self.expected, self.done = inner, report, max(expected, 1), 0
        self.name, self.dim = inner.name, inner.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self.done == 0:
            self.report(SPLIT, "Embedding the new text.")
        vectors = self.inner.embed_passages(texts)
        self.done += len(texts)
        share = min(self.done / self.expected, 0.98)
        self.report(SPLIT + (EMBEDDED - SPLIT) * share, f"Embedded {self.done} passages.")
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


class DocumentManager:
    def __init__(self, assistant: Assistant, audit: AuditLog) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.audit = audit
        self.editor = CorpusEditor(self.settings.corpus_dir)
        self.editor.clean_leftovers()
        self.jobs = JobQueue(on_finish=self._finished)
        self._embedder: Embedder | None = None

    def close(self) -> None:
        self.jobs.close()
        self.audit.close()

    # -- reading -----------------------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """Every corpus file with its metadata, chunk count (0 until indexed) and change times."""
        corpus = self.settings.corpus_dir
        try:
            indexed = {d["id"]: d for d in self.assistant.documents()}
        except AssistantError:
            indexed = {}  # no index yet: list the files anyway
        metadata = read_metadata(corpus) if corpus.is_dir() else {}
        times = self.audit.times()
        out = []
        for path in corpus_files(corpus) if corpus.is_dir() else []:
            doc_id = doc_id_for(path, corpus)
            meta = metadata.get(doc_id, {})
            known = indexed.get(doc_id, {})
            added, updated = times.get(doc_id, (None, None))
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.append({
                "id": doc_id, "file": path.name, "size": path.stat().st_size,
                "region": known.get("region") or meta.get("region", ""),
                "title": known.get("title") or meta.get("title", path.stem),
                "year": known.get("year", meta.get("year")), "kind": known.get("kind") or meta.get("kind", ""),
                "chunks": known.get("chunks", 0), "indexed": bool(known),
                "metadata_guessed": not meta.get("region") or not meta.get("title"),
                "added": added, "updated": max(filter(None, [updated, mtime])),
            })
        return out

    # -- changes -----------------------------------------------------------------------------------------
    def upload(self, upload: Upload) -> Job:
        """Check the upload now (raising ``Rejected``/``Conflict``/``TooLarge``); queue adding it."""
        name = upload.filename
        try:
            limit = int(self.settings.max_upload_mb * 1024 * 1024)
            if len(upload.data) > limit:
                raise TooLarge(f"{name}: the file is {len(upload.data) / 1048576:.1f} MB; the limit is "
                               f"{self.settings.max_upload_mb:g} MB (ASSISTANT_MAX_UPLOAD_MB). Split or compress it.")
            name = safe_name(upload.filename)
            meta = {"region": check_region(upload.region), "title": _title(upload.title),
                    "year": check_year(upload.year), "kind": upload.kind.strip() or None}
            self.editor.check_free(name, upload.replace)
            sniff(name, upload.data)
            staged = trial_load(name, upload.data)
        except AssistantError as exc:
            self.audit.record("upload", name, "refused", exc.message)
            raise
        doc_id = Path(name).stem
        self.audit.record("upload", doc_id, "accepted", f"{name}, {len(upload.data)} bytes")
        expected = len(upload.data) // max(self.settings.chunk_size - self.settings.chunk_overlap, 1) + 1

        def work(report: Report) -> None:
            try:
                report(0.0, f"Saving {name} into the corpus.")
                edit = self.editor.add(staged, name, meta, replace=upload.replace)
            finally:
                shutil.rmtree(staged.parent, ignore_errors=True)
            self._reindex(edit, report, expected, must_index=doc_id)

        return self.jobs.submit("upload", doc_id, work)

    def edit(self, doc_id: str, changes: dict[str, Any]) -> Job:
        """Queue a metadata change (``None`` or "" removes a field; region and title cannot be removed)."""
        try:
            self.editor.require(doc_id)
            changes = {k: v for k, v in changes.items() if k in META_KEYS}
            if "region" in changes:
                changes["region"] = check_region(str(changes["region"] or ""))
            if "title" in changes:
                changes["title"] = _title(str(changes["title"] or ""))
            if "year" in changes:
                changes["year"] = check_year(changes["year"])
        except AssistantError as exc:
            self.audit.record("edit", doc_id, "refused", exc.message)
            raise
        self.audit.record("edit", doc_id, "accepted", ", ".join(f"{k}={v}" for k, v in changes.items()))

        def work(report: Report) -> None:
            report(0.0, "Saving the metadata.")
            self._reindex(self.editor.update(doc_id, changes), report, 0)

        return self.jobs.submit("edit", doc_id, work)

    def delete(self, doc_id: str) -> Job:
        try:
            self.editor.require(doc_id)
        except AssistantError as exc:
            self.audit.record("delete", doc_id, "refused", exc.message)
            raise
        self.audit.record("delete", doc_id, "accepted")

        def work(report: Report) -> None:
            report(0.0, "Removing the file.")
            self._reindex(self.editor.remove(doc_id), report, 0)

        return self.jobs.submit("delete", doc_id, work)

    # -- the job's second half ---------------------------------------------------------------------------
    def _reindex(self, edit: Edit, report: Report, expected: int, must_index: str | None = None) -> None:
        report(SAVED, "Re-indexing (the chat keeps answering from the current index).")
        embedder = self._embedder or self.assistant.embedder or make_embedder(self.settings.embedder)
        self._embedder = embedder
        try:
            result = build_index(self.settings, embedder=_ProgressEmbedder(embedder, report, expected), quiet=True,
                                 before_publish=lambda _: report(EMBEDDED, "Publishing the new index."))
            skipped = dict(result.skipped)
            if must_index and any(Path(n).stem == must_index for n in skipped):
                reason = next(r for n, r in skipped.items() if Path(n).stem == must_index)
                raise AssistantError(f"{must_index}: {reason}. The file was removed again.")
        except BaseException:
            edit.rollback()
            if must_index:  # put the index back in step with the restored corpus
                build_index(self.settings, embedder=embedder, quiet=True)
            raise
        edit.commit()
        report(PUBLISHED, "Loading the new index.")
        self.assistant.load()

    def _finished(self, job: Job) -> None:
        detail = job.message if job.state == "failed" else ""
        self.audit.record(job.action, job.document, job.state, detail)


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise Rejected("A title is needed: the name people see in citations, e.g. 'Kainuun palvelustrategia 2024'.")
    return title[:300]
