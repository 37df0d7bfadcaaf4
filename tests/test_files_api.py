"""``GET /api/documents/{id}/file``: originals with safe content types, never HTML inline."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.indexer import build_index
from assistant.service import Assistant
from tests.test_loaders import build_pdf

HTML = "<html><body><h1>Kainuu</h1><p>Kotipalvelu laajeni.</p><script>alert(1)</script></body></html>"


@pytest.fixture
def client(small_settings, small_corpus, fake_embedder):
    (small_corpus / "sub").mkdir()
    (small_corpus / "sub" / "kainuu.html").write_text(HTML, encoding="utf-8")
    (small_corpus / "esite.pdf").write_bytes(build_pdf([["Kainuun esite"], ["Toinen sivu perhekeskus"]]))
    build_index(small_settings, embedder=fake_embedder, quiet=True)
    with TestClient(create_app(small_settings, Assistant(small_settings, fake_embedder))) as c:
        yield c


def test_text_is_plain_text_inline(client, small_corpus):
    r = client.get("/api/documents/lappi-raportti/file")
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["content-disposition"].startswith("inline") and "lappi-raportti.txt" in r.headers["content-disposition"]
    assert r.content == (small_corpus / "lappi-raportti.txt").read_bytes()


def test_pdf_is_inline_pdf(client):
    r = client.get("/api/documents/esite/file")
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert r.headers["content-disposition"].startswith("inline")


def test_html_is_a_download_never_a_page(client):
    r = client.get("/api/documents/sub/kainuu/file")
    assert r.status_code == 200 and "html" not in r.headers["content-type"]
    assert r.headers["content-disposition"].startswith("attachment") and r.headers["x-content-type-options"] == "nosniff"


def test_unknown_ids_and_traversal_are_404(client, small_corpus):
    for doc_id in ["ei-ole", "../corpus/lappi-raportti", "..%2F..%2Fetc%2Fpasswd", "sources"]:
        assert client.get(f"/api/documents/{doc_id}/file").status_code == 404, doc_id
    (small_corpus / "lappi-raportti.txt").unlink()
    r = client.get("/api/documents/lappi-raportti/file")
    assert r.status_code == 404 and "no longer in the corpus" in r.json()["error"]


def test_the_plain_document_route_still_works(client):
    assert client.get("/api/documents/sub/kainuu").json()["region"]
