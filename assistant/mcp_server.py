"""MCP server (official ``mcp`` SDK): the assistant's tools for AI assistants and agent frameworks.

``assistant mcp`` serves it over stdio; ``create_app`` mounts the streamable HTTP transport at ``/mcp``
(the reader token applies there like on ``/api``). Tools: ``search``, ``ask``, ``get_document``, and
``compare`` when the service offers it. Each tool is a thin async wrapper that runs the blocking
service call in a worker thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.plaintext import answer_text, where
from assistant.records import Filters
from assistant.service import Assistant

INSTRUCTIONS = (
    "Answers questions about Finnish social- and health-care (sote) planning documents of the wellbeing "
    "services counties, with numbered citations. Use `ask` for a cited answer, `search` for the passages "
    "themselves, `get_document` for a whole document. Questions may be in Finnish, Swedish or English."
)
SEARCH_LIMIT = 8

GetAssistant = Callable[[], Assistant]
T = TypeVar("T")


async def _run(work: Callable[[], T]) -> T:
    """Run blocking service work in a thread; our errors reach the client as the tool's error text
    (the SDK hides other exceptions' text as crashes)."""
    try:
        return await anyio.to_thread.run_sync(work)
    except AssistantError as exc:
        raise ToolError(exc.message) from exc


def _filters(regions: list[str] | None) -> Filters:
    return Filters(regions=tuple(regions or ()))


def build_server(get_assistant: GetAssistant) -> MCPServer:
    """An ``MCPServer`` whose tools call the ``Assistant`` that ``get_assistant`` returns at call time."""
    server = MCPServer("sote-assistant", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool()
    async def ask(question: str, regions: list[str] | None = None) -> str:
        """A short answer to a question, each claim followed by a citation [n], then the numbered sources
        (region, document title, lines or page). ``regions`` (canonical county names, e.g. "Lappi")
        narrows the search; naming a region in the question does the same."""
        answer = await _run(lambda: get_assistant().ask(question, (), _filters(regions)))
        return answer_text(answer)

    @server.tool()
    async def search(question: str, regions: list[str] | None = None, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
        """The passages most relevant to a question, best first, each with its citation (region, title,
        document id, lines or page) and text."""
        if not 1 <= limit <= 20:
            raise ToolError("limit must be between 1 and 20.")
        answer = await _run(lambda: get_assistant().ask(question, (), _filters(regions)))
        return [{"citation": where(p.chunk, answer.language), "document": p.chunk.doc_id, "region": p.chunk.region,
                 "title": p.chunk.title, "page": p.chunk.page, "lines": list(p.chunk.lines) if p.chunk.lines else None,
                 "score": round(p.score, 4), "text": p.chunk.text} for p in answer.passages[:limit]]

    @server.tool()
    async def get_document(id: str) -> dict[str, Any]:  # noqa: A002 - the tool's argument name
        """A document's metadata (region, title, year, kind, organisation) and its cleaned text; ids come
        from search results (``document``)."""
        return await _run(lambda: get_assistant().document(id))

    @server.tool()
    async def compare(topics: list[str], regions: list[str] | None = None) -> dict[str, Any]:
        """The practice map: for each topic (1-10, Finnish, Swedish or English) and region, whether the
        region's documents show it in use, piloted, planned, only mentioned or not at all, with the
        evidence sentence and its document offsets."""
        from assistant.wire import comparison_json

        result = await _run(lambda: get_assistant().compare(topics, regions or ()))
        return comparison_json(result)

    return server


def include_mcp(app: FastAPI) -> None:
    """Serve MCP's streamable HTTP transport at ``/mcp`` of ``app``, using the app's loaded assistant.

    The SDK's session manager needs a running task group: the router's lifespan runs it, and FastAPI
    merges router lifespans into the app's.
    """
    server = build_server(lambda: app.state.assistant)
    transport = server.streamable_http_app(streamable_http_path="/mcp")

    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        async with server.session_manager.run():
            yield

    router = APIRouter(lifespan=lifespan)
    router.routes.extend(transport.routes)
    app.include_router(router)


def run_stdio(settings: Settings) -> None:
    """Serve over stdin/stdout until the client closes the pipe (``assistant mcp``)."""
    assistant = Assistant(settings)
    build_server(lambda: assistant).run("stdio")
