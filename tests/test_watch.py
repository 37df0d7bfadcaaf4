"""``assistant index --watch``: a change in a tmp corpus triggers one debounced re-index."""

from __future__ import annotations

import queue
import threading

from assistant.indexer import IndexReport
from assistant.watch import watch_corpus

WAIT_SECONDS = 30.0  # an upper bound for the test, not a speed claim


def test_changed_and_new_files_are_reindexed(small_index, fake_embedder):
    reports: queue.Queue[IndexReport] = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=watch_corpus, args=(small_index,),
                               kwargs={"embedder": fake_embedder, "debounce_ms": 300, "on_report": reports.put,
                                       "stop": stop}, daemon=True)
    watcher.start()
    try:
        threading.Event().wait(0.5)  # let the watcher start before the change
        corpus = small_index.corpus_dir
        (corpus / "lappi-raportti.txt").write_text("Lapissa avattiin uusi perhekeskus Rovaniemellä.", encoding="utf-8")
        (corpus / "uusi.txt").write_text("Kainuun kotipalvelu laajeni.", encoding="utf-8")
        (corpus / ".sync-temp.txt").write_text("hidden", encoding="utf-8")
        report = reports.get(timeout=WAIT_SECONDS)
        if "uusi" not in report.added:  # the two writes may straddle a debounce window
            report = reports.get(timeout=WAIT_SECONDS)
        assert "uusi" in report.added and report.published
        assert not any("sync-temp" in d for d in report.added)

        (corpus / ".only-hidden.txt").write_text("ignored", encoding="utf-8")
        (corpus / "uusi.txt").unlink()
        removed = reports.get(timeout=WAIT_SECONDS)
        assert removed.removed == ["uusi"]
    finally:
        stop.set()
        watcher.join(WAIT_SECONDS)
    assert not watcher.is_alive()
