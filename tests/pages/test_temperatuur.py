"""Temperatuur page through the real app shell: phase, chart, why, official phase, diagnosis, PDF."""

from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
from pypdf import PdfReader

from analysis.timelines import flash_riots, generate
from onrust.timeutil import utcnow
from tests.pages.apptest import busy_worker, finish_job, open_page


def _load(store):
    """The flash scenario moved so that its evening of riots is happening right now."""
    scenario = flash_riots()
    frames = generate(scenario)
    riot = pd.Timestamp(scenario.opened) + timedelta(hours=6)
    shift = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1) - riot
    items = frames.items.assign(fetched_at=frames.items["fetched_at"] + shift,
                                published_at=frames.items["published_at"] + shift)
    signals = frames.signals.assign(occurred_at=frames.signals["occurred_at"] + shift,
                                    entered_at=frames.signals["entered_at"] + shift)
    coverage = frames.coverage.assign(started_at=frames.coverage["started_at"] + shift,
                                      finished_at=frames.coverage["finished_at"] + shift)
    now = utcnow()
    keep = items["fetched_at"] <= now
    incident = store.create_incident("Flits Veldwijk", "Veldwijk", scenario.opened + shift, is_demo=True)
    store.load_timeline(incident, items[keep], frames.tags[frames.tags["item_id"].isin(items[keep]["item_id"])],
                        signals[signals["entered_at"] <= now], coverage[coverage["finished_at"] <= now])
    return incident, (riot + shift - timedelta(days=3), now + timedelta(hours=1))


