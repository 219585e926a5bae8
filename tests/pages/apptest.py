"""Open one dashboard page through the real app shell (navigation + sidebar), as a user would."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _run(page_file: str) -> None:
    from dashboard.main import main

    main(default_page=page_file)


def open_page(page_file: str, *, timeout: float = 60, **session: object) -> AppTest:
    """Run dashboard.main.main with `page_file` as start page; the sidebar picks the first incident.

    (AppTest.switch_page would run the page file directly, without the shell.)
    """
    at = AppTest.from_function(_run, args=(page_file,), default_timeout=timeout)
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    return at
