"""Word (.docx) through python-docx: body paragraphs and tables in document order."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from assistant.errors import MissingDependency, UnreadableDocument
from assistant.ingest import brief_error, read_bytes, require_text, tidy
from assistant.records import RawText

# Style names of headings: English "Heading 2", Finnish Word "Otsikko 2"; "Title" (fi "Otsikko")
# is the document title and counts as a top-level heading.
_HEADING = re.compile(r"^(?:heading|otsikko)\s*([1-9])$", re.IGNORECASE)
_TITLE = re.compile(r"^(?:title|otsikko)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def load_docx(path: Path) -> RawText:
    """Extract the body text; headings become ``#``-prefixed lines, table rows ``a | b | c``.

    Headers, footers and comments are left out (they repeat on every page). ``page_starts`` is
    empty: a .docx file has no fixed pages. Raises :class:`MissingDependency` without python-docx
    and :class:`UnreadableDocument` for unreadable, corrupt or empty documents.
    """
    try:
        import docx
    except ImportError as exc:
        raise MissingDependency("install python-docx to read .docx files") from exc

    data = read_bytes(path)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = [_block_text(block) for block in document.iter_inner_content()]
    except Exception as exc:  # PackageNotFoundError, BadZipFile, KeyError, ValueError, lxml errors
        raise UnreadableDocument(
            path.name, f"could not be read as a Word document ({brief_error(exc)}); is it a valid .docx?"
        ) from exc
    text = tidy("\n".join(lines))
    return RawText(text=require_text(path.name, text))


def _block_text(block: Any) -> str:
    """A paragraph (heading-aware) or a table, as one or more lines."""
    if hasattr(block, "rows"):
        return _table_text(block)
    level = _heading_level(block)
    if level:
        title = _SPACE.sub(" ", block.text).strip()
        return f"{'#' * level} {title}" if title else ""
    return str(block.text)


def _heading_level(paragraph: Any) -> int:
    """Markdown heading level 1-6 for a heading-styled paragraph, 0 for body text."""
    style = paragraph.style
    for name in (getattr(style, "name", None), getattr(style, "style_id", None)):
        if not name:
            continue
        match = _HEADING.match(name)
        if match:
            return min(int(match.group(1)), 6)  # Markdown has six levels; Word has nine
        if _TITLE.match(name):
            return 1
    return 0


def _table_text(table: Any) -> str:
    """One line per row, cells joined by `` | ``; a merged cell is written once per row."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # python-docx repeats a horizontally merged cell for every grid column it spans.
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(_SPACE.sub(" ", cell.text).strip())
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
