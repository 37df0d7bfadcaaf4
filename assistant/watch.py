"""``assistant index --watch``: re-index whenever ``corpus/`` changes, for folders synced from a shared drive.

Changes are debounced (a sync that writes twenty files triggers one build, after it has been quiet for
``debounce_ms``); hidden files (sync tools' and the admin view's temporaries) are ignored. A failed
build is reported and the watch goes on; the previous index keeps serving.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from assistant.config import Settings
from assistant.embedding import Embedder
from assistant.errors import AssistantError, MissingDependency
from assistant.indexer import IndexReport, build_index

DEBOUNCE_MS = 2000


def visible(corpus: Path) -> Callable[[object, str], bool]:
    """A watch filter: only files the indexer would look at (nothing hidden inside the corpus).

    >>> keep = visible(Path("/c"))
    >>> keep(None, "/c/raportti.pdf"), keep(None, "/c/.admin-x.tmp"), keep(None, "/c/.git/HEAD")
    (True, False, False)
    """

    def keep(_change: object, path: str) -> bool:
        try:
            parts = Path(path).relative_to(corpus).parts
        except ValueError:
            return False
        return bool(parts) and not any(p.startswith(".") for p in parts)

    return keep


def watch_corpus(settings: Settings, *, embedder: Embedder | None = None, debounce_ms: int = DEBOUNCE_MS,
                 on_report: Callable[[IndexReport], None] = lambda r: print(r.summary(), flush=True),
                 on_error: Callable[[str], None] = lambda m: print(f"Error: {m}", flush=True),
                 stop: threading.Event | None = None) -> None:
    """Block, running ``build_index`` after each quiet spell following a change, until ``stop`` is set
    (or Ctrl-C)."""
    try:
        from watchfiles import watch
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependency("`--watch` needs watchfiles: pip install watchfiles") from exc
    corpus = settings.corpus_dir.resolve()
    for _changes in watch(corpus, watch_filter=visible(corpus), debounce=debounce_ms, stop_event=stop,
                          raise_interrupt=False):
        try:
            on_report(build_index(settings, embedder=embedder, quiet=True))
        except AssistantError as exc:
            on_error(exc.message)
