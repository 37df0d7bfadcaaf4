"""What is in the corpus folder: the files to index with their document ids, and the files refused
before anything is read (links out of the folder, files over the size limit, unusable metadata).

Nothing outside the corpus folder is ever read: a symbolic link that resolves outside it is skipped and
reported, so a link to ``/etc/passwd`` cannot be indexed and served.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.ingest.limits import Limits, file_too_big
from assistant.ingest.metadata import METADATA_FILE, Metadata, orphans, read_sources

IGNORED_NAMES = frozenset({METADATA_FILE, "readme.md"})


@dataclass(frozen=True)
class Skipped:
    name: str  # path inside the corpus folder
    reason: str
    doc_id: str | None  # set when the document's last indexed version should keep serving


@dataclass(frozen=True)
class CorpusScan:
    files: tuple[tuple[Path, str], ...]  # (path, document id) to index, sorted by path
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]  # id clashes, sources.toml problems, orphan entries
    metadata: Metadata

    @property
    def present(self) -> set[str]:
        """Ids still in the corpus (indexed or skipped but kept); any other indexed id was removed."""
        return {d for _, d in self.files} | {s.doc_id for s in self.skipped if s.doc_id}


def _visible(path: Path, corpus_dir: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(corpus_dir).parts)


def _listing(corpus_dir: Path) -> list[Path]:
    """Every file below ``corpus_dir`` except metadata, READMEs and hidden files, sorted."""
    return sorted(p for p in corpus_dir.rglob("*")
                  if p.is_file() and p.name.lower() not in IGNORED_NAMES and _visible(p, corpus_dir))


def _linked_folders(corpus_dir: Path, root: Path) -> list[Path]:
    """Links to folders outside the corpus (the listing does not follow links to folders at all)."""
    return sorted(p for p in corpus_dir.rglob("*")
                  if p.is_symlink() and p.is_dir() and _visible(p, corpus_dir) and not _inside(p, root))


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The files of the corpus that really are inside it (links out of the folder are left out), sorted."""
    root = corpus_dir.resolve()
    return [p for p in _listing(corpus_dir) if _inside(p, root)]


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """The usual id, the path inside the corpus without extension: ``sub/report.pdf`` -> ``sub/report``.

    Two files that differ only in extension would share it; :func:`assign_ids` settles that.
    """
    return path.relative_to(corpus_dir).with_suffix("").as_posix()


def assign_ids(files: Sequence[PurePosixPath], owners: Mapping[str, str] | None = None
               ) -> tuple[dict[PurePosixPath, str], list[str], list[tuple[PurePosixPath, str]]]:
    """Unique, stable ids for corpus-relative paths: (ids, notes, refused).

    Each file gets its path without extension, as before. When several files share that (``raportti.txt``
    and ``raportti.md``), the one that already holds the id in the live index (``owners``: id -> file
    name) keeps it, else the first by name; each other one gets its path with the extension
    (``raportti.md``), and a note says so. A file whose fallback id is taken as well is refused.

    >>> ids, notes, _ = assign_ids([PurePosixPath("raportti.md"), PurePosixPath("raportti.txt")],
    ...                            {"raportti": "raportti.txt"})
    >>> sorted(ids.values()), len(notes)
    (['raportti', 'raportti.md'], 1)
    """
    owners = owners or {}
    groups: dict[str, list[PurePosixPath]] = {}
    for path in sorted(files):
        groups.setdefault(path.with_suffix("").as_posix(), []).append(path)
    ids: dict[PurePosixPath, str] = {}
    notes: list[str] = []
    refused: list[tuple[PurePosixPath, str]] = []
    taken = set(groups)
    for base, paths in groups.items():
        owner = next((p for p in paths if p.name == owners.get(base)), paths[0])
        ids[owner] = base
        for other in paths:
            if other == owner:
                continue
            if other.as_posix() in taken:
                refused.append((other, f"has the same name as {owner.as_posix()} and its fallback id "
                                       f"'{other.as_posix()}' is taken too; rename the file"))
                continue
            taken.add(other.as_posix())
            ids[other] = other.as_posix()
            notes.append(f"{other.as_posix()} has the same name as {owner.as_posix()}, which keeps the id "
                         f"'{base}'; it is indexed as '{other.as_posix()}'. Rename one of them to give each "
                         "its own id.")
    return ids, notes, refused


def scan_corpus(corpus_dir: Path, limits: Limits, owners: Mapping[str, str] | None = None) -> CorpusScan:
    """The corpus as the indexer sees it; see the module docstring and :func:`assign_ids`."""
    root = corpus_dir.resolve()
    skipped = [Skipped(p.relative_to(corpus_dir).as_posix(), "is a link to a folder outside the corpus folder, "
                       "which is never read; copy the files into the folder if they belong to the corpus", None)
               for p in _linked_folders(corpus_dir, root)]
    inside: list[Path] = []
    for path in _listing(corpus_dir):
        if _inside(path, root):
            inside.append(path)
        else:
            skipped.append(Skipped(path.relative_to(corpus_dir).as_posix(),
                                   "is a link to a file outside the corpus folder, which is never read; "
                                   "copy the file into the folder if it belongs to the corpus", None))
    relative = {PurePosixPath(p.relative_to(corpus_dir).as_posix()): p for p in inside}
    ids, notes, refused = assign_ids(list(relative), owners)
    skipped += [Skipped(rel.as_posix(), reason, None) for rel, reason in refused]
    metadata = read_sources(corpus_dir)
    notes += list(metadata.notes) + orphans(metadata, ids.values())
    files: list[tuple[Path, str]] = []
    for rel, doc_id in sorted(ids.items()):
        path = relative[rel]
        try:
            too_big = file_too_big(path.stat().st_size, limits)
        except OSError:
            too_big = None  # reported by the reader with the OS's reason
        reason = too_big or metadata.refused.get(doc_id)
        if reason:
            skipped.append(Skipped(rel.as_posix(), reason, doc_id))
        else:
            files.append((path, doc_id))
    return CorpusScan(tuple(files), tuple(skipped), tuple(notes), metadata)
