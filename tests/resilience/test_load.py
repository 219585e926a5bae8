"""Load: 20 browser sessions at once against a real `onrust serve` whose scheduler collects from
loopback feeds that publish during the test. No session sees an error, every signal entered
through the form is stored exactly once, and collection keeps going. Page times are printed
(devtools/load_sessions.py), never asserted on."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from devtools.load_sessions import run_sessions, signal_text
from onrust.store import Store
from onrust.timeutil import utcnow
from tests.browser import CHROMIUM, free_port, wait_for_port
from tests.collectors.conftest import FeedServer, Route
from tests.conftest import ROOT
from tests.feeds import rss
from tests.resilience import procs

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine")]

SESSIONS, SIGNALS = 20, 2
FEEDS = 3
# Poll every few seconds instead of minutes: the test lasts a few minutes.
FAST_COLLECT = procs.LOOPBACK_CONFIG + ("min_interval_seconds = 5\nmax_interval_seconds = 10\n"
                                        "incident_min_interval_seconds = 5\n")


class GrowingFeed:
    """An RSS feed that publishes one more item every second it is asked (the newest 30 shown)."""

    def __init__(self, name: str) -> None:
        self.name, self.started = name, time.monotonic()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        count = 1 + int(time.monotonic() - self.started)
        start = utcnow() - timedelta(minutes=count)
        items = [(f"{self.name}-{n}", f"Onrust in Uithoorn na brand {n}", "Bewoners zijn boos.")
                 for n in range(max(0, count - 30), count)]
        body = rss(items, start)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Last-Modified", format_datetime(datetime.now(UTC), usegmt=True))
        handler.end_headers()
        handler.wfile.write(body)


@dataclass
class Served:
    url: str
    db: Path
    feeds: FeedServer
    proc: subprocess.Popen[str]
    log: list[str]

    def stop(self) -> None:
        """Stop the server as an operator does (SIGTERM); afterwards the file may be opened."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


@pytest.fixture
def collecting_server(tmp_path: Path) -> Iterator[Served]:
    """`onrust serve` on a database with an open incident and three loopback feeds, collecting."""
    db = tmp_path / "onrust.duckdb"
    config = tmp_path / "snel.toml"
    config.write_text(FAST_COLLECT, encoding="utf-8")
    feeds = FeedServer()
    with Store.open(db) as store:
        store.migrate()
        store.create_incident("Brand Thamerdal", "Uithoorn", utcnow() - timedelta(hours=6))
        for n in range(FEEDS):
            feeds.routes[f"/feed{n}.xml"] = Route(handler=GrowingFeed(f"omroep{n}").answer)
            store.add_source(f"Omroep {n}", kind="rss", url=feeds.url(f"/feed{n}.xml"), reach="lokaal")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port),
                             "--config", str(config)], cwd=ROOT, env=procs.env(), text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    served = Served(f"http://127.0.0.1:{port}", db, feeds, proc, [])
    # The server's log is read as it comes, so a full pipe never blocks it.
    threading.Thread(target=lambda: served.log.extend(proc.stderr or ()), daemon=True).start()
    try:
        wait_for_port(port, proc)
        yield served
    finally:
        served.stop()
        feeds.close()


def _feed_requests(feeds: FeedServer) -> int:
    return sum(1 for path, _ in feeds.requests if path.startswith("/feed"))


def test_twenty_sessions_enter_signals_while_the_server_collects(collecting_server: Served):
    served = collecting_server
    warm = run_sessions(served.url, 1, 0, executable=CHROMIUM)  # a server that has run a while: caches filled
    print("Opwarmen (één sessie, niet meegeteld):\n" + warm.table())
    before = _feed_requests(served.feeds)
    result = run_sessions(served.url, SESSIONS, SIGNALS, executable=CHROMIUM)
    during = _feed_requests(served.feeds) - before
    print(result.table())
    print("\n".join(result.errors + result.timeouts))
    print("verloren keuzes opnieuw gekozen:\n" + "\n".join(result.corrections))
    print(f"feedverzoeken tijdens de sessies: {during}")
    served.stop()
    tracebacks = [line for line in served.log if "Traceback" in line or "shutdown failed" in line]
    with Store.open(served.db, read_only=True) as store:
        stored = dict(store.fetchall("select text, count(*) from signals group by text"))
        items = store.item_count()
        runs = store.scalar("select count(*) from collection_runs")
    print(f"items verzameld: {items}, collectierondes: {runs}")
    assert warm.errors == [] and result.errors == []  # no page error, exception block or dialog
    # A session that ran out of time on a starved machine stops; what it entered is still checked.
    assert len(result.timeouts) <= SESSIONS // 10, result.timeouts
    entered = {signal_text(s, n) for s in range(SESSIONS) for n in range(SIGNALS)}
    print(f"signalen ingevoerd maar niet opgeslagen: {sorted(entered - set(stored))}")
    confirmed = [t for s in result.sessions for t in s.saved]
    finished = [s for s in result.sessions if not s.timeout]
    assert all(len(s.saved) == SIGNALS for s in finished)
    assert set(stored) <= entered and set(confirmed) <= set(stored)  # nothing confirmed is lost
    assert set(stored.values()) == {1}  # none doubled
    assert during >= FEEDS and items > 0  # the scheduler kept collecting under load
    assert tracebacks == [], "".join(served.log)[-5000:]
