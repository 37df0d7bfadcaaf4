"""Schemathesis (``--checks all``, bounded examples) against ``/openapi.json`` of a real server on loopback,
on the small corpus with the fake embedder: every answer must be one the schema declares, every valid
request accepted, every invalid one refused, auth enforced where declared. ~10 s per configuration."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.api import create_app
from assistant.benchmark import _free_port
from assistant.service import Assistant
from tests.test_api import FAKE_THRESHOLDS

pytest.importorskip("schemathesis", reason="pip install -e '.[dev]' (schemathesis)")
CLI = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
EXAMPLES = 25  # per operation and phase: ~10 s; raise it locally to search harder


@pytest.mark.parametrize("tokens", [{"api_token": "reader-token", "admin_token": "admin-token"}, {}],
                         ids=["with-tokens", "open"])
def test_schemathesis_reports_nothing(small_index, fake_embedder, tmp_path, tokens):
    import uvicorn

    assert CLI, "the schemathesis command is not installed next to this Python"
    settings = replace(small_index, rate_limit=0, **tokens)  # the limiter has its own test
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS)),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    config = tmp_path / "schemathesis.toml"
    config.write_text('[parameters]\n"path.doc_id" = "lappi-raportti"\n', "utf-8")  # a document that exists
    auth = ["-H", "Authorization: Bearer admin-token"] if tokens else []
    try:
        run = subprocess.run(
            [CLI, "--config-file", str(config), "run", f"http://127.0.0.1:{port}/openapi.json", "--checks", "all",
             "--max-examples", str(EXAMPLES), "--seed", "11", "--generation-database", "none", "--no-color", *auth],
            cwd=tmp_path, capture_output=True, text=True, timeout=180)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    if tokens:
        assert "No issues found" in output, output[-3000:]
    else:  # without an admin token reading feedback is off: that operation can only answer 403, as declared
        assert re.search(r"403 Forbidden \(1 operation\):\s+- GET /api/feedback\s", output), output[-3000:]
        assert "1 warning in" in output, output[-3000:]
