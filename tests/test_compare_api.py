"""``POST /api/compare`` and its export over TestClient, on the small corpus with the fake embedder."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.service import Assistant

CELL_KEYS = {"topic", "region", "status", "evidence", "more"}
EVIDENCE_KEYS = {"text", "document", "title", "year", "start", "end", "lines", "page"}


@pytest.fixture
def client(small_index, fake_embedder):
    with TestClient(create_app(small_index, Assistant(small_index, fake_embedder))) as c:
        yield c


def test_compare_returns_one_cell_per_topic_and_region_in_the_documented_shape(client):
    r = client.post("/api/compare", json={"topics": ["yöpartio", "Omaolo"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"topics", "regions", "cells"}
    assert body["topics"] == ["yöpartio", "Omaolo"] and body["regions"] == ["Keski-Pohjanmaa", "Lappi"]
    cells = {(c["topic"], c["region"]): c for c in body["cells"]}
    assert len(body["cells"]) == 4 and len(cells) == 4
    for cell in body["cells"]:
        assert set(cell) == CELL_KEYS and isinstance(cell["more"], int)
        assert (cell["evidence"] is None) == (cell["status"] == "not_found")
    assert cells[("yöpartio", "Lappi")]["status"] == "not_found"
    night = cells[("yöpartio", "Keski-Pohjanmaa")]["evidence"]
    assert set(night) == EVIDENCE_KEYS and "yöpartio" in night["text"].lower()
    assert night["year"] == 2022 and night["title"] == "Soiten raportti" and night["page"] is None
    assert night["lines"] and night["lines"][0] <= night["lines"][1]
    # start/end index the text of GET /api/documents/{id}, like citations do.
    for cell in body["cells"]:
        if cell["evidence"]:
            e = cell["evidence"]
            text = client.get(f"/api/documents/{e['document']}").json()["text"]
            assert text[e["start"]:e["end"]] == e["text"]


def test_regions_narrow_the_rows_and_accept_other_spellings(client):
    body = client.post("/api/compare", json={"topics": ["Omaolo"], "regions": ["Lapin"]}).json()
    assert body["regions"] == ["Lappi"] and [c["region"] for c in body["cells"]] == ["Lappi"]


@pytest.mark.parametrize(("body", "hint"), [
    ({}, "topics"),
    ({"topics": []}, "Give 1 to 10 topics"),
    ({"topics": [f"aihe {i}" for i in range(11)]}, "got 11"),
    ({"topics": ["Omaolo", ""]}, "remove empty topics"),
    ({"topics": ["   "]}, "remove empty topics"),
    ({"topics": "Omaolo"}, "topics"),
    ({"topics": ["Omaolo"], "regions": ["Atlantis"]}, "Unknown region 'Atlantis'. Use one of"),
    ({"topics": ["Omaolo"], "documents": ["nope"]}, "GET /api/documents lists the ids"),
])
def test_bad_input_is_422_that_says_what_to_fix(client, body, hint):
    r = client.post("/api/compare", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["status"] == 422 and hint in r.json()["error"]


def test_csv_export_link_has_a_row_per_region_matching_the_table(client):
    table = client.post("/api/compare", json={"topics": ["yöpartio", "Omaolo"]}).json()
    r = client.get("/api/compare/export", params={"topics": "yöpartio,Omaolo", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="vertailu.csv"' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Alue", "yöpartio", "yöpartio: vuosi", "yöpartio: lainaus", "yöpartio: lähde"]
    assert [row[0] for row in rows[1:]] == table["regions"]
    labels = {"mentioned": "Mainittu", "not_found": "Ei mainintaa", "in_use": "Käytössä", "pilot": "Pilotti",
              "planned": "Suunnitteilla"}
    for cell in table["cells"]:
        row = rows[1 + table["regions"].index(cell["region"])]
        col = 1 + 4 * table["topics"].index(cell["topic"])
        assert row[col] == labels[cell["status"]]
        assert row[col + 2] == ((cell["evidence"] or {}).get("text") or "")
        if cell["evidence"]:
            assert row[col + 1] == str(cell["evidence"]["year"]) and cell["evidence"]["title"] in row[col + 3]


def test_xlsx_export_by_post_reads_back_in_openpyxl(client):
    from openpyxl import load_workbook

    r = client.post("/api/compare/export?format=xlsx&lang=sv", json={"topics": ["yöpartio"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert sheet.title == "Jämförelse" and rows[0][:2] == ["Område", "yöpartio"]
    by_region = {row[0]: row for row in rows[1:]}
    assert set(by_region) == {"Keski-Pohjanmaa", "Lappi"}
    assert by_region["Lappi"][1] == "Nämns inte" and by_region["Keski-Pohjanmaa"][1] != "Nämns inte"
    assert "yöpartio" in by_region["Keski-Pohjanmaa"][3].lower()


def test_export_refuses_bad_input_and_unknown_format(client):
    assert client.get("/api/compare/export", params={"topics": "Omaolo", "regions": "Atlantis"}).status_code == 422
    r = client.get("/api/compare/export", params={"topics": "Omaolo", "format": "pdf"})
    assert r.status_code == 422 and "format" in r.json()["error"]


def test_compare_needs_the_reader_token_when_one_is_set(small_index, fake_embedder):
    settings = replace(small_index, api_token="s3cret")
    with TestClient(create_app(settings, Assistant(settings, fake_embedder))) as c:
        assert c.post("/api/compare", json={"topics": ["Omaolo"]}).status_code == 401
        assert c.get("/api/compare/export", params={"topics": "Omaolo"}).status_code == 401
        ok = c.post("/api/compare", json={"topics": ["Omaolo"]}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
