"""After-action review of the demo incident: the replay equals what was computed live, coverage and
response timing from the known story, and the report renders offline (no request, no console error)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import review as rv
from analysis.review_data import load_review
from analysis.review_replay import replay_from_store, task_states
from dashboard.review_html import chromium_path, html_to_pdf
from dashboard.review_report import render_report
from onrust.errors import UserError
from onrust.settings import load_settings
from onrust.store import Store

CFG = load_settings().temperature
UTC = "UTC"


def at(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=UTC)


@pytest.fixture(scope="module")
def demo(demo_db):
    store = Store.open(demo_db, read_only=True)
    yield store, load_review(store, store.incident(1), CFG)
    store.close()


@pytest.mark.parametrize("moment", ["2026-10-09 16:00", "2026-10-12 07:00", "2026-10-14 20:00",
                                    "2026-10-15 23:45", "2026-10-19 08:00"])
def test_a_replayed_moment_shows_the_point_computed_live_then(demo, moment):
    """The demo stored its points as the pipeline ran through the story; the replay recomputes the
    moment from only what the store knew then and must give the same temperature and phase."""
    store, inputs = demo
    replayed = replay_from_store(store, inputs, at(moment), CFG)
    live = store.temperature_points(1, at(moment), at(moment)).iloc[0]
    assert replayed.point is not None and replayed.point["at"] == at(moment)
    assert replayed.point["phase"] == live["phase"]
    assert replayed.point["temperature"] == pytest.approx(live["temperature"], abs=1e-9)


def test_the_evening_of_the_escalation(demo):
    store, inputs = demo
    m = replay_from_store(store, inputs, at("2026-10-14 20:00"), CFG)
    assert (round(m.point["temperature"]), int(m.point["phase"]), int(m.official["phase"])) == (64, 4, 4)
    # The logbook by then: the story's entries, the triage, completed tasks and risk moments (31),
    # one 'informatie gedeeld' per routed signal (19), the analist's rumour status of 09-10 (1) and
    # the first kernteam meeting's three lines (held, two decisions).
    assert (len(m.items), len(m.signals), len(m.logbook)) == (52, 19, 54)
    assert (m.logbook["kind"] == "informatie gedeeld").sum() == 19
    assert m.items["fetched_at"].max() <= at("2026-10-14 20:00")


def test_signals_carry_the_values_they_had_then(demo):
    store, inputs = demo
    before = replay_from_store(store, inputs, at("2026-10-10 12:00"), CFG).signals.set_index("signal_id")
    later = replay_from_store(store, inputs, at("2026-10-12 12:00"), CFG).signals.set_index("signal_id")
    # Signal 4 (a rumour at the school) was refuted on 11-10 11:00; signal 7 was entered on 11-10.
    assert before.loc[4, "verification"] == "onbevestigd" and 7 not in before.index
    assert later.loc[4, "verification"] == "ontkracht" and later.loc[7, "verification"] == "onbevestigd"
    assert len(before) == 4 and len(later) == 10


def test_communication_state_follows_the_press_steps_and_the_matrix(demo):
    store, inputs = demo
    approving = replay_from_store(store, inputs, at("2026-10-15 09:00"), CFG)
    sent = replay_from_store(store, inputs, at("2026-10-15 09:30"), CFG)
    assert approving.releases["to_status"].tolist() == ["ter_controle"]
    assert sent.releases["to_status"].tolist() == ["verstuurd"]
    early = replay_from_store(store, inputs, at("2026-10-10 12:00"), CFG)
    assert "gemeenteraad" not in set(early.informed["doelgroep"])
    assert "gemeenteraad" in set(approving.informed["doelgroep"])
    assert (len(early.checklist), len(approving.checklist)) == (17, 24)


def test_coverage_spreads_from_local_to_national(demo):
    _, inputs = demo
    spread = rv.spread(inputs.items).set_index("bereik")
    assert spread.loc["lokaal", "bron"] == "De Loosterveense Courant"
    assert spread.loc["regionaal", "eerste"] == at("2026-10-09 08:05")
    assert spread.loc["landelijk", "eerste"] == at("2026-10-12 09:06")
    assert spread.loc["landelijk", "bron"] == "NLNieuws24"
    assert spread.loc["landelijk", "uren_na_eerste"] == pytest.approx(122.1)
    publishers = rv.volume_by_publisher(inputs.items).set_index("uitgever")
    assert publishers.loc["ANP", "berichten"] == 11 and publishers.loc["ANP", "bronnen"] == 5
    first = rv.first_reports(inputs.items)
    assert first["bron"].iloc[:3].tolist() == ["De Loosterveense Courant", "Loosterveen Nu", "Buurtpraat #loosterveen"]
    assert rv.volume_by_reach(inputs.items)["aantal"].sum() == len(inputs.items) == 88
    emotions = rv.tags_over_time(inputs.items, inputs.tags, "emotion")
    assert set(emotions["tag"]) >= {"angst", "woede", "verontwaardiging"}


def test_rumours_and_when_they_were_settled(demo):
    _, inputs = demo
    r = rv.rumours(inputs)
    verdicts = r.signals.set_index("signal_id")
    assert verdicts.loc[16, "verification"] == "ontkracht"
    assert verdicts.loc[16, "verdict_at"] == at("2026-10-14 16:00")
    assert pd.isna(verdicts.loc[21, "verdict_at"])  # 'terug te komen': never settled
    assert r.first_refutation == at("2026-10-14 13:10")
    assert r.refutations["id"].tolist() == [86, 140]
    assert r.items["ontkracht"].sum() == 2


def test_response_timing_against_the_time_boxes(demo):
    _, inputs = demo
    steps = {m.label: m for m in rv.milestones(inputs)}
    first_action = steps["Eerste actie of besluit in het logboek"]
    # The triage decision at 18:40 (Amsterdam), 55 minutes after the opening.
    assert (first_action.at, first_action.late) == (at("2026-10-08 16:40"), False)
    council = steps["Gemeenteraad geïnformeerd"]
    assert (council.at, council.hours, council.box_hours, council.late) == (at("2026-10-12 14:00"), 94.25, 4.0, True)
    press = steps["Eerste persbericht verstuurd"]
    assert (press.at, press.late) == (at("2026-10-15 09:30"), True)
    assert steps["Eerste signaal ingevoerd"].late is None
    informed = rv.first_informed(inputs).set_index("doelgroep")
    assert not informed.loc["burgemeester, wethouder, college", "te_laat"]
    assert informed.loc["pers", "uren"] == 18.75
    decisions = rv.phase_decisions(inputs)
    assert decisions["fase"].tolist() == [2, 3, 4, 3, 5]
    assert decisions["indicator_toen"].tolist() == [1, 5, 4, 3, 5]
    lag = rv.detection_lag(inputs, list(CFG.escalation_markers))
    assert (lag.first_marker, lag.marker) == (at("2026-10-11 10:40"), "dynamiek:eigenrichting")
    assert lag.to_official_hours == pytest.approx(45 + 1 / 3)
    assert lag.to_indicator_hours == pytest.approx(20 + 1 / 3)


def test_task_states_and_late_tasks_from_records():
    tasks = [
        {"title": "Spoedoverleg", "due_at": at("2026-10-08 18:45"), "done_at": at("2026-10-08 18:00")},
        {"title": "Raad informeren", "due_at": at("2026-10-10 15:45"), "done_at": at("2026-10-12 14:00")},
        {"title": "Feitenrelaas", "due_at": at("2026-10-22 15:45"), "done_at": None},
        {"title": "Inspectie inlichten", "due_at": at("2026-10-09 15:45"), "done_at": None},
    ]
    states = task_states(tasks, at("2026-10-11 12:00")).set_index("title")
    assert states["state"].to_dict() == {"Spoedoverleg": "gedaan", "Raad informeren": "te laat",
                                         "Feitenrelaas": "open", "Inspectie inlichten": "te laat"}
    late = rv.late_tasks(tasks, at("2026-10-21 15:00"))
    assert late["title"].tolist() == ["Raad informeren", "Inspectie inlichten"]
    assert late["state"].tolist() == ["gedaan", "te laat"]


HOSTILE = "<script>alert(1)</script> zie https://evil.example/x en http://evil.example"


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory) -> Path:
    _, inputs = demo
    tasks = [{"title": HOSTILE, "due_at": at("2026-10-08 18:45"), "done_at": at("2026-10-09 07:30"),
              "ref": "003 1.1"}]
    evaluation = [{"question": "Is de calamiteit goed afgehandeld?", "answer": HOSTILE, "ref": "003 §3.3"}]
    document = render_report(inputs, list(CFG.escalation_markers), at("2026-11-01 12:00"), tasks=tasks,
                             evaluation=evaluation)
    path = tmp_path_factory.mktemp("review") / "terugblik.html"
    path.write_text(document, encoding="utf-8")
    return path


def test_report_holds_every_section_and_no_address_or_name(report):
    text = report.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for heading in ("Temperatuur, fase en officiële fase", "Wat was bekend op de beslismomenten",
                    "Ontwikkeling van de berichtgeving", "Geruchten en wanneer ze werden bevestigd of ontkracht",
                    "Responstijden tegen de tijdvakken van het protocol", "Taken te laat (1 van 1)", "Evaluatie"):
        assert f"<h2>{heading}</h2>" in text
    assert "Gemeenteraad geïnformeerd" in text and "94.2 uur" in text
    # Registered names appear in social posts of the story; the report masks every one of them.
    assert "Vlaming" not in text and "Hesselink" not in text and "[betrokkene]" in text


def test_report_without_task_lists_has_no_task_section(demo):
    _, inputs = demo
    text = render_report(inputs, list(CFG.escalation_markers), at("2026-11-01 12:00"))
    assert "Taken te laat" not in text and "<h2>Evaluatie</h2>" not in text


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="geen Chromium op deze machine (apt-get install chromium)")
def test_report_opens_offline_in_chromium_without_requests_or_errors(report):
    from playwright.sync_api import sync_playwright

    requests, problems = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path())
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        charts = page.locator("div.figure .main-svg").count()
        browser.close()
    assert requests == [report.as_uri()]  # the file itself, nothing else
    assert problems == []
    assert charts >= 5


@pytest.mark.skipif(chromium_path() is None, reason="geen Chromium op deze machine (apt-get install chromium)")
def test_pdf_through_headless_chromium(report, tmp_path):
    pdf = tmp_path / "terugblik.pdf"
    html_to_pdf(report.read_text(encoding="utf-8"), pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000


def test_pdf_without_chromium_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "geen-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UserError, match="Voor een PDF is Chromium nodig"):
        html_to_pdf("<!doctype html>", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def _onrust(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, check=False)


def test_cli_unknown_incident_exits_2_with_a_message(demo_db, tmp_path):
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    done = _onrust("review", "--db", str(db), "--incident", "7", "--out", str(tmp_path / "r.html"))
    assert done.returncode == 2
    assert "Incident 7 bestaat niet" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "r.html").exists()
    missing_dir = _onrust("review", "--db", str(db), "--incident", "1", "--out", str(tmp_path / "nee" / "r.html"))
    assert missing_dir.returncode == 2 and "bestaat niet" in missing_dir.stderr


def test_cli_writes_the_report(demo_db, tmp_path):
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    out = tmp_path / "r.html"
    done = _onrust("review", "--db", str(db), "--incident", "1", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert '"files"' in done.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "Zedenzaak jeugdtrainer SV Kolkhoek (FICTIEF)" in text
    # The demo follows 003's task list (48 tasks, 9 recorded as done): judged at the close.
    assert "<h2>Taken te laat (32 van 48)</h2>" in text
    # The evaluation form's 24 questions with the answers stored on the Overleg page (8 in the demo).
    assert "<h2>Evaluatie</h2>" in text and "de eigenrichting wel beter" in text
    assert text.count("Nog niet beantwoord.") == 24 - 8


def test_report_of_an_open_incident_keeps_typed_markup_as_text(store):
    """Feed titles, source, incident and release names with markup and addresses: escaped, no reference."""
    from tests.pages.test_plain_text import _seed

    incident = store.incident(_seed(store))
    text = render_report(load_review(store, incident, CFG), list(CFG.escalation_markers), at("2026-11-01 12:00"))
    assert "http://" not in text and "https://" not in text
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "Onrust ![x](http:&#47;&#47;127.0.0.1:1/x.png)" in text  # shown as typed, never a link


def test_the_reports_decision_moments_equal_a_replay_from_the_store(demo):
    """The report reads each moment off the whole series (every point uses only what was known
    before it); that must be the point a replay recomputed from the store gives."""
    store, inputs = demo
    for moment in inputs.decisions["logged_at"]:
        from_series = inputs.series[inputs.series["at"] <= moment].iloc[-1]
        replayed = replay_from_store(store, inputs, moment, CFG).point
        assert (replayed["at"], replayed["phase"]) == (from_series["at"], from_series["phase"])
        assert replayed["temperature"] == pytest.approx(from_series["temperature"], abs=1e-9)


def test_a_step_not_yet_due_is_not_late(store):
    """An incident opened two hours ago has done nothing yet, but no box (3 hours or longer) has
    run out: nothing is late until it has."""
    from datetime import timedelta

    from onrust.timeutil import utcnow

    now = pd.Timestamp(utcnow()).floor("15min")
    incident = store.incident(store.create_incident("Nieuw", "Uithoorn", now - timedelta(hours=2)))
    inputs = load_review(store, incident, CFG, now)
    steps = {m.label: m for m in rv.milestones(inputs)}
    assert steps["Eerste persbericht verstuurd"].at is None and steps["Eerste persbericht verstuurd"].late is False
    assert steps["Eerste actie of besluit in het logboek"].late is False
    later = load_review(store, incident, CFG, now + timedelta(hours=3))
    assert {m.label: m.late for m in rv.milestones(later)}["Eerste actie of besluit in het logboek"] is True


def test_the_demo_task_list_replayed(demo):
    from dashboard.review_report import task_records

    store, inputs = demo
    tasks = task_records(store, inputs.incident, load_settings())
    morning = replay_from_store(store, inputs, at("2026-10-09 12:00"), CFG, tasks).tasks
    assert morning is not None and morning["state"].value_counts().to_dict() == {"open": 28, "te laat": 12, "gedaan": 8}
    assert len(rv.late_tasks(tasks, inputs.end)) == 32
