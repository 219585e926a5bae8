"""Untrusted feed text in the real browser and in the exports: markup, script, javascript links,
remote images (to a pixel server we watch), control characters, NUL bytes, RTL overrides and a
100 kB title, ingested into the demo database. No dialog, no request for the pixel, no page error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.main import PAGES
from onrust.store import Store
from tests.browser import CHROMIUM, free_port, wait_for_port
from tests.collectors.conftest import FeedServer
from tests.conftest import ROOT
from tests.resilience import hostile, procs

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine")]


@pytest.fixture(scope="module")
def hostile_demo(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("hostile")
    db = tmp / "demo.duckdb"
    built = procs.onrust("demo", "--build-only", "--db", str(db))
    assert built.returncode == 0, built.stderr
    with Store.open(db, read_only=True) as store:  # the demo incident is closed: an open one links the items
        place = store.scalar("select municipality from incidents where is_demo")
    pixels = FeedServer()
    pixel = pixels.add("/pixel.png", body=b"\x89PNG", headers={"Content-Type": "image/png"})
    incident, linked = hostile.open_incident_with(db, place, pixel, tmp)
    assert linked == len(hostile.items(pixel, place))  # shown on the pages of the open incident
    yield db, int(incident), pixels, tmp
    pixels.close()


def test_every_page_keeps_hostile_feed_text_inert_in_chromium(hostile_demo):
    from playwright.sync_api import sync_playwright

    db, _, pixels, _ = hostile_demo
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port),
                             "--no-collect"], cwd=ROOT, env=procs.env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    dialogs: list[str] = []
    errors: list[str] = []
    pixel_requests: list[str] = []
    remote: list[str] = []  # any host but the dashboard's own (the pixel server too)
    try:
        wait_for_port(port, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: pixel_requests.append(r.url) if "pixel" in r.url else None)
            page.on("request", lambda r: None if r.url.split("/")[2] == f"127.0.0.1:{port}" else remote.append(r.url))
            for file, title, _ in PAGES:
                page.goto(f"http://127.0.0.1:{port}/{Path(file).stem}", wait_until="domcontentloaded",
                          timeout=60_000)
                page.get_by_role("heading", name=title).first.wait_for(timeout=90_000)
                page.wait_for_timeout(2500)
                assert page.locator("[data-testid='stException']").count() == 0, title
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert dialogs == [] and errors == [] and pixel_requests == []
    assert remote == []
    assert [path for path, _ in pixels.requests] == []

