"""The header sees news arrive while a page stays open: the watch fragment compares the incident's
linked items and notices with what the last full run showed, and offers to redraw."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.components.notices import SEEN, news_since
from onrust.timeutil import utcnow

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)


def _watch(incident_id: int) -> None:
    from dashboard.components import notices

    notices.watch(incident_id)


def _alert(store, incident: int, message: str) -> None:
    store.save_alerts(incident, pd.DataFrame([{"raised_at": utcnow(), "kind": "signaal", "key": message,
                                               "message": message, "delivery": {}}]))


def test_news_since_counts_in_dutch_and_ignores_another_incident():
    assert news_since((1, 10, 2), 1, (12, 3)) == "2 nieuwe berichten en 1 nieuwe melding"
    assert news_since((1, 10, 2), 1, (11, 2)) == "1 nieuw bericht"
    assert news_since((1, 10, 2), 1, (10, 2)) == ""
    assert news_since((2, 0, 0), 1, (50, 5)) == ""  # drawn for another incident
    assert news_since(None, 1, (50, 5)) == ""


def test_the_fragment_shows_what_arrived_after_the_page_was_drawn(app_store):
    incident = app_store.create_incident("Brand Veldwijk", "Veldwijk", T0)
    _alert(app_store, incident, "Eerste melding")
    at = AppTest.from_function(_watch, args=(incident,))
    at.session_state[SEEN] = (incident, 0, 1)  # what the page showed: one notice
    at.run()
    assert not at.exception and not at.info  # nothing new yet
    _alert(app_store, incident, "Tweede melding")
    _alert(app_store, incident, "Derde melding")
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["Binnengekomen sinds deze pagina is geladen: 2 nieuwe meldingen."]
    assert [b.label for b in at.button] == ["Bijwerken"]


def test_a_full_run_of_a_page_resets_what_counts_as_seen(app_store):
    from tests.pages.apptest import open_page

    incident = app_store.create_incident("Brand Veldwijk", "Veldwijk", T0)
    _alert(app_store, incident, "Eerste melding")
    at = open_page("logboek.py", incident_id=incident)
    assert not at.exception
    assert at.session_state[SEEN] == (incident, 0, 1)
    assert not any("Binnengekomen" in i.value for i in at.info)
