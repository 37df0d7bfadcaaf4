"""The OpenAI-compatible endpoint through the official ``openai`` client against a real uvicorn server."""

from __future__ import annotations

from dataclasses import replace

import httpx
import openai
import pytest

from assistant.api import create_app
from assistant.config import Settings
from assistant.openai_api import MODEL_ID, pieces
from assistant.service import Assistant
from tests.live import serve
from tests.test_api import FAKE_THRESHOLDS

QUESTION = "Milloin Omaolo-palvelu otettiin käyttöön Lapissa?"


@pytest.fixture
def base_url(small_index, fake_embedder):
    settings = replace(small_index, api_token="reader-secret")
    with serve(create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS))) as url:
        yield url


@pytest.fixture
def client(base_url):
    return openai.OpenAI(base_url=base_url + "/v1", api_key="reader-secret", max_retries=0)


def test_models_lists_the_assistant(client):
    assert [m.id for m in client.models.list()] == [MODEL_ID]
    assert client.models.retrieve(MODEL_ID).id == MODEL_ID


def test_completion_is_a_cited_answer_with_sources(client):
    done = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}])
    content = done.choices[0].message.content or ""
    answer, _, sources = content.partition("\n\nLähteet:\n")
    assert "[1]" in answer and "2021" in answer
    assert sources.startswith("[1] Lappi — Lapin raportti, rivit ")
    assert done.choices[0].finish_reason == "stop" and done.model == MODEL_ID
    details = done.model_extra["sote"]  # the structured answer rides along for clients that want it
    assert details["citations"][0]["region"] == "Lappi"


def test_earlier_messages_are_the_history(client):
    messages = [
        {"role": "system", "content": "Vastaa lyhyesti."},
        {"role": "user", "content": "Mitä Omaolo-palveluja Lapissa on?"},
        {"role": "assistant", "content": "Omaolo otettiin käyttöön vuonna 2021 [1]."},
        {"role": "user", "content": "Entä Keski-Pohjanmaalla?"},
    ]
    content = client.chat.completions.create(model=MODEL_ID, messages=messages).choices[0].message.content or ""
    # The follow-up names only a region: the topic (Omaolo) comes from the history.
    assert "Omaolo" in content and "[1] Keski-Pohjanmaa — Soiten raportti" in content
    alone = client.chat.completions.create(model=MODEL_ID, messages=messages[-1:]).choices[0].message.content or ""
    assert alone != content


def test_stream_sends_openai_chunks_that_add_up_to_the_answer(client):
    whole = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}])
    stream = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}],
                                            stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole.choices[0].message.content
    assert len([c for c in chunks if c.choices[0].delta.content]) > 1


def test_content_parts_are_read_as_text(client):
    done = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": [{"type": "text", "text": QUESTION}]}])
    assert "Lähteet:" in (done.choices[0].message.content or "")


def test_reader_token_is_the_api_key(base_url):
    bad = openai.OpenAI(base_url=base_url + "/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.models.list()
    assert httpx.get(base_url + "/api/health").status_code == 200  # health stays open


def test_errors_are_openai_shaped(client):
    with pytest.raises(openai.UnprocessableEntityError) as empty:
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "  "}])
    assert empty.value.status_code == 422 and "empty" in empty.value.message
    with pytest.raises(openai.NotFoundError) as unknown:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert "sote-assistant" in unknown.value.message
    with pytest.raises(openai.UnprocessableEntityError) as no_user:
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "system", "content": "hi"}])
    assert "no user message" in no_user.value.message


def test_pieces_keep_every_character():
    text = "Ensin näin [1]. Sitten noin! Lopuksi?\n\nLähteet:\n[1] Lappi — X, rivit 1–2 (x)"
    assert "".join(pieces(text)) == text and len(pieces(text)) >= 4


@pytest.mark.slow
def test_real_index_answers_through_the_openai_client(real_index, corpus_dir):
    settings = Settings(corpus_dir=corpus_dir, index_dir=real_index)
    with serve(create_app(settings)) as url:
        client = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0)
        done = client.chat.completions.create(
            model=MODEL_ID, messages=[{"role": "user", "content": "Missä alueilla Omaoloa on otettu käyttöön?"}])
    content = done.choices[0].message.content or ""
    assert "[1]" in content and "\n\nLähteet:\n[1] " in content
    assert "Keski-Pohjanmaa — " in content
