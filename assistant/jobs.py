"""Background jobs for document management: one worker thread runs them one at a time, in order.

A job changes the corpus and re-indexes it; running them one after another means two re-indexes never
race for the same index folder, while the chat keeps answering from the live generation.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from assistant.errors import AssistantError, NotFound

State = Literal["queued", "running", "done", "failed"]
Report = Callable[[float, str], None]  # (progress 0..1, message)
KEPT = 500  # finished jobs remembered for GET /api/admin/jobs/{id}


@dataclass(frozen=True)
class Job:
    id: str
    action: str
    document: str
    state: State = "queued"
    progress: float = 0.0
    message: str = "Waiting for earlier jobs to finish."
    version: int = 0  # bumps on every change, so watchers can tell a new state from an old one

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "version"}


class JobQueue:
    """``submit(action, document, work)``; ``work(report)`` runs on the worker thread and may raise
    ``AssistantError`` (its message becomes the failed job's message). ``on_finish`` sees every
    finished job (the audit log)."""

    def __init__(self, on_finish: Callable[[Job], None] | None = None) -> None:
        self._on_finish = on_finish
        self._jobs: dict[str, Job] = {}
        self._history: dict[str, list[Job]] = {}  # every state a job went through, for the event stream
        self._lock = threading.Lock()
        self._todo: queue.Queue[tuple[str, Callable[[Report], None]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="reindex-jobs", daemon=True)
        self._thread.start()

    def submit(self, action: str, document: str, work: Callable[[Report], None]) -> Job:
        job = Job(uuid.uuid4().hex[:16], action, document)
        with self._lock:
            self._jobs[job.id] = job
            self._history[job.id] = [job]
            for old in [j for j in self._jobs.values() if j.finished][: max(0, len(self._jobs) - KEPT)]:
                del self._jobs[old.id], self._history[old.id]
        self._todo.put((job.id, work))
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"No job '{job_id}' (finished jobs are forgotten when the server restarts).")
        return job

    def states(self, job_id: str, since: int = 0) -> list[Job]:
        """The states the job has been in, from the ``since``-th on (``NotFound`` for an unknown job)."""
        self.get(job_id)
        with self._lock:
            return self._history[job_id][since:]

    def close(self, timeout: float = 30.0) -> None:
        """Stop the worker once the jobs already queued have run (or after ``timeout`` seconds)."""
        self._todo.put(None)
        self._thread.join(timeout)

    def _set(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = replace(self._jobs[job_id], version=self._jobs[job_id].version + 1, **changes)
            self._jobs[job_id] = job
            self._history[job_id].append(job)
            return job

    def _work(self) -> None:
        while (item := self._todo.get()) is not None:
            job_id, work = item
            self._set(job_id, state="running", message="Starting.")

            def report(progress: float, message: str, job_id: str = job_id) -> None:
                self._set(job_id, progress=round(min(max(progress, 0.0), 1.0), 3), message=message)

            try:
                work(report)
                job = self._set(job_id, state="done", progress=1.0, message="Done: the index is up to date.")
            except AssistantError as exc:
                job = self._set(job_id, state="failed", message=exc.message)
            except Exception as exc:  # the worker must survive whatever one job does
                job = self._set(job_id, state="failed", message=f"Unexpected error ({type(exc).__name__}: {exc}). "
                                "The previous index keeps serving; see the server log.")
            if self._on_finish:
                self._on_finish(job)
