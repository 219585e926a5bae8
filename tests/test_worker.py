"""The background worker: one thread, FIFO, deduplication, failures captured, progress reported."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from onrust import worker
from onrust.errors import UserError
from onrust.worker import Progress, Worker

WAIT = 10.0


@pytest.fixture
def w() -> Iterator[Worker]:
    instance = Worker()
    yield instance
    instance.shutdown(WAIT)


def _blocker(w: Worker, release: threading.Event, label: str = "blok") -> worker.JobId:
    """A job that holds the worker until `release` is set, with the worker provably running it."""
    started = threading.Event()

    def hold(progress: Progress) -> str:
        started.set()
        release.wait(WAIT)
        return "los"

    job_id = w.submit("test", label, hold)
    assert started.wait(WAIT)
    return job_id


def test_jobs_run_in_order_on_one_thread(w):
    ran: list[tuple[int, str]] = []
    release = threading.Event()
    first = _blocker(w, release)
    ids = [w.submit("test", f"taak {n}", lambda p, n=n: ran.append((n, threading.current_thread().name)) or n)
           for n in range(3)]
    assert [w.job(i).state for i in ids] == ["queued"] * 3
    assert w.job(first).state == "running" and w.job(first).started_at is not None
    release.set()
    assert [w.wait(i, WAIT).result for i in ids] == [0, 1, 2]
    assert ran == [(0, "onrust-worker"), (1, "onrust-worker"), (2, "onrust-worker")]
    assert [j.id for j in w.jobs()] == [*reversed(ids), first]  # newest first
    done = w.job(ids[0])
    assert (done.state, done.fraction, done.message, done.error) == ("done", 1.0, "Klaar", None)
    assert done.queued_at <= done.started_at <= done.finished_at


def test_an_identical_waiting_or_running_job_is_not_queued_twice(w):
    release = threading.Event()
    running = _blocker(w, release, "ophalen")
    calls: list[str] = []
    queued = w.submit("collect", "Bronnen ophalen", lambda p: calls.append("x"))
    assert w.submit("collect", "Bronnen ophalen", lambda p: calls.append("y")) == queued
    assert w.submit("test", "ophalen", lambda p: calls.append("z")) == running  # still running
    other = w.submit("collect", "Andere bronnen", lambda p: calls.append("a"))
    assert other != queued
    release.set()
    w.wait(other, WAIT)
    assert calls == ["x", "a"]
    again = w.submit("collect", "Bronnen ophalen", lambda p: calls.append("b"))  # finished: a new job
    assert again not in (queued, other)
    assert w.wait(again, WAIT).state == "done" and calls == ["x", "a", "b"]


def test_a_failing_job_is_captured_and_the_worker_keeps_running(w):
    def boom(progress: Progress) -> None:
        progress(0.3, "halverwege")
        raise RuntimeError("Catalog write-write conflict")

    failed = w.wait(w.submit("test", "kapot", boom), WAIT)
    assert (failed.state, failed.fraction, failed.result) == ("failed", 0.3, None)
    assert failed.message == ("Mislukt door een onverwachte fout. Probeer het zo nog eens; "
                              "de fout staat in het serverlogboek.")
    assert failed.error == "RuntimeError: Catalog write-write conflict"
    assert failed.finished_at is not None

    def refuse(progress: Progress) -> None:
        raise UserError("Map met extra lexicons bestaat niet: /tmp/x")

    assert w.wait(w.submit("test", "gebruiker", refuse), WAIT).message == (
        "Mislukt: Map met extra lexicons bestaat niet: /tmp/x")
    assert w.wait(w.submit("test", "daarna", lambda p: 42), WAIT).result == 42


def test_progress_is_visible_while_the_job_runs_and_clamped(w):
    reported, release = threading.Event(), threading.Event()

    def steps(progress: Progress) -> str:
        progress(0.5, "4 van 8 bronnen opgehaald")
        reported.set()
        release.wait(WAIT)
        progress(1.7, "te ver")
        return "ok"

    job_id = w.submit("test", "stappen", steps)
    assert reported.wait(WAIT)
    now = w.job(job_id)
    assert (now.state, now.fraction, now.message) == ("running", 0.5, "4 van 8 bronnen opgehaald")
    assert now.active
    release.set()
    assert w.wait(job_id, WAIT).fraction == 1.0
    assert w.wait(w.submit("test", "negatief", lambda p: p(-1, "terug")), WAIT).state == "done"


def test_only_the_newest_finished_jobs_are_remembered():
    w = Worker(keep_finished=3)
    ids = [w.submit("test", f"taak {n}", lambda p, n=n: n) for n in range(5)]
    w.wait(ids[-1], WAIT)
    assert [j.id for j in w.jobs()] == list(reversed(ids[2:]))
    assert w.job(ids[0]) is None and w.wait(ids[0], WAIT) is None
    w.shutdown(WAIT)


def test_shutdown_drops_waiting_jobs_and_refuses_new_ones(w):
    release = threading.Event()
    running = _blocker(w, release)
    waiting = w.submit("test", "wacht", lambda p: "nooit")
    threading.Timer(0.2, release.set).start()
    w.shutdown(WAIT)
    assert w.job(running).state == "done"
    assert (w.job(waiting).state, w.job(waiting).message) == ("failed", "Afgebroken: de server stopt.")
    with pytest.raises(RuntimeError):
        w.submit("test", "te laat", lambda p: None)


def test_the_process_worker_is_created_on_first_use_and_can_be_replaced():
    first = worker.default()
    assert worker.default() is first
    job_id = worker.submit("test", "procesbreed", lambda p: threading.current_thread().name)
    assert first.wait(job_id, WAIT).result == "onrust-worker"
    assert worker.job(job_id).state == "done" and worker.jobs()[0].id == job_id
    worker.shutdown(WAIT)
    assert worker.default() is not first
