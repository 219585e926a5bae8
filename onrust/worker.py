"""A background worker in the server process, so pages queue long work instead of blocking a rerun.

Streamlit runs a page script per user interaction; a collection or a re-tag of thousands of
items inside that script freezes the page and dies with the session. Jobs run here instead, one
at a time in one daemon thread per process, FIFO: the store hands every thread its own DuckDB
cursor, and running one job at a time keeps two heavy writers (say two re-tags) from
conflicting with each other. Pages keep only the job id and poll `job(job_id)`.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, NewType

from onrust.errors import UserError
from onrust.timeutil import utcnow

log = logging.getLogger("onrust.worker")

JobId = NewType("JobId", int)
JobState = Literal["queued", "running", "done", "failed"]
ACTIVE: frozenset[JobState] = frozenset({"queued", "running"})
# Finished jobs remembered for pages that poll late; waiting and running ones are always kept.
KEEP_FINISHED = 50
# Ids are unique per process, not per worker: a session holding an id from a worker that was shut
# down (and replaced) must never find another job under it.
_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class JobStatus:
    """One job as a page sees it; a new record on every change, so a reader never sees half an update."""

    id: JobId
    kind: str
    label: str
    state: JobState
    fraction: float  # 0..1, as last reported by the job
    message: str  # Dutch, for the status element
    queued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: Any = None  # what the job returned; the page that queued it knows its type
    error: str | None = None  # the technical error of a failed job, for the log and the curious

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class Progress:
    """Handed to every job: `progress(0.5, "4 van 8 bronnen opgehaald")` updates its status."""

    __slots__ = ("_job_id", "_worker")

    def __init__(self, worker: Worker, job_id: JobId) -> None:
        self._worker = worker
        self._job_id = job_id

    def __call__(self, fraction: float, message: str) -> None:
        self._worker._update(self._job_id, fraction=min(1.0, max(0.0, float(fraction))), message=message)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, UserError):  # written for the user already
        return f"Mislukt: {exc}"
    return "Mislukt door een onverwachte fout. Probeer het zo nog eens; de fout staat in het serverlogboek."


class Worker:
    """A FIFO of jobs run by one daemon thread, started by the first submit."""

    def __init__(self, *, keep_finished: int = KEEP_FINISHED) -> None:
        self._cond = threading.Condition()
        self._pending: deque[tuple[JobId, Callable[[Progress], Any]]] = deque()
        self._jobs: dict[JobId, JobStatus] = {}  # in submit order
        self._keep = keep_finished
        self._thread: threading.Thread | None = None
        self._stopping = False

    def submit(self, kind: str, label: str, fn: Callable[[Progress], Any]) -> JobId:
        """Queue `fn`; an identical job (same kind and label) still waiting or running is reused,
        so a button pressed twice queues once. The label names the target ("incident 3,
        revisie 4"), so a job that would see different input gets its own label."""
        with self._cond:
            if self._stopping:
                raise RuntimeError("the worker is shutting down")
            for status in self._jobs.values():
                if status.active and status.kind == kind and status.label == label:
                    return status.id
            job_id = JobId(next(_ids))
            self._jobs[job_id] = JobStatus(job_id, kind, label, "queued", 0.0, "In de wachtrij", utcnow())
            self._pending.append((job_id, fn))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="onrust-worker", daemon=True)
                self._thread.start()
            self._cond.notify_all()
            return job_id

    def job(self, job_id: JobId) -> JobStatus | None:
        """None for an id this worker never had or has long forgotten (see KEEP_FINISHED)."""
        with self._cond:
            return self._jobs.get(job_id)

    def jobs(self) -> list[JobStatus]:
        """Remembered jobs, newest first."""
        with self._cond:
            return list(reversed(self._jobs.values()))

    def wait(self, job_id: JobId, timeout: float | None = None) -> JobStatus | None:
        """Block until the job is done or failed (or `timeout` passes); its status then."""
        def finished() -> bool:
            status = self._jobs.get(job_id)
            return status is None or not status.active

        with self._cond:
            self._cond.wait_for(finished, timeout)
            return self._jobs.get(job_id)

    def shutdown(self, timeout: float | None = None) -> None:
        """Stop taking jobs, drop the waiting ones and give the running one `timeout` seconds to
        finish its transaction; for the server's shutdown, before the store is closed."""
        with self._cond:
            self._stopping = True
            while self._pending:
                job_id, _ = self._pending.popleft()
                self._finish(job_id, "failed", message="Afgebroken: de server stopt.")
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the worker thread -----------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopping)
                if not self._pending:
                    return
                job_id, fn = self._pending.popleft()
                self._update(job_id, state="running", started_at=utcnow(), message="Bezig")
            self._run(job_id, fn)

    def _run(self, job_id: JobId, fn: Callable[[Progress], Any]) -> None:
        try:
            result = fn(Progress(self, job_id))
        except Exception as exc:  # a failing job is reported, never the end of the worker
            log.exception("achtergrondtaak %s mislukt", job_id)
            with self._cond:
                self._finish(job_id, "failed", message=_failure_message(exc),
                             error=f"{type(exc).__name__}: {exc}")
            return
        with self._cond:
            self._finish(job_id, "done", fraction=1.0, message="Klaar", result=result)

    def _update(self, job_id: JobId, **changes: Any) -> None:
        with self._cond:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)
            self._cond.notify_all()

    def _finish(self, job_id: JobId, state: JobState, **changes: Any) -> None:
        """Called with the lock held; forgets the oldest finished jobs beyond `keep_finished`."""
        self._update(job_id, state=state, finished_at=utcnow(), **changes)
        finished = [i for i, s in self._jobs.items() if not s.active]
        for old in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[old]


# -- the process's worker ------------------------------------------------------------------
_default: Worker | None = None
_default_lock = threading.Lock()


def default() -> Worker:
    """The worker of this process, created on first use: under `onrust serve` that is the
    server process, where the pages run."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Worker()
        return _default


def submit(kind: str, label: str, fn: Callable[[Progress], Any]) -> JobId:
    return default().submit(kind, label, fn)


def job(job_id: JobId) -> JobStatus | None:
    return default().job(job_id)


def jobs() -> list[JobStatus]:
    return default().jobs()


def shutdown(timeout: float | None = None) -> None:
    """Stop the process's worker (if one was started); a later submit starts a fresh one."""
    global _default
    with _default_lock:
        worker, _default = _default, None
    if worker is not None:
        worker.shutdown(timeout)
