"""Open one dashboard page through the real app shell (navigation + sidebar), as a user would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from onrust import worker
from onrust.worker import JobStatus, Progress


def _run(page_file: str) -> None:
    from dashboard.main import main

    main(default_page=page_file)


# The groups of data/onrust.toml [auth.groups] that grant each role.
GROUPS = {"omgevingsanalist": "onrust-omgevingsanalist", "communicatieadviseur": "onrust-communicatie",
          "kernteam": "onrust-kernteam", "beheerder": "onrust-beheer", "alleen_lezen": "onrust-lezen"}
EVERY_WRITER = ("omgevingsanalist", "communicatieadviseur", "kernteam", "beheerder")


def sign_in(at: AppTest, user: str, roles: tuple[str, ...] = EVERY_WRITER) -> AppTest:
    """What st.user holds after an OIDC login as `user` (needs the oidc_mode fixture)."""
    at.user = {"is_logged_in": True, "preferred_username": user, "name": user,
               "groups": [GROUPS[r] for r in roles]}
    return at


def open_page(page_file: str, *, timeout: float = 60, user: str | None = None,
              roles: tuple[str, ...] = EVERY_WRITER, **session: object) -> AppTest:
    """Run dashboard.main.main with `page_file` as start page; the sidebar picks the first incident.

    `user`: signed in through OIDC with `roles` (the test uses the oidc_mode fixture); without it
    the shipped local mode. (AppTest.switch_page would run the page file directly, without the shell.)
    """
    at = AppTest.from_function(_run, args=(page_file,), default_timeout=timeout)
    if user is not None:
        sign_in(at, user, roles)
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    return at


def finish_job(at: AppTest, key: str, *, timeout: float = 60) -> JobStatus:
    """Wait for the background job the page queued under session key `key`, then rerun the page
    (what the status fragment does by itself in a browser)."""
    status = worker.default().wait(at.session_state[key], timeout)
    assert status is not None and not status.active, status
    at.run()
    return status


@contextmanager
def busy_worker() -> Iterator[None]:
    """Keep the process's worker busy with another job, so what a page queues provably waits."""
    started, release = threading.Event(), threading.Event()

    def hold(progress: Progress) -> None:
        started.set()
        release.wait(30)

    job_id = worker.submit("test", "bezig houden", hold)
    assert started.wait(30)
    try:
        yield
    finally:
        release.set()
        worker.default().wait(job_id, 30)


@contextmanager
def downloads() -> Iterator[dict[str, bytes]]:
    """What the page's download buttons would serve, by file name (AppTest drops its media store
    after each run, so the bytes are recorded as Streamlit stores them). A button with a callable
    (built on click) is built here at once, as a click would."""
    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def record(self, path_or_data, mimetype, kind, filename=None):  # noqa: ANN001 - Streamlit's signature
        if filename is not None and isinstance(path_or_data, bytes):
            served[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):  # noqa: ANN001
        if file_name is not None:
            made = data_callable()
            served[file_name] = made.encode() if isinstance(made, str) else made
        return original_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    MemoryMediaFileStorage.load_and_get_id = record  # type: ignore[method-assign]
    MediaFileManager.add_deferred = record_deferred  # type: ignore[method-assign]
    try:
        yield served
    finally:
        MemoryMediaFileStorage.load_and_get_id = original  # type: ignore[method-assign]
        MediaFileManager.add_deferred = original_deferred  # type: ignore[method-assign]


_PLAIN = ("text", "code", "json")  # st.text, st.code, st.json: shown as typed, never as Markdown


def rendered_markdown(at: AppTest) -> list[str]:
    """Every string the page hands Streamlit as Markdown: bodies of markdown, captions, alerts
    and headings, and the labels of widgets, metrics, expanders and tabs."""
    found: list[str] = []

    def walk(node: object) -> None:
        label = getattr(node, "label", None)
        if isinstance(label, str) and label:
            found.append(label)
        proto = getattr(node, "proto", None)
        if getattr(node, "type", None) not in _PLAIN and proto is not None and hasattr(proto, "DESCRIPTOR"):
            if "body" in proto.DESCRIPTOR.fields_by_name and proto.body:
                found.append(proto.body)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)  # the public lists (at.markdown, at.caption, ...) miss labels and nested blocks
    return found
