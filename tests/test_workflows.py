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

from tests.browser import CHROMIUM, Walk, launch, open_nav
from tests.pages.dutch_scan import file_problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine (apt-get install chromium)"),
]


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

    url, _, demo_name = demo_server
    user = request.node.name.removeprefix("test_").split("_")[0]
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(30_000)
            found = Walk(page, shots, user)
            page.goto(f"{url}/over", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_role("heading", name=demo_name).first.wait_for(timeout=90_000)
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
