"""Bronnen page through the real app shell: health, switching, fetching now, re-tagging, adding."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from analysis.tagging import load_tagger
from onrust import worker
from onrust.models import Item
from onrust.timeutil import utcnow
from tests.collectors.conftest import FeedServer, fixture_bytes
from tests.pages.apptest import busy_worker, finish_job, open_page

JOB = "bronnen_collect_job"


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
    assert table.set_index("bron")["status"].to_dict() == {
        "Kapot": "nog niet opgehaald", "Omroep": "nog niet opgehaald"}
    # No run at all this week is reported as the largest gap, not as "geen onderbrekingen".
    assert any("Deze week is niets opgehaald" in w.value for w in at.warning)
    [fetch_now] = [b for b in at.button if b.label == "Nu ophalen"]
    fetch_now.click().run()
    assert not at.exception
    finish_job(at, JOB)
    assert [s.label for s in at.status] == ["Bronnen ophalen: klaar"]
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
    # The confirmation survives the rerun that shows the new state (it used to vanish with it).
    assert "1 bron staat aan." in [s.value for s in at.success]


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


@pytest.fixture
def patient_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_db) -> Path:
    """Loopback allowed, and time for a feed the test holds back."""
    config = tmp_path / "onrust.toml"
    config.write_text("[collect]\nallow_private_networks = true\ntotal_timeout_seconds = 30.0\n")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    return config


@pytest.fixture
def release() -> threading.Event:
    event = threading.Event()
    yield event
    event.set()  # a failed test never leaves the server's handler (and the worker) waiting


def _held(body: bytes, release: threading.Event):
    """A route that answers only once the test says so: the collection is provably still running."""
    def answer(handler: BaseHTTPRequestHandler) -> None:
        release.wait(30)
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def _until(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return found


def test_fetch_now_runs_on_the_worker_and_shows_progress(app_db, app_store, patient_config, feeds, release):
    held = _held(fixture_bytes("rss2.xml"), release)
    app_store.add_source("Omroep", url=feeds.add("/rss.xml", handler=held))
    app_store.add_source("Kapot", url=feeds.add("/kapot", status=500))
    at = open_page("bronnen.py")
    [fetch_now] = [b for b in at.button if b.label == "Nu ophalen"]
    fetch_now.click().run()
    assert not at.exception
    # The script run is over while the feed is still held back: the work is on the worker thread.
    job_id = at.session_state[JOB]
    assert worker.job(job_id).state in ("queued", "running") and worker.job(job_id).kind == "collect"
    assert [(s.label, s.state) for s in at.status] == [("Bronnen ophalen: bezig", "running")]
    _until(lambda: worker.job(job_id).fraction == 0.5)  # Kapot answered, Omroep not yet
    [fetch_now] = [b for b in at.button if b.label == "Nu ophalen"]
    fetch_now.click().run()  # pressed again: the same job, not a second one
    assert at.session_state[JOB] == job_id
    assert [j.id for j in worker.jobs() if j.kind == "collect" and j.active] == [job_id]
    [bar] = at.get("progress")
    assert (bar.value, bar.text) == (50, "1 van 2 bronnen opgehaald")
    assert [t.value for t in at.text if t.value.startswith("Omroep")] == []
    release.set()
    finish_job(at, JOB)
    assert not at.exception
    assert [(s.label, s.state) for s in at.status] == [("Bronnen ophalen: klaar", "complete")]
    assert "Omroep: 4 nieuw, 0 bijgewerkt, 0 dubbel" in [t.value for t in at.text]
    assert any("Kapot: HTTP 500" in e.value for e in at.error)
    assert at.dataframe[0].value.set_index("bron").loc["Omroep", "items"] == 4  # fresh reads after the job


def test_fetch_now_without_enabled_sources_says_so(app_db, app_store):
    app_store.add_source("Omroep", url="https://example.nl/rss.xml", enabled=False)
    at = open_page("bronnen.py")
    [fetch_now] = [b for b in at.button if b.label == "Nu ophalen"]
    fetch_now.click().run()
    assert not at.exception
    assert [i.value for i in at.main.info] == [
        "Er staat geen bron aan om op te halen. Zet hierboven bronnen aan en sla op."]
    assert JOB not in at.session_state and not at.status


def test_retag_is_queued_and_reports_tags_and_links(app_db, app_store):
    now = utcnow()
    incident = app_store.create_incident("Onrust Meerwijk", "Uithoorn", now - timedelta(hours=2))
    sid = app_store.add_source("Lokaal Nieuws", reach="lokaal")
    app_store.save_items(sid, [Item("a", "a", "https://example.nl/a", "Onrust in de Meerwijk in Uithoorn",
                                    "Bewoners zijn boos.", None, "nl", now, None, now, "a")])
    version = load_tagger().version
    at = open_page("bronnen.py")
    with busy_worker():
        at.button(key="bronnen_retag").click().run()
        assert not at.exception
        assert worker.job(at.session_state["bronnen_retag_job"]).state == "queued"
        [status] = at.status
        assert status.label == "Opnieuw taggen: bezig"
        assert [(b.value, b.text) for b in at.get("progress")] == [(0, "In de wachtrij")]
    finish_job(at, "bronnen_retag_job")
    assert not at.exception
    assert [s.label for s in at.status] == ["Opnieuw taggen: klaar"]
    assert [s.value for s in at.success] == [
        f"1 items getagd met {version}; gekoppeld: incident {incident}: 1."]
    assert app_store.linked_item_count(incident) == 1
    at.checkbox(key="bronnen_retag_all").check()
    at.button(key="bronnen_retag").click().run()
    status = finish_job(at, "bronnen_retag_job")
    assert (status.label, status.result["opnieuw_klaargezet"], status.result["getagd"]) == (
        "Opnieuw taggen (alle items)", 1, 1)
    assert [s.label for s in at.status] == ["Opnieuw taggen (alle items): klaar"]


def test_items_the_pipeline_failed_on_are_listed_with_their_error(app_db, app_store):
    sid = app_store.add_source("Omroep")
    now = utcnow()
    title = "**Vet** [klik](https://example.nl) _schuin_"
    app_store.save_items(sid, [
        Item("a", "a", "https://example.nl/a", title, "", None, "nl", now, None, now, "a"),
        Item("b", "b", "https://example.nl/b", "Gewoon", "", None, "nl", now, None, now, "b")])
    ids = app_store.frame("select id as item_id, content_hash from items order by item_key")
    app_store.save_item_tags("v1", "", ids.assign(error=["ValueError: kapot", None]), ids.iloc[:0])
    at = open_page("bronnen.py")
    assert not at.exception
    assert "Items met een fout" in [h.value for h in at.subheader]
    [errors] = [d.value for d in at.dataframe if "fout" in d.value.columns and "titel" in d.value.columns]
    assert errors[["bron", "titel", "stap", "fout"]].values.tolist() == [
        ["Omroep", title, "taggen", "ValueError: kapot"]]
    assert at.dataframe[0].value.set_index("bron").loc["Omroep", "items met fout"] == 1
