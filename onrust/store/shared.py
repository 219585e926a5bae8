"""One Store per database file per process: the server's collector and every page share it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from onrust.errors import UserError
from onrust.store import Store
from onrust.store.lake import LakeStore

_lock = threading.Lock()
_open: dict[Path, Store] = {}


def shared_store(path: str | Path) -> Store:
    """Open (and migrate) once; DuckDB allows one read-write owner per file per process."""
    key = Path(path).resolve()
    with _lock:
        store = _open.get(key)
        if store is None:
            store = _open_for_reading(key) if _read_only_file(key) else _open_migrated(key)
            _open[key] = store
        return store


def _read_only_file(path: Path) -> bool:
    """Not writable for us, or writable for nobody: root passes every permission check, and a
    server run as root would otherwise migrate and write an archive someone made chmod 444."""
    if not path.is_file():
        return False
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def _open_migrated(path: Path) -> Store:
    store = Store.open(path)
    store.migrate()
    return store


def _open_for_reading(path: Path) -> Store:
    """An archived copy (chmod 444, a read-only mount) is still shown; it cannot be migrated, so it
    must already have this version's schema (the same rule as the CLI's read commands)."""
    store = Store.open(path, read_only=True)
    if store.pending_migrations():
        store.close()
        raise UserError(f"De database {path} is alleen-lezen en mist schema-updates van deze versie "
                        "van Onrustmonitor; open hem eenmaal met schrijfrechten (`onrust init`).")
    return store


def shared_lake(root: str | Path) -> Store:
    """The published snapshot in `root` (scale.mode = "read"), opened once per process and moved
    to the newest snapshot on every call: a page always reads one whole snapshot."""
    key = Path(root).resolve()
    with _lock:
        store = _open.get(key)
        if store is None:
            store = LakeStore.open_shared(key)
            _open[key] = store
    if isinstance(store, LakeStore):
        store.refresh()
    return store


def close_shared(path: str | Path) -> None:
    key = Path(path).resolve()
    with _lock:
        store = _open.pop(key, None)
    if store is not None:
        store.close()
