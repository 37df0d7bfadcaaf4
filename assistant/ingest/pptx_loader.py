"""PowerPoint (.pptx) through python-pptx: one slide after another, title first."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from assistant.errors import MissingDependency, UnreadableDocument
from assistant.ingest import brief_error, join_pages, read_bytes
from assistant.records import RawText

_SPACE = re.compile(r"\s+")


def load_pptx(path: Path) -> RawText:
    """Extract each slide's text; ``page_starts[i]`` is the line where slide ``i+1`` begins.

    A slide is written as ``# title`` followed by its text frames and table rows (cells joined
    by `` | ``) in shape order, descending into groups. Speaker notes are left out. Raises
    :class:`MissingDependency` without python-pptx and :class:`UnreadableDocument` for
    unreadable, corrupt or text-less presentations.
    """
    try:
        import pptx
    except ImportError as exc:
        raise MissingDependency("install python-pptx to read .pptx files") from exc

    data = read_bytes(path)
    try:
        presentation = pptx.Presentation(io.BytesIO(data))
        slides = [_slide_text(slide) for slide in presentation.slides]
    except Exception as exc:  # PackageNotFoundError, BadZipFile, KeyError, lxml errors, ...
        raise UnreadableDocument(
            path.name,
            f"could not be read as a PowerPoint presentation ({brief_error(exc)}); is it a valid .pptx?",
        ) from exc
    return join_pages(path.name, slides)


def _slide_text(slide: Any) -> str:
    """The slide's title as ``# title``, then the text of every other shape."""
    title_shape = slide.shapes.title
    lines: list[str] = []
    if title_shape is not None and title_shape.has_text_frame:
        title = _SPACE.sub(" ", title_shape.text_frame.text).strip()
        if title:
            lines.append(f"# {title}")
    for shape in _shapes(slide.shapes):
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        lines.extend(_shape_lines(shape))
    return "\n".join(lines)


def _shapes(shapes: Iterable[Any]) -> Iterator[Any]:
    """Shapes in slide order, with the members of group shapes in place of the group."""
    for shape in shapes:
        if hasattr(shape, "shapes"):  # only group shapes contain shapes
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _shape_lines(shape: Any) -> list[str]:
    """Lines of one shape: a paragraph per line for text, a row per line for tables."""
    if getattr(shape, "has_text_frame", False):
        return [paragraph.text for paragraph in shape.text_frame.paragraphs if paragraph.text.strip()]
    if getattr(shape, "has_table", False):
        rows = []
        for row in shape.table.rows:
            # a merged cell's spanned neighbours are empty placeholders; skip them
            cells = [_SPACE.sub(" ", cell.text).strip() for cell in row.cells if not cell.is_spanned]
            if any(cells):
                rows.append(" | ".join(cells))
        return rows
    return []
