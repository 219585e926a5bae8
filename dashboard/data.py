"""The dashboard's only door to the store, and the only st.cache_* code.

Reads are cached until the next write: the key includes the store's data_version, which every
committed transaction (a page's form or the collector in the same process) increments.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from onrust import hooks
from onrust.crypto import load_key
from onrust.errors import UserError
from onrust.models import Incident
from onrust.settings import Settings, load_settings
from onrust.store import Store
from onrust.store.shared import shared_lake, shared_store
from onrust.timeutil import utcnow

T = TypeVar("T")


@st.cache_resource
def _settings(config: str | None, db: str | None) -> Settings:
    return load_settings(config)


def settings() -> Settings:
    """The server's own settings when it registered them; otherwise the file's, keyed on the
    variables `onrust serve` sets, so a changed database is never served stale."""
    return hooks.settings() or _settings(os.environ.get("ONRUST_CONFIG"), os.environ.get("ONRUST_DB"))


def db_path() -> Path:
    return settings().db_path


def store() -> Store:
    """The shared store, given the key for names of people involved once one is configured. A
    dashboard instance of a region (scale.mode = "read") gets the newest published snapshot."""
    cfg = settings()
    s = shared_lake(cfg.shared_path) if cfg.scale.mode == "read" else shared_store(cfg.db_path)
    if s.name_key() is None:
        try:
            s.use_name_key(load_key(settings().key_path))
        except UserError:  # an unreadable key file: the pages that need names say so (NameKeyMissing)
            pass
    return s


def _name(func: Callable[..., Any]) -> str:
    """The cache key of a function: functions themselves are not hashed (the `_func` arguments)."""
    return f"{func.__module__}.{func.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(db: str, version: int, name: str, kwargs: tuple, _method: Callable[..., Any]) -> Any:
    return _method(store(), **dict(kwargs))


def query(method: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a Store read method (`Store.incidents`), cached until the next write to the database."""
    s = store()
    return _cached(str(s.path), s.data_version, _name(method), tuple(sorted(kwargs.items())), method)


def fresh(method: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a Store read of bookkeeping (Store.users, Store.last_visit) uncached: those writes
    do not bump data_version (Store.transaction), so a cached copy would go stale."""
    return method(store(), **kwargs)


def changed() -> None:
    """After a write outside Store.transaction (rare): drop cached reads."""
    _cached.clear()


def incidents() -> list[Incident]:
    return query(Store.incidents)


def current_incident() -> Incident | None:
    """The incident chosen in the sidebar (set by app.sidebar)."""
    chosen = st.session_state.get("incident_id")
    found = [i for i in incidents() if i.id == chosen]
    return found[0] if found else None


def time_range() -> tuple[datetime, datetime]:
    """The sidebar's period, as UTC datetimes; defaults to the incident's period."""
    rng = st.session_state.get("time_range")
    if rng:
        return rng
    incident = current_incident()
    end = utcnow()
    if incident is not None:
        start = incident.opened_at - timedelta(days=2)
        if incident.closed_at is not None:
            end = incident.closed_at + timedelta(days=2)
        return start, end
    return end - timedelta(days=7), end


@st.cache_resource(show_spinner=False, max_entries=32)
def _derived(db: str, version: int, name: str, kwargs: tuple, _func: Callable[..., Any]) -> Any:
    return _func(store(), **dict(kwargs))


def derived(func: Callable[..., T], /, **kwargs: Any) -> T:
    """`func(store, **kwargs)`: a computation over store reads (the omgevingsbeeld of a period),
    cached like query() until the next write. `func` must be a module-level function: its
    qualified name is the cache key.

    Kept as the object itself (st.cache_resource), not pickled like query(): at a million items
    a busy period's picture or review is a hundred thousand rows, and pickling it on the first
    view and unpickling it on every later one cost most of a second. The result is therefore
    shared by every session: callers treat it as read-only (pages and analysis functions copy
    before they change a frame). The database version in the key replaces it after a write."""
    s = store()
    return _derived(str(s.path), s.data_version, _name(func), tuple(sorted(kwargs.items())), func)
