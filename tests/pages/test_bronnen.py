"""Bronnen page through the real app shell: health, switching, fetching now, adding with a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.collectors.conftest import FeedServer, fixture_bytes
from tests.pages.apptest import open_page


@pytest.fixture
def loopback_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_db) -> Path:
    """The test server lives on 127.0.0.1, which the product refuses unless told otherwise."""
    config = tmp_path / "onrust.toml"
    config.write_text("[collect]\nallow_private_networks = true\ntotal_timeout_seconds = 2.0\n")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    return config


@pytest.fixture
def feeds():
    srv = FeedServer()
    yield srv
    srv.close()


def test_empty_page_offers_the_default_list(app_db, app_store):
    at = open_page("bronnen.py")
    assert not at.exception
    assert at.title[0].value == "Bronnen"
    assert "Nog geen bronnen" in at.info[0].value
    [load] = [b for b in at.button if b.label == "Standaardlijst laden"]
    load.click().run()
    assert not at.exception
    assert any("bronnen toegevoegd (uit)" in s.value for s in at.success)
    assert app_store.source_by_name("NOS Nieuws algemeen").enabled is False


def test_health_fetch_now_and_switching(app_db, app_store, loopback_config, feeds):
    app_store.add_source("Omroep", url=feeds.add("/rss.xml", body=fixture_bytes("rss2.xml")), publisher="Omroep")
    app_store.add_source("Kapot", url=feeds.add("/kapot", status=500))
    at = open_page("bronnen.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert table.set_index("bron")["status"].to_dict() == {"Kapot": "nog niet opgehaald", "Omroep": "nog niet opgehaald"}
    # No run at all this week is reported as the largest gap, not as "geen onderbrekingen".
    assert any("Deze week is niets opgehaald" in w.value for w in at.warning)
    [fetch_now] = [b for b in at.button if b.label == "Nu ophalen"]
    fetch_now.click().run()
    assert not at.exception
    assert "Omroep: 4 nieuw, 0 bijgewerkt, 0 dubbel" in [t.value for t in at.text]
    assert any("Kapot: HTTP 500" in e.value for e in at.error)
    at.run()
    assert not any("Deze week is niets opgehaald" in w.value for w in at.warning)
    table = at.dataframe[0].value.set_index("bron")
    assert table.loc["Kapot", "status"] == "storing" and table.loc["Kapot", "fout"].startswith("HTTP 500")
    assert table.loc["Omroep", "items"] == 4
    assert any("Geen gegevens van: Kapot" in e.value for e in at.error)
    at.multiselect[0].set_value(["Omroep"])
    [save] = [b for b in at.button if b.label == "Opslaan"]
    save.click().run()
    assert not at.exception
    assert app_store.source_by_name("Kapot").enabled is False


def test_add_source_validates_and_test_fetches(app_db, app_store, loopback_config, feeds):
    good = feeds.add("/atom.xml", body=fixture_bytes("atom.xml"))
    at = open_page("bronnen.py")
    at.text_input[0].set_value("Stadsblad")
    at.text_input[1].set_value("file:///etc/passwd")
    [submit] = [b for b in at.button if b.label == "Testen en toevoegen"]
    submit.click().run()
    assert any("Alleen http(s)-adressen" in e.value for e in at.error)
    assert app_store.source_by_name("Stadsblad") is None
    at.text_input[1].set_value(good)
    [submit] = [b for b in at.button if b.label == "Testen en toevoegen"]
    submit.click().run()
    assert not at.exception
    assert any("Stadsblad toegevoegd: 2 items gevonden" in s.value for s in at.success)
    assert app_store.source_by_name("Stadsblad").url == good
