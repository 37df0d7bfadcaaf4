"""How much one expensive question costs: 2,000 characters of random words, each run with new words.

Serves the index in ``ASSISTANT_INDEX`` (default ``index/``) with uvicorn on loopback (rate limit off,
so only the work per question is measured) and prints JSON: p50/p95 of the hostile question, of a
normal question, and of the normal question while ``--clients`` threads keep sending hostile ones.

    PYTHONPATH=$PWD python scripts/bench_question_cost.py --runs 7 --clients 4
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

from assistant.benchmark import _free_port
from assistant.config import Settings
from assistant.service import Assistant

NORMAL = "Missä alueilla Omaoloa on otettu käyttöön?"
LETTERS = "aaaaiiiieeeettnnssllookkuuääymrvjhpdöbgfc"


def hostile_question(rng: random.Random, chars: int = 2000) -> str:
    """Words nobody has seen (so every one is unknown to the lexicon), ``chars`` characters in all."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 12))))
    return " ".join(words)[:chars].strip()


def _ask(port: int, question: str) -> tuple[float, int]:
    body = json.dumps({"question": question}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body, {"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return (time.perf_counter() - started) * 1000, status


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"runs": len(ms), "p50_ms": round(statistics.median(ms), 1), "max_ms": round(ms[-1], 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--clients", type=int, default=4, help="background clients sending hostile questions")
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args()

    import tempfile

    import uvicorn

    from assistant.api import create_app

    # Feedback and audit files of this throwaway server go to a temporary folder, not ./data.
    settings = replace(Settings.from_env(), data_dir=Path(tempfile.mkdtemp(prefix="bench-question-")))
    if "rate_limit" in Settings.__dataclass_fields__:
        settings = replace(settings, rate_limit=0)  # measure the work, not the limiter
    assistant = Assistant(settings)
    assistant.load()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, assistant), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    rng = random.Random(args.seed)
    for _ in range(2):
        _ask(port, NORMAL)  # warm-up
    result: dict[str, object] = {"question_chars": len(hostile_question(random.Random(0)))}
    hostile = [_ask(port, hostile_question(rng)) for _ in range(args.runs)]
    result["hostile"] = {**_stats([ms for ms, _ in hostile]), "statuses": sorted({s for _, s in hostile})}
    result["normal"] = _stats([_ask(port, NORMAL)[0] for _ in range(args.runs)])

    stop = threading.Event()

    def attacker(seed: int) -> None:
        local = random.Random(seed)
        while not stop.is_set():
            _ask(port, hostile_question(local))

    threads = [threading.Thread(target=attacker, args=(args.seed + 1 + i,), daemon=True) for i in range(args.clients)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    result[f"normal_with_{args.clients}_hostile_clients"] = _stats([_ask(port, NORMAL)[0] for _ in range(args.runs)])
    stop.set()
    for t in threads:
        t.join(timeout=120)
    server.should_exit = True
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
