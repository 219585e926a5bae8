"""Over page and the navigation shell, through the real app.py."""

from __future__ import annotations

from datetime import UTC, datetime

from collectors.feeds import parse_feed
from collectors.ingest import store_parsed
from tests.pages.apptest import open_page
from tests.test_cli import RSS

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)


def test_over_page_shows_incident_counts_and_database(app_db, app_store):
    app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0, is_demo=True)
    sid = app_store.add_source("Lokaal Nieuws", reach="lokaal")
    source = app_store.source_by_name("Lokaal Nieuws")
    store_parsed(app_store, source, parse_feed(RSS, T0))
    at = open_page("over.py")
    assert not at.exception
    assert at.title[0].value == "Over Onrustmonitor"
    assert at.subheader[0].value == "Onrust Veldwijk"
    assert any("fictief" in w.value for w in at.warning)
    assert [m.value for m in at.metric][1] == "2"
    table = at.dataframe[0].value
    assert table.loc[0, "bron"] == "Lokaal Nieuws" and table.loc[0, "items"] == 2
    assert at.sidebar.selectbox[0].value == 1 and sid == 1


def test_over_page_without_incidents_guides_the_user(app_db):
    at = open_page("over.py")
    assert not at.exception
    assert "Nog geen incidenten" in at.sidebar.info[0].value
    assert "Nog geen bronnen" in at.info[0].value
