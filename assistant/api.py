"""HTTP API and the chat page: ``create_app(settings)``; the lifespan loads the index once.

Pydantic lives only here, at the edge; routes are thin and hand work to ``Assistant``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import compare_api
from assistant.config import Settings
from assistant.errors import AssistantError, Forbidden, InvalidQuestion, Unauthorized
from assistant.feedback import FeedbackStore
from assistant.records import Filters, Turn
from assistant.service import Assistant
from assistant.wire import answer_json, passage_json  # noqa: F401  (passage_json: re-exported)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class TurnIn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class FiltersIn(BaseModel):
    regions: list[str] = []
    documents: list[str] = []
    years: list[int] = []


class AskIn(BaseModel):
    question: str
    history: list[TurnIn] = Field(default_factory=list, max_length=50)
    filters: FiltersIn | None = None


class FeedbackIn(BaseModel):
    question: str = Field(max_length=20_000)
    answer: str = Field(max_length=50_000)
    rating: str
    comment: str = ""
    citations: list[dict[str, Any]] | None = None


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant  # type: ignore[no-any-return]


# Module level: with postponed annotations FastAPI resolves the alias from module globals.
AssistantDep = Annotated[Assistant, Depends(get_assistant)]

ADMIN_PREFIX = "/api/admin/"
READER_PREFIXES = ("/api/", "/v1/", "/mcp")  # the reader token guards the API, the OpenAI API and MCP


def _bearer(request: Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ").strip()


def require_admin(request: Request) -> None:
    """Admin routes need ``Authorization: Bearer <ASSISTANT_ADMIN_TOKEN>``; without the setting they are off."""
    token = request.app.state.settings.admin_token
    if not token:
        raise Forbidden("Document management is off: set ASSISTANT_ADMIN_TOKEN to enable document management.")
    if not hmac.compare_digest(_bearer(request).encode(), token.encode()):
        raise Unauthorized("This action needs the admin token. Send it as 'Authorization: Bearer <admin token>'.")


AdminDep = Depends(require_admin)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The FastAPI app. Pass ``assistant`` to share an already loaded one (tests, benchmarks)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.assistant = assistant or Assistant(settings)
        app.state.feedback = FeedbackStore(settings.data_dir / "feedback.sqlite")
        # A missing index is served as 503 with instructions until one appears.
        with suppress(AssistantError):
            await run_in_threadpool(app.state.assistant.load)
        yield

    app = FastAPI(title="sote-assistant", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    from assistant.integrations import include_integrations  # imports this module: import it here

    include_integrations(app, settings)  # OpenAI API, MCP, admin, files: before /api/documents/{id:path}

    @app.middleware("http")
    async def security(request: Request, call_next: Any) -> Any:
        path = request.url.path
        # Admin routes check their own token (require_admin); everything else under /api needs the reader's.
        guarded = path.startswith(READER_PREFIXES) and path != "/api/health" and not path.startswith(ADMIN_PREFIX)
        if settings.api_token and guarded and not hmac.compare_digest(_bearer(request).encode(),
                                                                      settings.api_token.encode()):
            return _error(401, "This server needs an access token. Send it as 'Authorization: Bearer <token>'.")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(AssistantError)
    async def assistant_error(_: Request, exc: AssistantError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = "Not found. The API lives under /api (see the README)." if exc.status_code == 404 else str(exc.detail)
        return _error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors())
        return _error(422, f"The request is not valid ({problems}). See the API section of the README.")

    def request_args(body: AskIn) -> tuple[str, list[Turn], Filters]:
        f = body.filters or FiltersIn()
        return (body.question, [Turn(t.role, t.content) for t in body.history],
                Filters(tuple(f.regions), tuple(f.documents), tuple(f.years)))

    @app.get("/api/health")
    async def health(assistant: AssistantDep) -> dict[str, Any]:
        return {**await run_in_threadpool(assistant.health), "admin_enabled": bool(settings.admin_token)}

    @app.get("/api/documents")
    async def documents(assistant: AssistantDep) -> dict[str, Any]:
        return {"documents": await run_in_threadpool(assistant.documents)}

    @app.get("/api/documents/{doc_id:path}")
    async def document(doc_id: str, assistant: AssistantDep) -> dict[str, Any]:
        return await run_in_threadpool(assistant.document, doc_id)

    @app.post("/api/ask")
    async def ask(body: AskIn, assistant: AssistantDep) -> dict[str, Any]:
        answer = await run_in_threadpool(assistant.ask, *request_args(body))
        return answer_json(answer)

    @app.post("/api/ask/stream")
    async def ask_stream(body: AskIn, assistant: AssistantDep) -> StreamingResponse:
        question, history, filters = request_args(body)
        assistant.validate(question)  # fail fast with a plain 422 before the stream starts

        def events() -> Iterator[str]:
            try:
                for item in assistant.stream(question, history, filters):
                    event = {"type": "delta", "text": item} if isinstance(item, str) else \
                        {"type": "answer", **answer_json(item)}
                    yield json.dumps(event, ensure_ascii=False) + "\n"
            except AssistantError as exc:
                yield json.dumps({"type": "error", "error": exc.message, "status": exc.status}) + "\n"

        return StreamingResponse(iterate_in_threadpool(events()), media_type="application/x-ndjson")

    @app.post("/api/feedback", status_code=201)
    async def add_feedback(body: FeedbackIn, request: Request) -> dict[str, Any]:
        store: FeedbackStore = request.app.state.feedback
        if body.rating not in {"up", "down"}:
            raise InvalidQuestion("rating must be 'up' or 'down'.")
        new_id = await run_in_threadpool(store.add, body.question, body.answer, body.rating, body.comment,
                                         body.citations)
        return {"id": new_id}

    @app.get("/api/feedback")
    async def list_feedback(request: Request, limit: int = 100) -> dict[str, Any]:
        store: FeedbackStore = request.app.state.feedback
        entries = await run_in_threadpool(store.list, limit)
        return {"feedback": [e.to_dict() for e in entries]}

    app.include_router(compare_api.router)
    web = settings.web_dir

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(web / "index.html", media_type="text/html")

    if web.is_dir():
        app.mount("/static", StaticFiles(directory=web), name="static")
    return app
