"""Form writes on every page the same way: a refusal is shown and keeps the input, a write
reruns the page with fresh reads and the named fields empty."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import data
from onrust.errors import UserError


def write(action: Callable[[], object], *clear: str) -> None:
    """Run one write; a refusal (closed incident, missing name) is shown and keeps the input."""
    try:
        action()
    except UserError as exc:
        st.error(str(exc))
        return
    for key in clear:
        st.session_state.pop(key, None)
    data.changed()
    st.rerun()
