"""Shared fixtures: real DuckDB files in tmp dirs, never mocks of the store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from onrust.store import Store

_NAME_KEY = Fernet.generate_key().decode("ascii")


@pytest.fixture(autouse=True, scope="session")
def name_key() -> Iterator[str]:
    """Names of people involved are encrypted at rest: every test runs with a key (ONRUST_KEY),
    as a configured installation does, from before module fixtures such as the demo build;
    tests of the keyless case remove it with monkeypatch."""
    previous = os.environ.get("ONRUST_KEY")
    os.environ["ONRUST_KEY"] = _NAME_KEY
    yield _NAME_KEY
    if previous is None:
        os.environ.pop("ONRUST_KEY", None)
    else:
        os.environ["ONRUST_KEY"] = previous


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
    """A database path for AppTest runs: pages find it through ONRUST_DB, and the pipeline
    through onrust.hooks, as under `onrust serve`."""
    from app.pipeline import after_ingest
    from onrust import hooks

    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("ONRUST_DB", str(path))
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    hooks.set_after_ingest(after_ingest)
    yield path
    from onrust.store.shared import close_shared

    hooks.set_after_ingest(None)
    close_shared(path)


@pytest.fixture
def app_store(app_db: Path) -> Store:
    """The same Store object the pages will use (one read-write owner per process)."""
    from onrust.store.shared import shared_store

    return shared_store(app_db)


# An OIDC setup as a municipality would write it; pages see the login through AppTest.user
# (tests/pages/apptest.py sign_in), so no provider is needed for page tests.
OIDC_CONFIG = """
[auth]
mode = "oidc"
[auth.oidc]
redirect_uri = "http://localhost:8501/oauth2callback"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
client_id = "onrustmonitor"
"""


@pytest.fixture
def oidc_mode(app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pages under OIDC login: every write is recorded as the user AppTest signs in."""
    config = tmp_path / "oidc.toml"
    config.write_text(OIDC_CONFIG, encoding="utf-8")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    return config


ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "main.py")
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The fictional demo incident built once per run (read it, or copy it before writing)."""
    from app.demo.build import build_demo
    from onrust.settings import load_settings

    path = tmp_path_factory.mktemp("demo-db") / "demo.duckdb"
    build_demo(path, load_settings())
    return path


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`onrust serve` on a fresh demo database for one test module: (url, database, incident name)."""
    from tests.browser import serve_demo

    with serve_demo(tmp_path_factory.mktemp("e2e")) as served:
        yield served
