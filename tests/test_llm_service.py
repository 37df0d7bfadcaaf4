"""The LLM composer inside the service and the API, against the real loopback server of test_llm."""

from __future__ import annotations

import json
from dataclasses import replace

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.records import Answer
from assistant.service import Assistant
from tests.test_api import FAKE_THRESHOLDS
from tests.test_llm import _no_proxy, server  # noqa: F401  (fixtures)

QUESTION = "Milloin Omaolo-palvelu otettiin käyttöön Lapissa?"


def _assistant(settings, embedder, base: str, model: str) -> Assistant:
    return Assistant(replace(settings, llm_url=base, llm_model=model, llm_timeout=0.5), embedder, FAKE_THRESHOLDS)


def test_llm_answer_keeps_only_known_citations_and_renumbers(small_index, fake_embedder, server):  # noqa: F811
    answer = _assistant(small_index, fake_embedder, server.base, "normal").ask(QUESTION)
    assert "[7]" not in answer.text and "[1]" in answer.text
    assert [c.n for c in answer.citations] == [1]
    sent = server.requests[-1]["body"]["messages"][-1]["content"]
    assert "<passages>" in sent and "Omaolo" in sent


def test_llm_failure_falls_back_to_extractive_and_says_so(small_index, fake_embedder, server):  # noqa: F811
    assistant = _assistant(small_index, fake_embedder, server.base, "error500")
    answer = assistant.ask(QUESTION)
    assert answer.citations and answer.notes and "extractive" in answer.notes[0]
    plain = Assistant(small_index, fake_embedder, FAKE_THRESHOLDS).ask(QUESTION)
    assert answer.text == plain.text


def test_stream_sends_deltas_then_final_answer(small_index, fake_embedder, server):  # noqa: F811
    items = list(_assistant(small_index, fake_embedder, server.base, "normal").stream(QUESTION))
    deltas, final = items[:-1], items[-1]
    assert deltas and all(isinstance(d, str) for d in deltas)
    assert isinstance(final, Answer) and "[7]" not in final.text and final.citations


def test_api_stream_with_llm_over_http(small_index, fake_embedder, server):  # noqa: F811
    settings = replace(small_index, llm_url=server.base, llm_model="normal")
    with TestClient(create_app(settings, _assistant(small_index, fake_embedder, server.base, "normal"))) as client:
        assert client.get("/api/health").json()["llm"] is True
        with client.stream("POST", "/api/ask/stream", json={"question": QUESTION}) as r:
            events = [json.loads(line) for line in r.iter_lines() if line]
    assert [e["type"] for e in events[:-1]] == ["delta"] * (len(events) - 1) and len(events) > 2
    assert events[-1]["type"] == "answer" and events[-1]["citations"][0]["n"] == 1
