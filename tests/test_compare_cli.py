"""``assistant compare`` on the small corpus with the real default embedder: table, JSON, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json

from assistant.cli import main


def test_compare_prints_a_table_and_writes_files(small_corpus, tmp_path, capsys):
    index = tmp_path / "index"
    assert main(["index", "--corpus", str(small_corpus), "--index", str(index), "--quiet"]) == 0
    capsys.readouterr()

    assert main(["compare", "yöpartio", "Omaolo", "--index", str(index)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Alue", "yöpartio", "Omaolo"]
    rows = {line.split()[0]: line for line in lines[2:4]}
    assert set(rows) == {"Keski-Pohjanmaa", "Lappi"}
    assert "Ei mainintaa" in rows["Lappi"].split("(")[0]  # Lappi has no yöpartio: its first column
    assert "(2022)" in rows["Keski-Pohjanmaa"]  # the year of the Soite report is shown with the status
    assert any(line.startswith("Keski-Pohjanmaa · yöpartio: “") and "Soiten raportti" in line for line in lines)

    assert main(["compare", "yöpartio", "--region", "Lappi", "--index", str(index), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["regions"] == ["Lappi"] and body["cells"][0]["status"] == "not_found"

    target = tmp_path / "out.csv"
    assert main(["compare", "yöpartio", "Omaolo", "--index", str(index), "--csv", str(target), "--lang", "en"]) == 0
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert table[0][0] == "Region" and sorted(r[0] for r in table[1:]) == ["Keski-Pohjanmaa", "Lappi"]

    from openpyxl import load_workbook

    book = tmp_path / "out.xlsx"
    assert main(["compare", "Omaolo", "--index", str(index), "--xlsx", str(book)]) == 0
    assert load_workbook(book).active.cell(row=1, column=2).value == "Omaolo"


def test_compare_refuses_bad_input_with_a_message(small_corpus, tmp_path, capsys):
    index = tmp_path / "index"
    assert main(["index", "--corpus", str(small_corpus), "--index", str(index), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["compare", "Omaolo", "--region", "Atlantis", "--index", str(index)]) == 1
    assert "Unknown region 'Atlantis'" in capsys.readouterr().err
    assert main(["compare", *[f"aihe{i}" for i in range(11)], "--index", str(index)]) == 1
    assert "Give 1 to 10 topics" in capsys.readouterr().err
