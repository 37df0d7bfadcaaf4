"""The practice map on the small corpus: a cell per topic x region, evidence only where the topic is."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidQuestion
from assistant.service import Assistant


def test_cells_cover_every_topic_and_region_with_evidence_only_where_the_topic_is(small_index, fake_embedder):
    assistant = Assistant(small_index, embedder=fake_embedder)
    result = assistant.compare(["yöpartio", "Omaolo"])
    assert result.regions == ("Keski-Pohjanmaa", "Lappi")
    cells = {(c.topic, c.region): c for c in result.cells}
    assert len(cells) == 4
    assert cells[("yöpartio", "Keski-Pohjanmaa")].status != "not_found"
    assert "yöpartio" in cells[("yöpartio", "Keski-Pohjanmaa")].evidence.text.lower()
    assert cells[("yöpartio", "Lappi")].status == "not_found" and cells[("yöpartio", "Lappi")].evidence is None
    assert all(c.status != "not_found" for c in result.cells if c.topic == "Omaolo")
    evidence = cells[("Omaolo", "Lappi")].evidence
    document = assistant.document(evidence.document)["text"]
    assert document[evidence.start:evidence.end] == evidence.text


@pytest.mark.parametrize("topics", [[], [""], ["x"] * 11, ["a" * 201]])
def test_bad_topics_are_refused_with_a_message(small_index, fake_embedder, topics):
    with pytest.raises(InvalidQuestion):
        Assistant(small_index, embedder=fake_embedder).compare(topics)


def test_unknown_region_is_refused(small_index, fake_embedder):
    with pytest.raises(InvalidQuestion, match="Unknown region"):
        Assistant(small_index, embedder=fake_embedder).compare(["Omaolo"], regions=["Atlantis"])
