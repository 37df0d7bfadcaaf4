"""Document ingestion: turn corpus files into :class:`~assistant.records.RawText`.

The entry point is :func:`assistant.ingest.loaders.load_file`. This module only holds the small
helpers every format adapter shares, so that all of them number lines the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from assistant.errors import UnreadableDocument
from assistant.records import RawText

__all__ = [
    "NO_TEXT",
    "brief_error",
    "describe_os_error",
    "join_pages",
    "normalise_newlines",
    "read_bytes",
    "require_text",
    "tidy",
]

NO_TEXT = "no text could be extracted (empty or scanned document?)"

# Every character str.splitlines() treats as a line break becomes "\n", so that line numbers agree
# whether later stages count with text.split("\n") or text.splitlines().
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BLANK_RUN = re.compile(r"\n{3,}")


def describe_os_error(exc: OSError) -> str:
    """A reason for :class:`UnreadableDocument` that tells the reader what to fix."""
    if isinstance(exc, PermissionError):
        return "permission denied; check that the file is readable"
    if isinstance(exc, FileNotFoundError):
        return "the file does not exist (moved or deleted?)"
    if isinstance(exc, IsADirectoryError):
        return "this is a directory, not a file"
    return f"the file could not be opened ({exc.strerror or exc})"


def brief_error(exc: BaseException) -> str:
    """An exception as a short phrase to put in parentheses in a reason string."""
    message = str(exc).strip() or type(exc).__name__
    return message if len(message) <= 200 else message[:197] + "..."


def read_bytes(path: Path) -> bytes:
    """Return the file's bytes; an ``OSError`` or a zero-byte file becomes :class:`UnreadableDocument`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(path.name, describe_os_error(exc)) from exc
    if not data:
        # Said the same way for every format, rather than as each library's parse error.
        raise UnreadableDocument(path.name, NO_TEXT)
    return data


def normalise_newlines(text: str) -> str:
    """Return ``text`` with every line break (CRLF, CR, form feed, ...) as a single ``\\n``."""
    return _BREAKS.sub("\n", text)


def tidy(text: str) -> str:
    """Normalise newlines, strip trailing spaces per line, keep at most one blank line in a row,
    and drop leading/trailing blank lines."""
    lines = [line.rstrip() for line in normalise_newlines(text).split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def require_text(name: str, text: str) -> str:
    """Return ``text``, or raise :class:`UnreadableDocument` if it holds no visible characters."""
    if not text.strip():
        raise UnreadableDocument(name, NO_TEXT)
    return text


def join_pages(name: str, pages: Iterable[str]) -> RawText:
    """Join page (or slide) texts, one blank line between them, recording where each begins.

    ``page_starts[i]`` is the 1-based line on which the (tidied) text of page ``i+1`` begins; an
    empty page still gets its own (empty) line so the numbering never skips a page.
    Raises :class:`UnreadableDocument` if no page holds any text.
    """
    parts: list[str] = []
    starts: list[int] = []
    line = 1
    for page in pages:
        body = tidy(page)
        parts.append(body)
        starts.append(line)
        line += body.count("\n") + 2  # the page's own lines plus the blank separator line
    text = "\n\n".join(parts)
    return RawText(text=require_text(name, text), page_starts=tuple(starts))
