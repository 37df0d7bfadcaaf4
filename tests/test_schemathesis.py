"""Schemathesis (``--checks all``, bounded examples) against ``/openapi.json`` of a real server on loopback,
on the small corpus with the fake embedder: every answer must be one the schema declares, every valid
request accepted, every invalid one refused, auth enforced where declared. ~10 s per configuration."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.api import create_app
from assistant.service import Assistant
from tests.live import serve
from tests.test_api import FAKE_THRESHOLDS

pytest.importorskip("schemathesis", reason="pip install -e '.[dev]' (schemathesis)")
CLI = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
EXAMPLES = 20  # per operation and phase (~25 s a configuration on 2 busy cores); raise it locally to search harder
# A document that exists, and the operations whose valid-looking requests may still be refused with 422
# because of what the schema cannot say: which documents exist, that the last chat message must be a
# question, that a topic or upload must have content (an empty form field counts as missing).
SEMANTIC_422 = [("POST", "/api/compare"), ("POST", "/api/compare/export"), ("GET", "/api/compare/export"),
                ("POST", "/v1/chat/completions"), ("POST", "/api/admin/documents"),
                ("PATCH", "/api/admin/documents/{doc_id}")]
CONFIG = '[parameters]\n"path.doc_id" = "lappi-raportti"\n"path.model" = "sote-assistant"\n' + "".join(
    f'\n[[operations]]\ninclude-method = "{method}"\ninclude-path = "{path}"\n'
    'checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422", "429"]\n'
    for method, path in SEMANTIC_422)


@pytest.mark.parametrize("tokens", [{"api_token": "reader-token", "admin_token": "admin-token"}, {}],
                         ids=["with-tokens", "open"])
def test_schemathesis_reports_nothing(small_index, fake_embedder, tmp_path, tokens):
    assert CLI, "the schemathesis command is not installed next to this Python"
    settings = replace(small_index, rate_limit=0, **tokens)  # the limiter has its own test
    app = create_app(settings, Assistant(settings, fake_embedder, FAKE_THRESHOLDS))
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG, "utf-8")
    auth = ["-H", "Authorization: Bearer admin-token"] if tokens else []
    with serve(app) as url:
        run = subprocess.run(
            [CLI, "--config-file", str(config), "run", f"{url}/openapi.json", "--checks", "all",
             "--max-examples", str(EXAMPLES), "--seed", "11", "--generation-database", "none", "--no-color", *auth],
            cwd=tmp_path, capture_output=True, text=True, timeout=180)
    output = run.stdout + run.stderr
    assert run.returncode == 0 and "Failures:" not in output, output[-6000:]
    # Warnings that are no fault of the schema: ids that do not exist, the refusals above, and admin
    # operations that are off (403) while no admin token is set.
    mismatch = _listed(output, "Schema validation mismatch:")
    assert mismatch <= set(SEMANTIC_422), output[-3000:]
    locked = _listed(output, "Authentication failed:")
    assert not locked if tokens else all(p.startswith("/api/admin/") or p == "/api/feedback" for _, p in locked), \
        output[-3000:]
    kinds = set(re.findall(r"⚠️ ([A-Z][a-z ]+):", output))
    assert kinds <= {"Missing test data", "Schema validation mismatch", "Authentication failed"}, output[-3000:]


def _listed(output: str, heading: str) -> set[tuple[str, str]]:
    """The operations a warning lists, as (method, path)."""
    block = output.split(heading, 1)[1].split("💡", 1)[0] if heading in output else ""
    return set(re.findall(r"- (GET|POST|PUT|PATCH|DELETE) (\S+)", block))
