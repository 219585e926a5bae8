"""Retention: what a closed incident leaves behind is purged after the configured period, a dry
run only counts, and the purge is audited with counts (never content). Real DuckDB, literal times."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

from onrust.models import Item, SignalInput, WatchProfile

NOW = datetime(2027, 12, 1, 12, 0, tzinfo=UTC)
CUTOFF = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # NOW minus 365 days


def _item(key: str, fetched: datetime) -> Item:
    return Item(key, None, f"https://example.nl/{key}", f"Bericht {key}", "", None, "nl", fetched, None,
                fetched, key)


def _signal(incident_id: int | None, text: str, entered: datetime) -> SignalInput:
    return SignalInput(
        incident_id=incident_id, kind="melding", source_type="burger", reliability="C", credibility=3,
        verification="onbevestigd", severity=2, municipality="Uithoorn", neighbourhood=None,
        occurred_at=entered, reported_at=entered, entered_at=entered, text=text, entered_by="analist")


def _world(store) -> dict[str, int]:
    old = store.create_incident("Brand 2026", "Uithoorn", datetime(2026, 1, 10, tzinfo=UTC))
    recent = store.create_incident("Onrust 2027", "Uithoorn", datetime(2027, 5, 1, tzinfo=UTC))
    current = store.create_incident("Open", "Uithoorn", datetime(2027, 11, 20, tzinfo=UTC))
    source = store.add_source("Lokaal Nieuws", reach="lokaal")
    store.save_items(source, [
        _item("only-old", datetime(2026, 1, 11, tzinfo=UTC)),
        _item("old-and-recent", datetime(2026, 1, 12, tzinfo=UTC)),
        _item("current", datetime(2027, 11, 21, tzinfo=UTC)),
        _item("stray-old", datetime(2026, 3, 1, tzinfo=UTC)),
        _item("stray-new", datetime(2027, 11, 1, tzinfo=UTC)),
    ])
    ids = dict(store.fetchall("select item_key, id from items"))
    for incident, keys in ((old, ["only-old", "old-and-recent"]), (recent, ["old-and-recent"]),
                           (current, ["current"])):
        store.replace_item_links(incident, pd.DataFrame(
            {"item_id": [ids[k] for k in keys], "relevance": 0.9, "reasons": ""}))
    first = store.add_signal(_signal(old, "Melding bij de brand", datetime(2026, 1, 11, tzinfo=UTC)))
    store.update_signal(first, _signal(old, "Melding bij de brand (bevestigd)", datetime(2026, 1, 11, tzinfo=UTC)),
                        changed_by="analist")
    store.add_signal(_signal(recent, "Melding 2027", datetime(2027, 5, 2, tzinfo=UTC)))
    store.add_signal(_signal(None, "Losse melding oud", datetime(2026, 3, 1, tzinfo=UTC)))
    store.add_signal(_signal(None, "Losse melding nieuw", datetime(2027, 11, 1, tzinfo=UTC)))
    store.save_alerts(old, pd.DataFrame([{"raised_at": datetime(2026, 1, 11, tzinfo=UTC), "kind": "signaal",
                                          "key": str(first), "message": "Melding bij de brand", "delivery": {}}]))
    store.add_incident_person(old, "Jan de Vries", "slachtoffer", "woordvoerder")
    store.add_incident_person(recent, "Piet Jansen", "betrokkene", "woordvoerder")
    store.save_watch_profile(WatchProfile(old, terms=("brand",), involved=("Jan de Vries",)), "analist")
    store.close_incident(old, datetime(2026, 2, 1, tzinfo=UTC), author="teamleider")
    store.close_incident(recent, datetime(2027, 6, 1, tzinfo=UTC), author="teamleider")
    return {"old": old, "recent": recent}


EXPECTED = {"item_tags": 0, "item_tag_state": 0, "item_revisions": 0, "link_state": 0, "item_incidents": 1,
            "items": 2, "signal_revisions": 1, "signal_routing": 0, "signal_notices": 1, "signals": 2, "names": 1,
            "profile_names": 1}


def test_dry_run_counts_and_purge_removes_exactly_that(store):
    ids = _world(store)
    audit_rows = len(store.audit_log())
    assert store.purge(CUTOFF, dry_run=True) == EXPECTED
    assert store.item_count() == 5 and len(store.audit_log()) == audit_rows  # nothing changed

    assert store.purge(CUTOFF, dry_run=False, actor="beheerder") == EXPECTED
    assert sorted(r[0] for r in store.fetchall("select item_key from items")) == [
        "current", "old-and-recent", "stray-new"]
    assert sorted(r[0] for r in store.fetchall("select text from signals")) == [
        "Losse melding nieuw", "Melding 2027"]
    assert store.incident_persons(ids["old"]) == []
    assert [p.name for p in store.incident_persons(ids["recent"])] == ["Piet Jansen"]
    assert store.watch_profile(ids["old"]).involved == ()
    assert store.incident(ids["old"]).name == "Brand 2026"  # the record itself stays
    assert len(store.log_entries(ids["old"])) == 1

    [row] = store.audit_log(table="retention").to_dict("records")
    assert (row["actor"], row["action"], row["row_id"], row["before"]) == ("beheerder", "purge", "*", None)
    assert json.loads(row["after"]) == {"cutoff": "2026-12-01T12:00:00+00:00", **EXPECTED}

    assert set(store.purge(CUTOFF, dry_run=False).values()) == {0}  # nothing left; no second audit row
    assert len(store.audit_log(table="retention")) == 1


def test_an_incident_closed_within_the_period_keeps_everything(store):
    _world(store)
    early = datetime(2026, 1, 1, tzinfo=UTC)  # before the old incident closed
    assert set(store.purge(early, dry_run=False).values()) == {0}
    assert store.item_count() == 5
