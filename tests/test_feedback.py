from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path

import pytest

from assistant.errors import InvalidQuestion
from assistant.feedback import FeedbackEntry, FeedbackStore


def test_creates_parent_dir_lazily(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "feedback.sqlite3"
    store = FeedbackStore(path)
    assert not path.parent.exists()
    assert store.list() == []
    assert path.exists()


def test_add_and_list_roundtrip(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    cits = [{"n": 1, "document": "lappi-x", "region": "Lappi", "start": 10, "end": 20}]
    new_id = store.add("Missä Omaolo on käytössä?", "**Lappi** — Omaolo [1]", "up", "hyvä", cits)
    assert isinstance(new_id, int) and new_id > 0
    entries = store.list()
    assert len(entries) == 1
    e = entries[0]
    assert isinstance(e, FeedbackEntry)
    assert e.id == new_id
    assert e.question == "Missä Omaolo on käytössä?"
    assert e.answer == "**Lappi** — Omaolo [1]"
    assert e.rating == "up"
    assert e.comment == "hyvä"
    assert json.loads(e.citations) == cits
    created = datetime.fromisoformat(e.created)
    offset = created.utcoffset()
    assert offset is not None and offset.total_seconds() == 0


def test_defaults_comment_and_citations(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    store.add("q", "a", "down")
    (e,) = store.list()
    assert e.comment == ""
    assert json.loads(e.citations) == []
    assert e.rating == "down"


def test_newest_first_and_limit(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    ids = [store.add(f"q{i}", f"a{i}", "up") for i in range(5)]
    entries = store.list()
    assert [e.id for e in entries] == list(reversed(ids))
    assert [e.question for e in store.list(limit=2)] == ["q4", "q3"]
    assert store.list(limit=0) == []


@pytest.mark.parametrize("rating", ["", "UP", "meh", "1"])
def test_invalid_rating_rejected(tmp_path: Path, rating: str) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    with pytest.raises(InvalidQuestion) as info:
        store.add("q", "a", rating)
    assert "up" in info.value.message and "down" in info.value.message
    assert info.value.status == 422
    assert store.list() == []


def test_comment_capped(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    store.add("q", "a", "down", "x" * 5000)
    (e,) = store.list()
    assert len(e.comment) == 2000


def test_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "fb.db"
    FeedbackStore(path).add("q", "a", "up")
    assert [e.question for e in FeedbackStore(path).list()] == ["q"]


def test_text_is_stored_verbatim(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    q = "<img src=x onerror=alert(1)>'); DROP TABLE feedback;--"
    store.add(q, "åäö ÅÄÖ", "up")
    (e,) = store.list()
    assert e.question == q
    assert e.answer == "åäö ÅÄÖ"


def test_thread_safe(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                store.add(f"q{n}-{i}", "a", "up" if i % 2 else "down")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = store.list(limit=1000)
    assert len(entries) == 80
    assert len({e.id for e in entries}) == 80


def test_personal_data_typed_into_feedback_is_masked(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.db")
    store.add("Mikä on asiakkaan 131052-308T tilanne?", "a", "down", "Soita 040 123 4567 tai liisa.laine(at)kainuu.fi")
    (e,) = store.list()
    assert e.question == "Mikä on asiakkaan [henkilötunnus] tilanne?"
    assert e.comment == "Soita [puhelin] tai [sähköposti]"
