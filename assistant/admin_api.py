"""Admin API under ``/api/admin`` (needs ``ASSISTANT_ADMIN_TOKEN``): documents, re-index jobs, audit log.

Uploads and edits answer 202 with a job id at once; ``GET /api/admin/jobs/{id}/events`` streams the
job's state as NDJSON (one JSON object per change) until it is done or failed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.admin import DocumentManager, Upload
from assistant.api import AdminDep
from assistant.audit import AuditLog
from assistant.jobs import Job
from assistant.uploads import REGION_NAMES, Rejected, TooLarge

POLL_SECONDS = 0.25
READ_BLOCK = 1 << 20


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = app.state.settings
    manager = DocumentManager(app.state.assistant, AuditLog(settings.data_dir / "audit.sqlite"))
    app.state.documents_admin = manager
    yield
    await run_in_threadpool(manager.close)


router = APIRouter(prefix="/api/admin", tags=["admin"], dependencies=[AdminDep], lifespan=lifespan)


def get_manager(request: Request) -> DocumentManager:
    return request.app.state.documents_admin  # type: ignore[no-any-return]


ManagerDep = Annotated[DocumentManager, Depends(get_manager)]


class MetadataIn(BaseModel):
    """Fields to change; a field left out stays as it is, ``null`` or "" removes it (not region/title)."""

    model_config = ConfigDict(extra="forbid")
    region: str | None = None
    title: str | None = None
    year: int | None = None
    kind: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=500)
    period: str | None = Field(default=None, max_length=200)


def _accepted(job: Job) -> dict[str, Any]:
    return {"job": job.id, "document": job.document, "state": job.state}


@router.get("/documents")
async def documents(manager: ManagerDep) -> dict[str, Any]:
    return {"documents": await run_in_threadpool(manager.documents), "regions": list(REGION_NAMES),
            "max_upload_mb": manager.settings.max_upload_mb}


async def _read(file: UploadFile, limit: int) -> bytes:
    """The upload's bytes, stopping one block past the limit (the manager reports the size)."""
    parts, size = [], 0
    while block := await file.read(READ_BLOCK):
        parts.append(block)
        size += len(block)
        if size > limit:
            raise TooLarge(f"{file.filename}: the file is larger than the {limit / 1048576:g} MB limit "
                           "(ASSISTANT_MAX_UPLOAD_MB). Split or compress it.")
    return b"".join(parts)


@router.post("/documents", status_code=202)
async def upload(manager: ManagerDep, file: UploadFile, region: Annotated[str, Form()],
                 title: Annotated[str, Form()], year: Annotated[str, Form()] = "",
                 kind: Annotated[str, Form()] = "", replace: Annotated[bool, Form()] = False) -> dict[str, Any]:
    name = file.filename or ""
    try:
        data = await _read(file, int(manager.settings.max_upload_mb * 1048576))
    except TooLarge as exc:
        manager.audit.record("upload", name, "refused", exc.message)
        raise
    if year.strip() and not year.strip().isdigit():
        raise Rejected(f"Year '{year}' is not a number; give e.g. 2024, or leave it empty.")
    job = await run_in_threadpool(manager.upload, Upload(name, data, region, title, int(year) if year.strip() else None,
                                                         kind, replace))
    return _accepted(job)


@router.patch("/documents/{doc_id:path}", status_code=202)
async def edit(doc_id: str, body: MetadataIn, manager: ManagerDep) -> dict[str, Any]:
    return _accepted(await run_in_threadpool(manager.edit, doc_id, body.model_dump(exclude_unset=True)))


@router.delete("/documents/{doc_id:path}", status_code=202)
async def delete(doc_id: str, manager: ManagerDep) -> dict[str, Any]:
    return _accepted(await run_in_threadpool(manager.delete, doc_id))


@router.get("/jobs/{job_id}")
async def job(job_id: str, manager: ManagerDep) -> dict[str, Any]:
    return manager.jobs.get(job_id).to_dict()


@router.get("/jobs/{job_id}/events")
async def job_events(job_id: str, manager: ManagerDep) -> StreamingResponse:
    manager.jobs.get(job_id)  # 404 before the stream starts

    async def events() -> AsyncIterator[str]:
        sent = 0
        while True:
            states = manager.jobs.states(job_id, sent)
            sent += len(states)
            for state in states:
                yield json.dumps(state.to_dict(), ensure_ascii=False) + "\n"
            if states and states[-1].finished:
                return
            await asyncio.sleep(POLL_SECONDS)

    return StreamingResponse(events(), media_type="application/x-ndjson", headers={"Cache-Control": "no-cache"})


@router.get("/audit")
async def audit(manager: ManagerDep, limit: int = 200) -> dict[str, Any]:
    entries = await run_in_threadpool(manager.audit.list, limit)
    return {"audit": [e.to_dict() for e in entries]}
