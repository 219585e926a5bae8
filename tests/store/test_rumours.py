"""The analist's rumour verdicts: appended, the newest counts, each one in the logbook, none on a
closed incident."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from onrust.errors import IncidentClosed, UserError

T0 = datetime(2026, 10, 14, 10, 0, tzinfo=UTC)


def test_verdicts_append_the_newest_counts_and_each_is_logged(store):
    incident = store.create_incident("Onrust", "Uithoorn", T0)
    store.set_rumour_status(incident, "signal:7", "bevestigd", "Anna", text="verdachte vrijgelaten",
                            evidence="item:3", at=T0 + timedelta(hours=1))
    store.set_rumour_status(incident, "signal:7", "ontkracht", "Bram", text="verdachte vrijgelaten",
                            evidence="item:5", note="OM: onjuist", at=T0 + timedelta(hours=2))
    (verdict,) = store.rumour_verdicts(incident)
    assert (verdict.rumour_key, verdict.status, verdict.set_by, verdict.evidence, verdict.note) == (
        "signal:7", "ontkracht", "Bram", "item:5", "OM: onjuist")
    assert (verdict.evidence_title, verdict.evidence_source) == ("", "")  # no such item: nothing made up
    (earlier,) = store.rumour_verdicts(incident, until=T0 + timedelta(hours=1, minutes=30))
    assert earlier.status == "bevestigd"  # a past period shows what was judged by then
    log = store.logbook(incident)
    assert log["text"].tolist() == ["Gerucht bevestigd: verdachte vrijgelaten",
                                    "Gerucht ontkracht: verdachte vrijgelaten (OM: onjuist)"]
    assert json.loads(log["data"].iloc[1]) == {"rumour": "signal:7", "status": "ontkracht", "evidence": "item:5"}


def test_bad_status_or_no_author_is_refused_in_dutch(store):
    incident = store.create_incident("Onrust", "Uithoorn", T0)
    with pytest.raises(UserError, match="Onbekende status"):
        store.set_rumour_status(incident, "item:1", "waar", "Anna", text="x")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="wie"):
        store.set_rumour_status(incident, "item:1", "bevestigd", " ", text="x")
    assert store.rumour_verdicts(incident) == []


def test_a_closed_incident_takes_no_verdict(store):
    incident = store.create_incident("Onrust", "Uithoorn", T0)
    store.close_incident(incident, T0 + timedelta(days=1))
    with pytest.raises(IncidentClosed):
        store.set_rumour_status(incident, "item:1", "bevestigd", "Anna", text="x")
    assert store.rumour_verdicts(incident) == []


def test_a_verdict_names_its_evidence_also_outside_the_period(store):
    from onrust.models import Item, SignalInput

    incident = store.create_incident("Onrust", "Uithoorn", T0)
    source = store.add_source("Omroep West", reach="regionaal")
    store.save_items(source, [Item("a", "a", "https://example.nl/a", "OM: gerucht onjuist", "", None, "nl", T0,
                                   None, T0, "a")])
    item = store.scalar("select id from items where item_key = 'a'")
    signal = store.add_signal(SignalInput("gerucht", "sociale media", "C", 3, "onbevestigd", 3, "Uithoorn", None,
                                          T0, T0, T0, incident, "Hij zou vrij zijn.", "Anna"))
    store.set_rumour_status(incident, "item:9", "ontkracht", "Anna", text="x", evidence=f"item:{item}", at=T0)
    store.set_rumour_status(incident, "item:8", "bevestigd", "Anna", text="y", evidence=f"signal:{signal}", at=T0)
    found = {v.rumour_key: (v.evidence_title, v.evidence_source) for v in store.rumour_verdicts(incident)}
    assert found == {"item:9": ("OM: gerucht onjuist", "Omroep West"),
                     "item:8": ("Hij zou vrij zijn.", "signaal (gerucht)")}
