"""Imports point one way: only the HTTP edge knows FastAPI/pydantic, and only store.py imports FAISS."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module if node.module.startswith("assistant") else node.module.split(".")[0])
    return names


MODULES = {p.relative_to(PACKAGE).as_posix(): _imports(p) for p in PACKAGE.rglob("*.py")}


def test_only_the_edge_imports_web_frameworks():
    edge = {"api.py", "cli.py", "benchmark.py", "integrations.py", "openai_api.py", "mcp_server.py", "admin_api.py",
            "files_api.py", "compare_api.py", "http_guards.py", "scale_bench.py"}
    offenders = {m for m, names in MODULES.items() if names & {"fastapi", "pydantic", "starlette", "uvicorn", "mcp"}}
    assert offenders <= edge, offenders


def test_only_store_imports_faiss():
    assert {m for m, names in MODULES.items() if "faiss" in names} == {"store.py"}


def test_core_does_not_import_the_service_or_edges():
    core = {"records.py", "retrieval.py", "answering.py", "relevance.py", "chunking.py", "lexical.py",
            "embedding.py", "store.py", "sentences.py", "regions.py", "language.py"}
    upward = {"assistant.service", "assistant.api", "assistant.cli"}
    offenders = {m: MODULES[m] & upward for m in core if MODULES[m] & upward}
    assert not offenders, offenders


def test_modules_stay_small():
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert max(sizes.values()) < 300, sizes
