"""HTML (.html, .htm) through BeautifulSoup with the stdlib parser: visible text only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.errors import MissingDependency, UnreadableDocument
from assistant.ingest import brief_error, read_bytes, require_text, tidy
from assistant.records import RawText

# Never content: code, styling, and page chrome (menus, banners, footers) that repeats on
# every page of a site and would drown the real text in search results.
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "head", "svg", "iframe")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = (
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "form", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_INLINE_SPACE = re.compile(r"[ \t\u00a0]+")


def load_html(path: Path) -> RawText:
    """Extract the visible text: one line per block element, ``h1``-``h6`` as ``#`` headings,
    table rows as ``a | b | c``. Never returns markup.

    The encoding comes from the BOM or ``<meta charset>``, else is guessed. Raises
    :class:`MissingDependency` without beautifulsoup4 and :class:`UnreadableDocument` for
    unreadable or text-less pages.
    """
    try:
        from bs4 import BeautifulSoup
    except ImportError as exc:
        raise MissingDependency(
            f"install beautifulsoup4 to read {path.suffix.lower() or '.html'} files"
        ) from exc

    data = read_bytes(path)
    try:
        soup = BeautifulSoup(data, "html.parser")
        text = _visible_text(soup)
    except Exception as exc:  # the parser is lenient; this is for the truly pathological
        raise UnreadableDocument(path.name, f"could not be read as HTML ({brief_error(exc)})") from exc
    return RawText(text=require_text(path.name, text))


def _visible_text(soup: Any) -> str:
    """Rewrite the tree in place so that its plain strings read as the text we want, then join.

    Works by editing the tree instead of recursing over it, so deeply nested pages cannot hit
    Python's recursion limit.
    """
    from bs4 import NavigableString

    for tag in soup.find_all(_DROP):
        tag.decompose()
    # Collapse source whitespace first; the line breaks inserted below must survive it.
    for string in list(soup.find_all(string=True)):
        if type(string) is NavigableString and string.find_parent("pre") is None:
            string.replace_with(_SPACE.sub(" ", str(string)))
    for heading in soup.find_all(_HEADINGS):
        title = _SPACE.sub(" ", heading.get_text(" ")).strip()
        if not title:
            heading.decompose()
            continue
        heading.clear()
        heading.append(f"{'#' * int(heading.name[1])} {title}")
        _break_around(heading)
    for row in soup.find_all("tr"):
        cells = row.find_all(("td", "th"), recursive=False)
        for i, cell in enumerate(cells):
            # A cell's own blocks would split the row over several lines: flatten it.
            content = _SPACE.sub(" ", cell.get_text(" ")).strip()
            cell.clear()
            cell.append(content if i == len(cells) - 1 else content + " | ")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        _break_around(block)
    # get_text() yields only text nodes: comments, doctypes and processing instructions are skipped.
    lines = (_INLINE_SPACE.sub(" ", line).strip() for line in soup.get_text().split("\n"))
    return tidy("\n".join(lines))


def _break_around(tag: Any) -> None:
    """Make ``tag`` start and end on a line of its own."""
    tag.insert_before("\n")
    tag.insert_after("\n")
