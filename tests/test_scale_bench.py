"""``assistant bench --synthetic N --json`` end to end on a small N: every figure is there and sane.
(Speed is measured by running the command, not asserted here.)"""

from __future__ import annotations

import json

import pytest

from assistant.cli import main


@pytest.mark.slow
def test_synthetic_bench_reports_every_figure(real_index, tmp_path, capsys, monkeypatch):
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps({"question": q}) for q in [
        "Missä alueilla Omaoloa on otettu käyttöön?", "Miten kotihoitoa kehitetään Lapissa?",
        "Which regions use remote care?"]), "utf-8")
    monkeypatch.setenv("ASSISTANT_EMBED_THREADS", "1")
    assert main(["bench", str(questions), "--index", str(real_index), "--synthetic", "3000", "--ann", "ivf",
                 "--repeat", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["chunks"] == 3000 and result["ann"] == "ivf"
    for key in ("build_s", "load_s", "rss_mb", "p50_ms", "p95_ms", "search_p50_ms", "search_p95_ms",
                "snapshot_load_s", "search_rss_mb"):
        assert result[key] > 0, key
    assert result["p95_ms"] >= result["p50_ms"]
    assert 0.9 <= result["recall_at_10"] <= 1.0 and 0.9 <= result["recall_at_10_region_filter"] <= 1.0
