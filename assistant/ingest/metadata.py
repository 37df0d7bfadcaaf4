"""``corpus/sources.toml``, read and checked as a whole: every problem is reported with the entry it is
in and what to fix, and no entry can make indexing fail with a traceback.

- an entry that is not a table, or a known field of the wrong type, is ignored with a note;
- a field name close to a known one ("regoin") gets a "did you mean" note; other extra fields are kept;
- a region is stored under its canonical name ("Soite" -> "Keski-Pohjanmaa"); a region that names no
  wellbeing services county (or several) refuses the document until it is fixed.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import UnreadableDocument
from assistant.regions import REGIONS, mentioned_regions

METADATA_FILE = "sources.toml"
FIELDS: dict[str, type] = {"region": str, "title": str, "organisation": str, "year": int, "period": str,
                           "kind": str, "source": str}
_EXAMPLE = 'region = "Lappi", title = "...", year = 2022'


@dataclass(frozen=True)
class Metadata:
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # usable entries by document id
    notes: tuple[str, ...] = ()  # problems found, each naming its entry and what to fix
    refused: dict[str, str] = field(default_factory=dict)  # document id -> why it cannot be indexed


def read_sources(corpus_dir: Path) -> Metadata:
    """Read and check ``sources.toml``; a file that is not TOML at all stops indexing with the parse error."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return Metadata()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableDocument(METADATA_FILE, f"is not valid TOML ({exc}); fix it and re-run") from exc
    return check_sources(raw)


def canonical(region: str) -> str | None:
    """The canonical name of the one wellbeing services county ``region`` names, else None.

    >>> canonical("Soite"), canonical("lapin hyvinvointialue"), canonical("Atlantis"), canonical("Lappi ja Kainuu")
    ('Keski-Pohjanmaa', 'Lappi', None, None)
    """
    exact = {r.name.lower(): r.name for r in REGIONS}
    if region.strip().lower() in exact:
        return exact[region.strip().lower()]
    named = set(mentioned_regions(region))
    return named.pop() if len(named) == 1 else None


def check_sources(raw: Mapping[str, Any]) -> Metadata:
    """Check parsed ``sources.toml`` contents (see the module docstring)."""
    tables: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    refused: dict[str, str] = {}
    for key, entry in raw.items():
        where = f"{METADATA_FILE} [{key}]"
        if not isinstance(entry, dict):
            notes.append(f"{METADATA_FILE}: the entry {key} = {entry!r} is not a table, so it was ignored; describe "
                         f"a document as a table: a line [{key}] followed by lines such as {_EXAMPLE}.")
            continue
        table: dict[str, Any] = {}
        for name, value in entry.items():
            kind = FIELDS.get(name)
            if kind is None:
                close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.75)
                if close:
                    notes.append(f"{where}: unknown field '{name}'; did you mean '{close[0]}'?")
                table[name] = value
            elif isinstance(value, kind) and not isinstance(value, bool):
                table[name] = value
            else:
                wanted = "a whole number such as 2022" if kind is int else "text in quotes"
                notes.append(f"{where}: {name} should be {wanted}, not {value!r}; it was ignored.")
        region = table.get("region")
        if isinstance(region, str) and region.strip():
            name = canonical(region)
            if name is None:
                refused[key] = (f"{where}: unknown region '{region}'; use one of {', '.join(r.name for r in REGIONS)}"
                                " (or leave region out to have it guessed from the text)")
            else:
                table["region"] = name
        tables[key] = table
    return Metadata(tables, tuple(notes), refused)


def orphans(metadata: Metadata, doc_ids: Iterable[str]) -> list[str]:
    """Notes for entries that describe no file in the corpus."""
    ids = set(doc_ids)
    return [f"{METADATA_FILE} [{key}]: no file in the corpus has this id (the file name without its extension); "
            "fix the name or remove the entry." for key in metadata.tables if key not in ids]
