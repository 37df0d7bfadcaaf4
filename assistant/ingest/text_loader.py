"""Plain text and Markdown (.txt, .md): decoded with encoding fallbacks, markup kept as is."""

from __future__ import annotations

import codecs
from pathlib import Path

from assistant.errors import UnreadableDocument
from assistant.ingest import normalise_newlines, read_bytes, require_text
from assistant.records import RawText

# Finnish files that are not UTF-8 are nearly always Windows-1252 (Word/Notepad exports);
# latin-1 decodes any byte sequence, so it is the last resort that never fails.
_FALLBACKS = ("cp1252", "latin-1")


def decode(data: bytes) -> str:
    """Decode ``data``: UTF-8 (BOM stripped), UTF-16 if it has a BOM, else cp1252, else latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # the codec consumes the BOM
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in _FALLBACKS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def load_text(path: Path) -> RawText:
    """Read a .txt/.md file as text with LF line ends; Markdown headings (``#``) are kept.

    Line numbers match the file's own lines. Raises :class:`UnreadableDocument` for unreadable,
    binary or empty files.
    """
    data = read_bytes(path)
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:  # only a UTF-16 file with a BOM but broken contents
        raise UnreadableDocument(path.name, f"the text could not be decoded ({exc.reason})") from exc
    if "\x00" in text:
        # NUL never occurs in real text: this is a binary file with a text suffix.
        raise UnreadableDocument(path.name, "looks like a binary file, not text; check the file type")
    text = normalise_newlines(text)
    return RawText(text=require_text(path.name, text))
