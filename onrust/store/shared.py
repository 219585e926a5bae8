"""One Store per database file per process: the server's collector and every page share it."""

from __future__ import annotations

import threading
from pathlib import Path

from onrust.store import Store

_lock = threading.Lock()
_open: dict[Path, Store] = {}


def shared_store(path: str | Path) -> Store:
    """Open (and migrate) once; DuckDB allows one read-write owner per file per process."""
    key = Path(path).resolve()
    with _lock:
        store = _open.get(key)
        if store is None:
            store = Store.open(key)
            store.migrate()
            _open[key] = store
        return store


def close_shared(path: str | Path) -> None:
    key = Path(path).resolve()
    with _lock:
        store = _open.pop(key, None)
    if store is not None:
        store.close()
