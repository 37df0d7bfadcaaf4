"""The practice map: which regions have evidence of each topic, cell by cell (first version).

A region has a topic when one of its best passages for the topic has a sentence that carries one of the
topic's content terms (Voikko lemmas and compound parts; for English/Swedish topics the glossary's Finnish
terms). Status is "mentioned" until sentences are classified by morphology.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.glossary import bridge
from assistant.language import detect_language
from assistant.records import Cell, Evidence, Filters, Passage
from assistant.retrieval import Retriever
from assistant.sentences import split_sentences, stems

PASSAGES_PER_REGION = 10


def topic_terms(topic: str) -> set[str]:
    language = detect_language(topic)
    return stems(topic) if language == "fi" else stems(bridge(topic)) | stems(topic)


def evidence_in(passages: Sequence[Passage], terms: set[str]) -> list[tuple[Passage, Evidence]]:
    """Sentences of ``passages`` that carry one of ``terms``, best passage first."""
    found: list[tuple[Passage, Evidence]] = []
    for p in passages:
        c = p.chunk
        for s in split_sentences(c.text):
            if stems(s.text) & terms:
                start = c.start + s.start
                found.append((p, Evidence(s.text, c.doc_id, c.title, c.year, start, start + len(s.text), c.lines,
                                          c.page)))
    return found


def map_topic(retriever: Retriever, topic: str, regions: Sequence[str], filters: Filters) -> list[Cell]:
    """One cell per region for ``topic``."""
    scored = retriever.score(topic, detect_language(topic))
    groups = retriever.by_region(scored, retriever.mask(filters), tuple(regions), PASSAGES_PER_REGION)
    terms = topic_terms(topic)
    cells = []
    for region in regions:
        found = evidence_in(groups.get(region, []), terms) if terms else []
        if not found:
            cells.append(Cell(topic, region, "not_found", None, 0))
            continue
        passages = {p.chunk.chunk_id for p, _ in found}
        cells.append(Cell(topic, region, "mentioned", found[0][1], len(passages) - 1))
    return cells
