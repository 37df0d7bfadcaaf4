"""The scalable building blocks on small data: approximate dense search with exact re-rank and exact
filters, BM25 top-k from posting lists, and the on-demand chunk catalog."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.lexical import Bm25Index, tokenize
from assistant.records import Filters
from assistant.snapshot import load_snapshot
from assistant.sparse import SparseBm25
from assistant.store import AnnConfig, DenseIndex, VectorStore, build_ann


def _clustered(n: int, dim: int = 32, clusters: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module", params=["ivf", "hnsw"])
def dense(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp(request.param)
    x = _clustered(6000)
    ids = np.arange(6000, dtype=np.int64) * 1_000_003 + 17  # stable ids unrelated to row numbers
    store = VectorStore(x.shape[1])
    store.add(ids.tolist(), x)
    store.save(folder / "vectors.faiss")
    kind = build_ann(x, folder / "ann.faiss", AnnConfig(kind=request.param, nlist_per_sqrt=2.0))
    assert kind == request.param and (folder / "ann.faiss").exists()
    index = DenseIndex(folder / "vectors.faiss", folder / "ann.faiss", AnnConfig(nprobe=16, shortlist=60, exact_scan_max=100))
    return index, x, ids


def _queries(x: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Questions land near documents: data points plus noise."""
    rng = np.random.default_rng(seed)
    q = x[rng.choice(len(x), n)] + 0.3 * rng.normal(size=(n, x.shape[1])).astype(np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def _exact(x: np.ndarray, q: np.ndarray, k: int, rows: np.ndarray | None = None) -> set[int]:
    rows = np.arange(len(x)) if rows is None else rows
    scores = x[rows] @ q
    return set(rows[np.argsort(-scores)[:k]].tolist())


def test_approximate_search_recalls_exact_top10(dense):
    index, x, ids = dense
    assert index.kind in {"ivf", "hnsw"} and index.size == len(x)
    recall = []
    for q in _queries(x, 50, seed=1):
        found, scores = index.search(q, 10)
        assert np.all(np.diff(scores) <= 1e-6)  # best first
        # Scores are exact cosines from the mapped float32 rows, not quantised estimates.
        assert np.allclose(scores, x[index.rows_of(found)] @ q, atol=1e-5)
        recall.append(len(set(index.rows_of(found).tolist()) & _exact(x, q, 10)) / 10)
    assert np.mean(recall) >= 0.95


def test_filter_admitting_few_ids_is_exact_and_never_empty(dense):
    index, x, ids = dense
    q = _clustered(1, seed=2)[0]
    # Rows far from the query: the approximate shortlist holds none of them.
    far = np.argsort(x @ q)[:7]
    found, scores = index.search(q, 10, allowed_ids=ids[far])
    assert sorted(found.tolist()) == sorted(ids[far].tolist())  # all seven, and nothing else
    assert np.all(np.diff(scores) <= 1e-6)
    # Same through a row mask, with k smaller than the admitted set: exactly the best of the admitted.
    mask = np.zeros(len(x), dtype=bool)
    mask[far] = True
    rows, _ = index.search_rows(q, 3, mask)
    assert set(rows.tolist()) == _exact(x, q, 3, far)


def test_filter_beyond_the_probed_region_falls_back_to_exact(dense):
    index, x, ids = dense
    q = x[11]
    far = np.argsort(x @ q)[:300]  # more than exact_scan_max, all far from the query
    mask = np.zeros(len(x), dtype=bool)
    mask[far] = True
    rows, scores = index.search_rows(q, 10, mask)
    assert len(rows) == 10 and mask[rows].all()
    assert set(rows.tolist()) == _exact(x, q, 10, far)


def test_filter_admitting_a_large_share_stays_exact_in_membership(dense):
    index, x, ids = dense
    mask = np.zeros(len(x), dtype=bool)
    mask[::2] = True  # half the rows: the approximate leg runs with an IDSelector
    for q in _queries(x, 10, seed=3):
        rows, _ = index.search_rows(q, 10, mask)
        assert len(rows) == 10 and mask[rows].all()
        assert len(set(rows.tolist()) & _exact(x, q, 10, np.flatnonzero(mask))) >= 8


def test_full_ranking_keeps_working_for_todays_callers(dense):
    index, x, ids = dense
    q = x[5]
    found, scores = index.search(q, index.size)
    assert len(found) == index.size and found[0] == ids[5] and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_flat_index_for_small_corpora(tmp_path):
    x = _clustered(300)
    store = VectorStore(x.shape[1])
    store.add(list(range(300)), x)
    store.save(tmp_path / "v.faiss")
    assert build_ann(x, tmp_path / "ann.faiss") == "flat" and not (tmp_path / "ann.faiss").exists()
    index = DenseIndex(tmp_path / "v.faiss", tmp_path / "ann.faiss")
    found, _ = index.search(x[3], 5)
    assert index.kind == "flat" and found[0] == 3


DOCS = [
    "Kotihoidon asiakkaille tarjotaan etähoivaa ja lääkeautomaatteja kotihoidossa.",
    "Suun terveydenhuollon jonot ovat lyhentyneet ja hammaslääkärit siirtävät tehtäviä suuhygienisteille.",
    "Lastensuojelussa otetaan käyttöön systeeminen toimintamalli.",
    "Kotihoito ja omaishoito tukevat kotona asumista; omaishoitajat saavat valmennusta.",
    "Mielenterveyspalveluja kehitetään matalan kynnyksen periaatteella ja etähoivaa lisätään.",
    "Sosiaalipäivystys toimii ympäri vuorokauden ja lastensuojelun päivystys on yhteinen.",
] * 7  # repeats make ties and common terms, as a national corpus has


@pytest.mark.parametrize("query", ["kotihoidon etähoiva", "lastensuojelun päivystys", "hammaslääkäri",
                                   "omaishoitajat kotihoito etähoiva mielenterveys", "tuntematon sana"])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_sparse_top_k_equals_full_scoring(query, k):
    tokenised = [tokenize(d) + [f"doc{i}"] for i, d in enumerate(DOCS)]  # a unique term per row breaks ties apart
    full = Bm25Index(tokenised)
    sparse = full.sparse()
    scores = full.scores(query)
    ranking = [int(i) for i in np.lexsort((np.arange(len(scores)), -scores)) if scores[i] > 0]
    rows, top = full.top_k(query, k)
    assert rows.tolist() == ranking[:k]
    assert np.allclose(top, scores[ranking[:k]], rtol=1e-5)
    mask = np.arange(len(DOCS)) % 3 == 1
    for scan_max in (0, len(DOCS)):  # MaxScore over the posting lists, and the narrow-filter row scan
        rows, _ = sparse.top_k(sparse.ids(tokenize(query)), k, mask, scan_max=scan_max)
        assert rows.tolist() == [i for i in ranking if mask[i]][:k]


def test_sparse_statistics_replace_per_chunk_sets(tmp_path):
    tokenised = [tokenize(d) for d in DOCS[:6]]
    sparse = SparseBm25.from_tokens(tokenised)
    sparse.save(tmp_path / "bm25")
    loaded = SparseBm25.load(tmp_path / "bm25")
    assert [loaded.terms_of(i) for i in range(6)] == [frozenset(t) for t in tokenised]
    assert loaded.df("kotihoito") == 2 and loaded.idf("kotihoito") == pytest.approx(np.log(1 + 6 / 2))
    assert loaded.idf("ei-ole") is None
    assert loaded.rows_with("lastensuojelu").tolist() == [2, 5]


def test_catalog_reads_chunks_on_demand_and_masks_exactly(small_index):
    snap = load_snapshot(small_index.index_dir)
    catalog = snap.catalog
    everything = snap.chunks  # the old, all-in-memory view
    assert catalog.size == len(everything) == snap.vectors.size
    assert [sc.chunk for sc in catalog.chunks([2, 0])] == [everything[2].chunk, everything[0].chunk]
    # Row i is the same chunk for the catalog, the vectors and the BM25 postings.
    assert snap.vectors.ids.tolist() == [sc.chunk.chunk_id for sc in everything]
    assert snap.sparse is not None and snap.sparse.terms_of(1) == frozenset(everything[1].tokens)
    for filters in (Filters(regions=("Lappi",)), Filters(years=(2022,)),
                    Filters(documents=("soite-raportti",), regions=("Lappi",)), Filters()):
        assert catalog.mask(filters).tolist() == [filters.admits(sc.chunk) for sc in everything]
    assert set(snap.documents) == {"lappi-raportti", "soite-raportti"}
    assert "Omaolo" in snap.documents["soite-raportti"].text


def test_a_loaded_generation_keeps_serving_after_its_folder_is_deleted(small_index):
    import shutil

    snap = load_snapshot(small_index.index_dir)
    query = snap.vectors.rows(np.array([1]))[0]
    shutil.rmtree(snap.path)  # as a later build's clean-up does while this process still serves it
    assert snap.vectors.search(query, 1)[0][0] == snap.vectors.ids[1]
    assert snap.catalog.chunks([1])[0].chunk.chunk_id == snap.vectors.ids[1]
    assert "Omaolo" in snap.documents["soite-raportti"].text
    assert snap.sparse is not None and len(snap.sparse.top_k(snap.sparse.ids(["omaolo"]), 3)[0]) > 0
    assert len(snap.chunks) == snap.vectors.size and snap.lexicon
