"""An ``Answer`` as plain text with a sources list, for clients that show only text (OpenAI API, MCP).

>>> from assistant.records import Chunk
>>> where(Chunk(1, "lappi/x", "Lappi", "Raportti", "", "t", 0, 1, (3, 5), None), "fi")
'Lappi — Raportti, rivit 3–5 (lappi/x)'
"""

from __future__ import annotations

from assistant.records import Answer, Chunk

HEADINGS = {"fi": ("Lähteet", "Mahdollisesti liittyvät kohdat"), "sv": ("Källor", "Möjligen relaterade avsnitt"),
            "en": ("Sources", "Possibly related passages")}
PLACE = {"fi": ("s.", "rivit"), "sv": ("s.", "rader"), "en": ("p.", "lines")}
RELATED_SHOWN = 5


def where(chunk: Chunk, language: str = "fi") -> str:
    """Region, title and place (page for paged formats, else source lines) of a chunk."""
    page, lines = PLACE.get(language, PLACE["en"])
    place = f"{page} {chunk.page}" if chunk.page else (f"{lines} {chunk.lines[0]}–{chunk.lines[1]}" if chunk.lines else "")
    title = f"{chunk.title}, {place}" if place else chunk.title
    return f"{chunk.region} — {title} ({chunk.doc_id})"


def sources_list(answer: Answer) -> str:
    """``Lähteet:`` and one ``[n] region — title, place`` line per citation; for an answer without
    citations, the closest passages under "possibly related"; empty when there are neither."""
    cited, related = HEADINGS.get(answer.language, HEADINGS["en"])
    if answer.citations:
        return "\n".join([f"{cited}:", *(f"[{c.n}] {where(c.passage.chunk, answer.language)}" for c in answer.citations)])
    if answer.passages:
        shown = answer.passages[:RELATED_SHOWN]
        return "\n".join([f"{related}:", *(f"- {where(p.chunk, answer.language)}" for p in shown)])
    return ""


def answer_text(answer: Answer) -> str:
    """The answer followed by a blank line and its sources list."""
    sources = sources_list(answer)
    return f"{answer.text}\n\n{sources}" if sources else answer.text
