"""The practice map as a spreadsheet: ``Comparison`` -> CSV or XLSX bytes, one row per region.

Each topic gets four columns: status label, document year, the evidence sentence and its source (document
title with lines or page). Pure functions; openpyxl is imported only for XLSX.
"""

from __future__ import annotations

import csv
import io
from typing import Literal

from assistant.errors import MissingDependency
from assistant.records import Cell, Comparison, Evidence, Status

Language = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Language, ...] = ("fi", "sv", "en")

STATUS_LABELS: dict[Language, dict[Status, str]] = {
    "fi": {"in_use": "Käytössä", "pilot": "Pilotti", "planned": "Suunnitteilla", "mentioned": "Mainittu",
           "not_found": "Ei mainintaa"},
    "sv": {"in_use": "I bruk", "pilot": "Pilot", "planned": "Planeras", "mentioned": "Nämns",
           "not_found": "Nämns inte"},
    "en": {"in_use": "In use", "pilot": "Pilot", "planned": "Planned", "mentioned": "Mentioned",
           "not_found": "Not mentioned"},
}
WORDS: dict[Language, dict[str, str]] = {
    "fi": {"region": "Alue", "year": "vuosi", "quote": "lainaus", "source": "lähde", "page": "s.",
           "lines": "rivit", "more": "+{n} muuta kohtaa", "sheet": "Vertailu"},
    "sv": {"region": "Område", "year": "år", "quote": "citat", "source": "källa", "page": "s.",
           "lines": "rader", "more": "+{n} andra ställen", "sheet": "Jämförelse"},
    "en": {"region": "Region", "year": "year", "quote": "quote", "source": "source", "page": "p.",
           "lines": "lines", "more": "+{n} more passages", "sheet": "Comparison"},
}
# The web page's badge colours (web/style.css), so a printed sheet reads like the screen.
FILLS: dict[Status, str] = {"in_use": "D7F0DD", "pilot": "D9E8FB", "planned": "FCEBC7", "mentioned": "E6E6EA",
                            "not_found": "FFFFFF"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def status_label(cell: Cell, lang: Language = "fi", *, year: bool = True) -> str:
    """``"Suunnitteilla (2021)"``: the status label, with the evidence's document year when known."""
    label = STATUS_LABELS[lang][cell.status]
    if year and cell.evidence and cell.evidence.year:
        return f"{label} ({cell.evidence.year})"
    return label


def source_text(cell: Cell, lang: Language = "fi") -> str:
    """``"Lapin toimeenpanosuunnitelma, rivit 120–121 (+2 muuta kohtaa)"``; empty without evidence."""
    e = cell.evidence
    if e is None:
        return ""
    out = f"{e.title}, {_place(e, lang)}" if _place(e, lang) else e.title
    return out + (f" ({WORDS[lang]['more'].format(n=cell.more)})" if cell.more else "")


def _place(e: Evidence, lang: Language) -> str:
    if e.page:
        return f"{WORDS[lang]['page']} {e.page}"
    return f"{WORDS[lang]['lines']} {e.lines[0]}–{e.lines[1]}" if e.lines else ""


def table_rows(comparison: Comparison, lang: Language = "fi") -> list[list[str | int | None]]:
    """Header row, then one row per region: region, and per topic status, year, quote, source."""
    words = WORDS[lang]
    header: list[str | int | None] = [words["region"]]
    for topic in comparison.topics:
        header += [topic, f"{topic}: {words['year']}", f"{topic}: {words['quote']}", f"{topic}: {words['source']}"]
    cells = {(c.topic, c.region): c for c in comparison.cells}
    rows = [header]
    for region in comparison.regions:
        row: list[str | int | None] = [region]
        for topic in comparison.topics:
            cell = cells[(topic, region)]
            e = cell.evidence
            row += [status_label(cell, lang, year=False), e.year if e else None, e.text if e else "",
                    source_text(cell, lang)]
        rows.append(row)
    return rows


def _inert(value: str | int | None) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would otherwise start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(comparison: Comparison, lang: Language = "fi") -> bytes:
    """RFC 4180 CSV in UTF-8 with a byte-order mark, so Excel shows ä and ö; formulas are neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table_rows(comparison, lang):
        writer.writerow([_inert(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(comparison: Comparison, lang: Language = "fi") -> bytes:
    """One sheet, frozen header and region column, status cells coloured like the web page's badges."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError as exc:
        raise MissingDependency("XLSX export needs openpyxl: pip install openpyxl (or use CSV).") from exc

    book = Workbook()
    sheet = book.active
    sheet.title = WORDS[lang]["sheet"]
    statuses = {(c.topic, c.region): c.status for c in comparison.cells}
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table_rows(comparison, lang), start=1):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            # Control characters (in a typed topic, say) cannot be stored in a worksheet: drop them, not the file.
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"  # document text is data: never let openpyxl read "=..." as a formula
            cell.alignment = wrap
            if r == 1:
                cell.font = Font(bold=True)
            elif col > 1 and (col - 2) % 4 == 0:
                status = statuses[(comparison.topics[(col - 2) // 4], comparison.regions[r - 2])]
                cell.fill = PatternFill("solid", fgColor=FILLS[status])
    sheet.column_dimensions["A"].width = 24
    for i in range(len(comparison.topics)):
        for offset, width in enumerate((16, 8, 60, 40)):
            sheet.column_dimensions[get_column_letter(2 + 4 * i + offset)].width = width
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_text(comparison: Comparison, lang: Language = "fi", *, quotes: bool = True, width: int = 100) -> str:
    """A terminal table (regions as rows, topics as columns, short labels with year), then each cell's
    evidence sentence and source, shortened to ``width`` characters."""
    cells = {(c.topic, c.region): c for c in comparison.cells}
    header = [WORDS[lang]["region"], *comparison.topics]
    body = [[region, *(status_label(cells[(t, region)], lang) for t in comparison.topics)]
            for region in comparison.regions]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if quotes:
        lines.append("")
        for c in comparison.cells:
            if c.evidence:
                quote = " ".join(c.evidence.text.split())
                quote = quote if len(quote) <= width else quote[: width - 1].rstrip() + "…"
                lines.append(f"{c.region} · {c.topic}: “{quote}” — {source_text(c, lang)}")
    return "\n".join(lines)
