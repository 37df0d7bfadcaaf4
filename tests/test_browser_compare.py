# ruff: noqa: F811  (test_browser's fixtures are imported and then requested by name as parameters)
"""The comparison view in real Chromium: a real server on the real index, the page's own modules.

Run: ``python -m pytest tests/test_browser_compare.py -q``. ``UPDATE_SCREENSHOT=1`` refreshes
``web/compare-screenshot.png``; without it nothing is written into the working tree.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live import serve
from tests.test_browser import (  # noqa: F401  (one server, browser and page fixture set per module)
    ANSWER_TIMEOUT_MS,
    CHROMIUM,
    OMAOLO_Q,
    REPO,
    _get_json,
    ask,
    browser,
    norm,
    open_app,
    page,
    playwright_instance,
    probe,
    server,
)

if not CHROMIUM.exists():  # pragma: no cover - test_browser already skips the module
    pytest.skip("browser tests need Chromium", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

LABELS_FI = {"in_use": "Käytössä", "pilot": "Pilotti", "planned": "Suunnitteilla", "mentioned": "Mainittu",
             "not_found": "Ei mainintaa"}
TOPICS = ["Omaolo", "kotisairaala"]


def api_compare(base: str, topics: list[str]) -> dict[str, Any]:
    request = urllib.request.Request(base + "/api/compare", json.dumps({"topics": topics}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 - local test server
        return dict(json.loads(resp.read().decode("utf-8")))


def label(cell: dict[str, Any]) -> str:
    """The badge text the page should show for an API cell: status label with the document year."""
    year = (cell.get("evidence") or {}).get("year")
    return LABELS_FI[cell["status"]] + (f" ({year})" if year else "")


def open_compare(page: Page, base: str, topics: list[str]) -> None:
    page.goto(base + "/?compare=" + ",".join(topics))
    page.wait_for_selector("body.is-ready")
    page.wait_for_selector("#compare-table tbody tr", timeout=ANSWER_TIMEOUT_MS)


def table_rows(page: Page) -> list[str]:
    return [norm(x) for x in page.locator("#compare-table tbody th[scope=row]").all_inner_texts()]


def cell(page: Page, topic: str, region: str) -> Any:
    return page.locator(f'#compare-table td[data-topic="{topic}"][data-region="{region}"]')


# ------------------------------------------------------------------------------------------------
def test_shared_url_renders_every_region_with_the_api_statuses(page: Page, server: str) -> None:
    open_compare(page, server, TOPICS)
    expect(page.locator("#compare-view")).to_be_visible()
    expect(page.locator("#chat")).to_be_hidden()
    expect(page.locator("#nav-compare")).to_have_attribute("aria-current", "")
    regions = _get_json(server + "/api/health")["regions"]
    assert table_rows(page) == regions
    headers = [norm(x) for x in page.locator("#compare-table thead th[scope=col]").all_inner_texts()]
    assert headers == ["Alue", *TOPICS]
    expect(page.locator("#compare-table caption")).to_contain_text("Omaolo, kotisairaala")
    expect(page.locator("#topic-chips .topic-chip")).to_have_count(2)

    data = api_compare(server, TOPICS)
    assert any(c["status"] != "not_found" for c in data["cells"]), data
    for c in data["cells"]:
        td = cell(page, c["topic"], c["region"])
        expect(td).to_have_attribute("data-status", c["status"])
        expect(td.locator(".badge")).to_have_text(label(c))
        if c["evidence"]:  # the year is shown: a 2021 plan is not a 2024 fact
            assert f"({c['evidence']['year']})" in td.locator(".badge").inner_text()


def test_cell_opens_its_evidence_highlighted_in_the_source_panel(page: Page, server: str) -> None:
    open_compare(page, server, TOPICS)
    data = api_compare(server, TOPICS)
    found = [c for c in data["cells"] if c["evidence"]]
    assert found, data
    for c in (found[0], found[-1]):
        cell(page, c["topic"], c["region"]).locator(".cell-btn").click()
        expect(page.locator("#panel")).to_be_visible()
        expect(page.locator("#panel-kicker")).to_have_text(f"{c['topic']} · {c['region']}")
        expect(page.locator("#panel-title")).to_have_text(c["evidence"]["title"])
        mark = page.locator("#doc-text mark")
        expect(mark).to_have_count(1)
        expect(mark).to_be_in_viewport()
        assert norm(mark.inner_text()) == norm(c["evidence"]["text"])
        expect(page.locator("#panel-meta")).to_contain_text(str(c["evidence"]["year"]))
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()
    # Focus goes back to the cell that opened the panel.
    assert page.evaluate("document.activeElement.closest('td').dataset.region") == found[-1]["region"]


def test_csv_and_xlsx_downloads_match_the_table(page: Page, server: str) -> None:
    open_compare(page, server, TOPICS)
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    download = info.value
    assert download.suggested_filename == "vertailu.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Alue" and rows[0][1::4] == TOPICS
    assert [r[0] for r in rows[1:]] == table_rows(page)
    for row in rows[1:]:
        for i, topic in enumerate(TOPICS):
            status, year, quote = row[1 + 4 * i], row[2 + 4 * i], row[3 + 4 * i]
            shown = norm(cell(page, topic, row[0]).locator(".badge").inner_text())
            assert shown == (f"{status} ({year})" if year else status), (row[0], topic)
            if quote:  # the quote of the cell, as the page shows it (shortened)
                snippet = norm(cell(page, topic, row[0]).locator(".cell-quote").inner_text()).rstrip(" …")
                assert norm(quote).startswith(snippet[:60])
    expect(page.locator("#compare-message")).to_contain_text("vertailu.csv")

    from openpyxl import load_workbook

    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    assert info.value.suggested_filename == "vertailu.xlsx"
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)] == table_rows(page)


def test_unknown_topic_shows_not_mentioned_everywhere_not_an_error(page: Page, server: str) -> None:
    open_compare(page, server, ["Xyzzyqwertyväline"])
    regions = _get_json(server + "/api/health")["regions"]
    badges = page.locator("#compare-table tbody .badge")
    expect(badges).to_have_count(len(regions))
    assert set(badges.all_inner_texts()) == {"Ei mainintaa"}
    expect(page.locator("#compare-error")).to_be_hidden()
    expect(page.locator("#compare-message")).to_contain_text("Yksikään alue ei mainitse")
    assert page.locator("#compare-table .cell-btn").count() == 0

    page.select_option("#lang-select", "en")
    assert set(page.locator("#compare-table tbody .badge").all_inner_texts()) == {"Not mentioned"}
    expect(page.locator("#compare-table thead th").first).to_have_text("Region")
    page.select_option("#lang-select", "fi")


def test_bad_input_from_a_link_shows_the_servers_message(page: Page, server: str) -> None:
    page.goto(server + "/?compare=" + "x" * 250)
    page.wait_for_selector("body.is-ready")
    error = page.locator("#compare-error")
    expect(error).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#compare-error-text")).to_contain_text("200 characters")
    expect(page.locator("#compare-result")).to_be_hidden()


def test_header_entry_opens_the_empty_view_and_back(page: Page, server: str) -> None:
    open_app(page, server)
    expect(page.locator("#nav-compare")).to_have_text("Vertailu")
    page.locator("#nav-compare").click()
    expect(page.locator("#compare-view")).to_be_visible()
    expect(page.locator("#chat")).to_be_hidden()
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator("#compare-title")).to_have_text("Vertailu alueittain")
    expect(page.locator("#topic-chips .topic-chip")).to_have_count(0)
    expect(page.locator("#compare-result")).to_be_hidden()
    expect(page.locator("#compare-examples .example").first).to_be_visible()
    assert page.url.endswith("/?compare=")
    page.locator("#nav-chat").click()
    expect(page.locator("#chat")).to_be_visible()
    expect(page.locator("#compare-view")).to_be_hidden()
    assert page.url == server + "/"
    page.go_back()
    expect(page.locator("#compare-view")).to_be_visible()


def test_keyboard_chips_table_and_panel(page: Page, server: str) -> None:
    open_app(page, server)
    page.locator("#nav-compare").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#compare-view")).to_be_visible()
    page.locator("#topic-input").focus()
    page.keyboard.type("Omaolo")
    page.keyboard.press("Enter")
    page.keyboard.type("kotisairaala,")
    page.keyboard.type("poistettava")
    page.keyboard.press("Enter")
    chips = page.locator("#topic-chips .topic-chip-text")
    expect(chips).to_have_text(["Omaolo", "kotisairaala", "poistettava"])
    page.keyboard.press("Backspace")  # empty field: removes the last chip
    expect(chips).to_have_text(["Omaolo", "kotisairaala"])
    # At most ten topics: a pasted list stops at the limit and says so.
    page.keyboard.insert_text(",".join(f"aihe{i}" for i in range(12)) + ",")
    expect(chips).to_have_count(10)
    expect(page.locator("#compare-message")).to_contain_text("Enintään 10")
    for _ in range(8):
        page.keyboard.press("Backspace")
    expect(chips).to_have_text(["Omaolo", "kotisairaala"])
    page.keyboard.press("Enter")  # empty field + Enter: compare
    page.wait_for_selector("#compare-table tbody tr", timeout=ANSWER_TIMEOUT_MS)
    assert "compare=Omaolo,kotisairaala" in page.url

    first = page.locator("#compare-table .cell-btn").first
    first.focus()
    start = page.evaluate("[document.activeElement.closest('td').dataset.region, document.activeElement.closest('td').dataset.topic]")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate("[document.activeElement.closest('td').dataset.region, document.activeElement.closest('td').dataset.topic]")
    assert moved[1] == start[1] and moved[0] != start[0], (start, moved)
    page.keyboard.press("Enter")
    expect(page.locator("#panel")).to_be_visible()
    expect(page.locator("#doc-text mark")).to_be_in_viewport()
    expect(page.locator("#panel-kicker")).to_have_text(f"{moved[1]} · {moved[0]}")


def test_chat_answer_offers_the_table(page: Page, server: str) -> None:
    open_app(page, server)
    data = ask(page, OMAOLO_Q)
    assert not data.get("abstained"), data
    turn = page.locator("#turns .turn").last
    button = turn.locator(".show-table")
    expect(button).to_have_text("Näytä taulukkona")
    topic = button.get_attribute("data-topic") or ""
    assert "omaolo" in topic.lower() and "alueilla" not in topic and "käyttöön" not in topic, topic
    button.click()
    expect(page.locator("#compare-view")).to_be_visible()
    expect(page.locator("#topic-chips .topic-chip-text")).to_have_text([topic])
    page.wait_for_selector("#compare-table tbody tr", timeout=ANSWER_TIMEOUT_MS)
    assert len(table_rows(page)) == len(_get_json(server + "/api/health")["regions"])
    assert page.locator("#compare-table .cell-btn").count() >= 3  # Omaolo is in most regions
    page.go_back()
    expect(page.locator("#chat")).to_be_visible()
    # A question that is not "which regions …" offers no table.
    ask(page, "Miten vammaispalveluita arvioidaan Pohjois-Pohjanmaalla?")
    expect(page.locator("#turns .turn").last.locator(".show-table")).to_have_count(0)


def test_phone_width_scrolls_the_table_not_the_page(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_compare(page, server, [*TOPICS, "AVAIN-mittari"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("(() => { const s = document.querySelector('.table-scroll'); "
                         "return s.scrollWidth > s.clientWidth; })()")
    page.locator("#compare-table .cell-btn").first.click()
    box = page.locator("#panel").bounding_box()
    assert box is not None and box["width"] >= 380
    expect(page.locator("#doc-text mark")).to_be_in_viewport()
    page.locator("#panel-close").click()
    expect(page.locator("#panel")).to_be_hidden()


def test_compare_screenshot(page: Page, server: str, tmp_path: Path) -> None:
    """The table for the README; written to web/ only with UPDATE_SCREENSHOT=1."""
    target = (REPO / "web" / "compare-screenshot.png" if os.environ.get("UPDATE_SCREENSHOT") == "1"
              else tmp_path / "compare.png")
    page.set_viewport_size({"width": 1280, "height": 1240})
    open_compare(page, server, ["Omaolo", "kotisairaala", "AVAIN-mittari", "perhekeskus"])
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


# ------------------------------------------------------------------------------------------------
# A PDF: the evidence's page is shown with a link to the file at that page
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from assistant.api import create_app
    from assistant.config import Settings
    from assistant.indexer import build_index
    from tests.test_loaders import build_pdf

    root = tmp_path_factory.mktemp("pdf-corpus")
    corpus = root / "corpus"
    corpus.mkdir()
    intro = [f"Hyvinvointialueen tavoite {i}: asiakkaiden palvelut paranevat ja jonot lyhenevät." for i in range(12)]
    pages = [["Kainuun hyvinvointialueen raportti 2023.", *intro],
             ["Kotisairaala aloitti toimintansa Kajaanissa vuonna 2023.", "Toiminta laajenee koko alueelle."]]
    (corpus / "kainuu-raportti.pdf").write_bytes(build_pdf(pages))
    (corpus / "sources.toml").write_text('[kainuu-raportti]\nregion = "Kainuu"\ntitle = "Kainuun raportti"\n'
                                         'year = 2023\n', encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", data_dir=root / "data")
    build_index(settings, quiet=True)
    with serve(create_app(settings), timeout=60) as url:
        yield url


def test_pdf_evidence_shows_its_page_and_links_the_file(browser: Browser, pdf_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_compare(pg, pdf_server, ["kotisairaala"])
        data = api_compare(pdf_server, ["kotisairaala"])
        evidence = data["cells"][0]["evidence"]
        assert evidence and evidence["page"], data
        page_no = evidence["page"]
        pg.locator("#compare-table .cell-btn").click()
        expect(pg.locator("#panel-meta")).to_contain_text(f"s. {page_no}")
        link = pg.locator("#panel-file")
        expect(link).to_be_visible()
        expect(link).to_have_text(f"Avaa PDF sivulta {page_no}")
        expect(link).to_have_attribute("href", f"/api/documents/kainuu-raportti/file#page={page_no}")
    finally:
        context.close()
    assert errors == []
