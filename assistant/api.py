"""HTTP API and the chat page: ``create_app(settings)``; the lifespan loads the index once.

Pydantic lives only here, at the edge; routes are thin and hand work to ``Assistant``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, Field
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import compare_api, http_guards
from assistant.config import MAX_QUESTION_CHARS, Settings
from assistant.errors import AssistantError, Forbidden, RateLimited, Unauthorized
from assistant.feedback import MAX_COMMENT_CHARS, FeedbackStore
from assistant.ratelimit import RateLimiter
from assistant.records import Filters, Turn
from assistant.regions import REGIONS
from assistant.service import Assistant
from assistant.wire import answer_json, passage_json  # noqa: F401  (passage_json: re-exported)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


# A question must hold something other than whitespace (as Python's str.split sees it).
QUESTION = Field(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=r"[^\s\x1c-\x1f]",
                 description=f"the question, at most {MAX_QUESTION_CHARS} characters")
RegionName = Literal[tuple(r.name for r in REGIONS)]  # type: ignore[valid-type]


def _whole_number(value: Any) -> Any:
    # JSON's true and "1" are not integers (1.0 is): pydantic's lax mode would take all three.
    if isinstance(value, bool | str):
        raise ValueError("should be a whole number")
    return value


JsonInt = Annotated[int, BeforeValidator(_whole_number)]


class TurnIn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class FiltersIn(BaseModel):
    regions: list[RegionName] = Field(default_factory=list, max_length=len(REGIONS))  # type: ignore[valid-type]
    documents: list[str] = Field(default_factory=list, max_length=200)
    # (Constraints go before the validator: after it pydantic writes them into the schema as 'ge'/'le'.)
    years: list[Annotated[int, Field(ge=1900, le=2100), BeforeValidator(_whole_number)]] = Field(
        default_factory=list, max_length=50)


class AskIn(BaseModel):
    question: str = QUESTION
    history: list[TurnIn] = Field(default_factory=list, max_length=20)
    filters: FiltersIn | None = None


class CitationIn(BaseModel):
    """A citation as the chat page shows it; other fields are dropped."""

    n: JsonInt = Field(ge=0, le=1000)
    document: str = Field(max_length=300)
    title: str = Field("", max_length=500)
    region: str = Field("", max_length=100)
    text: str = Field("", max_length=2000)
    start: JsonInt | None = None
    end: JsonInt | None = None
    page: JsonInt | None = None
    lines: list[JsonInt] | None = Field(None, max_length=2)


class FeedbackIn(BaseModel):
    question: str = Field(max_length=MAX_QUESTION_CHARS)
    answer: str = Field(max_length=50_000)
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=MAX_COMMENT_CHARS)
    citations: list[CitationIn] | None = Field(None, max_length=30)


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant  # type: ignore[no-any-return]


# Module level: with postponed annotations FastAPI resolves the alias from module globals.
AssistantDep = Annotated[Assistant, Depends(get_assistant)]

ADMIN_PREFIX = "/api/admin/"
READER_PREFIXES = ("/api/", "/v1/", "/mcp")  # the reader token guards the API, the OpenAI API and MCP
BODY_LIMITED = ("/api/", "/v1/")  # MCP's transport bounds its own messages; admin uploads have their own limit


def _bearer(request: Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ").strip()


# Declares the admin bearer scheme on every operation that depends on require_admin; checking is ours.
_ADMIN_BEARER = HTTPBearer(auto_error=False, scheme_name=http_guards.ADMIN_SCHEME,
                           description="ASSISTANT_ADMIN_TOKEN")


def require_admin(request: Request, _: Annotated[Any, Depends(_ADMIN_BEARER)] = None) -> None:
    """Admin routes need ``Authorization: Bearer <ASSISTANT_ADMIN_TOKEN>``; without the setting they are off."""
    token = request.app.state.settings.admin_token
    if not token:
        raise Forbidden("Admin actions are off: set ASSISTANT_ADMIN_TOKEN to enable document management and "
                        "reading feedback.")
    if not hmac.compare_digest(_bearer(request).encode(), token.encode()):
        raise Unauthorized("This action needs the admin token. Send it as 'Authorization: Bearer <admin token>'.")


AdminDep = Depends(require_admin)


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def _guarded(path: str) -> bool:
    """Paths the reader token applies to; admin routes check their own token."""
    return path.startswith(READER_PREFIXES) and path != "/api/health" and not path.startswith(ADMIN_PREFIX)


def _limited(path: str) -> bool:
    """Paths whose request bodies ``ASSISTANT_MAX_BODY_KB`` bounds."""
    return path.startswith(BODY_LIMITED) and not path.startswith(ADMIN_PREFIX)


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
    limiter = RateLimiter(settings.rate_limit)
    loopback = settings.rate_limit_loopback
    questions = Depends(http_guards.rate_limit(limiter, "questions", "questions", limit_loopback=loopback))
    feedback_posts = Depends(http_guards.rate_limit(limiter, "feedback", "feedback posts", limit_loopback=loopback))
    # Added before the security middleware, so it runs inside it: a token is checked before the body is read.
    app.add_middleware(http_guards.BodyLimit, limit=settings.max_body_kb * 1024, applies=_limited)
    http_guards.document(app, reader_token=bool(settings.api_token), admin_token=bool(settings.admin_token),
                         guarded=_guarded, limited=_limited if settings.max_body_kb else None)
    from assistant.integrations import include_integrations  # imports this module: import it here

    include_integrations(app, settings)  # OpenAI API, MCP, admin, files: before /api/documents/{id:path}

    def reader(request: Request) -> bool:
        # The admin token opens the reader API too, so one header serves an admin's client.
        given = _bearer(request).encode()
        return any(token and hmac.compare_digest(given, token.encode())
                   for token in (settings.api_token, settings.admin_token))

    @app.middleware("http")
    async def security(request: Request, call_next: Any) -> Any:
        # Admin routes check their own token (require_admin); everything else under /api needs the reader's.
        if settings.api_token and _guarded(request.url.path) and not reader(request):
            return _error(401, "This server needs an access token. Send it as 'Authorization: Bearer <token>'.")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(AssistantError)
    async def assistant_error(_: Request, exc: AssistantError) -> JSONResponse:
        retry = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return _error(exc.status, exc.message, retry)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        message = {404: "Not found. The API lives under /api (see the README).",
                   400: "The request body could not be read: send JSON in UTF-8 (see the API section of the README)."
                   }.get(exc.status_code, str(exc.detail))
        if exc.status_code == 405:
            # Starlette names the methods of the first route that matched the path; a path may have several.
            headers["Allow"] = http_guards.allowed_methods(app, request.url.path) or headers.get("Allow", "")
            message = f"This method is not allowed here; use {headers['Allow']}."
        return _error(exc.status_code, message, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(http_guards.describe(e) for e in exc.errors())
        return _error(422, f"The request is not valid ({problems}). See the API section of the README.")

    def request_args(body: AskIn) -> tuple[str, list[Turn], Filters]:
        f = body.filters or FiltersIn()
        return (body.question, [Turn(t.role, t.content) for t in body.history],
                Filters(tuple(f.regions), tuple(f.documents), tuple(f.years)))

    @app.get("/api/health", responses=http_guards.NO_INDEX)
    async def health(assistant: AssistantDep) -> dict[str, Any]:
        return {**await run_in_threadpool(assistant.health), "admin_enabled": bool(settings.admin_token)}

    @app.get("/api/documents", responses=http_guards.NO_INDEX)
    async def documents(assistant: AssistantDep) -> dict[str, Any]:
        return {"documents": await run_in_threadpool(assistant.documents)}

    @app.get("/api/documents/{doc_id:path}", responses={**http_guards.NOT_FOUND, **http_guards.NO_INDEX})
    async def document(doc_id: str, assistant: AssistantDep) -> dict[str, Any]:
        return await run_in_threadpool(assistant.document, doc_id)

    @app.post("/api/ask", dependencies=[questions], responses={**http_guards.RATE_LIMITED, **http_guards.NO_INDEX})
    async def ask(body: AskIn, assistant: AssistantDep) -> dict[str, Any]:
        answer = await run_in_threadpool(assistant.ask, *request_args(body))
        return answer_json(answer)

    @app.post("/api/ask/stream", dependencies=[questions], response_class=StreamingResponse,
              responses={200: {"description": "NDJSON events: delta*, then answer or error",
                               "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                         **http_guards.RATE_LIMITED, **http_guards.NO_INDEX})
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

    @app.post("/api/feedback", status_code=201, dependencies=[feedback_posts], responses=http_guards.RATE_LIMITED)
    async def add_feedback(body: FeedbackIn, request: Request) -> dict[str, Any]:
        store: FeedbackStore = request.app.state.feedback
        citations = [c.model_dump() for c in body.citations] if body.citations is not None else None
        new_id = await run_in_threadpool(store.add, body.question, body.answer, body.rating, body.comment, citations)
        return {"id": new_id}

    @app.get("/api/feedback", dependencies=[AdminDep])
    async def list_feedback(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
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
