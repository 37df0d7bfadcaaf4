"""Checking an uploaded document before it may enter the corpus: a safe file name, a type sniffed from
the bytes (not trusted from the name), the metadata, and a trial load with the real loaders.

>>> safe_name("../../Etelä-Savon raportti (2024).PDF")
'Etelä-Savon-raportti-2024.pdf'
>>> safe_name("C:\\\\Users\\\\x\\\\Åland ösa.docx")
'Åland-ösa.docx'
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from assistant.errors import AssistantError, TooLarge, UnreadableDocument
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_file
from assistant.regions import REGIONS, canonical_region

REGION_NAMES = tuple(r.name for r in REGIONS)  # the 21 wellbeing services counties and the City of Helsinki
MAX_NAME = 120
MIN_YEAR, MAX_YEAR = 1990, 2100
RESERVED = {"sources.toml", "readme.md"}
__all__ = ["Conflict", "Rejected", "TooLarge"]  # TooLarge is errors.TooLarge, re-exported for the admin modules


class Rejected(AssistantError):
    """An upload or edit that cannot be accepted as sent (422)."""

    status = 422


class Conflict(AssistantError):
    status = 409


def safe_name(raw: str) -> str:
    """A file name that cannot leave the corpus folder: the last path part only, letters (Finnish and
    Swedish ones included), digits, ``.``, ``_`` and ``-``; other runs become ``-``; lower-case suffix."""
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", raw)[-1])
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = re.sub(r"[^\w.-]+", "-", stem).strip(".-_")
    stem = re.sub(r"-{2,}", "-", stem).replace("..", ".")
    suffix = re.sub(r"[^\w]", "", suffix).lower()
    if not stem or not suffix:
        raise Rejected(f"The file name '{raw}' has no usable name or extension. Rename it, e.g. 'raportti-2024.pdf'.")
    out = f"{stem[:MAX_NAME]}.{suffix}"
    if f".{suffix}" not in SUPPORTED_SUFFIXES:
        raise Rejected(f"'{out}': unsupported file type '.{suffix}'. Upload PDF, DOCX, PPTX, HTML, TXT or MD.")
    if out.lower() in RESERVED:
        raise Rejected(f"'{out}' is reserved in the corpus folder. Rename the file.")
    return out


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in start[:512]


def sniff(name: str, data: bytes) -> None:
    """Raise ``Rejected`` when the bytes are not what the suffix says (a .pdf that is an HTML page, ...)."""
    suffix = Path(name).suffix.lower()
    head = data[:2048]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Rejected(f"{name}: this is an encrypted or old binary Office file (.doc/.ppt). Remove the password "
                       "and save it as .docx/.pptx or PDF.")
    if suffix == ".pdf":
        if b"%PDF-" not in data[:1024]:
            what = "an HTML page (perhaps a download link's error page)" if _looks_like_html(head) else "not a PDF"
            raise Rejected(f"{name}: the file is {what}, although it is named .pdf. Download the PDF itself.")
        return
    if suffix in {".docx", ".pptx"}:
        part = "word/document.xml" if suffix == ".docx" else "ppt/presentation.xml"
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            what = "an HTML page" if _looks_like_html(head) else "damaged or not a Word/PowerPoint file"
            raise Rejected(f"{name}: the file is {what}. Save it again as {suffix} and upload that.") from None
        if part not in names:
            raise Rejected(f"{name}: the file is a ZIP archive but not a {suffix} document. Upload the document itself.")
        return
    # Text formats: refuse binaries that merely carry a text name.
    if b"\x00" in head or head.startswith((b"%PDF-", b"PK\x03\x04")):
        raise Rejected(f"{name}: the file is binary, not text, although it is named {suffix}. Check the file type.")


def check_region(region: str) -> str:
    """The canonical region name, or ``Rejected`` listing them."""
    canonical = canonical_region(region.strip()) if region.strip() else None
    if canonical not in REGION_NAMES:
        raise Rejected(f"Unknown region '{region}'. Choose one of the 21 wellbeing services counties or Helsinki: "
                       f"{', '.join(REGION_NAMES)}.")
    return canonical


def check_year(year: int | None) -> int | None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise Rejected(f"Year {year} is out of range; give a year between {MIN_YEAR} and {MAX_YEAR}, or none.")
    return year


def trial_load(name: str, data: bytes) -> Path:
    """Load the bytes with the real loaders from a private temporary copy; return that copy's path.

    A corrupt, encrypted or empty document raises ``Rejected`` naming the file, and nothing is kept.
    The caller owns the returned file (and its folder).
    """
    folder = Path(tempfile.mkdtemp(prefix="sote-upload-"))
    path = folder / name
    path.write_bytes(data)
    try:
        load_file(path)
    except UnreadableDocument as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise Rejected(f"{name}: {exc.reason}. The file was not added.") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path
