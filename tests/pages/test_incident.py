"""Opening an incident from the sidebar, the first thing a municipality does in a crisis."""

from __future__ import annotations

from datetime import date, time

from onrust.timeutil import to_utc
from tests.pages.apptest import open_page, sign_in


def _field(at, label):
    [found] = [w for w in at.sidebar.text_input if w.label == label]
    return found


def test_sidebar_opens_a_new_incident_and_selects_it(app_db, app_store):
    at = open_page("over.py")
    assert not at.exception
    assert "Nog geen incidenten" in at.sidebar.info[0].value
    [submit] = [b for b in at.sidebar.button if b.label == "Incident openen"]
    submit.click().run()
    assert [e.value for e in at.sidebar.error] == ["Vul een naam en een gemeente in."]
    assert app_store.incidents() == []

    _field(at, "Naam").input("Brand woonwijk De Hoven")
    _field(at, "Gemeente").input("Loosterveen")
    at.sidebar.date_input[0].set_value(date(2026, 11, 14))
    at.sidebar.time_input[0].set_value(time(21, 5))
    [submit] = [b for b in at.sidebar.button if b.label == "Incident openen"]
    submit.click().run()
    assert not at.exception
    (incident,) = app_store.incidents()
    assert (incident.name, incident.municipality, incident.is_demo) == ("Brand woonwijk De Hoven", "Loosterveen", False)
    assert to_utc(incident.opened_at).isoformat() == "2026-11-14T20:05:00+00:00"
    assert at.sidebar.selectbox[0].value == incident.id
    assert at.subheader[0].value == "Brand woonwijk De Hoven"


def _sidebar_input(at, label):
    [found] = [w for w in at.sidebar.text_input if w.label == label and w.key and w.key.startswith(("close", "reopen"))]
    return found


def test_sidebar_closes_and_reopens_an_incident_with_a_logbook_decision(oidc_mode, app_store):
    from datetime import UTC, datetime

    opened = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
    incident_id = app_store.create_incident("Brand woonwijk De Hoven", "Loosterveen", opened)
    at = open_page("over.py", user="teamleider crisiscommunicatie")
    assert not [w for w in at.sidebar.text_input if w.label == "Door"]  # the closer is the login
    [day] = [w for w in at.sidebar.date_input if w.key == "close_day"]
    day.set_value(date(2026, 11, 13))  # before the start
    [close] = [b for b in at.sidebar.button if b.label == "Afsluiten"]
    close.click().run()
    assert "vóór de start" in at.sidebar.error[0].value
    assert app_store.incident(incident_id).status == "open"

    [day] = [w for w in at.sidebar.date_input if w.key == "close_day"]
    day.set_value(date(2026, 11, 16))
    [clock] = [w for w in at.sidebar.time_input if w.key == "close_time"]
    clock.set_value(time(9, 30))
    [close] = [b for b in at.sidebar.button if b.label == "Afsluiten"]
    close.click().run()
    assert not at.exception
    closed = app_store.incident(incident_id)
    assert closed.status == "gesloten"
    assert to_utc(closed.closed_at).isoformat() == "2026-11-16T08:30:00+00:00"
    log = app_store.logbook(incident_id)
    assert list(log["text"]) == ["Incident afgesloten"] and list(log["author"]) == ["teamleider crisiscommunicatie"]

    sign_in(at, "burgemeester").run()
    [reopen] = [b for b in at.sidebar.button if b.label == "Heropenen"]
    reopen.click().run()
    assert not at.exception
    assert app_store.incident(incident_id).status == "open"
    assert list(app_store.logbook(incident_id)["text"]) == ["Incident afgesloten", "Incident heropend"]
    assert list(app_store.logbook(incident_id)["author"]) == ["teamleider crisiscommunicatie", "burgemeester"]


