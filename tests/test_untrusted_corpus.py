"""Careless or hostile corpus folders: clashing names, links out of the folder, huge or binary files and
broken ``sources.toml`` entries are reported by name and never stop an index run (small corpus, fake embedder)."""

from __future__ import annotations

import os
import random
from dataclasses import replace

import pytest

from assistant.indexer import build_index
from assistant.snapshot import load_snapshot

KAINUU = "# Kainuun raportti\n\nKainuussa kehitetään perhekeskusta ja kotihoitoa yhdessä kuntien kanssa.\n"
KAINUU_MD = "# Kainuun muistio\n\nMuistiossa kuvataan kotihoidon yöpartio ja etähoiva Kajaanissa.\n"


def _skipped(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(report.skipped)


# -- 1. two files with the same name and different extensions ---------------------------------------------------
def test_same_name_different_extension_gets_unique_stable_ids(small_index, fake_embedder):
    corpus = small_index.corpus_dir
    (corpus / "raportti.txt").write_text(KAINUU, "utf-8")
    first = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert "raportti" in first.added

    (corpus / "raportti.md").write_text(KAINUU_MD, "utf-8")  # sorts before raportti.txt
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert report.added == ["raportti.md"] and "raportti" in report.unchanged  # the old id keeps its file
    assert any("raportti.md" in n and "raportti.txt" in n for n in report.notes)
    assert "raportti.md has the same name as raportti.txt" in report.summary()
    snap = load_snapshot(small_index.index_dir)
    assert snap.documents["raportti"].file_name == "raportti.txt"
    assert snap.documents["raportti.md"].file_name == "raportti.md"
    assert "yöpartio" in snap.documents["raportti.md"].text

    again = build_index(small_index, embedder=fake_embedder, quiet=True)  # stable: nothing moves
    assert not again.published and {"raportti", "raportti.md"} <= set(again.unchanged)
    rebuilt = build_index(small_index, embedder=fake_embedder, quiet=True, rebuild=True)  # not even with --rebuild
    assert rebuilt.published and load_snapshot(small_index.index_dir).documents["raportti"].file_name == "raportti.txt"


def test_clash_in_a_fresh_build_keeps_existing_ids_of_other_files(small_settings, fake_embedder):
    corpus = small_settings.corpus_dir
    (corpus / "lappi-raportti.md").write_text(KAINUU_MD, "utf-8")
    report = build_index(small_settings, embedder=fake_embedder, quiet=True)
    assert sorted(report.added) == ["lappi-raportti", "lappi-raportti.txt", "soite-raportti"]
    assert report.notes and "lappi-raportti.txt" in report.notes[0]


# -- 3. links out of the corpus folder ----------------------------------------------------------------------------
def test_link_out_of_the_corpus_is_skipped_and_reported(small_index, fake_embedder, tmp_path):
    secret = tmp_path / "outside" / "salaisuus.txt"
    secret.parent.mkdir()
    secret.write_text("Salasana on kissa123. Tämä tiedosto ei kuulu aineistoon lainkaan.\n", "utf-8")
    corpus = small_index.corpus_dir
    os.symlink(secret, corpus / "linkki.txt")
    os.symlink(secret.parent, corpus / "kansio")  # a linked folder too
    os.symlink(corpus / "lappi-raportti.txt", corpus / "sisainen.txt")  # a link inside the folder is fine
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    skipped = _skipped(report)
    assert "outside the corpus folder" in skipped["linkki.txt"] and "folder outside" in skipped["kansio"]
    assert "sisainen" in report.added
    snap = load_snapshot(small_index.index_dir)
    assert not [d for d in snap.documents.values() if "kissa123" in d.text]


def test_a_link_that_was_indexed_before_is_removed(small_index, fake_embedder, tmp_path):
    corpus = small_index.corpus_dir
    target = corpus / "lappi-raportti.txt"
    moved = tmp_path / "elsewhere.txt"
    target.rename(moved)
    os.symlink(moved, target)  # the same file, now reached through a link out of the folder
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert report.removed == ["lappi-raportti"] and "lappi-raportti.txt" in _skipped(report)
    assert set(load_snapshot(small_index.index_dir).documents) == {"soite-raportti"}


# -- 4. size limits and text that is not language ----------------------------------------------------------------
def test_file_over_the_byte_limit_is_refused_with_numbers_and_setting(small_index, fake_embedder):
    (small_index.corpus_dir / "iso.txt").write_text(KAINUU * 400, "utf-8")  # 38 kB
    report = build_index(replace(small_index, max_file_mb=0.01), embedder=fake_embedder, quiet=True)
    reason = _skipped(report)["iso.txt"]
    assert "the file is 38 kB, over the limit of 10 kB per file" in reason and "ASSISTANT_MAX_FILE_MB=0.01" in reason
    assert "iso" not in load_snapshot(small_index.index_dir).documents


def test_document_over_the_chunk_limit_is_refused_before_embedding(small_index, fake_embedder):
    words = KAINUU.split()
    rng = random.Random(4)
    (small_index.corpus_dir / "yksi-rivi.txt").write_text(" ".join(rng.choice(words) for _ in range(30_000)), "utf-8")
    fake_embedder.calls.clear()
    report = build_index(replace(small_index, max_chunks=100), embedder=fake_embedder, quiet=True)
    reason = _skipped(report)["yksi-rivi.txt"]
    assert "over the limit of 100 per document" in reason and "ASSISTANT_MAX_CHUNKS" in reason
    assert not fake_embedder.calls
    # Just over the limit: counted exactly after splitting.
    (small_index.corpus_dir / "yksi-rivi.txt").write_text(" ".join(rng.choice(words) for _ in range(1_000)), "utf-8")
    reason = _skipped(build_index(replace(small_index, max_chunks=20), embedder=fake_embedder, quiet=True))
    assert "it would make 3" in reason["yksi-rivi.txt"] and "over the limit of 20" in reason["yksi-rivi.txt"]


def test_random_binary_without_nul_bytes_is_not_indexed(small_index, fake_embedder):
    rng = random.Random(7)
    (small_index.corpus_dir / "data.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(20_000)))
    (small_index.corpus_dir / "koodattu.md").write_text(os.urandom(6000).hex() + "\n", "utf-8")
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    skipped = _skipped(report)
    assert "does not look like text" in skipped["data.txt"] and "koodattu.md" in skipped
    assert set(load_snapshot(small_index.index_dir).documents) == {"lappi-raportti", "soite-raportti"}


# -- 5. sources.toml ----------------------------------------------------------------------------------------------
def _sources(settings, text: str) -> None:  # type: ignore[no-untyped-def]
    (settings.corpus_dir / "sources.toml").write_text(text, "utf-8")


def test_non_table_entry_wrong_types_and_typos_are_reported_not_raised(small_index, fake_embedder):
    _sources(small_index, 'otsikko = "Raportit"\n\n[lappi-raportti]\nregion = "Lappi"\nyear = "2021"\n'
                          'regoin = "Lappi"\n\n[soite-raportti]\nregion = "Keski-Pohjanmaa"\n')
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    text = report.summary()
    assert "the entry otsikko = 'Raportit' is not a table" in text and "[otsikko]" in text
    assert "[lappi-raportti]: year should be a whole number" in text
    assert "did you mean 'region'?" in text
    assert sorted(report.changed) == ["lappi-raportti", "soite-raportti"] and not report.skipped


def test_region_aliases_are_mapped_and_unknown_regions_refused(small_index, fake_embedder):
    _sources(small_index, '[lappi-raportti]\nregion = "Lapland"\n\n[soite-raportti]\nregion = "Atlantis"\n')
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    reason = _skipped(report)["soite-raportti.txt"]
    assert "sources.toml [soite-raportti]: unknown region 'Atlantis'" in reason and "Keski-Pohjanmaa" in reason
    snap = load_snapshot(small_index.index_dir)
    assert snap.documents["lappi-raportti"].info.region == "Lappi"
    assert snap.documents["soite-raportti"].info.region == "Keski-Pohjanmaa"  # the last good version serves


def test_unknown_region_in_a_new_document_keeps_it_out(small_settings, fake_embedder):
    _sources(small_settings, '[lappi-raportti]\nregion = "Lappi"\n\n[soite-raportti]\nregion = "Pohjolan maa"\n')
    report = build_index(small_settings, embedder=fake_embedder, quiet=True)
    assert "soite-raportti.txt" in _skipped(report)
    assert set(load_snapshot(small_settings.index_dir).documents) == {"lappi-raportti"}


def test_orphan_entries_are_reported(small_index, fake_embedder):
    sources = small_index.corpus_dir / "sources.toml"
    sources.write_text(sources.read_text("utf-8") + '\n[kainuu-raportti]\nregion = "Kainuu"\n', "utf-8")
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert any(n.startswith("sources.toml [kainuu-raportti]: no file in the corpus") for n in report.notes)


@pytest.mark.parametrize("text", ["[a]\nregion = 3\n", "a = [1, 2]\n", "[a.b]\nregion = 'Lappi'\n", "= broken"])
def test_odd_sources_never_raise_anything_but_a_clear_error(small_settings, fake_embedder, text):
    from assistant.errors import UnreadableDocument

    _sources(small_settings, text)
    try:
        report = build_index(small_settings, embedder=fake_embedder, quiet=True)
    except UnreadableDocument as exc:
        assert "sources.toml" in str(exc) and "not valid TOML" in str(exc)
    else:
        assert report.notes and set(report.added) == {"lappi-raportti", "soite-raportti"}


def test_corpus_inside_a_hidden_folder_is_still_indexed(tmp_path, small_settings, fake_embedder):
    hidden = tmp_path / ".cache" / "corpus"
    hidden.parent.mkdir()
    small_settings.corpus_dir.rename(hidden)
    report = build_index(replace(small_settings, corpus_dir=hidden), embedder=fake_embedder, quiet=True)
    assert sorted(report.added) == ["lappi-raportti", "soite-raportti"]
