"""``assistant bench --synthetic N``: measure a synthetic national-scale index end to end.

Three child processes, so each figure belongs to one process: ``build`` writes the index of N chunks
(``synthetic.py``); ``serve`` loads it with today's ``Assistant`` and answers ``/api/ask`` over real
HTTP (load time, latency, max RSS); ``search`` loads only the scalable building blocks (mapped vectors,
ANN, BM25 postings, on-demand catalog) and times dense top-k + sparse top-k + fusion with filters, and
recall@10 of the approximate search against exact search on the same vectors.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

RSS_LIMIT_MB = 10_000


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _own_peak() -> float:
    return round(_rss_mb(os.getpid(), "VmHWM"), 1)


def _quantiles(ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(q[94], 1)}


def _child(args: list[str], limit_mb: float, timeout: float = 3600) -> tuple[subprocess.Popen[str], list[float]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent.parent),
                                                                     os.environ.get("PYTHONPATH", "")]))}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.scale_bench", *args], stdout=subprocess.PIPE, text=True,
                            env=env)
    return proc, [limit_mb, time.monotonic() + timeout]


def _read_json(proc: subprocess.Popen[str], guard: list[float]) -> dict[str, Any]:
    """The child's next JSON line; kills it (and says so) if it outgrows the memory limit."""
    import selectors

    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    peak = 0.0
    while True:
        peak = max(peak, _rss_mb(proc.pid))
        if peak > guard[0] or time.monotonic() > guard[1]:
            proc.kill()
            proc.wait()
            why = f"RSS {peak:.0f} MB > limit {guard[0]:.0f} MB" if peak > guard[0] else "timed out"
            return {"aborted": why}
        if sel.select(timeout=0.5):
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                return {"aborted": f"exited with status {proc.returncode}"}
            if line.startswith("{"):
                return dict(json.loads(line))


def run_synthetic(index_dir: Path, n: int, questions: list[str], *, ann: str = "auto", repeat: int = 1,
                  work: Path | None = None, limit_mb: float = RSS_LIMIT_MB, skip_serve: bool = False) -> dict[str, Any]:
    """Build an ``n``-chunk synthetic index from the real index in ``index_dir`` and measure it."""
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        out = Path(tmp) / "index"
        qfile = Path(tmp) / "questions.json"
        qfile.write_text(json.dumps(questions), "utf-8")
        result: dict[str, Any] = {"chunks": n, "questions": len(questions), "repeat": repeat}
        proc, guard = _child(["build", str(index_dir), str(out), str(n), ann], limit_mb)
        result.update(_read_json(proc, guard))
        proc.wait()
        if "aborted" in result:
            return result
        proc, guard = _child(["search", str(out), str(qfile)], limit_mb)
        result.update(_read_json(proc, guard))
        proc.wait()
        if not skip_serve:
            result.update(_serve_and_ask(out, questions, repeat, limit_mb))
        result["disk_mb"] = round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1)
    return result


def _serve_and_ask(index: Path, questions: list[str], repeat: int, limit_mb: float) -> dict[str, Any]:
    """Today's product path: ``Assistant`` behind uvicorn, questions over HTTP, sequential."""
    proc, guard = _child(["serve", str(index)], limit_mb)
    ready = _read_json(proc, guard)
    if "aborted" in ready:
        return {"serve_aborted": ready["aborted"]}
    try:
        port = int(ready["port"])
        ms = []
        for i in range(repeat * len(questions) + 3):
            body = json.dumps({"question": questions[i % len(questions)]}).encode()
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body, {"Content-Type": "application/json"})
            started = time.perf_counter()
            with urllib.request.urlopen(req, timeout=120) as r:
                r.read()
            if i >= 3:  # the first three are a warm-up
                ms.append((time.perf_counter() - started) * 1000)
        return {"load_s": ready["load_s"], **_quantiles(ms), "rss_mb": round(_rss_mb(proc.pid, "VmHWM"), 1)}
    finally:
        proc.terminate()
        proc.wait(30)


