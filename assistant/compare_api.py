"""HTTP routes of the practice map: ``POST /api/compare`` and its CSV/XLSX export.

The service checks topics and regions (422 with what to fix); pydantic only bounds the request's size.
``GET /api/compare/export?topics=Omaolo,kotisairaala&format=xlsx`` is a link a person can share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.errors import InvalidQuestion
from assistant.export import Language, to_csv, to_xlsx
from assistant.records import Comparison
from assistant.service import Assistant
from assistant.wire import comparison_json

# Generous bounds on the body's size only: the service says what to fix for 0 or > 10 topics.
MAX_ITEMS = 100
MAX_ITEM_CHARS = 1000
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FILE_NAMES = {"fi": "vertailu", "sv": "jamforelse", "en": "comparison"}

Item = Annotated[str, Field(max_length=MAX_ITEM_CHARS)]


class CompareIn(BaseModel):
    topics: list[Item] = Field(max_length=MAX_ITEMS, description="1 to 10 topics, in Finnish, Swedish or English")
    regions: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS,
                                description="regions to compare; default: every region in the index")
    documents: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS, description="only these document ids")


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant  # type: ignore[no-any-return]


AssistantDep = Annotated[Assistant, Depends(_assistant)]
router = APIRouter(prefix="/api/compare", tags=["practice map"])


def compare(assistant: Assistant, topics: Sequence[str], regions: Sequence[str] = (),
            documents: Sequence[str] = ()) -> Comparison:
    """``Assistant.compare`` with unknown document ids refused like unknown regions."""
    if documents:
        known = {d["id"] for d in assistant.documents()}
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise InvalidQuestion(f"Unknown document '{unknown[0]}'. GET /api/documents lists the ids.")
    return assistant.compare(topics, regions=regions, documents=documents)


def _split(values: list[str]) -> list[str]:
    """``["Omaolo,kotisairaala", "AVAIN"]`` -> three items: query parameters may repeat or use commas."""
    return [part.strip() for v in values for part in v.split(",")]


def _file(comparison: Comparison, fmt: Literal["csv", "xlsx"], lang: Language) -> Response:
    data = to_csv(comparison, lang) if fmt == "csv" else to_xlsx(comparison, lang)
    name = f"{FILE_NAMES[lang]}.{fmt}"
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("")
async def compare_route(body: CompareIn, assistant: AssistantDep) -> dict[str, Any]:
    """One cell per topic x region: status, the evidence sentence that decided it, and how many more."""
    result = await run_in_threadpool(compare, assistant, body.topics, body.regions, body.documents)
    return comparison_json(result)


@router.post("/export", response_class=Response)
async def export_post(body: CompareIn, assistant: AssistantDep, format: Literal["csv", "xlsx"] = "csv",
                      lang: Language = "fi") -> Response:
    """The same table as a file: one row per region; per topic status, year, quote and source."""
    result = await run_in_threadpool(compare, assistant, body.topics, body.regions, body.documents)
    return _file(result, format, lang)


@router.get("/export", response_class=Response)
async def export_get(assistant: AssistantDep, topics: Annotated[list[str], Query()],
                     regions: Annotated[list[str] | None, Query()] = None, format: Literal["csv", "xlsx"] = "csv", lang: Language = "fi") -> Response:
    """A shareable link: ``?topics=Omaolo,kotisairaala&format=xlsx`` (topics/regions repeat or use commas)."""
    result = await run_in_threadpool(compare, assistant, _split(topics), _split(regions or []))
    return _file(result, format, lang)
