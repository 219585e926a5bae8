"""Terugblik page through the real app shell: replay of a moment, coverage, timing, report download."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from dashboard.review_html import chromium_path
from devtools.bench_dashboard import build_database
from onrust.display import number
from tests.pages.apptest import downloads, finish_job, open_page


def _demo(app_db, demo_db):
    shutil.copy(demo_db, app_db)


def test_page_replays_the_evening_of_the_escalation(app_db, demo_db):
    _demo(app_db, demo_db)
    at = open_page("terugblik.py")
    assert not at.exception
    assert at.title[0].value == "Terugblik"
    metrics = {m.label: m.value for m in at.metric}
    # The default moment is the end of the incident: closed on 21-10 17:00 (Amsterdam time).
    assert metrics["Officiële fase"] == "5: Terugkeer naar rust"
    assert at.caption[1].value.startswith("Wat bekend was op wo 21-10-2026 17:00")
    at.slider(key="terugblik_at_1").set_value(datetime(2026, 10, 14, 22, 0)).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Temperatuur": "64", "Fase (indicator)": "4: Escalatie", "Officiële fase": "4: Escalatie",
                       "Berichten bekend": "52", "Signalen bekend": "19"}


def test_report_is_built_on_the_worker_and_offered_for_download(app_db, demo_db):
    _demo(app_db, demo_db)
    at = open_page("terugblik.py")
    next(b for b in at.button if b.label == "Rapport maken (HTML)").click().run()
    with downloads() as served:
        finish_job(at, "terugblik_report_job", timeout=120)
    assert not at.exception
    (name, document), = served.items()
    assert name.startswith("terugblik-1-") and name.endswith(".html")
    assert document.startswith(b"<!doctype html>") and b"https://" not in document


def test_page_without_incident(app_db):
    at = open_page("terugblik.py")
    assert not at.exception
    assert "Kies of maak eerst een incident." in [i.value for i in at.info]


@pytest.mark.skipif(chromium_path() is None, reason="geen Chromium op deze machine (apt-get install chromium)")
def test_report_as_pdf_from_the_page(app_db, demo_db):
    _demo(app_db, demo_db)
    at = open_page("terugblik.py")
    next(b for b in at.button if b.label == "Rapport maken (PDF)").click().run()
    with downloads() as served:
        finish_job(at, "terugblik_report_pdf_job", timeout=180)
    assert not at.exception
    (name, document), = served.items()
    assert name.endswith(".pdf") and document.startswith(b"%PDF")


def test_replay_lists_the_newest_thousand_of_many_items(app_db):
    """A busy incident's replay shows the count of every known item and the newest thousand."""
    build_database(app_db, 3000, 3)
    at = open_page("terugblik.py", timeout=120)
    assert not at.exception
    known = int({m.label: m.value for m in at.metric}["Berichten bekend"])
    assert known > 1000
    assert len(at.dataframe[0].value) == 1000  # the first tab's table: the items known then
    assert f"De nieuwste 1.000 van {number(known)} berichten die toen bekend waren." in [c.value for c in at.caption]
