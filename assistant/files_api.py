"""``GET /api/documents/{id}/file``: the original corpus file, served so a browser can never run it.

PDFs open inline (the browser's viewer honours ``#page=``); text formats are shown as plain text;
Office files and HTML are downloads. HTML is never served as ``text/html``: document text is data.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from assistant.api import AssistantDep
from assistant.errors import NotFound
from assistant.service import Assistant

router = APIRouter(tags=["documents"])

# suffix -> (media type, inline?)
MEDIA = {
    ".pdf": ("application/pdf", True),
    ".txt": ("text/plain; charset=utf-8", True),
    ".md": ("text/plain; charset=utf-8", True),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", False),
    ".html": ("application/octet-stream", False),
    ".htm": ("application/octet-stream", False),
}


def original_file(assistant: Assistant, doc_id: str) -> Path:
    """The indexed document's file inside the corpus folder; ``NotFound`` for anything else."""
    documents = assistant.load().snapshot.documents
    doc = documents.get(doc_id)
    missing = NotFound(f"No original file for '{doc_id}'. GET /api/documents lists the ids.")
    if doc is None:
        raise missing
    corpus = assistant.settings.corpus_dir.resolve()
    path = (corpus / doc_id).parent / doc.file_name
    try:
        path.resolve().relative_to(corpus)  # ids come from the index, but never leave the corpus folder
    except ValueError:
        raise missing from None
    if not path.is_file() or path.is_symlink():
        raise NotFound(f"The file of '{doc_id}' is no longer in the corpus folder (removed since indexing?).")
    return path


FILE_TYPES = sorted({media.split(";")[0] for media, _ in MEDIA.values()})


@router.get("/api/documents/{doc_id:path}/file", response_class=FileResponse, responses={200: {
    "description": "The original file", "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                                    for m in FILE_TYPES}}})
async def document_file(doc_id: str, assistant: AssistantDep) -> FileResponse:
    path = await run_in_threadpool(original_file, assistant, doc_id)
    media, inline = MEDIA.get(path.suffix.lower(), ("application/octet-stream", False))
    return FileResponse(path, media_type=media, filename=path.name,
                        content_disposition_type="inline" if inline else "attachment")
