"""Document management through the admin API (TestClient, lifespan running; small corpus, fake embedder)."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.jobs import JobQueue
from assistant.service import Assistant
from tests.test_api import FAKE_THRESHOLDS

ADMIN = {"Authorization": "Bearer admin-secret"}
COMMENT = "# Metadata for the test corpus: keep this comment.\n"
KAINUU_TEXT = ("Kainuun hyvinvointialueella perhekeskuksen lapsiperheiden kotipalvelu laajeni Kajaanissa "
               "vuonna 2023. Neuvolan perhevalmennus järjestetään verkossa.")
KAINUU_Q = "Miten lapsiperheiden kotipalvelu laajeni Kainuussa?"


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def settings(small_index):
    toml = small_index.corpus_dir / "sources.toml"
    toml.write_text(COMMENT + toml.read_text(encoding="utf-8"), encoding="utf-8")
    return replace(small_index, admin_token="admin-secret")


@pytest.fixture
def client(settings, fake_embedder):
    with TestClient(create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS))) as c:
        yield c


def finish(client: TestClient, job_id: str) -> list[dict]:
    """The job's NDJSON event stream, read to its end (done or failed)."""
    with client.stream("GET", f"/api/admin/jobs/{job_id}/events", headers=ADMIN) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in r.iter_lines() if line.strip()]


def upload(client: TestClient, name: str, data: bytes, **form: str):  # type: ignore[no-untyped-def]
    fields = {"region": "Kainuu", "title": "Kainuun perhekeskus", **form}
    return client.post("/api/admin/documents", headers=ADMIN, data=fields, files={"file": (name, data)})


def corpus_names(corpus: Path) -> set[str]:
    return {p.name for p in corpus.iterdir()}


def test_admin_routes_are_off_without_the_admin_token(small_index, fake_embedder):
    with TestClient(create_app(small_index, Assistant(small_index, fake_embedder))) as c:
        assert c.get("/api/health").json()["admin_enabled"] is False
        for method, path in [("GET", "/api/admin/documents"), ("POST", "/api/admin/documents"),
                             ("DELETE", "/api/admin/documents/lappi-raportti"), ("GET", "/api/admin/audit"),
                             ("GET", "/api/admin/jobs/x")]:
            r = c.request(method, path, headers=ADMIN)
            assert r.status_code == 403, (method, path)
            assert "set ASSISTANT_ADMIN_TOKEN to enable document management" in r.json()["error"]


def test_the_admin_token_is_needed_and_the_reader_token_is_not_enough(client):
    assert client.get("/api/health").json()["admin_enabled"] is True
    assert client.get("/api/admin/documents").status_code == 401
    assert client.get("/api/admin/documents", headers={"Authorization": "Bearer reader"}).status_code == 401
    listed = client.get("/api/admin/documents", headers=ADMIN).json()
    assert {d["id"] for d in listed["documents"]} == {"lappi-raportti", "soite-raportti"}
    assert len(listed["regions"]) == 22 and "Helsinki" in listed["regions"] and listed["max_upload_mb"] == 50


