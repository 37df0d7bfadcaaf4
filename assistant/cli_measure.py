"""The measuring commands: ``assistant eval`` (quality on the question sets) and ``assistant bench``
(latency, compare speed, synthetic national-scale corpus)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.snapshot import current_generation


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, embedder=args.embedder)


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.eval_backends import Http, InProcess
    from assistant.eval_report import default_paths, format_report, run

    settings = _settings(args)
    if args.url:
        backend: Any = Http(args.url, settings.api_token)
    else:
        from assistant.service import Assistant

        assistant = Assistant(settings)
        assistant.load()
        backend = InProcess(assistant)
    paths = [Path(p) for p in args.paths] or default_paths()
    if not paths:
        print("Error: no question sets given and none in tests/data/. Give JSONL paths.", file=sys.stderr)
        return 2
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"Error: no such question set: {missing[0]}. Give JSONL paths, or none for the sets in tests/data/.",
              file=sys.stderr)
        return 2
    report = run(backend, paths, args.split, settings.corpus_dir)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    questions = Path(args.questions or "tests/data/dev.jsonl")
    if not questions.is_file():
        raise AssistantError(f"No question file {questions}. Pass a JSONL file with a 'question' field per line.")
    if args.synthetic:
        from assistant.scale_bench import run_synthetic

        texts = [json.loads(line)["question"] for line in questions.read_text("utf-8").splitlines() if line.strip()]
        settings = _settings(args)
        if current_generation(settings.index_dir) is None:
            raise AssistantError(f"--synthetic reuses the real index's sentences and vectors: run `assistant index` "
                                 f"first (no index in {settings.index_dir}/).")
        result = run_synthetic(settings.index_dir, args.synthetic, texts, ann=args.ann, repeat=args.repeat,
                               limit_mb=args.limit_mb, skip_serve=args.no_serve)
    else:
        from assistant.benchmark import run_benchmark

        result = run_benchmark(_settings(args), questions, args.repeat, args.build)
        if args.compare:
            from assistant.benchmark import run_compare_benchmark

            result["compare"] = run_compare_benchmark(_settings(args), args.repeat)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


def add_measure_commands(sub: Any, paths: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``eval`` and ``bench`` to the CLI's subparsers; ``paths`` adds --corpus/--index/--embedder."""
    sp = sub.add_parser("eval", help="retrieval, answer and compare quality on JSONL sets, per calibration/validation half")
    paths(sp)
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="question, region-cell or compare-cell sets (default: the sets in tests/data/)")
    sp.add_argument("--split", choices=("calibration", "validation", "all"), default="all",
                    help="which half to evaluate (default: each half, reported separately)")
    sp.add_argument("--url", help="evaluate a running server through POST /api/ask and /api/compare, "
                                  "e.g. http://127.0.0.1:8000 (as the hidden sets are judged); sends "
                                  "ASSISTANT_API_TOKEN as a bearer token when set")
    sp.add_argument("--json", action="store_true", help="per-question rows and summaries as JSON")
    sp.set_defaults(func=cmd_eval)

    sp = sub.add_parser("bench", help="latency and throughput benchmark of /api/ask over HTTP")
    paths(sp)
    sp.add_argument("questions", nargs="?", help="JSONL file with a 'question' field per line "
                    "(default tests/data/dev.jsonl)")
    sp.add_argument("--repeat", type=int, default=3)
    sp.add_argument("--build", action="store_true", help="also time a full index build from an empty cache")
    sp.add_argument("--compare", action="store_true", help="also time POST /api/compare, 10 topics x all regions")
    sp.add_argument("--synthetic", type=int, metavar="N", help="measure a synthetic index of N chunks over all "
                    "21 counties, made from the real index's sentences and vectors")
    sp.add_argument("--ann", default="auto", choices=["auto", "flat", "ivf", "hnsw"],
                    help="approximate index for --synthetic (auto: exact below 50 000 chunks, else IVF)")
    sp.add_argument("--limit-mb", type=float, default=10_000, help="abort a --synthetic child above this RSS")
    sp.add_argument("--no-serve", action="store_true", help="--synthetic: skip today's /api/ask server")
    sp.add_argument("--json", action="store_true", help="print one JSON object on one line")
    sp.set_defaults(func=cmd_bench)
