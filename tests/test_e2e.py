"""End to end: `onrust serve` on the demo database, opened in a real headless Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, launch, open_nav, selected_incident

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine (apt-get install chromium)"),
]


@contextmanager
def _over_page(url: str, requested: list[str] | None = None) -> Iterator:
    """A fresh Chromium page opened at /over (no incident-specific page), closed afterwards;
    `requested` collects every URL the page asks for, from the first request on."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            if requested is not None:
                page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{url}/over", wait_until="domcontentloaded", timeout=60_000)
            yield page
        finally:
            browser.close()


def test_dashboard_shows_demo_incident_in_chromium(demo_server):
    from playwright.sync_api import sync_playwright

    url, _, incident_name = demo_server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # First visit after the start is a bookmark: it must get the whole app (sidebar with
            # the incident), not the page file alone as in Streamlit's old pages-folder mode.
            page.goto(f"{url}/temperatuur", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_text(incident_name, exact=False).first.wait_for(timeout=90_000)
            page.get_by_role("heading", name="Temperatuur").first.wait_for(timeout=60_000)
            assert page.locator("[data-testid='stSidebarNav'] a", has_text="app").count() == 0
            # The start page under its own name too (a link in a mail): the page, not Streamlit's
            # English "Page not found" dialog over the start page.
            page.goto(f"{url}/omgevingsbeeld", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_role("heading", name="Omgevingsbeeld").first.wait_for(timeout=60_000)
            page.get_by_text(incident_name, exact=False).first.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            assert page.get_by_text("Page not found").count() == 0
            assert page.locator("[data-testid='stSidebarNav'] a", has_text="Omgevingsbeeld").count() == 1
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            # The app is connected once Streamlit has rendered the sidebar's incident selector.
            page.get_by_text(incident_name, exact=False).first.wait_for(timeout=90_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()


def test_second_writer_is_refused_while_server_runs(demo_server):
    _, db, _ = demo_server
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "init", "--db", str(db)],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 2
    assert "onrust serve" in out.stderr and "Traceback" not in out.stderr


def test_retag_status_updates_in_the_browser_until_done(demo_server):
    """The status fragment polls by itself: no reload, and the page shows the result when done."""
    from playwright.sync_api import sync_playwright

    url, _, _ = demo_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/bronnen", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_role("heading", name="Bronnen").first.wait_for(timeout=90_000)
            page.get_by_text("Opnieuw taggen", exact=True).first.click()
            page.get_by_role("button", name="Opnieuw taggen").click()
            page.get_by_text("Opnieuw taggen: klaar").wait_for(timeout=120_000)
            page.get_by_text("items getagd met").first.wait_for(timeout=10_000)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()


def _open_incident(page, name: str) -> None:
    """'Nieuw incident' in the sidebar, as a person opens one; waits until the page shows it."""
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Nieuw incident", exact=True).click()
    sidebar.get_by_label("Naam", exact=True).fill(name)
    sidebar.get_by_label("Gemeente", exact=True).fill("Loosterveen")
    sidebar.get_by_role("button", name="Incident openen").click()
    page.get_by_role("heading", name=name).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)


def test_a_new_incident_stays_selected_on_every_page(demo_server):
    """After "Incident openen" the sidebar shows the new incident, and the next page keeps it:
    the browser's selector must not send the previous incident back (entries would land there)."""
    url, _, demo_name = demo_server
    with _over_page(url) as page:
        page.get_by_role("heading", name=demo_name).first.wait_for(timeout=90_000)
        assert demo_name in selected_incident(page)
        _open_incident(page, "Brand Kerkstraat E2E")
        assert "Brand Kerkstraat E2E" in selected_incident(page)
        open_nav(page, "Temperatuur", "Temperatuur")
        assert "Brand Kerkstraat E2E" in selected_incident(page)
        open_nav(page, "Over", "Over Onrustmonitor")
        page.get_by_role("heading", name="Brand Kerkstraat E2E").first.wait_for(timeout=30_000)
        assert "Brand Kerkstraat E2E" in selected_incident(page)
        assert page.locator("[data-testid='stException']").count() == 0


def test_an_incident_name_with_markup_renders_as_text(demo_server):
    """The name typed into "Nieuw incident" appears in captions and headings: as text, not as an
    image (loaded from anywhere), a link or an address turned into a link."""
    url, _, _ = demo_server
    name = "Onrust ![x](http://127.0.0.1:1/x.png) [klik](javascript:alert(1)) www.example.com a@b.nl"
    requested: list[str] = []
    with _over_page(url, requested) as page:
        page.get_by_role("heading", name="Over Onrustmonitor").first.wait_for(timeout=90_000)
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("Nieuw incident", exact=True).click()
        sidebar.get_by_label("Naam", exact=True).fill(name)
        sidebar.get_by_label("Gemeente", exact=True).fill("Loosterveen")
        sidebar.get_by_role("button", name="Incident openen").click()
        page.get_by_text("[klik](javascript:alert(1))").first.wait_for(timeout=60_000)
        open_nav(page, "Omgevingsbeeld", "Omgevingsbeeld")
        page.get_by_text("[klik](javascript:alert(1)) www").first.wait_for(timeout=60_000)
        main = page.locator("[data-testid='stMain']")
        assert main.locator("img").count() == 0
        hrefs = [a.get_attribute("href") or "" for a in main.locator("a").all()]
        forbidden = ("example.com", "mailto:", "javascript", "127.0.0.1:1")
        assert not [h for h in hrefs if any(f in h for f in forbidden)]
        assert not [r for r in requested if r.startswith("http://127.0.0.1:1/")]


def _choose(page, label: str, typed: str) -> None:
    field = page.locator("[data-testid='stForm']:visible").get_by_label(label, exact=True)
    field.click()
    page.keyboard.type(typed)
    page.get_by_role("option").first.wait_for(timeout=30_000)
    page.keyboard.press("Enter")
    assert field.input_value().lower().startswith(typed.lower())


def test_signal_form_stays_open_after_saving_and_shows_its_errors(demo_server):
    """An analyst enters signals one after another: after "Signaal opslaan" the confirmation shows
    above the tabs and the "Nieuw signaal" tab stays open; a second, incomplete entry shows why it
    was refused. Before, the confirmation coming and going made Streamlit redraw the tabs at their
    first tab, so the refusal sat in a hidden tab and the button seemed to do nothing."""
    url, _, _ = demo_server
    with _over_page(url) as page:
        # Earlier tests of this module opened incidents of their own: any may be selected.
        page.get_by_role("heading", name="Over Onrustmonitor").first.wait_for(timeout=90_000)
        _open_incident(page, "Signalen E2E")
        open_nav(page, "Signalen", "Signalen")
        tab = page.get_by_role("tab", name="Nieuw signaal")
        tab.click()
        for label, typed in (("Soort", "gerucht"), ("Brontype", "sociale media"),
                             ("Betrouwbaarheid bron", "C"), ("Geloofwaardigheid informatie", "3"),
                             ("Ernst", "3")):
            _choose(page, label, typed)
        form = page.locator("[data-testid='stForm']:visible")
        form.get_by_label("Gebeurd op", exact=True).fill("gisteren 21:30")
        form.get_by_label("Tekst van het signaal", exact=True).fill("Oproep in de buurtapp om samen te komen")
        form.get_by_role("button", name="Signaal opslaan").click()
        page.get_by_text(re.compile(r"Signaal #\d+ opgeslagen")).wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        assert tab.get_attribute("aria-selected") == "true"
        page.locator("[data-testid='stForm']:visible").get_by_role("button", name="Signaal opslaan").click()
        page.get_by_text("Signaal niet opgeslagen. Verbeter:").wait_for(state="visible", timeout=60_000)
        assert tab.get_attribute("aria-selected") == "true"
        assert page.locator("[data-testid='stException']").count() == 0
