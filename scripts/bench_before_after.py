"""Latency of ``POST /api/ask`` for two checkouts in one run: each serves its own index on loopback, and the
questions go to the two servers in turn, so machine load hits both alike.

    python scripts/bench_before_after.py --before /path/to/old-checkout --before-index /path/to/old-index \
        --after . --after-index index [--questions tests/data/dev.jsonl] [--repeat 3]

Prints one JSON object with p50/p95 (ms) and max RSS (MB) per side. Both checkouts use this interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tree: Path, index: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "ASSISTANT_RATE_LIMIT": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--no-index", "--index", str(index),
                             "--port", str(port)], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=5) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the server of {tree} did not start")


def _ask(url: str, question: str) -> float:
    body = json.dumps({"question": question}).encode()
    req = urllib.request.Request(f"{url}/api/ask", body, {"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
    return (time.perf_counter() - started) * 1000


def _rss_peak(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _quantiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"p50_ms": round(ms[len(ms) // 2], 1), "p95_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True)
    ap.add_argument("--before-index", type=Path, required=True)
    ap.add_argument("--after", type=Path, default=Path("."))
    ap.add_argument("--after-index", type=Path, default=Path("index"))
    ap.add_argument("--questions", type=Path, default=Path("tests/data/dev.jsonl"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    questions = [json.loads(line)["question"] for line in args.questions.read_text("utf-8").splitlines() if line.strip()]
    sides = {"before": _start(args.before, args.before_index), "after": _start(args.after, args.after_index)}
    try:
        for _, url in sides.values():  # warm-up: load the index and the embedder
            for q in questions[:3]:
                _ask(url, q)
        ms: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.repeat):
            for q in questions:
                for name, (_, url) in sides.items():
                    ms[name].append(_ask(url, q))
        print(json.dumps({name: {**_quantiles(values), "rss_mb": round(_rss_peak(sides[name][0].pid), 1)}
                          for name, values in ms.items()} | {"questions": len(questions), "repeat": args.repeat}))
    finally:
        for proc, _ in sides.values():
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