def test_uploaded_docx_becomes_answerable_and_deleting_it_removes_it(client, settings):
    before = client.post("/api/ask", json={"question": KAINUU_Q}).json()
    assert all(c["region"] != "Kainuu" for c in before["citations"])

    r = upload(client, "Kainuun perhekeskus 2023.docx", docx_bytes("Perhekeskus", KAINUU_TEXT), year="2023",
               kind="raportti")
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["document"] == "Kainuun-perhekeskus-2023"
    events = finish(client, body["job"])
    assert events[-1]["state"] == "done" and events[-1]["progress"] == 1.0, events
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and len(events) >= 3

    answer = client.post("/api/ask", json={"question": KAINUU_Q}).json()
    cited = answer["citations"][0]
    assert cited["region"] == "Kainuu" and cited["title"] == "Kainuun perhekeskus" and "[1]" in answer["answer"]
    toml = (settings.corpus_dir / "sources.toml").read_text(encoding="utf-8")
    assert toml.startswith(COMMENT) and toml.index("[lappi-raportti]") < toml.index("[soite-raportti]")
    assert '[Kainuun-perhekeskus-2023]\nregion = "Kainuu"\ntitle = "Kainuun perhekeskus"\nyear = 2023' in toml
    listed = {d["id"]: d for d in client.get("/api/admin/documents", headers=ADMIN).json()["documents"]}
    new = listed["Kainuun-perhekeskus-2023"]
    assert new["chunks"] >= 1 and new["indexed"] and not new["metadata_guessed"] and new["added"]

    r = client.delete("/api/admin/documents/Kainuun-perhekeskus-2023", headers=ADMIN)
    assert r.status_code == 202 and finish(client, r.json()["job"])[-1]["state"] == "done"
    after = client.post("/api/ask", json={"question": KAINUU_Q}).json()
    assert all(p["region"] != "Kainuu" for p in after["citations"] + after["passages"])
    assert "Kainuun-perhekeskus-2023" not in (settings.corpus_dir / "sources.toml").read_text(encoding="utf-8")
    assert corpus_names(settings.corpus_dir) == {"lappi-raportti.txt", "soite-raportti.txt", "sources.toml"}

    actions = [(e["action"], e["outcome"]) for e in client.get("/api/admin/audit", headers=ADMIN).json()["audit"]]
    assert actions[:4] == [("delete", "done"), ("delete", "accepted"), ("upload", "done"), ("upload", "accepted")]


def test_metadata_edit_changes_citations(client):
    r = client.patch("/api/admin/documents/lappi-raportti", headers=ADMIN,
                     json={"title": "Lapin uusi nimi", "kind": "raportti"})
    assert r.status_code == 202, r.text
    assert finish(client, r.json()["job"])[-1]["state"] == "done"
    cited = client.post("/api/ask", json={"question": "Milloin Omaolo otettiin käyttöön Lapissa?"}).json()["citations"]
    assert cited[0]["title"] == "Lapin uusi nimi"
    r = client.patch("/api/admin/documents/lappi-raportti", headers=ADMIN, json={"region": "Narnia"})
    assert r.status_code == 422 and "21 wellbeing services counties" in r.json()["error"]
    assert client.patch("/api/admin/documents/ei-ole", headers=ADMIN, json={"title": "x"}).status_code == 404


ZIP_NOT_DOCX = io.BytesIO()
with zipfile.ZipFile(ZIP_NOT_DOCX, "w") as z:
    z.writestr("hello.txt", "hi")


@pytest.mark.parametrize(("name", "data", "says"), [
    ("raportti.pdf", b"<!DOCTYPE html><html><body>Not found</body></html>", "an HTML page"),
    ("raportti.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted or old binary Office"),
    ("raportti.docx", ZIP_NOT_DOCX.getvalue(), "not a .docx document"),
    ("raportti.docx", b"PK\x03\x04 broken", "damaged"),
    ("raportti.pdf", b"%PDF-1.7\n garbage that is no pdf", "raportti.pdf: "),
    ("raportti.txt", b"   \n\n  ", "no text"),
    ("raportti.exe", b"MZ", "unsupported file type"),
    ("sources.toml", b"x = 1", "unsupported file type"),
])
def test_bad_files_are_refused_by_name_and_not_kept(client, settings, name, data, says):
    before = corpus_names(settings.corpus_dir)
    r = upload(client, name, data)
    assert r.status_code == 422, r.text
    assert says in r.json()["error"]
    assert corpus_names(settings.corpus_dir) == before  # nothing half-written, no temporaries
    assert client.get("/api/admin/audit", headers=ADMIN).json()["audit"][0]["outcome"] == "refused"


