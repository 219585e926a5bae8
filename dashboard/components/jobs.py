"""Long work from a page: queued on the process's background worker, its status shown until done.

The button's script run only queues the job and returns. The status box is a fragment that
re-renders itself every second while the job waits or runs; when it sees the job finish it
reruns the whole page once, so every read on the page (cached on the store's data_version,
which the job's writes moved on) shows the new data, and polling stops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from onrust import worker
from onrust.text import md_escape
from onrust.timeutil import fmt_local
from onrust.worker import JobStatus, Progress

POLL_SECONDS = 1.0


def start(key: str, kind: str, label: str, fn: Callable[[Progress], Any]) -> None:
    """Queue `fn` and remember it in this session under `key`; an identical job that is still
    waiting or running is not queued again, its status is shown instead."""
    st.session_state[key] = worker.submit(kind, label, fn)


def status(key: str, show_result: Callable[[Any], None], *, failed_hint: str = "") -> None:
    """The status of this session's job under `key` (nothing before the first start);
    `show_result` renders what the job returned."""
    job_id = st.session_state.get(key)
    first = worker.job(job_id) if job_id is not None else None
    if first is None:
        return
    polling = first.active

    def box() -> None:
        now = worker.job(first.id)
        if polling and (now is None or not now.active):
            st.rerun()  # the whole page, with fresh reads; that run no longer polls
        if now is not None:
            _render(now, show_result, failed_hint)

    st.fragment(box, run_every=POLL_SECONDS if polling else None)()


def _render(job: JobStatus, show_result: Callable[[Any], None], failed_hint: str) -> None:
    if job.active:
        # Not `with st.status(...)`: leaving the block would mark it complete.
        box = st.status(f"{job.label}: bezig", state="running", expanded=True)
        box.progress(job.fraction, text=job.message)
    elif job.state == "done":
        with st.status(f"{job.label}: klaar", state="complete", expanded=True):
            st.caption(f"Klaar op {fmt_local(job.finished_at, with_seconds=True)}.")
            show_result(job.result)
    else:
        with st.status(f"{job.label}: mislukt", state="error", expanded=True):
            st.error(md_escape(job.message, one_line=False))  # exception texts quote addresses and input
            if failed_hint:
                st.info(failed_hint)
            if job.error:  # the exception text is for whoever supports the user
                with st.expander("Technische details"):
                    st.text(job.error)
