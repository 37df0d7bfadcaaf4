"""Load any supported corpus file as :class:`RawText`, choosing the adapter by file suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import AssistantError, UnreadableDocument
from assistant.ingest import brief_error, describe_os_error, require_text
from assistant.ingest.docx_loader import load_docx
from assistant.ingest.html_loader import load_html
from assistant.ingest.pdf_loader import load_pdf
from assistant.ingest.pptx_loader import load_pptx
from assistant.ingest.text_loader import load_text
from assistant.records import RawText

_ADAPTERS: dict[str, Callable[[Path], RawText]] = {
    ".txt": load_text,
    ".md": load_text,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".pptx": load_pptx,
    ".html": load_html,
    ".htm": load_html,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_ADAPTERS)


def load_file(path: Path) -> RawText:
    """Read ``path`` with the adapter for its suffix (case-insensitive).

    Returns text with LF line ends and, for .pdf/.pptx, the line where each page/slide begins.
    Raises :class:`UnreadableDocument` (carrying ``path.name`` and a reason a person can act on)
    for any file that cannot be read, and :class:`MissingDependency` when the library for the
    format is not installed. No other exception escapes.
    """
    suffix = path.suffix.lower()
    adapter = _ADAPTERS.get(suffix)
    if adapter is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        found = f"'{suffix}'" if suffix else "without a suffix"
        raise UnreadableDocument(path.name, f"unsupported file type {found} (supported: {supported})")
    try:
        raw = adapter(path)
    except AssistantError:
        raise  # already written for a person: UnreadableDocument or MissingDependency
    except OSError as exc:
        raise UnreadableDocument(path.name, describe_os_error(exc)) from exc
    except Exception as exc:
        # Adapters translate the errors they expect; this guards the indexer against the rest
        # (library bugs on odd files) so one bad file never stops a whole run.
        raise UnreadableDocument(
            path.name, f"could not be read ({type(exc).__name__}: {brief_error(exc)})"
        ) from exc
    require_text(path.name, raw.text)
    return raw
