"""Benchmark: ``/api/ask`` latency over real HTTP for the product and a baseline in one run, memory,
and (optionally) index build throughput from an empty embedding cache."""

from __future__ import annotations

import json
import resource
import socket
import statistics
import tempfile
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.retrieval import Fusion
from assistant.service import Assistant

BASELINE = "dense-only retrieval (FAISS, no BM25 leg); same cleaning, region handling and composer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(assistant: Assistant, settings: Settings) -> tuple[Any, int]:
    import uvicorn

    from assistant.api import create_app

    port = _free_port()
    settings = replace(settings, rate_limit=0)  # one client asking as fast as it can: measure, don't throttle
    server = uvicorn.Server(uvicorn.Config(create_app(settings, assistant), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    return server, port


def _latencies(port: int, questions: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        for q in questions:
            body = json.dumps({"question": q}).encode()
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body,
                                         {"Content-Type": "application/json"})
            started = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()
            out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


def _summary(ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"requests": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(q[94], 1),
            "mean_ms": round(statistics.fmean(ms), 1)}


def run_benchmark(settings: Settings, questions_path: Path, repeat: int = 3, build: bool = False) -> dict[str, Any]:
    questions = [json.loads(line)["question"] for line in questions_path.read_text("utf-8").splitlines() if line.strip()]
    result: dict[str, Any] = {"questions": len(questions), "repeat": repeat}
    product = Assistant(settings)
    product.load()
    baseline = Assistant(settings, embedder=product.embedder, fusion=Fusion(lexical_weight_fi=0.0, lexical_weight_other=0.0))
    baseline.load()
    for name, assistant in (("product", product), ("baseline", baseline)):
        server, port = _serve(assistant, settings)
        _latencies(port, questions[:3], 1)  # warm-up: first-touch costs are not steady state
        result[name] = _summary(_latencies(port, questions, repeat))
        server.should_exit = True
    result["baseline_is"] = BASELINE
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if build:
        result["index_build"] = _build_speed(settings)
    return result


def _build_speed(settings: Settings) -> dict[str, Any]:
    from assistant.indexer import build_index

    with tempfile.TemporaryDirectory() as tmp:
        fresh = replace(settings, index_dir=Path(tmp) / "index")
        first = build_index(fresh, quiet=True)
        again = build_index(fresh, quiet=True)
        size = sum(p.stat().st_size for p in (Path(tmp) / "index").rglob("*") if p.is_file())
    return {"chunks": first.chunks, "seconds": round(first.seconds, 1),
            "chunks_per_s": round(first.chunks / first.seconds, 2), "no_change_reindex_s": round(again.seconds, 2),
            "index_size_mb": round(size / 1e6, 2)}


# Ten recurring practices of the bundled corpus (shared/CORPUS.md), for the practice-map benchmark.
COMPARE_TOPICS = ("Omaolo", "kotisairaala", "AVAIN-mittari", "perhekeskus", "omaishoito", "etävastaanotto",
                  "Terveyskylä", "palveluseteli", "kokemusasiantuntijat", "RAI")


def run_compare_benchmark(settings: Settings, repeat: int = 5) -> dict[str, Any]:
    """``POST /api/compare`` with 10 topics x all regions over real HTTP, after one warm-up request."""
    assistant = Assistant(settings)
    assistant.load()
    server, port = _serve(assistant, settings)
    body = json.dumps({"topics": list(COMPARE_TOPICS)}).encode()

    def once() -> float:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/compare", body, {"Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=120) as r:
            cells = len(json.loads(r.read())["cells"])
        elapsed = (time.perf_counter() - started) * 1000
        if cells != len(COMPARE_TOPICS) * len(assistant.load().retriever.regions):
            raise RuntimeError(f"/api/compare answered {cells} cells")
        return elapsed

    try:
        once()
        ms = sorted(once() for _ in range(max(repeat, 2)))
    finally:
        server.should_exit = True
    return {"topics": len(COMPARE_TOPICS), "regions": len(assistant.load().retriever.regions), **_summary(ms)}