def _child_build(source_dir: str, out: str, n: str, ann: str) -> dict[str, Any]:
    from assistant.snapshot import load_snapshot
    from assistant.store import AnnConfig
    from assistant.synthetic import build_synthetic

    source = load_snapshot(Path(source_dir))
    timings = build_synthetic(source, int(n), Path(out), ann=AnnConfig(kind=ann))
    return {**timings, "build_rss_mb": _own_peak()}


def _child_search(index: str, qfile: str) -> dict[str, Any]:
    import numpy as np

    from assistant.embedding import make_embedder
    from assistant.hybrid import HybridSearch
    from assistant.lexical import preload, tokenize
    from assistant.records import Filters
    from assistant.regions import REGIONS
    from assistant.snapshot import load_snapshot

    questions = json.loads(Path(qfile).read_text("utf-8"))
    started = time.perf_counter()
    snap = load_snapshot(Path(index))
    preload(snap.lexicon)
    search = HybridSearch(snap)
    load_s = time.perf_counter() - started
    embedder = make_embedder(snap.embedder)
    embed_ms, vectors = [], []
    for q in questions:
        t = time.perf_counter()
        vectors.append(embedder.embed_query(q))
        embed_ms.append((time.perf_counter() - t) * 1000)
    regions = [r.name for r in REGIONS]
    ms, fan_ms, filtered_ms = [], [], []
    for rep in range(2):  # the first pass warms caches; the second is measured
        for i, (q, v) in enumerate(zip(questions, vectors, strict=True)):
            t = time.perf_counter()
            search.passages(search.search(v, tokenize(q), 12))
            t1 = time.perf_counter()
            search.passages(search.search(v, tokenize(q), 12, Filters(regions=(regions[i % len(regions)],))))
            t2 = time.perf_counter()
            groups = search.by_region(v, tokenize(q), regions, 10)
            search.passages([h for hs in groups.values() for h in hs[:2]])
            t3 = time.perf_counter()
            if rep:
                ms.append((t1 - t) * 1000)
                filtered_ms.append((t2 - t1) * 1000)
                fan_ms.append((t3 - t2) * 1000)
    recall, recall_filtered = [], []
    for i, v in enumerate(vectors):
        approx, _ = snap.vectors.search_rows(v, 10)
        exact, _ = snap.vectors.search_rows(v, 10, exact=True)
        recall.append(len(set(approx.tolist()) & set(exact.tolist())) / max(len(exact), 1))
        mask = snap.catalog.region_rows(regions[i % len(regions)])
        approx, _ = snap.vectors.search_rows(v, 10, mask)
        exact, _ = snap.vectors.search_rows(v, 10, mask, exact=True)
        recall_filtered.append(len(set(approx.tolist()) & set(exact.tolist())) / max(len(exact), 1))
    s, f, r = _quantiles(ms), _quantiles(filtered_ms), _quantiles(fan_ms)
    return {"snapshot_load_s": round(load_s, 2), "ann": snap.vectors.kind,
            "search_p50_ms": s["p50_ms"], "search_p95_ms": s["p95_ms"],
            "search_region_filter_p50_ms": f["p50_ms"], "search_region_filter_p95_ms": f["p95_ms"],
            "fanout_21_regions_p50_ms": r["p50_ms"], "fanout_21_regions_p95_ms": r["p95_ms"],
            "embed_p50_ms": _quantiles(embed_ms)["p50_ms"],
            "recall_at_10": round(float(np.mean(recall)), 4),
            "recall_at_10_region_filter": round(float(np.mean(recall_filtered)), 4),
            "search_rss_mb": _own_peak()}


def _child_serve(index: str) -> None:
    import socket

    import uvicorn

    from assistant.api import create_app
    from assistant.config import Settings
    from assistant.service import Assistant

    settings = Settings.from_env(index_dir=Path(index))
    started = time.perf_counter()
    assistant = Assistant(settings)
    assistant.load()
    load_s = time.perf_counter() - started
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(create_app(settings, assistant), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    import threading

    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    print(json.dumps({"load_s": round(load_s, 2), "port": port}), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "serve":
        _child_serve(*rest)
    else:
        print(json.dumps(_child_build(*rest) if command == "build" else _child_search(*rest)), flush=True)
