"""The admin view in a real browser: upload a DOCX for a county not in the index, edit its metadata,
delete it, and a refused bad file. Real server on a copy of the corpus and the index in tmp_path."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.test_browser import (  # also skips the module when Chromium is missing
    CHROMIUM,
    CHROMIUM_ARGS,
    NOT_FOUND_FI,
    REPO,
    SERVER_START_TIMEOUT,
    _free_port,
    _get_json,
    ask,
    open_app,
)

pytestmark = pytest.mark.browser

TOKEN = "admin-browser-secret"
JOB_TIMEOUT_MS = 120_000
KAINUU_TEXT = (
    "Kainuun hyvinvointialue avasi vuonna 2023 Kajaanissa perhekeskuksen, jossa lapsiperheiden kotipalvelu, "
    "neuvola ja perheneuvola toimivat saman katon alla. Perhekeskuksen kotipalvelua laajennettiin iltaisin ja "
    "viikonloppuisin, ja perhevalmennus järjestetään myös verkossa."
)
KAINUU_Q = "Mitä Kainuun perhekeskuksessa tehtiin lapsiperheiden kotipalvelulle?"


def kainuu_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Kainuun perhekeskus", level=1)
    document.add_paragraph(KAINUU_TEXT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def workspace(real_index: Path, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("admin-browser")
    shutil.copytree(corpus_dir, root / "corpus")
    shutil.copytree(real_index, root / "index", symlinks=True)
    return root


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_ADMIN_TOKEN=TOKEN, ASSISTANT_DATA_DIR=str(workspace / "data"))
    cmd = [sys.executable, "-m", "assistant", "serve", "--corpus", str(workspace / "corpus"),
           "--index", str(workspace / "index"), "--host", "127.0.0.1", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    log_path = workspace / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                try:
                    if _get_json(base + "/api/health", timeout=2).get("status") == "ok":
                        break
                except (OSError, urllib.error.URLError, ValueError):
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not start:\n{log_path.read_text(errors='replace')[-4000:]}")
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    """One page for the whole module: the tests are steps of one maintainer's session."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        open_app(pg, server)
        yield pg
        browser.close()
        assert errors == [], errors


def open_admin(page: Page) -> None:
    if not page.locator("#admin-dialog").is_visible():
        page.click("#admin-open")
    expect(page.locator("#admin-dialog")).to_be_visible()


def close_admin(page: Page) -> None:
    page.click("#admin-close")
    expect(page.locator("#admin-dialog")).to_be_hidden()


def last_job(page: Page) -> str:
    return page.get_attribute("#admin-job", "data-job") or ""


def wait_job(page: Page, previous: str) -> None:
    """Until the job started after ``previous`` has finished; it must have succeeded."""
    page.wait_for_function(
        """prev => { const b = document.getElementById('admin-job');
                     return b.dataset.job && b.dataset.job !== prev && ['done', 'failed'].includes(b.dataset.state); }""",
        arg=previous, timeout=JOB_TIMEOUT_MS)
    assert page.get_attribute("#admin-job", "data-state") == "done", page.inner_text("#admin-job-message")


def test_01_asks_for_the_token_and_lists_documents(page: Page) -> None:
    expect(page.locator("#admin-open")).to_be_visible()
    page.click("#admin-open")
    expect(page.locator("#admin-token-form")).to_be_visible()
    page.fill("#admin-token-input", "wrong")
    page.press("#admin-token-input", "Enter")
    expect(page.locator("#admin-token-error")).to_contain_text("Avain ei kelpaa")
    page.fill("#admin-token-input", TOKEN)
    page.press("#admin-token-input", "Enter")
    expect(page.locator("#admin-docs tbody tr")).to_have_count(5)
    expect(page.locator("#admin-docs")).to_contain_text("Lapin sote-uudistushankkeiden toimeenpanosuunnitelma")
    assert page.locator("#admin-region option").count() == 23  # a prompt + 21 counties + Helsinki


