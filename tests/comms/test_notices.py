"""Notices beyond the temperature: a severe signal, an overdue doelgroep, a persbericht waiting for
approval, each raised once, delivered in the app and by webhook, and shown above every page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.pipeline import after_ingest
from collectors.signals import validate_signal
from comms.matrix import load_defaults, merge_defaults, with_due
from comms.notices import decide_notices, notify_all
from onrust.settings import load_settings
from tests.analysis.test_alerts import http_sink  # noqa: F401  (a real HTTP server on 127.0.0.1)
from tests.comms.press_example import EXAMPLE
from tests.pages.apptest import open_page

T0 = datetime(2026, 11, 14, 12, tzinfo=UTC)


def _signal(store, incident: int, severity: int, text: str, now: datetime) -> int:
    raw = {"kind": "melding", "source_type": "politie", "reliability": "A", "credibility": "1",
           "severity": str(severity), "municipality": "Veldwijk", "occurred_at": now - timedelta(hours=1),
           "reported_at": now - timedelta(minutes=30), "text": text, "entered_by": "Anna", "incident": incident}
    signal = validate_signal(raw, now=now, extra_municipalities=["Veldwijk"])
    assert not isinstance(signal, list), signal
    return store.add_signal(signal)


def test_each_subject_is_noticed_once(store):
    from comms.press import fields_to_dict

    incident = store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    severe = _signal(store, incident, 5, "Oproep om vanavond naar de woning te gaan", T0 + timedelta(hours=2))
    _signal(store, incident, 2, "Vragen van ouders", T0 + timedelta(hours=2))
    rid = store.create_press_release(incident, fields_to_dict(EXAMPLE), "Anna")
    assert store.set_press_status(rid, "concept", "ter_controle", action="indienen", actor="Anna", version=1,
                                  at=T0 + timedelta(hours=3))
    matrix = with_due(merge_defaults(store.info_matrix(incident), load_defaults()), T0, T0 + timedelta(hours=4))
    notices = decide_notices(signals=store.signals(incident_id=incident), matrix=matrix,
                             releases=store.press_releases(incident), known={}, min_severity=4,
                             incident="Onrust Veldwijk")
    kinds = [(n.kind, n.key.split("|")[0]) for n in notices]
    assert ("signaal", str(severe)) in kinds and len([k for k in kinds if k[0] == "signaal"]) == 1
    assert ("persbericht", str(rid)) in kinds
    late = sorted(k[1] for k in kinds if k[0] == "doelgroep")
    assert "slachtoffers en verwanten" in late and "gemeenteraad" not in late  # raad due at 4 h exactly
    message = next(n.message for n in notices if n.kind == "persbericht")
    assert message == ("Onrust Veldwijk: persbericht 'Brand in woning Thamerdal' wacht op goedkeuring "
                       "(ingediend door Anna).")
    again = decide_notices(signals=store.signals(incident_id=incident), matrix=matrix,
                           releases=store.press_releases(incident),
                           known={(n.kind, n.key): n.raised_at for n in notices}, min_severity=4, incident="")
    assert again == []


def test_pipeline_step_delivers_by_webhook_and_records(store, http_sink):  # noqa: F811
    url, received = http_sink
    settings = load_settings()
    settings = replace(settings, alerts=replace(settings.alerts, webhook_url=url))
    now = datetime.now(UTC)
    incident = store.create_incident("Onrust Veldwijk", "Veldwijk", now - timedelta(hours=1))
    severe = _signal(store, incident, 4, "Verwensingen en ophitsing op een buurtapp", now)
    report = notify_all(store, settings)
    assert report[f"incident {incident}"] >= 1
    hook = next(r for r in received if r["kind"] == "signaal")
    assert (hook["key"], hook["incident_id"]) == (str(severe), incident)
    stored = store.alerts(incident)
    assert "signaal" in set(stored["kind"])
    assert notify_all(store, settings)[f"incident {incident}"] == 0  # nothing twice
    assert "comms.notices:notify_all" in after_ingest(store, settings)


def test_header_shows_the_notice_on_every_page(app_db, app_store):
    now = datetime.now(UTC)
    incident = app_store.create_incident("Onrust Veldwijk", "Veldwijk", now - timedelta(hours=1))
    _signal(app_store, incident, 5, "Oproep om naar de woning te gaan", now)
    notify_all(app_store, load_settings())
    for page in ("signalen.py", "bronnen.py", "logboek.py"):
        at = open_page(page, incident_id=incident)
        assert not at.exception, page
        assert any(w.value.startswith("**Signaal** · ") and "Oproep om naar de woning te gaan" in w.value
                   for w in at.warning), page
