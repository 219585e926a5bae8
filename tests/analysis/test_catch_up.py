"""Analysis catches up from durable state: after a crash between storing, tagging and linking,
the next run (with no new items at all) tags and links everything; a run with nothing due
does no work."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from analysis.jobs import open_profiles, relink, tag_and_link, tag_pending
from analysis.relevance import union
from analysis.tagging import Tagger, load_tagger
from app.cli import main
from app.pipeline import after_ingest
from collectors.ingest import ingest_targets
from collectors.run import collect_once
from onrust.settings import load_settings
from onrust.store import Store
from onrust.timeutil import utcnow
from tests.feeds import incident_feed

SETTINGS = load_settings()
START = (utcnow() - timedelta(days=1)).replace(microsecond=0)


class CountingTagger(Tagger):
    """The real tagger, counting how often it is asked to tag."""

    def __init__(self, real: Tagger) -> None:
        self.__dict__.update(vars(real))  # shares the compiled matchers: no rebuild
        self.calls = 0

    def tag_many(self, texts, **kwargs):  # type: ignore[no-untyped-def, override]
        self.calls += 1
        return super().tag_many(texts, **kwargs)

    def tag(self, text, **kwargs):  # type: ignore[no-untyped-def, override]
        self.calls += 1
        return super().tag(text, **kwargs)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def _ingest(store: Store, feed: Path, pipeline=after_ingest) -> None:  # type: ignore[no-untyped-def]
    ingest_targets(store, [str(feed)], settings=SETTINGS, after_ingest=pipeline, refused={}, reach="lokaal")


def _untagged(store: Store, tagger: Tagger) -> int:
    """Items the current tagger has not read (whatever the incident context)."""
    return store.scalar("select count(*) from items i left join item_tag_state s on s.item_id = i.id"
                        " where s.tagger_version is distinct from ?", [tagger.version])


def _linked(store: Store, incident: int) -> set[int]:
    rows = store.fetchall("select item_id from item_incidents where incident_id = ?", [incident])
    return {r[0] for r in rows}


def _no_pipeline(store: Store, settings: object) -> None:
    """A process killed right after storing: nothing after ingestion ran."""


def test_tagged_but_never_linked_items_are_linked_by_the_next_run(store, tagger, tmp_path):
    incident = store.create_incident("Onrust", "Uithoorn", START)
    first = tmp_path / "eerste.xml"
    incident_feed(first, 3, START, prefix="eerste")
    _ingest(store, first)  # the profile is linked once: its revision is up to date
    assert len(_linked(store, incident)) == 1
    feed = tmp_path / "omroep.xml"
    relevant = incident_feed(feed, 30, START + timedelta(hours=1))
    _ingest(store, feed, _no_pipeline)
    # the crash: tagging finished, linking never ran
    tag_pending(store, tagger, union(open_profiles(store, SETTINGS.relevance)))
    assert _untagged(store, tagger) == 0
    report = tag_and_link(store, SETTINGS, tagger=tagger)  # no new items at all
    assert (report["getagd"], report["gekoppeld"]) == (0, {incident: relevant})
    linked = _linked(store, incident)
    assert len(linked) == 1 + relevant
    # a forced relink finds nothing that was silently missing
    assert relink(store, SETTINGS, incident) == len(linked) and _linked(store, incident) == linked


def test_an_ingest_of_only_duplicates_catches_up(tmp_path, tagger, monkeypatch, capsys):
    db = tmp_path / "t.duckdb"
    feed = tmp_path / "omroep.xml"
    relevant = incident_feed(feed, 12, START)
    with Store.open(db) as store:
        store.migrate()
        incident = store.create_incident("Onrust", "Uithoorn", START - timedelta(hours=1))
        tag_and_link(store, SETTINGS, tagger=tagger)
        _ingest(store, feed, _no_pipeline)
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    assert main(["ingest", str(feed), "--db", str(db)]) == 0
    assert "0 nieuw, 0 bijgewerkt, 12 dubbel" in capsys.readouterr().out
    with Store.open(db) as store:
        assert _untagged(store, tagger) == 0
        assert len(_linked(store, incident)) == relevant


def test_every_collection_cycle_runs_the_pipeline_even_with_nothing_collected(store, tagger, tmp_path):
    incident = store.create_incident("Onrust", "Uithoorn", START - timedelta(hours=1))
    feed = tmp_path / "omroep.xml"
    relevant = incident_feed(feed, 9, START)
    _ingest(store, feed, _no_pipeline)
    assert collect_once(store, SETTINGS, after_ingest=after_ingest) == []  # no network source at all
    assert _untagged(store, tagger) == 0
    assert len(_linked(store, incident)) == relevant


def test_a_profile_edited_meanwhile_is_linked_in_full_once(store, tagger, tmp_path):
    incident = store.create_incident("Onrust", "Uithoorn", START - timedelta(hours=1))
    feed = tmp_path / "omroep.xml"
    incident_feed(feed, 9, START)
    _ingest(store, feed)
    profile = store.watch_profile(incident)
    # the analist narrows the period to the first hour: later items lose their links
    narrowed = profile.edited(terms=("kerstmarkt",), period_end=START + timedelta(minutes=4))
    store.save_watch_profile(narrowed, "Anna")
    report = tag_and_link(store, SETTINGS, tagger=tagger)
    titles = {r[0] for r in store.fetchall(
        "select i.title from item_incidents l join items i on i.id = l.item_id where l.incident_id = ?",
        [incident])}
    assert titles == {"Onrust in Uithoorn na brand 0", "Kerstmarkt in Haarlem 1", "Kerstmarkt in Haarlem 2",
                      "Onrust in Uithoorn na brand 3", "Kerstmarkt in Haarlem 4"}
    assert report["gekoppeld"] == {incident: 5}
    assert store.profile_link_state(incident) == (2, 2)


def test_a_run_with_nothing_due_does_no_work(store, tagger, tmp_path):
    incident = store.create_incident("Onrust", "Uithoorn", START - timedelta(hours=1))
    feed = tmp_path / "omroep.xml"
    incident_feed(feed, 9, START)
    _ingest(store, feed)
    counting = CountingTagger(tagger)
    version = store.data_version
    report = tag_and_link(store, SETTINGS, tagger=counting)
    assert (report["getagd"], report["gekoppeld"]) == (0, {incident: 0})
    assert counting.calls == 0
    assert store.data_version == version  # not one write
