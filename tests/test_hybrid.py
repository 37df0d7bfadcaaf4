"""HybridSearch on a synthetic index made from the small corpus: top-k fusion equals fusing the full
rankings' heads, filters are exact, and the per-region fan-out gives each region its own best."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.hybrid import HybridSearch, rrf_lists
from assistant.lexical import Bm25Index, tokenize
from assistant.records import Filters
from assistant.regions import REGIONS
from assistant.snapshot import load_snapshot


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):  # type: ignore[no-untyped-def]
    from tests.conftest import small_synthetic

    index, embedder = small_synthetic(tmp_path_factory.mktemp("synthetic"), 4000)
    return load_snapshot(index), embedder


QUESTIONS = ["Milloin Omaolo otettiin käyttöön?", "kotihoito etähoiva", "suun terveydenhuolto työnjako"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_fusion_of_top_k_lists_equals_fusing_full_rankings(synthetic, question):
    snap, embedder = synthetic
    search = HybridSearch(snap, depth=50)
    q, tokens = embedder.embed_query(question), tokenize(question)
    hits = search.search(q, tokens, 10)
    # Oracle: every chunk scored by both legs, then the heads of both rankings fused.
    everything = snap.chunks
    dense = np.vstack([snap.vectors.rows(np.arange(len(everything)))]) @ q
    lexical = Bm25Index([sc.tokens for sc in everything]).scores(question)
    dense_head = np.lexsort((np.arange(len(dense)), -dense))[:50]
    lex_head = [i for i in np.lexsort((np.arange(len(lexical)), -lexical)) if lexical[i] > 0][:50]
    fused = rrf_lists([dense_head, np.asarray(lex_head, dtype=np.int64)], [1.0, 2.0], 20)
    expected = sorted(fused, key=lambda r: (-fused[r], r))[:10]
    assert [h.row for h in hits] == expected
    for h in hits:  # both legs' exact scores, whichever leg found the hit
        assert h.dense == pytest.approx(float(dense[h.row]), abs=1e-5)
        assert h.lexical == pytest.approx(float(lexical[h.row]), rel=1e-4, abs=1e-6)
        assert h.chunk_id == everything[h.row].chunk.chunk_id


def test_filters_are_exact_and_passages_come_from_the_catalog(synthetic):
    snap, embedder = synthetic
    search = HybridSearch(snap)
    question = "kotihoito etähoiva"
    kainuu = snap.catalog.regions.index("Kainuu")
    year = int(snap.catalog.years[snap.catalog.region_codes == kainuu][0])
    filters = Filters(regions=("Kainuu",), years=(year,))
    hits = search.search(embedder.embed_query(question), tokenize(question), 12, filters)
    passages = search.passages(hits)
    assert len(passages) == 12
    assert all(p.chunk.region == "Kainuu" and p.chunk.year == year for p in passages)
    assert [p.chunk.chunk_id for p in passages] == [h.chunk_id for h in hits]


def test_fan_out_gives_every_region_its_own_best(synthetic):
    snap, embedder = synthetic
    search = HybridSearch(snap, depth=30)
    question = "Omaolo terveysasemat"
    q, tokens = embedder.embed_query(question), tokenize(question)
    regions = [r.name for r in REGIONS]
    groups = search.by_region(q, tokens, regions, 5, depth=30)
    assert set(groups) == set(regions)
    for region, hits in groups.items():
        if region not in snap.catalog.regions:
            assert hits == []
            continue
        alone = search.search(q, tokens, 5, mask=snap.catalog.region_rows(region))
        assert [h.row for h in hits] == [h.row for h in alone], region
