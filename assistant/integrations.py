"""The routers beside the chat API: the OpenAI-compatible API, MCP over HTTP, document management and
original files. ``create_app`` calls :func:`include_integrations` once, before its own routes, so that
``/api/documents/{id}/file`` is matched before ``/api/documents/{id:path}``."""

from __future__ import annotations

from fastapi import FastAPI

from assistant.config import Settings


def include_integrations(app: FastAPI, settings: Settings) -> None:
    from assistant.admin_api import router as admin_router
    from assistant.files_api import router as files_router
    from assistant.mcp_server import include_mcp
    from assistant.openai_api import router as openai_router

    app.include_router(openai_router)
    include_mcp(app)
    app.include_router(admin_router)
    app.include_router(files_router)