def test_names_are_sanitised_and_existing_names_need_replace(client, settings):
    r = upload(client, "../../etc/Äänekosken  raportti.txt", KAINUU_TEXT.encode())
    assert r.status_code == 202 and r.json()["document"] == "Äänekosken-raportti"
    assert finish(client, r.json()["job"])[-1]["state"] == "done"
    assert (settings.corpus_dir / "Äänekosken-raportti.txt").read_text(encoding="utf-8") == KAINUU_TEXT

    again = upload(client, "Äänekosken raportti.txt", b"Uusi versio: Kainuun kotipalvelu.")
    assert again.status_code == 409 and "replace=true" in again.json()["error"]
    other = upload(client, "Äänekosken-raportti.md", b"Kainuu")
    assert other.status_code == 409 and "rename" in other.json()["error"]
    replaced = upload(client, "Äänekosken raportti.txt", b"Uusi versio: Kainuun kotipalvelu.", replace="true")
    assert replaced.status_code == 202 and finish(client, replaced.json()["job"])[-1]["state"] == "done"
    assert (settings.corpus_dir / "Äänekosken-raportti.txt").read_text(encoding="utf-8").startswith("Uusi versio")


def test_unknown_region_missing_title_and_bad_year_are_422(client):
    assert "Unknown region 'Atlantis'" in upload(client, "a.txt", b"Kainuu", region="Atlantis").json()["error"]
    assert "title is needed" in upload(client, "a.txt", b"Kainuu", title="  ").json()["error"]
    assert "not a number" in upload(client, "a.txt", b"Kainuu", year="twenty").json()["error"]
    assert upload(client, "a.txt", b"Kainuu", region="kainuun").status_code == 202  # inflected name is fine


def test_size_limit(small_index, fake_embedder):
    settings = replace(small_index, admin_token="admin-secret", max_upload_mb=0.001)
    with TestClient(create_app(settings, Assistant(settings, fake_embedder))) as c:
        r = upload(c, "iso.txt", b"Kainuu " * 1000)
        assert r.status_code == 413 and "ASSISTANT_MAX_UPLOAD_MB" in r.json()["error"]


def test_jobs_run_one_at_a_time_in_order():
    finished: list[str] = []
    jobs = JobQueue(on_finish=lambda job: finished.append(job.document))
    release = threading.Event()
    first = jobs.submit("upload", "a", lambda report: (report(0.5, "half"), release.wait(10)))
    second = jobs.submit("upload", "b", lambda report: None)
    failing = jobs.submit("edit", "c", lambda report: 1 / 0)
    for _ in range(200):
        if jobs.get(first.id).state == "running":
            break
        threading.Event().wait(0.01)
    assert jobs.get(first.id).progress == 0.5 and jobs.get(second.id).state == "queued"
    release.set()
    jobs.close()
    assert finished == ["a", "b", "c"]
    assert jobs.get(failing.id).state == "failed" and "ZeroDivisionError" in jobs.get(failing.id).message


def test_unknown_job_is_404(client):
    assert client.get("/api/admin/jobs/nope", headers=ADMIN).status_code == 404


def test_a_document_the_indexer_skips_is_rolled_back(client, settings):
    # Loads fine (so the trial load accepts it) but holds nothing but page numbers once cleaned.
    toml_before = (settings.corpus_dir / "sources.toml").read_bytes()
    r = upload(client, "sivunumerot.txt", b"1\n2\n3\n")
    assert r.status_code == 202
    last = finish(client, r.json()["job"])[-1]
    assert last["state"] == "failed" and "sivunumerot: no text left after cleaning" in last["message"]
    assert corpus_names(settings.corpus_dir) == {"lappi-raportti.txt", "soite-raportti.txt", "sources.toml"}
    assert (settings.corpus_dir / "sources.toml").read_bytes() == toml_before
    assert client.post("/api/ask", json={"question": "Omaolo Lapissa?"}).status_code == 200  # still serving
