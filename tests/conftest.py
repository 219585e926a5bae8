"""Shared fixtures: real DuckDB files in tmp dirs, never mocks of the store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from onrust.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path)
    s.migrate()
    yield s
    s.close()


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database path for AppTest runs: pages find it through ONRUST_DB, as under `onrust serve`."""
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("ONRUST_DB", str(path))
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    yield path
    from onrust.store.shared import close_shared

    close_shared(path)


@pytest.fixture
def app_store(app_db: Path) -> Store:
    """The same Store object the pages will use (one read-write owner per process)."""
    from onrust.store.shared import shared_store

    return shared_store(app_db)


ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
