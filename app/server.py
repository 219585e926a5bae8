"""`onrust serve`: one process owns the database, serves the dashboard and runs collection.

DuckDB lets only one process hold a file read-write, so the collector runs as a task in the
Streamlit server's own event loop (started by the App's lifespan hook), never from a page.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st
from starlette.middleware import Middleware

from app.pipeline import after_ingest
from app.proxy_gate import ProxyGate
from collectors.run import collect_due
from onrust import hooks, worker
from onrust.crypto import load_key
from onrust.errors import UserError
from onrust.paths import ROOT
from onrust.settings import Settings, user_overrides
from onrust.store import Store
from onrust.store.audit import SYSTEM
from onrust.store.shared import close_shared, shared_lake, shared_store
from onrust.timeutil import utcnow

log = logging.getLogger("onrust.server")
T = TypeVar("T")
# How long a stopping server waits for a running page job (collection, re-tagging) to finish.
WORKER_STOP_SECONDS = 30
APP_SCRIPT = ROOT / "dashboard" / "main.py"
# Streamlit signs the login cookie with this; shorter secrets are guessable (it warns below 14 bytes).
MIN_COOKIE_SECRET = 32


def _secret(variable: str, what: str) -> str:
    value = os.environ.get(variable, "")
    if not value.strip():
        raise UserError(f"auth.mode = \"oidc\": zet {what} in de omgevingsvariabele {variable} "
                        "(die staat nooit in het instellingenbestand).")
    return value


def auth_secrets(settings: Settings) -> dict[str, Any] | None:
    """Streamlit's [auth] section (what st.login reads from secrets.toml), built from our settings
    and the environment and handed to st.App(secrets=...): no secrets file on disk."""
    if settings.auth.mode != "oidc":
        return None
    oidc = settings.auth.oidc
    cookie = _secret(oidc.cookie_secret_env, "het cookiegeheim")
    if len(cookie) < MIN_COOKIE_SECRET:
        raise UserError(f"Het cookiegeheim in {oidc.cookie_secret_env} moet minstens {MIN_COOKIE_SECRET} "
                        "tekens hebben (python -c \"import secrets; print(secrets.token_urlsafe(32))\").")
    return {"auth": {
        "redirect_uri": oidc.redirect_uri, "cookie_secret": cookie, "client_id": oidc.client_id,
        "client_secret": _secret(oidc.client_secret_env, "het clientgeheim van de identiteitsprovider"),
        "server_metadata_url": oidc.server_metadata_url,
        "client_kwargs": {"scope": oidc.scope},
    }}


def auth_middleware(settings: Settings) -> list[Middleware]:
    return [Middleware(ProxyGate, auth=settings.auth)] if settings.auth.mode == "proxy" else []


# Held by the thread of a running collection or purge. Cancelling the task that awaits the thread
# does not stop the thread, so a stopping server waits for this before it closes the database
# (closing under a running query fails with "connection is busy" and the shutdown with it).
_store_work = threading.Lock()


def _holding(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with _store_work:
        return fn(*args, **kwargs)


def _wait_for_store_work(timeout: float) -> None:
    if _store_work.acquire(timeout=timeout):
        _store_work.release()
    else:
        log.warning("collectie of opschonen liep na %s s nog; de database wordt toch gesloten", timeout)


async def _collect_loop(db_path: Path, settings: Settings) -> None:
    """Run due collections forever; a failing run is logged and retried, never fatal."""
    store = shared_store(db_path)
    while True:
        try:
            wait = await asyncio.to_thread(_holding, collect_due, store, settings, after_ingest=after_ingest)
        except Exception:  # one bad run must not stop monitoring
            log.exception("collectie mislukt")
            wait = settings.collect.min_interval_seconds
        await asyncio.sleep(max(1.0, wait))


def prepare_store(db_path: Path, settings: Settings) -> Store:
    """Open the store at start, not at the first page view, and give it what serving needs."""
    store = shared_store(db_path)
    # The collector's tagging masks registered names, so the store gets their key (a missing key
    # is reported where names are needed).
    store.use_name_key(load_key(settings.key_path))
    # The overrides are a file, not a table: a changed file shows in the audit trail at start.
    store.record_settings_overrides(str(settings.user_file or "-"), user_overrides(settings),
                                    actor=getpass.getuser())
    return store


def purge_expired(db_path: Path, settings: Settings) -> dict[str, int]:
    """One retention run (privacy.retention_days), audited with counts by the store."""
    store = shared_store(db_path)
    counts = store.purge(settings.privacy.retention_cutoff(utcnow()), dry_run=False, actor=SYSTEM)
    if any(counts.values()):
        log.info("bewaartermijn verstreken, verwijderd: %s", counts)
    return counts


async def _purge_loop(db_path: Path, settings: Settings) -> None:
    """Purge what is past its retention period now and then every privacy.purge_interval_hours."""
    while True:
        try:
            await asyncio.to_thread(_holding, purge_expired, db_path, settings)
        except Exception:  # a failed purge is retried next time; monitoring goes on
            log.exception("opschonen (bewaartermijn) mislukt")
        await asyncio.sleep(settings.privacy.purge_interval_hours * 3600)


def build_app(db_path: Path, settings: Settings, *, collect: bool = True, purge: bool = True) -> st.App:
    @contextlib.asynccontextmanager
    async def lifespan(app: st.App) -> AsyncIterator[dict]:
        if settings.scale.mode == "read":  # the pages open the published snapshot (dashboard.data)
            shared_lake(settings.shared_path)
        else:
            prepare_store(db_path, settings)
        hooks.set_after_ingest(after_ingest)  # pages that collect on demand run the same pipeline
        tasks = ([asyncio.create_task(_collect_loop(db_path, settings))] if collect else []) + (
            [asyncio.create_task(_purge_loop(db_path, settings))] if purge else [])
        try:
            yield {"db_path": str(db_path)}
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            # A page job mid-transaction finishes first; queued ones are reported as stopped.
            await asyncio.to_thread(worker.shutdown, WORKER_STOP_SECONDS)
            await asyncio.to_thread(_wait_for_store_work, WORKER_STOP_SECONDS)
            hooks.set_after_ingest(None)
            close_shared(settings.shared_path if settings.scale.mode == "read" else db_path)

    return st.App(APP_SCRIPT, lifespan=lifespan, secrets=auth_secrets(settings),
                  middleware=auth_middleware(settings))


def serve(db_path: Path, settings: Settings, *, host: str, port: int, collect: bool = True,
          purge: bool = True) -> None:
    # Pages run in this process and find the database through the same variable.
    os.environ["ONRUST_DB"] = str(db_path)
    if settings.user_file:
        os.environ["ONRUST_CONFIG"] = str(settings.user_file)
    if settings.auth.mode == "proxy":
        # uvicorn replaces the TCP peer by X-Forwarded-For from loopback by default; the proxy gate
        # must see the real peer, or any local process could name the proxy and be believed.
        os.environ["FORWARDED_ALLOW_IPS"] = ""
    build_app(db_path, settings, collect=collect, purge=purge).run(
        config={
            "server.address": host,
            "server.port": port,
            "server.headless": True,
            "browser.gatherUsageStats": False,
            "server.fileWatcherType": "none",
            "client.toolbarMode": "minimal",  # no "Deploy" button for crisis staff
        }
    )
