"""Hostile HTTP clients: feedback size and reading rights, query validation, body limits, the per-client
rate limit and an honest OpenAPI schema (TestClient, small corpus, fake embedder)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from assistant.service import Assistant
from tests.test_api import FAKE_THRESHOLDS

ADMIN = {"Authorization": "Bearer admin-secret"}
READER = {"Authorization": "Bearer reader-secret"}
FEEDBACK = {"question": "Missä Omaolo on käytössä?", "answer": "Lapissa [1].", "rating": "up", "comment": "hyvä"}


def _client(settings: Settings, fake_embedder, **changes) -> TestClient:  # type: ignore[no-untyped-def]
    settings = replace(settings, **changes)
    return TestClient(create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS)))


@pytest.fixture
def client(small_index, fake_embedder) -> Iterator[TestClient]:
    with _client(small_index, fake_embedder, admin_token="admin-secret") as c:
        yield c


# -- 7. feedback ----------------------------------------------------------------------------------------------
def test_reading_feedback_needs_the_admin_token(small_index, fake_embedder):
    with _client(small_index, fake_embedder) as c:  # no admin token configured: reading is off
        assert c.post("/api/feedback", json=FEEDBACK).status_code == 201
        off = c.get("/api/feedback")
        assert off.status_code == 403 and "ASSISTANT_ADMIN_TOKEN" in off.json()["error"]
    with _client(small_index, fake_embedder, admin_token="admin-secret", api_token="reader-secret") as c:
        assert c.post("/api/feedback", json=FEEDBACK, headers=READER).status_code == 201
        assert c.get("/api/feedback").status_code == 401
        assert c.get("/api/feedback", headers=READER).status_code == 401  # the reader's token is not enough
        items = c.get("/api/feedback", headers=ADMIN).json()["feedback"]
        assert items[0]["comment"] == "hyvä"
        assert c.post("/api/ask", json={"question": "Omaolo"}, headers=ADMIN).status_code == 200


@pytest.mark.parametrize("limit", ["0", "-1", "1001", str(10**30), "kaikki"])
def test_feedback_limit_is_validated(client, limit):
    r = client.get(f"/api/feedback?limit={limit}", headers=ADMIN)
    assert r.status_code == 422 and "limit" in r.json()["error"]


def test_feedback_citations_and_fields_are_bounded(client):
    citation = {"n": 1, "document": "lappi-raportti", "title": "Lapin raportti", "region": "Lappi",
                "text": "Omaolo-palvelu otettiin käyttöön.", "start": 0, "end": 30, "page": None, "lines": [3, 4]}
    ok = client.post("/api/feedback", json={**FEEDBACK, "citations": [citation] * 3})
    assert ok.status_code == 201
    too_many = client.post("/api/feedback", json={**FEEDBACK, "citations": [citation] * 31})
    assert too_many.status_code == 422 and "citations" in too_many.json()["error"]
    too_long = client.post("/api/feedback", json={**FEEDBACK, "citations": [{**citation, "text": "x" * 2001}]})
    assert too_long.status_code == 422
    assert client.post("/api/feedback", json={**FEEDBACK, "comment": "x" * 2001}).status_code == 422
    assert client.post("/api/feedback", json={**FEEDBACK, "rating": "meh"}).status_code == 422
    stored = client.get("/api/feedback?limit=1", headers=ADMIN).json()["feedback"]
    assert len(stored) == 1 and stored[0]["question"] == FEEDBACK["question"]


def test_oversized_bodies_are_413_with_the_setting_to_change(small_index, fake_embedder):
    with _client(small_index, fake_embedder, max_body_kb=8) as c:
        big = c.post("/api/feedback", json={**FEEDBACK, "citations": [{"n": 1, "document": "d", "text": "x" * 1999}] * 5})
        assert big.status_code == 413 and "ASSISTANT_MAX_BODY_KB" in big.json()["error"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes themselves are counted
            yield b'{"question": "Omaolo", "history": ['
            for _ in range(40):
                yield b'{"role": "user", "content": "' + b"x" * 500 + b'"},'
            yield b'{"role": "user", "content": "x"}]}'

        streamed = c.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert c.post("/api/ask", json={"question": "Omaolo"}).status_code == 200


# -- 8. rate limit --------------------------------------------------------------------------------------------
def test_questions_over_the_rate_limit_get_429_with_retry_after(small_index, fake_embedder):
    with _client(small_index, fake_embedder, rate_limit=3) as c:
        codes = [c.post("/api/ask", json={"question": "Omaolo"}).status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        r = c.post("/api/ask/stream", json={"question": "Omaolo"})  # the same allowance as /api/ask
        assert r.status_code == 429
        wait = int(r.headers["Retry-After"])
        assert 1 <= wait <= 20 and f"Try again in {wait} s" in r.json()["error"]
        assert "ASSISTANT_RATE_LIMIT" in r.json()["error"]
        assert c.post("/api/feedback", json=FEEDBACK).status_code == 201  # feedback has its own allowance
        assert c.get("/api/health").status_code == 200  # reading is not limited


def test_clients_on_this_machine_are_not_limited_unless_asked(small_index, fake_embedder):
    from tests.live import serve

    for limit_loopback, expected in ((False, {200}), (True, {200, 429})):
        settings = replace(small_index, rate_limit=2, rate_limit_loopback=limit_loopback)
        with serve(create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS))) as url:
            codes = {httpx.post(url + "/api/ask", json={"question": "Omaolo"}).status_code for _ in range(4)}
        assert codes == expected
    assert Settings.from_env({"ASSISTANT_RATE_LIMIT_LOOPBACK": "1"}).rate_limit_loopback


def test_rate_limit_zero_switches_it_off(small_index, fake_embedder):
    with _client(small_index, fake_embedder, rate_limit=0) as c:
        assert {c.post("/api/ask", json={"question": "Omaolo"}).status_code for _ in range(40)} == {200}


def test_rate_limit_setting_is_read_from_the_environment():
    assert Settings.from_env({"ASSISTANT_RATE_LIMIT": "5"}).rate_limit == 5
    assert Settings.from_env({}).rate_limit == 30
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="ASSISTANT_RATE_LIMIT must be a whole number"):
        Settings.from_env({"ASSISTANT_RATE_LIMIT": "lots"})


# -- 9. OpenAPI honesty -----------------------------------------------------------------------------------------
def test_405_keeps_the_allow_header(client):
    r = client.delete("/api/ask")
    assert r.status_code == 405 and r.headers["Allow"] == "POST" and r.json()["status"] == 405
    both = client.put("/api/feedback")
    assert both.status_code == 405 and set(both.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_schema_declares_limits_errors_and_security(small_index, fake_embedder):
    with _client(small_index, fake_embedder, api_token="reader-secret", admin_token="admin-secret") as c:
        schema = c.get("/openapi.json").json()
    ask = schema["components"]["schemas"]["AskIn"]["properties"]["question"]
    assert ask["maxLength"] == 2000 and ask["minLength"] == 1
    assert schema["components"]["schemas"]["FeedbackIn"]["properties"]["rating"]["enum"] == ["up", "down"]
    schemes = schema["components"]["securitySchemes"]
    assert {name: (s["type"], s["scheme"]) for name, s in schemes.items()} == {
        "reader": ("http", "bearer"), "admin": ("http", "bearer")}
    post_ask = schema["paths"]["/api/ask"]["post"]
    assert {"401", "413", "422", "429"} <= set(post_ask["responses"])
    assert post_ask["security"] == [{"reader": []}, {"admin": []}]  # either token opens the reader API
    assert "Retry-After" in post_ask["responses"]["429"]["headers"]
    assert post_ask["responses"]["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "404" in schema["paths"]["/api/documents/{doc_id}"]["get"]["responses"]
    read = schema["paths"]["/api/feedback"]["get"]
    assert "401" in read["responses"] and read["security"] == [{"admin": []}]
    assert "security" not in schema["paths"]["/api/health"]["get"]
    with _client(small_index, fake_embedder) as c:  # no tokens: an open reader API, feedback reading off
        schema = c.get("/openapi.json").json()
    assert "securitySchemes" not in schema["components"] and "401" not in schema["paths"]["/api/ask"]["post"]["responses"]
    assert "403" in schema["paths"]["/api/feedback"]["get"]["responses"]
