"""PDF (.pdf) through pypdf: page texts in order, with the line on which each page begins."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from assistant.errors import MissingDependency, UnreadableDocument
from assistant.ingest import brief_error, join_pages, read_bytes
from assistant.records import RawText

_ENCRYPTED = "the PDF is encrypted; save an unencrypted copy"


def load_pdf(path: Path) -> RawText:
    """Extract the text of every page; ``page_starts[i]`` is the line where page ``i+1`` begins.

    Raises :class:`MissingDependency` without pypdf and :class:`UnreadableDocument` for
    unreadable, corrupt, password-protected or text-less (scanned) PDFs.
    """
    try:
        from pypdf import PasswordType, PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError
    except ImportError as exc:
        raise MissingDependency("install pypdf to read .pdf files") from exc

    data = read_bytes(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            # Many PDFs carry an owner password only and open with an empty user password;
            # the rest need a password we do not have.
            raise UnreadableDocument(path.name, _ENCRYPTED)
        pages = [_page_text(page) for page in reader.pages]
    except UnreadableDocument:
        raise
    except DependencyError as exc:
        # AES-encrypted PDFs need the optional 'cryptography' package even with no password.
        raise UnreadableDocument(
            path.name, f"{_ENCRYPTED}, or install 'cryptography' to open it ({exc})"
        ) from exc
    except FileNotDecryptedError as exc:
        raise UnreadableDocument(path.name, _ENCRYPTED) from exc
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError, ...)
        raise UnreadableDocument(path.name, f"could not be read as a PDF ({brief_error(exc)})") from exc
    return join_pages(path.name, pages)


def _page_text(page: Any) -> str:
    """One page's text in content-stream order (pypdf's default plain layout)."""
    return str(page.extract_text() or "")
