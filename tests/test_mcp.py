"""The MCP server through the SDK's own client: over stdio (a subprocess) and over streamable HTTP at
``/mcp`` of a real uvicorn server."""

from __future__ import annotations

import sys
from dataclasses import replace

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from assistant.api import create_app
from assistant.service import Assistant
from tests.conftest import REPO
from tests.live import serve
from tests.test_api import FAKE_THRESHOLDS

QUESTION = "Milloin Omaolo-palvelu otettiin käyttöön Lapissa?"


def _text(result) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(c.text for c in result.content if getattr(c, "text", None))


async def _exercise(client: Client) -> None:
    names = {t.name for t in (await client.list_tools()).tools}
    assert {"ask", "search", "get_document", "compare"} <= names

    asked = await client.call_tool("ask", {"question": QUESTION})
    assert not asked.is_error
    answer = _text(asked)
    assert "[1]" in answer and "\n\nLähteet:\n[1] Lappi — Lapin raportti, rivit " in answer

    found = await client.call_tool("search", {"question": "Omaolo terveysasemilla", "regions": ["Keski-Pohjanmaa"],
                                              "limit": 3})
    passages = found.structured_content["result"]
    assert 1 <= len(passages) <= 3 and {p["region"] for p in passages} == {"Keski-Pohjanmaa"}
    assert passages[0]["citation"].startswith("Keski-Pohjanmaa — Soiten raportti, rivit ")

    doc = (await client.call_tool("get_document", {"id": passages[0]["document"]})).structured_content
    assert doc["region"] == "Keski-Pohjanmaa" and passages[0]["text"][:40] in doc["text"]

    missing = await client.call_tool("get_document", {"id": "ei-ole"})
    assert missing.is_error and "No document 'ei-ole'" in _text(missing)
    table = (await client.call_tool("compare", {"topics": ["yöpartio"]})).structured_content
    cells = {c["region"]: c for c in table["cells"]}
    assert set(cells) == {"Keski-Pohjanmaa", "Lappi"} and cells["Lappi"]["status"] == "not_found"
    assert "yöpartio" in cells["Keski-Pohjanmaa"]["evidence"]["text"].lower()
    unknown = await client.call_tool("ask", {"question": QUESTION, "regions": ["Atlantis"]})
    assert unknown.is_error and "Unknown region 'Atlantis'" in _text(unknown)


def test_stdio_with_the_sdk_client(small_index):
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "tests.mcp_fake_server", str(small_index.corpus_dir),
                                         str(small_index.index_dir)],
                                   cwd=str(REPO), env={"PYTHONPATH": str(REPO)})

    async def main() -> None:
        async with Client(params) as client:
            await _exercise(client)

    anyio.run(main)


@pytest.fixture
def http_server(small_index, fake_embedder):
    settings = replace(small_index, api_token="reader-secret")
    with serve(create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS))) as url:
        yield url


def test_streamable_http_at_mcp_with_the_reader_token(http_server):
    async def main() -> None:
        http = httpx2.AsyncClient(headers={"Authorization": "Bearer reader-secret"})
        async with http, Client(streamable_http_client(http_server + "/mcp", http_client=http)) as client:
            await _exercise(client)

    anyio.run(main)


def test_mcp_over_http_needs_the_reader_token(http_server):
    r = httpx2.post(http_server + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                    headers={"Accept": "application/json, text/event-stream"})
    assert r.status_code == 401 and "access token" in r.json()["error"]


@pytest.mark.slow
def test_assistant_mcp_command_answers_from_the_real_index(real_index, corpus_dir):
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant", "mcp", "--corpus", str(corpus_dir),
                                                                 "--index", str(real_index)],
                                   cwd=str(REPO), env={"PYTHONPATH": str(REPO)})

    async def main() -> str:
        async with Client(params, read_timeout_seconds=120) as client:
            return _text(await client.call_tool("ask", {"question": "Missä alueilla Omaoloa on otettu käyttöön?"}))

    answer = anyio.run(main)
    assert "[1]" in answer and "\n\nLähteet:\n[1] " in answer
