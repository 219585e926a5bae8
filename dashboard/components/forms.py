"""Form writes on every page the same way: a refusal is shown and keeps the input, a write
reruns the page with fresh reads and the named fields empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import data
from onrust.errors import UserError
from onrust.store import DatabaseReadOnly
from onrust.text import md_escape


def refused(exc: Exception, shown: str | None = None) -> None:
    """A write the store refused: the Dutch reason (`shown`, as the form words it; escaped by
    default), and for a read-only database file DuckDB's own text folded away (support wants it,
    the user needs the sentence above it). The page goes on rendering."""
    st.error(md_escape(exc, one_line=False) if shown is None else shown)
    if isinstance(exc, DatabaseReadOnly):
        technical_details(exc.detail)


def technical_details(text: str) -> None:
    """Text for whoever supports the user (DuckDB's message), folded away and shown as typed."""
    with st.expander("Technische details"):
        st.text(text)


def write(action: Callable[[], object], *clear: str) -> None:
    """Run one write; a refusal (closed incident, missing name, read-only file) is shown and keeps the input."""
    try:
        action()
    except UserError as exc:
        refused(exc, str(exc))
        return
    for key in clear:
        st.session_state.pop(key, None)
    data.changed()
    st.rerun()


def keep_label_fresh(key: str, label: Callable[[Any], str]) -> None:
    """Before a keyed select box whose chosen option's text changes (a release from "concept ·
    versie 1" to "ter controle · versie 2"): the browser keeps showing the old text for the same
    value, so the value is handed to it again once the text changed."""
    if key not in st.session_state:
        return
    shown = label(st.session_state[key])
    if st.session_state.get(f"{key}__label") not in (None, shown):
        st.session_state[key] = st.session_state[key]
    st.session_state[f"{key}__label"] = shown