def click(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_page_shows_phase_reasons_and_records_decisions(oidc_mode, app_store):
    incident, period = _load(app_store)
    at = open_page("temperatuur.py", user="burgemeester", incident_id=incident, time_range=period)
    assert not at.exception
    assert at.title[0].value == "Temperatuur"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fase (indicator)"] == "4: Escalatie"
    assert metrics["Officiële fase"] == "niet vastgesteld"
    assert 70 <= int(metrics["Temperatuur"]) <= 100
    why = at.dataframe[0].value
    assert why["component"].tolist() == ["Volume", "Verspreiding", "Toon", "Escalatie", "Signalen",
                                         "Politisering"]
    assert why["toelichting"].str.len().min() > 20  # every number comes with its explanation
    assert any("Formuleversie temperatuur-1+" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1
    # the driehoek PDF is built on the worker (the chart export starts a browser), then offered
    click(at, "PDF voor het driehoekoverleg maken")
    status = finish_job(at, f"brief_job_{incident}", timeout=180)
    assert status.state == "done" and status.result.startswith(b"%PDF")
    assert not at.exception
    (download,) = at.get("download_button")
    assert download.proto.label == "PDF downloaden"

    # official phase: refused without reason, then recorded as a logbook decision
    click(at, "Vastleggen")
    assert at.error[0].value == "Vul de reden van het besluit in."
    at.text_area(key="official_reason").input("Rellen bevestigd door politie")
    at.selectbox(key="official_phase_choice").set_value(4)
    click(at, "Vastleggen")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Officiële fase"] == "4: Escalatie"
    log = app_store.logbook(incident)
    assert log["kind"].tolist() == ["besluit"] and log["author"].tolist() == ["burgemeester"]

    # a diagnosis with everything unknown: information position insufficient
    assert at.info[0].value == "Nog geen crisisdiagnose vastgelegd."
    at.radio(key="dq_C01").set_value("hoog")
    click(at, "Diagnose vastleggen")
    assert not at.exception
    history = app_store.diagnoses(incident)
    assert history["advice"].tolist() == ["informatie"]
    assert history["answers"].iloc[0]["C01"] == "hoog" and history["author"].tolist() == ["burgemeester"]
    assert any("Informatiepositie is onvoldoende" in m.value for m in at.markdown)


def test_page_without_incident(app_db):
    at = open_page("temperatuur.py")
    assert not at.exception
    assert at.info[0].value == "Kies of maak eerst een incident."


def test_recording_the_official_phase_confirms_resets_and_shows_it_everywhere(oidc_mode, app_store):
    incident, period = _load(app_store)
    at = open_page("temperatuur.py", user="burgemeester", incident_id=incident, time_range=period)
    # No decision yet: the form does not offer the indicator's phase as if it had been decided.
    assert at.selectbox(key="official_phase_choice").value is None
    at.text_area(key="official_reason").input("Rellen bevestigd door politie")
    click(at, "Vastleggen")
    assert [e.value for e in at.error] == ["Kies de fase die is besloten."]
    at.selectbox(key="official_phase_choice").set_value(3)
    click(at, "Vastleggen")
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Officiële fase 3 (Maatschappelijke onrust) vastgelegd door burgemeester."]
    assert at.text_area(key="official_reason").value == ""
    assert "official_author" not in {w.key for w in at.text_input}  # the decider is the login
    assert at.selectbox(key="official_phase_choice").value == 3  # the official phase, not the indicator's 4
    assert {m.label: m.value for m in at.metric}["Officiële fase"] == "3: Maatschappelijke onrust"
    at.run()
    assert not at.success  # the confirmation is shown once

    comms = open_page("communicatie.py", user="burgemeester", incident_id=incident, time_range=period)
    assert {m.label: m.value for m in comms.metric}["Officiële MO-fase"] == "3"


def test_a_past_period_shows_the_decision_of_then_and_says_a_newer_one_exists(app_db, app_store):
    opened = utcnow() - timedelta(days=6)
    incident = app_store.create_incident("Onrust Veldwijk", "Veldwijk", opened)
    app_store.record_official_phase(incident, 2, "Oproepen tot protest", "burgemeester",
                                    decided_at=opened + timedelta(hours=2))
    app_store.record_official_phase(incident, 4, "Rellen", "burgemeester")
    period = (opened - timedelta(days=1), opened + timedelta(days=1))
    expected_note = "Na deze periode vastgelegd: fase 4 (Escalatie)"

    at = open_page("temperatuur.py", incident_id=incident, time_range=period)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Officiële fase"] == "2: Dreigende maatschappelijke onrust"
    assert any(c.value.startswith(expected_note) for c in at.caption), [c.value for c in at.caption]
    assert at.selectbox(key="official_phase_choice").value == 4  # a new decision starts from the current one

    comms = open_page("communicatie.py", incident_id=incident, time_range=period)
    assert not comms.exception
    assert {m.label: m.value for m in comms.metric}["Officiële MO-fase"] == "2"
    assert any(c.value.startswith(expected_note) for c in comms.caption), [c.value for c in comms.caption]


def test_dated_risk_moments_are_marked_on_the_time_axis(app_db, app_store):
    import json

    from comms.tasks import set_moment

    incident, period = _load(app_store)
    set_moment(app_store, incident, "uitspraak", period[0] + timedelta(days=2), "secretaris")
    set_moment(app_store, incident, "rechtszaak", period[1] + timedelta(days=30), "secretaris")  # outside the period
    at = open_page("temperatuur.py", incident_id=incident, time_range=period)
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    marks = [a["text"] for a in figure["layout"].get("annotations", []) if a.get("yref") == "paper"
             and a.get("text") != "geen gegevens"]
    assert marks == ["uitspraak"]
    assert [s["line"]["dash"] for s in figure["layout"]["shapes"] if s.get("type") == "line"] == ["dash"]


def test_each_incident_gets_its_own_driehoek_pdf_while_another_waits(oidc_mode, app_store):
    """The job used to be labelled "PDF driehoekoverleg" for every incident, so a press for a second
    incident while the first one's PDF waited was handed the first incident's PDF. The page also
    gathers nothing for the PDF until it is asked for: the job reads the store."""
    first, period = _load(app_store)
    other = app_store.create_incident("Brand Oosterpark", "Oosterhout", utcnow() - timedelta(hours=5))
    with busy_worker():
        a = open_page("temperatuur.py", user="burgemeester", incident_id=first, time_range=period)
        b = open_page("temperatuur.py", user="burgemeester", incident_id=other)
        click(a, "PDF voor het driehoekoverleg maken")
        click(b, "PDF voor het driehoekoverleg maken")
        assert a.session_state[f"brief_job_{first}"] != b.session_state[f"brief_job_{other}"]
    fronts = {}
    for at, incident in ((a, first), (b, other)):
        status = finish_job(at, f"brief_job_{incident}", timeout=180)
        assert status.state == "done", status.message
        fronts[incident] = PdfReader(io.BytesIO(status.result)).pages[0].extract_text()
    assert "Flits Veldwijk" in fronts[first] and "Brand Oosterpark" not in fronts[first]
    assert "Brand Oosterpark" in fronts[other] and "Flits Veldwijk" not in fronts[other]
