"""The practice map: for each topic and region, whether the region's documents carry the topic (the same
region-evidence rule as the chat, see ``evidence``) and how far the practice has come (``status``).

A topic is read like a question ("Omaolo", "kotisairaala", "hospital at home", "hemsjukhus"): its frame
words are dropped and English or Swedish topics are bridged to Finnish. Each cell's evidence is the
sentence that decided its status; ``more`` counts the other passages that support it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.evidence import Found
from assistant.question import understand
from assistant.records import Cell, Evidence, Filters
from assistant.retrieval import Retriever
from assistant.status import ORDER, classify

DECIDING_SENTENCES = 12  # strongest evidence sentences per cell whose status is read


def evidence_of(found: Found) -> Evidence:
    c, s = found.chunk, found.sentence
    return Evidence(s.text, s.doc_id, c.title, c.year, s.start, s.end, c.lines, c.page)


def map_topic(retriever: Retriever, topic: str, regions: Sequence[str], filters: Filters) -> list[Cell]:
    """One cell per region for ``topic``."""
    query = understand(topic, index_regions=retriever.regions, vocabulary=retriever.vocabulary, name=True)
    weighted = retriever.relevance.topic(query.topic, query.either)
    found = retriever.evidence.find(weighted, regions, filters, retriever.topic_vector(query)) if weighted else {}
    cells = []
    for region in regions:
        sentences = found.get(region, [])[:DECIDING_SENTENCES]
        if not sentences:
            cells.append(Cell(topic, region, "not_found", None, 0))
            continue
        statuses = [classify(f.sentence.text, f.sentence.doc_id in retriever.plans) for f in sentences]
        status = max(statuses, key=lambda s: ORDER[s])
        deciding_ones = [f for f, s in zip(sentences, statuses, strict=True) if s == status]
        # Among the sentences that decided, one that names the topic in its own words reads best.
        deciding = next((f for f in deciding_ones if retriever.relevance.names(weighted, f.sentence.tokens)),
                        deciding_ones[0])
        others = {f.chunk.chunk_id for f in found[region]} - {deciding.chunk.chunk_id}
        cells.append(Cell(topic, region, status, evidence_of(deciding), len(others)))
    return cells
