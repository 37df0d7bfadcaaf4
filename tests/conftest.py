"""Shared fixtures: a deterministic fake embedder and small corpora for fast tests; the real corpus
index, built once per session with the real default embedder, for the end-to-end tests."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DEV_SET = Path(os.environ.get("ASSISTANT_DEV_SET", REPO / "tests" / "data" / "dev.jsonl"))


class FakeEmbedder:
    """Hashes word stems into a small space: similar wording gives similar vectors; no model needed."""

    name = "fake:hash-64"
    dim = 64

    def __init__(self) -> None:
        self.calls: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in text.lower().split():
            stem = word.strip(".,:;?!()\"'")[:5]
            if stem:
                v[int(hashlib.md5(stem.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v + 1 / np.sqrt(self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.extend(texts)
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


SMALL_DOCS = {
    "lappi-raportti.txt": (
        "1 Johdanto\n\nLapin hyvinvointialueella kotihoito on tärkeä palvelu. Kotihoidon asiakkaille tarjotaan "
        "etähoivaa ja kuvapuheluita. Omaolo-palvelu otettiin käyttöön vuonna 2021 kaikilla terveysasemilla "
        "Rovaniemellä.\n\n2 Mielenterveys\n\nMatalan kynnyksen mielenterveyspalveluja kehitetään yhdessä "
        "järjestöjen kanssa. Saamenkielisiä palveluja vahvistetaan.\n"
    ),
    "soite-raportti.txt": (
        "1 Saatavuus\n\nSoiten terveysasemilla Omaolo-oirearviot ovat tuotannossa (15/16). Hoitoon pääsy "
        "parani: 40 % asiakkaista sai ajan seitsemän päivän sisällä. Kokkolan yöpartio aloitti vuonna 2021.\n\n"
        "2 Suun terveydenhuolto\n\nSuuhygienistit tekevät tarkastuksia, ja työnjakoa on kehitetty.\n"
    ),
}
SMALL_SOURCES = (
    '[lappi-raportti]\nregion = "Lappi"\ntitle = "Lapin raportti"\nyear = 2021\n\n'
    '[soite-raportti]\nregion = "Keski-Pohjanmaa"\ntitle = "Soiten raportti"\nyear = 2022\n'
)


def small_synthetic(root: Path, chunks: int) -> tuple[Path, FakeEmbedder]:
    """Index the small corpus under ``root`` with the fake embedder, then build an exact (flat) synthetic
    index of ``chunks`` chunks from it; returns the synthetic index folder and the embedder."""
    from assistant.indexer import build_index
    from assistant.snapshot import load_snapshot
    from assistant.store import AnnConfig
    from assistant.synthetic import build_synthetic

    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in SMALL_DOCS.items():
        (corpus / name).write_text(text, "utf-8")
    (corpus / "sources.toml").write_text(SMALL_SOURCES, "utf-8")
    embedder = FakeEmbedder()
    build_index(Settings(corpus_dir=corpus, index_dir=root / "real", chunk_size=300, chunk_overlap=50),
                embedder=embedder, quiet=True)
    build_synthetic(load_snapshot(root / "real"), chunks, root / "synthetic", ann=AnnConfig(kind="flat"))
    return root / "synthetic", embedder


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in SMALL_DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "sources.toml").write_text(SMALL_SOURCES, encoding="utf-8")
    return corpus


@pytest.fixture
def small_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    return Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                    embedder=FakeEmbedder.name, chunk_size=300, chunk_overlap=50)


@pytest.fixture
def small_index(small_settings: Settings, fake_embedder: FakeEmbedder) -> Settings:
    from assistant.indexer import build_index

    build_index(small_settings, embedder=fake_embedder, quiet=True)
    return small_settings


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus indexed once per session with the real default embedder (a few minutes)."""
    from assistant.indexer import build_index

    index_dir = tmp_path_factory.mktemp("real") / "index"
    cached = os.environ.get("ASSISTANT_TEST_EMBED_CACHE")  # optional: reuse embeddings between local runs
    if cached and Path(cached).exists():
        index_dir.mkdir(parents=True)
        shutil.copy(cached, index_dir / "embeddings.sqlite")
    build_index(Settings(corpus_dir=CORPUS, index_dir=index_dir), quiet=True)
    return index_dir


@pytest.fixture(scope="session")
def real_assistant(real_index: Path):  # type: ignore[no-untyped-def]
    from assistant.service import Assistant

    assistant = Assistant(Settings(corpus_dir=CORPUS, index_dir=real_index))
    assistant.load()
    return assistant
