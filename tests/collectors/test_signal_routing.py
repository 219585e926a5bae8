"""004 §3.1: a signal goes to the own member of the driehoek, and who received it is recorded."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.cli import main
from collectors.signals import describe_routing, validate_routing, validate_signal
from onrust.errors import IncidentClosed
from onrust.models import SignalRouting
from tests.collectors.test_signals import GOOD, NOW


def _signal(store, incident_id: int | None) -> int:
    signal = validate_signal({**GOOD, "incident": incident_id}, now=NOW, extra_municipalities=["Enschede"])
    assert not isinstance(signal, list)
    return store.add_signal(signal)


def test_routing_needs_a_member_and_a_receiver_and_a_sane_time():
    outcome = validate_routing(1, {"member": "Wethouder", "routed_at": "16-11-2026 10:00"}, now=NOW, recorded_by=" ")
    assert isinstance(outcome, list)
    assert [str(e) for e in outcome] == [
        "Driehoekslid: 'Wethouder' is geen driehoekslid; kies uit burgemeester, officier van justitie"
        " of politie",
        "Ontvangen door: vul in wie het signaal heeft ontvangen (naam of functie)",
        "Doorgeleid op: '16-11-2026 10:00' ligt in de toekomst",
        "Vastgelegd door: onbekend wie dit vastlegt",
    ]
    good = validate_routing(3, {"member": "Politie", "received_by": " teamchef Oost "}, now=NOW, recorded_by="Anna")
    assert good == SignalRouting(3, "politie", "teamchef Oost", NOW, "Anna")
    assert describe_routing(good) == (
        "Signaal #3 doorgeleid aan Politie (teamchef/districtschef); ontvangen door teamchef Oost.")


def test_route_is_stored_logged_and_the_signal_no_longer_waits(store):
    incident = store.create_incident("Onrust Roombeek", "Enschede", datetime(2026, 11, 14, 12, tzinfo=UTC))
    first, second = _signal(store, incident), _signal_other(store, incident)
    assert store.unrouted_signals(incident) == [first, second]
    routing = SignalRouting(first, "burgemeester", "kabinetschef", datetime(2026, 11, 15, 9, tzinfo=UTC), "Anna")
    store.route_signal(routing, log_text=describe_routing(routing))
    assert store.unrouted_signals(incident) == [second]
    rows = store.signal_routings([first, second])
    assert list(rows[["signal_id", "member", "received_by", "recorded_by"]].itertuples(index=False, name=None)) == [
        (first, "burgemeester", "kabinetschef", "Anna")]
    (entry,) = [e for e in store.log_entries(incident) if e.kind == "informatie gedeeld"]
    assert entry.text.startswith(f"Signaal #{first} doorgeleid aan Burgemeester")
    assert [str(link) for link in entry.links] == [f"signal:{first}"]


def _signal_other(store, incident_id: int) -> int:
    signal = validate_signal({**GOOD, "incident": incident_id, "text": "Tweede signaal over de brand."}, now=NOW,
                             extra_municipalities=["Enschede"])
    assert not isinstance(signal, list)
    return store.add_signal(signal)


def test_closed_incident_refuses_a_routing(store):
    incident = store.create_incident("Onrust Roombeek", "Enschede", datetime(2026, 11, 14, 12, tzinfo=UTC))
    signal_id = _signal(store, incident)
    store.close_incident(incident, NOW, author="Anna")
    with pytest.raises(IncidentClosed):
        store.route_signal(SignalRouting(signal_id, "politie", "wijkagent", NOW, "Anna"), log_text="x")
    assert store.signal_routings([signal_id]).empty


def test_cli_route_and_its_errors(capsys, db_path, store):
    signal_id = _signal(store, None)
    store.close()
    code = main(["signal", "route", str(signal_id), "--lid", "officier van justitie", "--ontvanger",
                 "parketsecretaris", "--at", "15-11-2026 09:30", "--by", "Anna", "--json", "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(out)["routed_at"] == "2026-11-15T08:30:00+00:00"
    code = main(["signal", "route", "99", "--lid", "politie", "--ontvanger", "x", "--db", str(db_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "Signaal #99 bestaat niet." in err
