"""`onrust serve` on a dashboard machine (scale.mode = "read"), opened in a real headless Chromium:
it shows the published snapshot, says it only reads, and moves on when the collector publishes."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from onrust.store import Store
from onrust.store.lake import publish
from onrust.store.logbook import append_entry
from onrust.timeutil import utcnow
from tests.browser import CHROMIUM, free_port, wait_for_port
from tests.resilience import procs

pytestmark = [
    pytest.mark.browser, pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine (apt-get install chromium)"),
]


def test_a_read_only_dashboard_shows_each_new_snapshot(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    db, share = tmp_path / "regio.duckdb", tmp_path / "share"
    config = tmp_path / "read.toml"
    config.write_text(f"[scale]\nmode = \"read\"\nshared_dir = \"{share}\"\n", encoding="utf-8")
    store = Store.open(db)
    store.migrate()
    incident = store.create_incident("Onrust Kolkhoek", "Uithoorn", utcnow() - timedelta(hours=3))
    publish(store, share, keep_seconds=60)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--config", str(config), "--port", str(port)],
                            cwd=procs.ROOT, env=procs.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        wait_for_port(port, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/logboek", wait_until="domcontentloaded", timeout=60_000)
                page.get_by_text("Meekijken: gegevens van de centrale monitor").first.wait_for(timeout=90_000)
                page.get_by_text("Het logboek is nog leeg.").first.wait_for(timeout=60_000)
                refusal = "Uw rol (alleen-lezen) mag geen logboekregels schrijven"
                page.get_by_text(refusal).first.wait_for(timeout=60_000)

                with store.transaction() as cur:  # the kernteam writes on the central monitor ...
                    append_entry(cur, incident, "besluit", "Extra inzet wijkagenten in Kolkhoek", "kernteam")
                assert publish(store, share, keep_seconds=60).snapshot == "000002"  # ... which publishes
                page.reload(wait_until="domcontentloaded")
                entry = page.get_by_text("Extra inzet wijkagenten in Kolkhoek").first
                entry.wait_for(state="attached", timeout=90_000)  # a cell of the table grid (drawn on a canvas)
            finally:
                browser.close()
    finally:
        store.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
