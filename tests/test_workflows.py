"""Each of the five users walks one full workflow in a real headless Chromium against `onrust
serve` on the demo database (issue 13): every step is screenshotted and checked (no page error,
no Streamlit exception, no raw key, None/nan or ISO time on screen), every download opened.

Screenshots go to pytest's tmp dir, or to $ONRUST_SCREENSHOTS to keep them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, Walk, launch, open_nav, selected_incident
from tests.pages.dutch_scan import file_problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The shared demo server (tests/browser.py), allowed to fetch from this machine: the new
    municipality's feed is served on loopback, as there is no internet here."""
    from tests.browser import serve_demo

    folder = tmp_path_factory.mktemp("walks")
    config = folder / "onrust.toml"
    config.write_text("[collect]\nallow_private_networks = true\n", encoding="utf-8")
    with serve_demo(folder, config) as served:
        yield served


@pytest.fixture(scope="module")
def feed_url() -> Iterator[str]:
    """The municipality's own news feed, served on loopback."""
    import threading
    from datetime import UTC, datetime
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.feeds import rss

    body = rss([(f"lv-{n}", f"Nieuws uit Loosterveen {n}", "Gemeente Loosterveen meldt.") for n in range(3)],
               datetime.now(UTC))

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/nieuws.xml"
    server.shutdown()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    kept = os.environ.get("ONRUST_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def walk(demo_server, shots: Path, request: pytest.FixtureRequest) -> Iterator[Walk]:
    """A fresh browser at the start page; afterwards: screenshots written, no page error, Dutch screens."""
    from playwright.sync_api import sync_playwright

    url, _, _ = demo_server
    user = request.node.name.removeprefix("test_").split("_")[0]
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(30_000)
            found = Walk(page, shots, user)
            page.goto(f"{url}/over", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_role("heading", name="Over Onrustmonitor").first.wait_for(timeout=90_000)
            found.idle()
            yield found
        finally:
            browser.close()
    assert found.taken and all(p.is_file() and p.stat().st_size > 10_000 for p in found.taken)
    assert found.errors == []
    assert found.found == []


def _checked(name: str, data: bytes) -> bytes:
    """A download is Dutch display like the page (tests/pages/dutch_scan.py)."""
    assert data and file_problems(name, data) == []
    return data


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    heads = [p.text for s in doc.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    return "\n".join([p.text for p in doc.paragraphs] + cells + heads)


SIGNAL = "Gerucht in de wijk: de verdachte zou vrijgelaten zijn en vanavond terugkomen."


def test_omgevingsanalist_enters_routes_and_settles_a_rumour(walk: Walk):
    walk.new_incident("Onrust Molenbroek", "Loosterveen")
    walk.step("incident-geopend")
    open_nav(walk.page, "Signalen", "Signalen")
    walk.tab("Nieuw signaal")
    walk.choose("Soort", "Gerucht:")
    walk.choose("Brontype", "Sleutelfiguur")
    walk.choose("Betrouwbaarheid bron", "C –")
    walk.choose("Geloofwaardigheid informatie", "3 –")
    walk.choose("Ernst", "3 –")
    walk.fill("Wijk", "Molenbroek")
    walk.fill("Gebeurd op", "nu")
    walk.fill("Tekst van het signaal", SIGNAL)
    walk.step("signaal-ingevuld")
    walk.click("Signaal opslaan")
    walk.main().get_by_text("opgeslagen.").first.wait_for()
    # The form's tab stays open for the next signal; the overview says what still has to be routed.
    assert walk.page.get_by_role("tab", name="Nieuw signaal").get_attribute("aria-selected") == "true"
    walk.tab("Overzicht")
    walk.main().get_by_text("1 signaal nog niet doorgeleid").first.wait_for()
    walk.step("signaal-opgeslagen")

    walk.tab("Doorleiden")
    walk.choose("Doorgeleid aan", "Burgemeester")
    walk.fill("Ontvangen door (naam of functie)", "wijkagent Molenbroek")
    walk.click("Doorleiding vastleggen")
    walk.main().get_by_text("ontvangen door wijkagent Molenbroek").first.wait_for()
    assert walk.main().get_by_text("nog niet doorgeleid").count() == 0
    walk.step("doorgeleid")

    open_nav(walk.page, "Omgevingsbeeld", "Omgevingsbeeld")
    walk.step("omgevingsbeeld")
    walk.tab("Beeld")
    walk.main().get_by_text("1 onbevestigd · 0 bevestigd · 0 ontkracht").first.wait_for()
    walk.step("beeld")
    walk.main().get_by_text("Status van een gerucht vastleggen").click()
    walk.choose("Gerucht", "vrijgelaten")
    walk.main().get_by_text("ontkracht", exact=True).first.click()
    walk.choose("Bevestigd of ontkracht door (bericht of signaal)", "signaal")
    walk.fill("Toelichting", "OM: de verdachte zit nog vast")
    walk.click("Status vastleggen")
    walk.main().get_by_text("Status 'ontkracht' vastgelegd").first.wait_for()
    walk.main().get_by_text("0 onbevestigd · 0 bevestigd · 1 ontkracht").first.wait_for()
    walk.until(lambda: walk.chosen("Gerucht").endswith("(ontkracht)"), "the rumour reads its new status")
    walk.step("gerucht-ontkracht")

    walk.tab("Omgevingsbeeld maken")
    walk.click("Omgevingsbeeld maken")
    walk.main().get_by_role("button", name="Bewaar als versie 1").wait_for(timeout=60_000)
    walk.step("omgevingsbeeld-gemaakt")
    name, data = walk.download("Word")
    assert name.startswith("omgevingsbeeld-onrust-molenbroek-") and name.endswith(".docx")
    text = _docx_text(_checked(name, data))
    assert "ontkracht" in text and "vrijgelaten" in text


VICTIM = "Jan Pietersen"
RELEASE = {
    "Kop *": "Brand in flat aan de Esdoornhof",
    "Wat is er gebeurd? *": f"Vannacht brak brand uit in een flat aan de Esdoornhof; {VICTIM} is gewond.",
    "Waar? *": "Esdoornhof, Molenbroek",
    "Wanneer? *": "Vannacht rond 02.00 uur",
    "Waarom / duiding (alleen wat bekend is) *": "De oorzaak wordt onderzocht door de brandweer.",
    "Warmte en empathie *": "Wij leven mee met de bewoners en hun familie.",
    "Contactpersoon voor de pers *": "Woordvoerder gemeente",
    "Wanneer en hoe volgt meer informatie? *": "Vanmiddag om 16.00 uur op de website.",
    "Telefoonnummer voor vragen *": "14 0591",
    "Website voor vragen en updates *": "www.loosterveen.nl/calamiteit",
}


def _release_shown(walk: Walk, status: str, version: int) -> None:
    """The selector names the release's status and version as they are now (the browser kept the
    old text for the same release until the page handed the value again)."""
    expected = f"{RELEASE['Kop *']} · {status} · versie {version}"
    walk.until(lambda: walk.chosen("Bericht") == expected, expected)


def test_communicatieadviseur_drafts_checks_and_submits_a_press_release(walk: Walk):
    walk.new_incident("Brand Esdoornhof", "Loosterveen")
    open_nav(walk.page, "Communicatie", "Communicatie")
    walk.tab("Persbericht")
    walk.step("persbericht-leeg")
    walk.main().get_by_text("Namen van betrokkenen (0)").click()
    walk.fill("Naam", VICTIM)
    walk.choose("Rol", "slachtoffer")
    walk.click("Naam registreren")
    walk.main().get_by_text("Namen van betrokkenen (1)").first.wait_for()
    for label, text in RELEASE.items():
        walk.fill(label, text)
    walk.step("persbericht-ingevuld")
    walk.click("Opslaan als nieuwe versie")
    _release_shown(walk, "concept", 1)
    walk.main().get_by_text("1 blokkerend", exact=False).first.wait_for()
    walk.step("bevindingen")

    # A draft with a blocking finding: the downloads carry CONCEPT and never the registered name.
    for button in ("Word", "Woordvoeringslijn (Word)"):
        name, data = walk.download(button)
        text = _docx_text(_checked(name, data))
        assert VICTIM not in text and "Pietersen" not in text
        assert "CONCEPT" in text

    walk.fill("Wat is er gebeurd? *", "Vannacht brak brand uit in een flat aan de Esdoornhof; één bewoner is gewond.")
    walk.click("Opslaan als nieuwe versie")
    walk.step("versie-2")

    _release_shown(walk, "concept", 2)
    walk.main().get_by_text("0 blokkerend", exact=False).first.wait_for()
    walk.fill("Opmerking bij deze stap", "Graag voor 10.00 uur controleren")
    walk.click("Ter controle aanbieden")
    _release_shown(walk, "ter controle", 2)
    walk.step("ter-controle")


def test_driehoek_records_the_official_phase_and_takes_the_pdf(walk: Walk):
    from pypdf import PdfReader

    walk.new_incident("Onrust Kolkhoek", "Loosterveen")
    open_nav(walk.page, "Temperatuur", "Temperatuur")
    walk.step("temperatuur")
    walk.choose("Fase", "fase 3: Maatschappelijke onrust")
    walk.fill("Reden", "Verwensingen en een oproep tot verzamelen bij het sportpark.")
    walk.click("Vastleggen")
    walk.main().get_by_text("Officiële fase 3 (Maatschappelijke onrust) vastgelegd").first.wait_for()
    official = walk.main().locator("[data-testid='stMetric']").filter(has_text="Officiële fase")
    walk.until(lambda: "3: Maatschappelijke onrust" in official.first.inner_text(), "the metric shows the new phase")
    assert walk.main().get_by_label("Reden", exact=True).input_value() == ""
    walk.step("fase-vastgelegd")
    open_nav(walk.page, "Communicatie", "Communicatie")
    side = walk.main().locator("[data-testid='stMetric']").filter(has_text="Officiële MO-fase")
    walk.until(lambda: "3" in side.first.inner_text(), "Communicatie shows the same phase")
    walk.step("communicatie-zelfde-fase")

    open_nav(walk.page, "Temperatuur", "Temperatuur")
    walk.click("PDF voor het driehoekoverleg maken")
    walk.main().get_by_role("button", name="PDF downloaden").wait_for(timeout=120_000)
    walk.step("pdf-klaar")
    name, data = walk.download("PDF downloaden")
    assert name.startswith("driehoekoverleg-onrust-kolkhoek-") and name.endswith(".pdf")
    pages = PdfReader(io.BytesIO(_checked(name, data))).pages
    front = pages[0].extract_text()
    assert "Officiële fase 3: Maatschappelijke onrust" in front
    assert "Verwensingen en een oproep" in front
    assert "Formuleversie" not in front


def test_evaluator_replays_the_closed_incident_and_takes_the_report(walk: Walk, demo_server):
    _, _, demo_name = demo_server
    open_nav(walk.page, "Terugblik", "Terugblik")
    if demo_name not in selected_incident(walk.page):
        walk.choose("Incident", demo_name, walk.sidebar())
        walk.idle()
    walk.step("terugblik")
    slider = walk.main().get_by_role("slider").first
    before = slider.get_attribute("aria-valuetext")
    slider.focus()
    for _ in range(40):  # back in time, step by step, as a user drags
        walk.page.keyboard.press("ArrowLeft")
    walk.idle()
    walk.until(lambda: slider.get_attribute("aria-valuetext") != before, "the slider moved")
    caption = walk.main().get_by_text("Wat bekend was op").first
    walk.until(lambda: caption.inner_text() != f"Wat bekend was op {before}.", "the replay follows the slider")
    walk.step("teruggespoeld")
    walk.click("Rapport maken (HTML)")
    walk.main().get_by_role("button", name="Rapport downloaden").first.wait_for(timeout=120_000)
    walk.step("rapport-klaar")
    name, data = walk.download("Rapport downloaden")
    assert name.endswith(".html")
    html = data.decode("utf-8")
    assert demo_name in html and "Traceback" not in html and "None" not in html


def test_municipality_adds_its_sources_and_checks_the_audit(walk: Walk, feed_url: str):
    open_nav(walk.page, "Bronnen", "Bronnen")
    walk.step("bronnen")
    walk.main().get_by_text("Standaardlijst Nederlandse bronnen").click()
    walk.click("Standaardlijst laden")
    walk.main().get_by_text("bronnen toegevoegd (uit)").first.wait_for()
    walk.step("standaardlijst")
    walk.fill("Naam", "Nieuws Loosterveen")
    walk.choose("Soort", "RSS")
    walk.fill("Adres (https://…)", feed_url)
    walk.fill("Uitgever (optioneel)", "Gemeente Loosterveen")
    walk.click("Testen en toevoegen")
    walk.main().get_by_text("Nieuws Loosterveen toegevoegd: 3 items gevonden.").first.wait_for(timeout=60_000)
    walk.step("bron-toegevoegd")

    open_nav(walk.page, "Beheer", "Beheer")
    walk.choose("Tabel", "Bronnen")
    walk.step("auditspoor-bronnen")
    name, data = walk.download("Download CSV")
    assert name.startswith("auditspoor-") and name.endswith(".csv")
    assert "Nieuws Loosterveen" in data.decode("utf-8-sig")
