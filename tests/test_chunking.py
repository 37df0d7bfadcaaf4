"""Chunking of real corpus documents: offsets, line ranges, heading paths, stable ids, no tiny chunks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.chunking import MIN_CHUNK_CHARS, _merge_small, chunk_id, find_headings, split
from assistant.ingest.sources import corpus_files, file_hash, load_document, read_metadata
from assistant.records import Chunk, Document

CORPUS = Path(__file__).parent.parent / "corpus"


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-zåäö]", "", text.lower())


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    files = corpus_files(CORPUS) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("corpus not present")
    metadata = read_metadata(CORPUS)
    return [load_document(p, CORPUS, metadata, file_hash(p)) for p in files]


@pytest.fixture(scope="module")
def chunked(documents: list[Document]) -> list[tuple[Document, list[Chunk]]]:
    return [(doc, split(doc, 600, 100)) for doc in documents]


def test_offsets_point_into_cleaned_text(chunked: list[tuple[Document, list[Chunk]]]) -> None:
    for doc, chunks in chunked:
        assert chunks
        for c in chunks:
            assert doc.clean.text[c.start:c.end] == c.text
            assert c.text == c.text.strip()


def test_line_ranges_point_at_raw_lines(chunked: list[tuple[Document, list[Chunk]]]) -> None:
    for doc, chunks in chunked:
        raw = (CORPUS / doc.file_name).read_text(encoding="utf-8").split("\n")
        for c in chunks:
            assert c.lines is not None
            first, last = c.lines
            assert 1 <= first <= last <= len(raw)
            span = _norm(" ".join(raw[first - 1:last]))
            head = _norm(c.text[:40].split("\n")[0])[:15]
            tail = _norm(c.text[-40:].split("\n")[-1])[-10:]
            assert head[:8] in span or head[:8] in _norm(raw[first - 2] if first > 1 else ""), (doc.doc_id, c.lines)
            assert tail in span or tail in _norm(raw[last] if last < len(raw) else ""), (doc.doc_id, c.lines)


def test_no_tiny_chunks(chunked: list[tuple[Document, list[Chunk]]]) -> None:
    for _, chunks in chunked:
        small = [c for c in chunks if len(c.text) < MIN_CHUNK_CHARS]
        # Only a whole section shorter than the minimum may stay short (at most a handful).
        assert len(small) <= 2, [c.text for c in small]
        assert all(len(c.text) >= 20 for c in chunks)


def test_sizes_respected(chunked: list[tuple[Document, list[Chunk]]]) -> None:
    for _, chunks in chunked:
        assert max(len(c.text) for c in chunks) <= 600 + MIN_CHUNK_CHARS


def test_lead_in_lines_merged_into_neighbour() -> None:
    text = "Tilanneanalyysissä huomioidaan seuraavat ulottuvuudet:\n\n" + "- palvelutarve ja saatavuus. " * 30
    spans = _merge_small([(0, 54), (56, len(text))], text, MIN_CHUNK_CHARS)
    assert spans == [(0, len(text))]


def test_heading_paths(chunked: list[tuple[Document, list[Chunk]]]) -> None:
    lappi = next(chunks for doc, chunks in chunked if doc.info.region == "Lappi")
    mental = [c for c in lappi if "Mielenterveys- ja päihdepalvelut" in c.heading]
    assert mental
    assert all(" > " in c.heading or c.heading.startswith("4") for c in mental)
    assert any(c.lexical_text.startswith(c.heading + "\n") for c in mental)
    assert [h.title for h in find_headings("1 Sote-keskus\nTeksti.\n1.1 Avosairaanhoito")] == [
        "1 Sote-keskus", "1.1 Avosairaanhoito"]


def test_chunk_ids_are_stable_and_unique(documents: list[Document],
                                         chunked: list[tuple[Document, list[Chunk]]]) -> None:
    again = {c.chunk_id for doc in documents for c in split(doc, 600, 100)}
    first = {c.chunk_id for _, chunks in chunked for c in chunks}
    assert again == first
    assert len(first) == sum(len(chunks) for _, chunks in chunked)
    assert chunk_id("a", 0, "x") == chunk_id("a", 0, "x") != chunk_id("b", 0, "x")


def test_headings_off_for_ablation(documents: list[Document]) -> None:
    chunks = split(documents[0], 600, 100, headings=False)
    assert all(c.heading == "" and c.lexical_text == c.text for c in chunks)


def test_numbered_list_items_are_not_headings(documents: list[Document]) -> None:
    by_region = {doc.info.region: doc for doc in documents}
    popsote = [h.title for h in find_headings(by_region["Pohjois-Pohjanmaa"].clean.text)]
    assert not any(t.startswith("1. Palvelujen saatavuus") for t in popsote)  # a goal list, not chapters
    assert all(t.startswith("HYÖTYTAVOITE") for t in popsote)
    # 003's goal and score lines ("3 Kuntoutuksen ajanvaraus on keskitetty ...") are sentences.
    assert find_headings(by_region["Länsi-Uusimaa"].clean.text) == []
    lappi = [h.title for h in find_headings(by_region["Lappi"].clean.text)]
    assert "4.2.2 Mielenterveys- ja päihdepalvelut" in lappi
    assert not any(t.startswith("1. Perustaa") for t in lappi)
    chapters = [t for t in [h.title for h in find_headings(by_region["Etelä-Pohjanmaa"].clean.text)]
                if re.match(r"\d+ ", t)]
    assert [t.split()[0] for t in chapters] == ["1", "2", "3", "4", "5", "6"]
