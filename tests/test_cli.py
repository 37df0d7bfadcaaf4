"""The command line as a maintainer uses it, on the small corpus with the real default embedder."""

from __future__ import annotations

import json

from assistant.cli import main


def test_index_ask_reindex_and_errors(small_corpus, tmp_path, capsys, monkeypatch):
    index = tmp_path / "index"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))

    assert main(["ask", "Omaolo?", "--index", str(index)]) == 1
    assert "Run `assistant index`" in capsys.readouterr().err

    assert main(["index", "--corpus", str(small_corpus), "--index", str(index), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "2 added" in out and "newly embedded" in out

    assert main(["index", "--corpus", str(small_corpus), "--index", str(index), "--quiet"]) == 0
    assert "2 unchanged" in capsys.readouterr().out

    assert main(["ask", "Milloin Kokkolan yöpartio aloitti?", "--index", str(index), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["citations"] and body["citations"][0]["region"] == "Keski-Pohjanmaa"

    assert main(["ask", "Milloin Kokkolan yöpartio aloitti?", "--index", str(index)]) == 0
    assert "Lähteet:" in capsys.readouterr().out

    assert main(["ask", "   ", "--index", str(index)]) == 1
    assert "empty" in capsys.readouterr().err

    assert main(["feedback"]) == 0
    assert "No feedback yet" in capsys.readouterr().out


def test_index_reports_missing_corpus(tmp_path, capsys):
    assert main(["index", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i"), "--quiet"]) == 1
    assert "corpus folder does not exist" in capsys.readouterr().err
