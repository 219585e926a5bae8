"""A closed incident is read-only until it is reopened: the store refuses every change to its work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from comms import workflow
from comms.involved import add_incident_person
from onrust.errors import IncidentClosed
from onrust.models import SignalInput, WatchProfile
from onrust.store import Store

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
MESSAGE = "Dit incident is gesloten; heropen het om te wijzigen."


def _signal(incident: int | None, text: str = "Oproep tot protest") -> SignalInput:
    return SignalInput(
        kind="melding", source_type="politie", reliability="B", credibility=2, verification="onbevestigd",
        severity=3, municipality="Uithoorn", neighbourhood=None, occurred_at=T0, reported_at=T0,
        entered_at=T0, incident_id=incident, text=text, entered_by="Anna",
    )


def _diagnosis() -> dict:
    from analysis.diagnosis import ANSWERS, diagnose, load_table

    answers = {q.id: ANSWERS[2] for key in load_table().sections for q in load_table().in_section(key)}
    return diagnose(answers, via_third_party=False).as_record(T0, "kernteam", "")


WRITES = {
    "officiele fase": lambda s, i: s.record_official_phase(i, 3, "rellen", "burgemeester"),
    "logboek": lambda s, i: s.add_log_entry(i, "actie", "Bewoners gebeld", "Anna"),
    "strategie": lambda s, i: s.add_strategy_decision(i, "accent", "Duiden", "Anna"),
    "checklist": lambda s, i: s.save_checklist_changes(
        i, "perscommunicatie",
        pd.DataFrame([{"item_id": "pers.v1", "status": "gedaan", "owner": "", "note": ""}]), "Anna"),
    "matrix": lambda s, i: s.save_info_matrix(
        i, pd.DataFrame([{"doelgroep": "Buren", "van_toepassing": True}]), "Anna"),
    "persbericht": lambda s, i: s.create_press_release(i, {"titel": "Brand"}, "Anna"),
    "signaal": lambda s, i: s.add_signal(_signal(i)),
    "signalen (import)": lambda s, i: s.add_signals([_signal(None, "los"), _signal(i)]),
    "betrokkene": lambda s, i: s.add_incident_person(i, "Mark de Vries", "slachtoffer", "Anna"),
    "kijkprofiel": lambda s, i: s.save_watch_profile(WatchProfile(i, ("brand",), (), (), (), ()), "Anna"),
    "omgevingsbeeld": lambda s, i: s.save_omgevingsbeeld(i, {}, "", "Anna", T0, T0 + timedelta(hours=1)),
    "diagnose": lambda s, i: s.save_diagnosis(i, _diagnosis()),
}


def _closed(store: Store) -> int:
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    store.close_incident(incident, T0 + timedelta(days=1), author="teamleider")
    return incident


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_a_closed_incident_is_refused_until_it_is_reopened(store, write):
    incident = _closed(store)
    before = store.data_version
    with pytest.raises(IncidentClosed, match=MESSAGE):
        write(store, incident)
    assert store.data_version == before  # nothing committed
    store.reopen_incident(incident, author="burgemeester")
    write(store, incident)


def test_changes_through_existing_records_are_refused_too(store):
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    release = store.create_press_release(incident, {"titel": "Brand"}, "Anna")
    person = store.add_incident_person(incident, "Mark de Vries", "slachtoffer", "Anna")
    signal = store.add_signal(_signal(incident))
    loose = store.add_signal(_signal(None, "zonder incident"))
    store.close_incident(incident, T0 + timedelta(days=1))
    with pytest.raises(IncidentClosed, match=MESSAGE):
        workflow.press_step(store, release, "indienen", "Anna")
    with pytest.raises(IncidentClosed, match=MESSAGE):
        workflow.save_press_version(store, release, {"titel": "Brand in woning"}, "Anna")
    with pytest.raises(IncidentClosed, match=MESSAGE):
        add_incident_person(store, incident, "Fatima El Amrani", "betrokkene", "Anna")
    with pytest.raises(IncidentClosed, match=MESSAGE):
        store.remove_incident_person(person)
    with pytest.raises(IncidentClosed, match=MESSAGE):
        store.update_signal(signal, _signal(incident, "Oproep tot protest, bevestigd"), changed_by="Bram")
    with pytest.raises(IncidentClosed, match=MESSAGE):  # moving a loose signal onto the closed incident
        store.update_signal(loose, _signal(incident, "zonder incident"), changed_by="Bram")
    unchanged = store.press_release(release)
    assert (unchanged.status, unchanged.latest.version) == ("concept", 1)
    assert [p.name for p in store.incident_persons(incident)] == ["Mark de Vries"]
    assert store.signal(loose)["incident_id"] is None
    # A signal without an incident is no incident's work: it stays editable.
    corrected = _signal(None, "zonder incident, gecorrigeerd")
    assert store.update_signal(loose, corrected, changed_by="Bram") == ["text"]


CSV = ("kind;source_type;reliability;credibility;verification;severity;municipality;occurred_at;reported_at;"
       "incident;text\r\n"
       "melding;politie;B;2;onbevestigd;3;Uithoorn;14-11-2026 21:30;14-11-2026 21:40;{incident};"
       "Oproep tot protest\r\n")


def test_a_signal_import_for_a_closed_incident_imports_nothing(store):
    from collectors.signal_import import import_signal_bytes

    incident = _closed(store)
    data = CSV.format(incident="").encode()
    report = import_signal_bytes(store, data, "signalen.csv", incident_id=incident, entered_by="Anna")
    assert report.problems == (MESSAGE,) and store.signals().empty
    # Without a chosen incident, a row that names the closed one is refused on its own.
    report = import_signal_bytes(store, CSV.format(incident=incident).encode(), "signalen.csv",
                                 incident_id=None, entered_by="Anna")
    assert [(r.row, r.status, r.reasons) for r in report.rows] == [
        (2, "error", (f"Incident: incident #{incident} is gesloten; heropen het om te wijzigen",))]
    assert store.signals().empty
