"""HTTP API through TestClient with the lifespan running, on the small corpus and the fake embedder."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.relevance import Thresholds
from assistant.service import Assistant

# The fake embedder's cosines are not e5's: use thresholds that suit it (abstention is tested on the real index).
FAKE_THRESHOLDS = Thresholds(answer=0.1, answer_other=0.1)


@pytest.fixture
def client(small_index, fake_embedder):
    with TestClient(create_app(small_index, Assistant(small_index, fake_embedder, FAKE_THRESHOLDS))) as c:
        yield c


def test_health_reports_index(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["documents"] == 2
    assert body["embedder"] == "fake:hash-64" and set(body["regions"]) == {"Lappi", "Keski-Pohjanmaa"}


def test_ask_returns_answer_with_citations_and_passages(client):
    r = client.post("/api/ask", json={"question": "Milloin Omaolo-palvelu otettiin käyttöön Lapissa?"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"answer", "abstained", "language", "citations", "passages"}
    assert body["language"] == "fi" and not body["abstained"]
    assert body["citations"] and body["citations"][0]["n"] == 1
    cited = body["citations"][0]
    assert cited["region"] == "Lappi"  # the region named in the question acts as a filter
    assert set(cited) >= {"document", "title", "region", "text", "start", "end", "page", "lines"}
    assert "[1]" in body["answer"]
    doc = client.get(f"/api/documents/{cited['document']}").json()
    assert doc["text"][cited["start"]:cited["end"]] == cited["text"]
    assert all("score" in p for p in body["passages"])


def test_region_filter_in_request_is_honoured(client):
    body = client.post("/api/ask", json={"question": "Omaolo terveysasemilla",
                                         "filters": {"regions": ["Keski-Pohjanmaa"]}}).json()
    assert body["passages"] and {p["region"] for p in body["passages"]} == {"Keski-Pohjanmaa"}


def test_unknown_region_filter_is_a_clear_422(client):
    r = client.post("/api/ask", json={"question": "Omaolo", "filters": {"regions": ["Atlantis"]}})
    assert r.status_code == 422 and "'Atlantis'" in r.json()["error"] and "'Lappi'" in r.json()["error"]


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_empty_or_huge_question_is_422_with_message(client, question):
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 422
    assert r.json()["error"] and r.json()["status"] == 422


def test_malformed_body_is_422_json(client):
    r = client.post("/api/ask", json={"history": "nope"})
    assert r.status_code == 422 and "question" in r.json()["error"]


def test_documents_list_and_unknown_id(client):
    docs = client.get("/api/documents").json()["documents"]
    assert {d["id"] for d in docs} == {"lappi-raportti", "soite-raportti"}
    r = client.get("/api/documents/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404 and "GET /api/documents" in r.json()["error"]
    assert client.get("/api/nothing").json()["status"] == 404


def test_missing_index_is_503_that_says_what_to_do(tmp_path, fake_embedder, small_settings):
    settings = replace(small_settings, index_dir=tmp_path / "empty")
    with TestClient(create_app(settings, Assistant(settings, fake_embedder))) as c:
        r = c.post("/api/ask", json={"question": "Omaolo?"})
        assert r.status_code == 503 and "assistant index" in r.json()["error"]
        assert c.get("/api/health").status_code == 503


def test_stream_ends_with_answer_event(client):
    with client.stream("POST", "/api/ask/stream", json={"question": "Kokkolan yöpartio"}) as r:
        lines = [line for line in r.iter_lines() if line]
    import json

    events = [json.loads(line) for line in lines]
    assert events[-1]["type"] == "answer" and events[-1]["citations"]


def test_page_has_csp_and_no_inline_script(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "<script>" not in r.text.replace(" ", "")


def test_token_required_when_configured(small_index, fake_embedder):
    settings = replace(small_index, api_token="s3cret")
    with TestClient(create_app(settings, Assistant(settings, fake_embedder))) as c:
        assert c.get("/api/health").json()["auth_required"] is True
        assert c.post("/api/ask", json={"question": "Omaolo"}).status_code == 401
        ok = c.post("/api/ask", json={"question": "Omaolo"}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_feedback_roundtrip(small_index, fake_embedder):
    settings = replace(small_index, admin_token="admin-secret")
    with TestClient(create_app(settings, Assistant(settings, fake_embedder))) as client:
        r = client.post("/api/feedback", json={"question": "q", "answer": "a [1]", "rating": "up", "comment": "hyvä"})
        assert r.status_code == 201
        items = client.get("/api/feedback", headers={"Authorization": "Bearer admin-secret"}).json()["feedback"]
        rejected = client.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "meh"})
    assert items[0]["comment"] == "hyvä" and items[0]["rating"] == "up"
    assert rejected.status_code == 422


def test_running_server_picks_up_a_reindex(small_index, fake_embedder):
    from assistant.indexer import build_index

    with TestClient(create_app(small_index, Assistant(small_index, fake_embedder, FAKE_THRESHOLDS))) as c:
        assert len(c.get("/api/documents").json()["documents"]) == 2
        (small_index.corpus_dir / "uusi.md").write_text("# Kainuu\n\nKainuussa kehitetään perhekeskusta.\n", "utf-8")
        build_index(small_index, embedder=fake_embedder, quiet=True)
        ids = {d["id"] for d in c.get("/api/documents").json()["documents"]}
        assert ids == {"lappi-raportti", "soite-raportti", "uusi"}
        body = c.post("/api/ask", json={"question": "perhekeskus Kainuussa"}).json()
        assert any(p["document"] == "uusi" for p in body["passages"])
