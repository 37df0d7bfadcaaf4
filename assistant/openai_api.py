"""OpenAI-compatible chat API (``/v1/models``, ``/v1/chat/completions``), so any OpenAI client or chat
front end can use the assistant as a model.

The last user message is the question, the earlier user/assistant messages are the history (system
messages are ignored: the assistant's behaviour is fixed). The reply's content is the cited answer
followed by its sources list. ``stream: true`` answers server-sent events in OpenAI's chunk format;
the chunks are sent once the answer is complete, because citation numbers are final only then.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.api import AssistantDep, answer_json
from assistant.errors import AssistantError, InvalidQuestion, NotFound
from assistant.plaintext import answer_text
from assistant.records import Answer, Filters, Turn

MODEL_ID = "sote-assistant"
CREATED = 1_735_689_600  # 2025-01-01: a fixed "created" for the one model
MAX_MESSAGES = 100

router = APIRouter(prefix="/v1", tags=["openai"])


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatIn(BaseModel):
    """The fields we use; other OpenAI parameters (temperature, max_tokens, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = MODEL_ID
    messages: list[MessageIn] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    regions: list[str] = []  # non-standard: pass with the client's extra_body to narrow the search


def _text(message: MessageIn) -> str:
    if isinstance(message.content, str):
        return message.content
    # Content parts: keep the text ones, ignore images and the like.
    return "\n".join(str(p.get("text", "")) for p in message.content or [] if p.get("type") == "text")


def conversation(messages: list[MessageIn]) -> tuple[str, list[Turn]]:
    """The question (the last user message) and the user/assistant turns before it."""
    last = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last is None:
        raise InvalidQuestion("The messages hold no user message. Send the question as {'role': 'user', 'content': ...}.")
    history = [Turn(m.role, _text(m)) for m in messages[:last] if m.role in {"user", "assistant"}]
    return _text(messages[last]), history


def _openai_error(exc: AssistantError) -> JSONResponse:
    kind = "invalid_request_error" if exc.status < 500 else "server_error"
    return JSONResponse({"error": {"message": exc.message, "type": kind, "code": exc.status}}, status_code=exc.status)


def _check_model(model: str) -> None:
    if model != MODEL_ID:
        raise NotFound(f"Unknown model '{model}'. This server has one model: '{MODEL_ID}'.")


@router.get("/models")
async def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "sote-assistant"}]}


@router.get("/models/{model}")
async def model(model: str) -> Any:
    if model != MODEL_ID:
        return _openai_error(NotFound(f"No model '{model}'. GET /v1/models lists '{MODEL_ID}'."))
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "sote-assistant"}


@router.post("/chat/completions", responses={404: {"description": "No such model"}})
async def chat_completions(body: ChatIn, assistant: AssistantDep) -> Any:
    try:
        _check_model(body.model)
        question, history = conversation(body.messages)
        answer = await run_in_threadpool(assistant.ask, question, history, Filters(regions=tuple(body.regions)))
    except AssistantError as exc:
        return _openai_error(exc)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    content = answer_text(answer)
    if body.stream:
        return StreamingResponse(_chunks(completion_id, created, content), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})
    return {
        "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": _usage(question, history, content),
        "sote": _details(answer),
    }


def _details(answer: Answer) -> dict[str, Any]:
    """The structured answer (citations with offsets, passages), as ``/api/ask`` gives it."""
    return answer_json(answer)


def _usage(question: str, history: list[Turn], content: str) -> dict[str, int]:
    # Word counts: there is no tokenizer here, and clients only display or sum these.
    prompt = len(question.split()) + sum(len(t.content.split()) for t in history)
    completion = len(content.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def pieces(content: str) -> list[str]:
    """Split text after sentence ends and line breaks, keeping every character.

    >>> pieces("Yksi. Kaksi [1].\\nLähteet:")
    ['Yksi. ', 'Kaksi [1].\\n', 'Lähteet:']
    """
    return [p for p in re.split(r"(?<=[.!?:]\s)|(?<=\n)", content) if p]


def _chunks(completion_id: str, created: int, content: str) -> Iterator[str]:
    def event(delta: dict[str, str], finish: str | None = None) -> str:
        chunk = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in pieces(content):
        yield event({"content": piece})
    yield event({}, "stop")
    yield "data: [DONE]\n\n"
