"""One writer per index folder: an advisory ``flock`` on ``<index>/.lock``.

The kernel drops a ``flock`` when its holder exits, however it exits (Ctrl-C, ``kill -9``, power
loss), so a killed run never leaves a lock behind that someone has to delete by hand. Readers
(``assistant serve``) never take it; they only follow the ``current`` symlink.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import IndexBusy

LOCK = ".lock"


def _holder(path: Path) -> str:
    try:
        return path.read_text("utf-8").strip() or "another process"
    except OSError:
        return "another process"


def _acquire(index_dir: Path, wait: float | None) -> int:
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                os.close(fd)
                raise IndexBusy(
                    f"Another `assistant index` run ({_holder(path)}) is updating {index_dir}/ right now. "
                    "Wait for it to finish (the server keeps answering from the current index), or re-run "
                    "with --wait to queue behind it."
                ) from None
            time.sleep(0.2)
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode())
    return fd


@contextlib.contextmanager
def index_lock(index_dir: Path, wait: float | None = 0.0) -> Iterator[None]:
    """Hold the index folder's write lock for the ``with`` block.

    ``wait``: seconds to wait for a running build (``None`` waits as long as it takes, ``0`` not at all).
    Raises ``IndexBusy`` naming the holder when the lock is not free in time.
    """
    fd = _acquire(index_dir, wait)
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextlib.contextmanager
def try_index_lock(index_dir: Path) -> Iterator[bool]:
    """Like ``index_lock`` without waiting; yields whether the lock was taken (False: a build is running)."""
    try:
        fd = _acquire(index_dir, 0.0)
    except IndexBusy:
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)