def test_a_new_incident_replaces_the_selected_one_in_the_browser_too(app_db, app_store):
    """The selector tells the browser its new value (set_value): a browser left showing the old
    incident sends it back on the next page, and entries would land on that incident."""
    from datetime import UTC, datetime

    old = app_store.create_incident("Brand woonwijk De Hoven", "Loosterveen",
                                    datetime(2026, 11, 1, tzinfo=UTC))
    at = open_page("over.py")
    assert at.sidebar.selectbox[0].value == old
    _field(at, "Naam").input("Steekpartij Kerkplein")
    _field(at, "Gemeente").input("Loosterveen")
    [submit] = [b for b in at.sidebar.button if b.label == "Incident openen"]
    submit.click().run()
    assert not at.exception
    new = next(i.id for i in app_store.incidents() if i.name == "Steekpartij Kerkplein")
    selector = at.sidebar.selectbox[0]
    assert selector.value == new and at.session_state["incident_id"] == new
    assert selector.proto.set_value and selector.proto.raw_value == "Steekpartij Kerkplein (Loosterveen)"
    assert at.subheader[0].value == "Steekpartij Kerkplein"
    at.run()  # the next run (another page, a widget) keeps the new incident
    assert at.session_state["incident_id"] == new and at.subheader[0].value == "Steekpartij Kerkplein"


def test_incidents_with_the_same_name_get_distinct_choices(app_db, app_store):
    from datetime import UTC, datetime

    first = app_store.create_incident("Brand", "Loosterveen", datetime(2026, 11, 1, tzinfo=UTC))
    second = app_store.create_incident("Brand", "Loosterveen", datetime(2026, 11, 2, tzinfo=UTC))
    at = open_page("over.py")
    assert at.sidebar.selectbox[0].options == [
        f"Brand (Loosterveen) · #{second}", f"Brand (Loosterveen) · #{first}"]


def test_sidebar_records_the_triage_when_opening(oidc_mode, app_store):
    at = open_page("over.py", user="afdelingshoofd")
    assert not [w for w in at.sidebar.text_input if w.label == "Triage door"]  # the triage is the login's
    _field(at, "Naam").input("Zedenzaak sportvereniging")
    _field(at, "Gemeente").input("Uithoorn")
    at.sidebar.selectbox(key="new_incident_triage").set_value("draaiboek")
    [submit] = [b for b in at.sidebar.button if b.label == "Incident openen"]
    submit.click().run()
    assert not at.exception and not at.sidebar.error
    (incident,) = app_store.incidents()
    decision = app_store.triage(incident.id)
    assert (decision.outcome, decision.author) == ("draaiboek", "afdelingshoofd")
    [entry] = app_store.log_entries(incident.id)
    assert entry.text == "Triage (003 Deel II, Melding komt binnen): Calamiteit zonder maatschappelijke onrust → " \
                         "draaiboek volgen"


class _Clock:
    """A process clock standing still at one moment (onrust.timeutil.set_clock)."""

    def __init__(self, at):
        self.at = at

    def now(self):
        return self.at

    def wall_seconds(self, seconds):
        return seconds


def test_an_open_incidents_period_follows_midnight_unless_its_end_was_picked(app_db, app_store):
    """The period drawn on the first visit ended that day; after midnight new items fell outside
    it unseen (an analist on night duty; a day every few minutes in the demo's live replay)."""
    from datetime import datetime, timedelta

    from onrust.timeutil import AMSTERDAM, set_clock

    evening = datetime(2026, 11, 14, 23, 50, tzinfo=AMSTERDAM)
    app_store.create_incident("Brand woonwijk De Hoven", "Loosterveen", to_utc(evening - timedelta(hours=3)))
    set_clock(_Clock(evening))
    try:
        at = open_page("omgevingsbeeld.py")
        assert at.sidebar.date_input[0].value == (date(2026, 11, 12), date(2026, 11, 14))
        set_clock(_Clock(evening + timedelta(minutes=20)))  # 00:10 the next day
        at.run()
        assert not at.exception
        assert at.sidebar.date_input[0].value == (date(2026, 11, 12), date(2026, 11, 15))
        assert any("tot ma 16-11-2026 00:00" in c.value for c in at.caption)
        at.sidebar.date_input[0].set_value((date(2026, 11, 13), date(2026, 11, 14))).run()  # picked by hand
        set_clock(_Clock(evening + timedelta(days=1, minutes=20)))
        at.run()
        assert at.sidebar.date_input[0].value == (date(2026, 11, 13), date(2026, 11, 14))
    finally:
        set_clock(None)
