"""The question path reads only what a question touches: sentences stored at index time and read per chunk,
topic statistics from the BM25 postings, evidence bounded per region, and no full scan of the chunks."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import evidence as evidence_module
from assistant.config import Settings
from assistant.evidence import EvidenceFinder
from assistant.lexical import Bm25Index
from assistant.question import understand
from assistant.records import Filters
from assistant.relevance import Relevance, Thresholds
from assistant.retrieval import Retriever
from assistant.sentence_index import SentenceIndex
from assistant.sentences import split_sentences
from assistant.service import Assistant
from assistant.snapshot import load_snapshot
from assistant.terms import Term
from assistant.topic import Topic
from tests.conftest import FakeEmbedder, small_synthetic


def test_stored_sentences_are_the_whole_document_split(small_index: Settings) -> None:
    snap = load_snapshot(small_index.index_dir)
    sentences = SentenceIndex(snap.catalog)
    chunks = [sc.chunk for sc in snap.catalog.chunks(range(snap.catalog.size))]
    for chunk in chunks:
        text = snap.documents[chunk.doc_id].text
        expected = [(s.text, s.start) for s in split_sentences(text) if chunk.start <= s.start < chunk.end]
        got = sentences.of_chunk(chunk)
        assert [(s.text, s.start) for s in got] == expected
        assert all(chunk.chunk_id in s.chunks and "kotihoito" not in s.text or s.tokens for s in got)
    # One batched read gives the same sentences as reading chunk by chunk (from a fresh cache).
    batched = SentenceIndex(snap.catalog).of_rows(list(range(len(chunks))), chunks)
    assert {c: [s.id for s in ss] for c, ss in batched.items()} == \
        {c.chunk_id: [s.id for s in sentences.of_chunk(c)] for c in chunks}
    first = sentences.of_chunk(chunks[0])[0]
    following = sentences.get(first.id + 1)
    assert following is not None and following.doc_id == first.doc_id and following.start > first.start
    assert sentences.get(10**9) is None
    assert all(s.doc_id == first.doc_id for s in sentences.around(first, 3, 50))


def test_topic_statistics_come_from_the_postings(small_index: Settings) -> None:
    snap = load_snapshot(small_index.index_dir)
    stored = snap.catalog.chunks(range(snap.catalog.size))
    relevance = Relevance(snap.sparse, snap.catalog.doc_codes, snap.vectors.ids, Thresholds())  # type: ignore[arg-type]
    for lemma in ("kotihoito", "omaolo", "yöpartio", "palvelu", "eiolemassa"):
        counted = sum(lemma in sc.tokens for sc in stored)
        assert relevance.df(lemma) == counted
        assert (lemma in relevance) == bool(counted)
    topic = relevance.topic(understand("Missä alueilla on kotihoitoa?").topic)
    rows = relevance.rows_with(topic)
    assert rows.tolist() == [i for i, sc in enumerate(stored) if topic.coverage(set(sc.tokens), set(sc.tokens)) > 0]
    last = len(stored) - 1
    assert relevance.row_of(stored[last].chunk.chunk_id) == last and relevance.row_of(-5) is None


@pytest.fixture(scope="module")
def synthetic_retriever(tmp_path_factory):  # type: ignore[no-untyped-def]
    index, embedder = small_synthetic(tmp_path_factory.mktemp("serving"), 3000)
    return Retriever(load_snapshot(index), embedder)


def test_evidence_reads_a_bounded_share_of_each_region(synthetic_retriever: Retriever,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    retriever = synthetic_retriever
    catalog, sparse = retriever.snapshot.catalog, retriever.snapshot.sparse
    assert sparse is not None
    topic = retriever.relevance.topic(understand("Missä alueilla on kotihoitoa?").topic)
    every = retriever.relevance.rows_with(topic)
    monkeypatch.setattr(evidence_module, "ROWS_PER_QUESTION", 10**6)
    unbounded = retriever.evidence.candidate_rows(topic, retriever.regions, Filters())
    assert unbounded.tolist() == every.tolist()  # within the budget: every chunk that carries the topic

    monkeypatch.setattr(evidence_module, "ROWS_PER_QUESTION", 66)  # 3 per region over 22 regions ...
    monkeypatch.setattr(evidence_module, "MIN_ROWS_PER_REGION", 3)
    bounded = retriever.evidence.candidate_rows(topic, retriever.regions, Filters())
    codes = catalog.region_codes[bounded]
    assert np.bincount(codes).max() <= 3 and len(set(codes.tolist())) == len(set(catalog.region_codes[every].tolist()))
    # ... and each region keeps its chunks that score highest on the topic's own lemmas (a full BM25 oracle).
    lemmas = sorted(set().union(*topic.carriers))
    ids = sparse.ids(lemmas)
    rows = np.arange(catalog.size)
    assert np.allclose(sparse.totals(ids), sparse.score_rows(ids, rows), atol=1e-4)  # one pass = row by row
    full = Bm25Index([sc.tokens for sc in catalog.chunks(range(catalog.size))]).scores(" ".join(lemmas))
    for code in set(codes.tolist()):
        mine = every[catalog.region_codes[every] == code]
        kept = bounded[codes == code]
        assert full[kept].min() >= np.sort(full[mine])[-3] - 1e-6

    # The wording of a which-regions question does not change what counts as evidence.
    phrasings = ["Missä alueilla on kotihoitoa?", "Millä alueilla on käytössä tai suunnitteilla kotihoito?",
                 "Which regions have home care?"]
    found = [set(retriever.retrieve(understand(q, vocabulary=retriever.vocabulary, index_regions=retriever.regions))
                 .evidence) for q in phrasings]
    assert found[0] and found[0] == found[1]


def test_answering_never_loads_every_chunk(small_index: Settings, fake_embedder: FakeEmbedder) -> None:
    assistant = Assistant(small_index, embedder=fake_embedder)
    answer = assistant.ask("Missä alueilla Omaolo on käytössä?")
    assert answer.citations and not answer.abstained
    assistant.compare(["Omaolo", "yöpartio"])
    health, documents = assistant.health(), assistant.documents()
    assert health["chunks"] == sum(d["chunks"] for d in documents) > 0
    snapshot = assistant.load().snapshot
    assert "chunks" not in vars(snapshot)  # the all-chunks list was never materialised


def test_evidence_equals_reading_every_sentence(small_index: Settings, fake_embedder: FakeEmbedder) -> None:
    retriever = Retriever(load_snapshot(small_index.index_dir), fake_embedder)
    catalog = retriever.snapshot.catalog
    every = [(c, s) for c in (sc.chunk for sc in catalog.chunks(range(catalog.size)))
             for s in SentenceIndex(catalog).of_chunk(c)]
    phrase = Topic((Term("kokkolan yöpartio"),), (frozenset(),), ((("kokkola", "yöpartio"),),), (1.0,))
    topics = [phrase] + [retriever.relevance.topic(understand(q).topic)
                         for q in ("Missä alueilla on kotihoitoa?", "Omaolo-palvelu", "suun terveydenhuolto")]
    for topic in topics:
        required = retriever.evidence.required(topic)
        oracle = {s.text for _, s in every if topic.coverage(s.full, s.tokens, s.sequence) >= required}
        preloaded = retriever.evidence.find(topic, retriever.regions)
        from_storage = EvidenceFinder(catalog, retriever.snapshot.sparse, retriever.relevance,  # type: ignore[arg-type]
                                      SentenceIndex(catalog), Thresholds()).find(topic, retriever.regions)
        for found in (preloaded, from_storage):
            assert oracle and {f.sentence.text for fs in found.values() for f in fs} == oracle