def test_02_upload_docx_progresses_to_done_and_is_answerable(page: Page, workspace: Path, tmp_path: Path) -> None:
    close_admin(page)
    before = ask(page, KAINUU_Q)
    assert not before.get("citations"), before
    open_admin(page)
    path = tmp_path / "Kainuun perhekeskus 2023.docx"
    path.write_bytes(kainuu_docx())
    page.set_input_files("#admin-file", str(path))
    page.select_option("#admin-region", "Kainuu")
    page.fill("#admin-doc-title", "Kainuun perhekeskuksen toimintakertomus")
    page.fill("#admin-year", "2023")
    page.fill("#admin-kind", "toimintakertomus")
    previous = last_job(page)
    page.click("#admin-upload-send")
    expect(page.locator("#admin-job")).to_be_visible()
    wait_job(page, previous)
    assert page.eval_on_selector("#admin-progress", "p => p.value") == 1
    row = page.locator('#admin-docs tr[data-document="Kainuun-perhekeskus-2023"]')
    expect(row).to_contain_text("Kainuun perhekeskuksen toimintakertomus")
    expect(row).to_contain_text("Kainuu")
    assert (workspace / "corpus" / "Kainuun-perhekeskus-2023.docx").exists()
    expect(page.locator("#admin-audit tbody tr").first).to_contain_text("done")

    close_admin(page)
    data = ask(page, KAINUU_Q)
    cited = [c for c in data["citations"] if c["region"] == "Kainuu"]
    assert cited and cited[0]["title"] == "Kainuun perhekeskuksen toimintakertomus", data
    turn = page.locator("#turns .turn").last
    expect(turn.locator(".sources .source-title").first).to_have_text("Kainuun perhekeskuksen toimintakertomus")


def test_03_metadata_edit(page: Page, workspace: Path) -> None:
    open_admin(page)
    page.locator('#admin-docs tr[data-document="Kainuun-perhekeskus-2023"] .admin-edit').click()
    expect(page.locator("#admin-edit")).to_be_visible()
    assert page.input_value("#admin-edit-region") == "Kainuu"
    page.fill("#admin-edit-title-input", "Kainuun perhekeskus 2023 (korjattu)")
    previous = last_job(page)
    page.click("#admin-edit-save")
    wait_job(page, previous)
    expect(page.locator('#admin-docs tr[data-document="Kainuun-perhekeskus-2023"]')).to_contain_text("(korjattu)")
    assert 'title = "Kainuun perhekeskus 2023 (korjattu)"' in (workspace / "corpus" / "sources.toml").read_text("utf-8")
    close_admin(page)
    data = ask(page, KAINUU_Q)
    assert data["citations"] and data["citations"][0]["title"] == "Kainuun perhekeskus 2023 (korjattu)", data


def test_04_refused_bad_file_shows_the_message(page: Page, workspace: Path, tmp_path: Path) -> None:
    open_admin(page)
    fake = tmp_path / "raportti.pdf"
    fake.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    page.set_input_files("#admin-file", str(fake))
    page.select_option("#admin-region", "Kainuu")
    page.fill("#admin-doc-title", "Ei oikea PDF")
    page.click("#admin-upload-send")
    expect(page.locator("#admin-error")).to_be_visible()
    expect(page.locator("#admin-error-text")).to_contain_text("raportti.pdf: the file is an HTML page")
    assert not (workspace / "corpus" / "raportti.pdf").exists()
    expect(page.locator("#admin-audit tbody tr").first).to_contain_text("refused")


def test_05_delete_removes_it_from_answers(page: Page, workspace: Path) -> None:
    open_admin(page)
    button = page.locator('#admin-docs tr[data-document="Kainuun-perhekeskus-2023"] .admin-delete')
    button.click()
    expect(button).to_have_text("Vahvista poisto")
    previous = last_job(page)
    button.click()
    wait_job(page, previous)
    expect(page.locator('#admin-docs tr[data-document="Kainuun-perhekeskus-2023"]')).to_have_count(0)
    assert not (workspace / "corpus" / "Kainuun-perhekeskus-2023.docx").exists()
    close_admin(page)
    data = ask(page, KAINUU_Q)
    assert not [c for c in data.get("citations", []) if c["region"] == "Kainuu"], data
    assert NOT_FOUND_FI in data.get("answer", ""), data


def test_06_view_is_hidden_when_the_server_has_no_admin_token(page: Page, server: str) -> None:
    page.route("**/api/health", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body='{"status": "ok", "documents": 5, "chunks": 840, "regions": [], "admin_enabled": false}'))
    open_app(page, server)
    page.wait_for_selector('body[data-admin="off"]')  # admin.js has read /api/health
    expect(page.locator("#admin-open")).to_be_hidden()
    page.unroute("**/api/health")
