"""CSV/XLSX building from practice-map records: labels, sources, and document text kept inert."""

from __future__ import annotations

import csv
import io

from assistant.export import source_text, status_label, to_csv, to_xlsx
from assistant.records import Cell, Comparison, Evidence

PLAN = Evidence("Kotisairaala otetaan käyttöön 2022.", "ep", "EP:n suunnitelma", 2021, 10, 45, (120, 121), None)
FORMULA = Evidence('=HYPERLINK("http://x","klikkaa")', "pdf-doc", "Raportti", None, 0, 30, None, 12)
COMPARISON = Comparison(
    topics=("kotisairaala", "Omaolo"), regions=("Etelä-Pohjanmaa", "Lappi"),
    cells=(Cell("kotisairaala", "Etelä-Pohjanmaa", "planned", PLAN, 2),
           Cell("kotisairaala", "Lappi", "not_found", None, 0),
           Cell("Omaolo", "Etelä-Pohjanmaa", "not_found", None, 0),
           Cell("Omaolo", "Lappi", "mentioned", FORMULA, 0)),
)


def test_labels_carry_the_document_year_and_sources_name_the_place():
    planned, formula = COMPARISON.cells[0], COMPARISON.cells[3]
    assert status_label(planned) == "Suunnitteilla (2021)" and status_label(planned, "en") == "Planned (2021)"
    assert status_label(formula, "sv") == "Nämns"  # no year known: no "(None)"
    assert source_text(planned) == "EP:n suunnitelma, rivit 120–121 (+2 muuta kohtaa)"
    assert source_text(formula, "en") == "Raportti, p. 12"
    assert source_text(COMPARISON.cells[1]) == ""


def test_csv_is_utf8_with_bom_and_a_formula_in_a_document_stays_text():
    data = to_csv(COMPARISON)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3 and [r[0] for r in rows[1:]] == ["Etelä-Pohjanmaa", "Lappi"]
    assert rows[1][1:5] == ["Suunnitteilla", "2021", PLAN.text, "EP:n suunnitelma, rivit 120–121 (+2 muuta kohtaa)"]
    assert rows[2][5:9] == ["Mainittu", "", "'" + FORMULA.text, "Raportti, s. 12"]


def test_xlsx_keeps_a_formula_in_a_document_as_a_string():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(to_xlsx(COMPARISON, "en"))).active
    quote = sheet.cell(row=3, column=8)
    assert quote.value == FORMULA.text and quote.data_type == "s"
    assert sheet.cell(row=1, column=1).value == "Region" and sheet.freeze_panes == "B2"
    assert sheet.cell(row=2, column=2).fill.fgColor.rgb.endswith("FCEBC7")  # planned: the page's amber


def test_xlsx_drops_control_characters_instead_of_failing():
    # Found by Schemathesis: a typed topic with a control character made POST /api/compare/export a 500.
    from dataclasses import replace

    from openpyxl import load_workbook

    odd = replace(COMPARISON, topics=("koti\x01sairaala", "Omaolo"),
                  cells=tuple(replace(c, topic="koti\x01sairaala") if c.topic == "kotisairaala" else c
                              for c in COMPARISON.cells))
    sheet = load_workbook(io.BytesIO(to_xlsx(odd, "en"))).active
    assert any(cell.value and "kotisairaala" in str(cell.value) for cell in sheet[1])
