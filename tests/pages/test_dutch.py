"""Every page of dashboard.main.PAGES and every download, on the demo database, shows Dutch:
local times, decimal commas, labels instead of keys, "—" for nothing, document titles instead
of seed file names (issue 13, "Dutch, everywhere"). A page added to PAGES is scanned too."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from app.demo.build import build_demo
from dashboard.main import PAGES
from onrust import worker
from onrust.paths import DEFAULT_SETTINGS
from onrust.settings import load_settings
from onrust.store import Store
from tests.pages.apptest import downloads, open_page
from tests.pages.dutch_scan import file_problems, page_texts, problems

# The one download name pattern (onrust.display.export_name): what, incident, local time.
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*-\d{4}-\d\d-\d\d-\d{4}\.(docx|csv|md|txt|xlsx|pdf|zip)$")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, load_settings())
    return path


def _views(demo: Path) -> list[tuple[str, dict[str, object]]]:
    """Each page as it opens, and the deeper states a user reaches (a chosen press release)."""
    store = Store.open(demo, read_only=True)
    try:
        (incident,) = store.incidents()
        releases = store.press_releases(incident.id)
    finally:
        store.close()
    views: list[tuple[str, dict[str, object]]] = [(f, {"comms_author": "Anna"}) for f, _, _ in PAGES]
    views += [("communicatie.py", {"comms_author": "Anna", f"press_release_{incident.id}": r.id})
              for r in releases[:1]]
    return views


@pytest.fixture
def demo_app(app_db: Path, demo_db: Path) -> Path:
    shutil.copy(demo_db, app_db)
    return demo_db


# The audit trail's CSV is evidence: it keeps every stored value verbatim (before/after JSON, UTC
# times) so that a change can be checked against the database; the Beheer page shows it in Dutch.
EVIDENCE = ("auditspoor-",)


def test_every_page_and_download_is_dutch(demo_app):
    found = []
    names = []
    for page, session in _views(demo_app):
        with downloads() as served:
            at = open_page(page, **session)
        assert not at.exception, (page, [e.value for e in at.exception])
        found += [(page, *p) for p in problems(page_texts(at))]
        for name, data in served.items():
            names.append(name)
            if not name.startswith(EVIDENCE):
                found += [(page, *p) for p in file_problems(name, data)]
    assert found == []
    assert names and [n for n in names if not FILE_NAME.match(n)] == []


def test_the_driehoek_pdf_is_dutch(demo_app):
    """The meeting PDF is built on the worker after a click, so the page scan never sees it: its
    text, page by page, is scanned here."""
    from pypdf import PdfReader

    at = open_page("temperatuur.py")
    next(b for b in at.button if b.label == "PDF voor het driehoekoverleg maken").click()
    at.run()
    (incident_key,) = [k for k in at.session_state if str(k).startswith("brief_job_")]
    worker.default().wait(at.session_state[incident_key], 240)
    with downloads() as served:
        at.run()
    assert not at.exception
    [(name, pdf)] = [(n, d) for n, d in served.items() if n.endswith(".pdf")]
    assert FILE_NAME.match(name) and len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert file_problems(name, pdf) == []
    front = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # An open action by its step: "secretaris" alone does not say what is to be done.
    assert "TE LAAT: stap 1.2: secretaris" in front


def test_a_broken_settings_file_is_one_plain_dutch_error(app_db, tmp_path, monkeypatch):
    """A settings key or a traceback is for the administrator: the page says what happened in Dutch
    and keeps the technical text behind an expander."""
    broken = tmp_path / "onrust.toml"
    broken.write_text((DEFAULT_SETTINGS.read_text(encoding="utf-8")
                       + "\n[collect.extra]\nonbekend = 1\n"), encoding="utf-8")
    monkeypatch.setenv("ONRUST_CONFIG", str(broken))
    at = open_page("over.py")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "De instellingen van Onrustmonitor kloppen niet; er is niets gewijzigd. De beheerder kan het "
        "instellingenbestand herstellen (zie de technische details)."]
    assert "collect.extra" in at.expander[0].text[0].value


def test_the_scan_finds_each_kind_of_defect():
    texts = [("markdown", "zie pers.v1 hier"), ("markdown", "scenario: media_ophef_zorg (3)"),
             ("table cell", "acuut"), ("markdown", "om 2026-10-14T21:30"), ("caption", "tijd in UTC"),
             ("table cell", "0.5"), ("table cell", "None"), ("table header", "last_informed_at"),
             ("markdown", "Bron: 000_266dee29c38c8750.txt"),
             ("caption", "gekoppeld vanaf 0.4."),
             ("markdown", "uithoorn.nl/calamiteit om 20.00 uur, 5.000 rijen, 004 Bijlage 2.1, §3.2, versie 0.1.0"),
             ("table cell", "0,5")]  # the last two are fine
    assert [p[0] for p in problems(texts)] == [
        "raw key in text", "raw key in text", "raw key", "ISO/UTC time", "ISO/UTC time", "decimal point",
        "None/nan", "raw header", "seed file name", "decimal point in text"]
