"""Changes to ``corpus/`` and ``corpus/sources.toml`` made by document management.

Every write goes to a hidden temporary file in the same folder and is renamed into place, so the
indexer (which ignores hidden files) never sees half a file. ``sources.toml`` is edited with tomlkit,
which keeps its comments and the order of its tables. Each change returns an :class:`Edit` that can be
rolled back (the previous bytes are kept in a hidden backup folder until ``commit``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import tomlkit

from assistant.errors import NotFound
from assistant.ingest.sources import METADATA_FILE, corpus_files, doc_id_for
from assistant.uploads import Conflict

TEMP_PREFIX = ".admin-"
META_KEYS = ("region", "title", "year", "kind", "organisation", "period")


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex[:8]}-{path.name}.tmp"
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class Edit:
    """One change to the corpus; ``rollback`` puts back the files it touched, ``commit`` forgets them."""

    def __init__(self, corpus: Path, paths: list[Path]) -> None:
        self._backup = corpus / f"{TEMP_PREFIX}backup-{uuid.uuid4().hex[:8]}"
        self._backup.mkdir()
        self._saved: list[tuple[Path, Path | None]] = []
        for i, path in enumerate(paths):
            copy = self._backup / str(i) if path.exists() else None
            if copy:
                shutil.copy2(path, copy)
            self._saved.append((path, copy))

    def commit(self) -> None:
        shutil.rmtree(self._backup, ignore_errors=True)

    def rollback(self) -> None:
        for path, copy in self._saved:
            if copy is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(copy, path)
        self.commit()


class CorpusEditor:
    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.toml = corpus / METADATA_FILE

    def clean_leftovers(self) -> None:
        """Remove temporaries and backups of a run that was killed mid-change (never visible to the indexer)."""
        for path in self.corpus.glob(f"{TEMP_PREFIX}*") if self.corpus.is_dir() else ():
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def find(self, doc_id: str) -> Path | None:
        return next((p for p in corpus_files(self.corpus) if doc_id_for(p, self.corpus) == doc_id), None)

    def require(self, doc_id: str) -> Path:
        path = self.find(doc_id)
        if path is None:
            raise NotFound(f"No document '{doc_id}' in {self.corpus}/. GET /api/admin/documents lists them.")
        return path

    def check_free(self, name: str, replace: bool) -> None:
        """``Conflict`` when a document with this id exists and ``replace`` was not asked for."""
        existing = self.find(Path(name).stem)
        if existing is not None and not (replace and existing.name == name):
            how = "send replace=true to replace it, or rename the file" if existing.name == name else \
                "rename the file (a document id must be unique)"
            raise Conflict(f"A document named '{existing.name}' already exists: {how}.")

    def add(self, staged: Path, name: str, meta: dict[str, Any], replace: bool = False) -> Edit:
        """Copy ``staged`` into the corpus as ``name`` and describe it in sources.toml."""
        self.check_free(name, replace)
        target = self.corpus / name
        edit = Edit(self.corpus, [target, self.toml])
        try:
            write_atomic(target, staged.read_bytes())
            self._set_meta(target.stem, meta, replace_all=True)
        except BaseException:
            edit.rollback()
            raise
        return edit

    def update(self, doc_id: str, changes: dict[str, Any]) -> Edit:
        """Change some metadata fields of a document (``None`` removes a field)."""
        self.require(doc_id)
        edit = Edit(self.corpus, [self.toml])
        try:
            self._set_meta(doc_id, changes, replace_all=False)
        except BaseException:
            edit.rollback()
            raise
        return edit

    def remove(self, doc_id: str) -> Edit:
        path = self.require(doc_id)
        edit = Edit(self.corpus, [path, self.toml])
        try:
            path.unlink()
            document = self._read()
            if doc_id in document:
                del document[doc_id]
                self._write(document)
        except BaseException:
            edit.rollback()
            raise
        return edit

    def _read(self) -> tomlkit.TOMLDocument:
        return tomlkit.parse(self.toml.read_text(encoding="utf-8")) if self.toml.exists() else tomlkit.document()

    def _set_meta(self, doc_id: str, meta: dict[str, Any], replace_all: bool) -> None:
        document = self._read()
        table = document.get(doc_id)
        if table is None:
            table = tomlkit.table()
            document.add(tomlkit.nl())
            document.add(doc_id, table)
        elif replace_all:
            for key in [k for k in table if k in META_KEYS]:
                del table[key]
        for key in META_KEYS:
            if key not in meta:
                continue
            value = meta[key]
            if value is None or value == "":
                table.pop(key, None)
            else:
                table[key] = value
        self._write(document)

    def _write(self, document: tomlkit.TOMLDocument) -> None:
        write_atomic(self.toml, (tomlkit.dumps(document).rstrip("\n") + "\n").encode("utf-8"))
