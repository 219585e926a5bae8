"""`onrust temperature`, `eval temperature`, `bench temperature`, the pipeline step and the PDF."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pandas as pd
from pypdf import PdfReader

from analysis.diagnosis import diagnose
from analysis.phases import load_phases
from analysis.temperature import formula_version
from analysis.temperature_pdf import BriefComms, BriefLine, BriefRumour, DriehoekBrief, summary_pdf
from analysis.temperature_runs import incident_series, refresh_all
from analysis.temperature_summary import DiagnosisSummary, summarize
from analysis.timelines import flash_riots, generate
from app.cli import main
from dashboard.charts import temperature_chart
from onrust.chart_image import figure_png
from onrust.settings import load_settings
from onrust.store import Store


def _flash_db(db_path):
    scenario = flash_riots()
    frames = generate(scenario)
    with Store.open(db_path) as store:
        store.migrate()
        incident = store.create_incident("Flits", "Veldwijk", scenario.opened)
        store.load_timeline(incident, frames.items, frames.tags, frames.signals, frames.coverage)
    return scenario, incident


def test_temperature_at_a_past_moment_prints_phase_components_and_formula(db_path, capsys):
    scenario, incident = _flash_db(db_path)
    at = (pd.Timestamp(scenario.opened) + timedelta(hours=6)).tz_convert("Europe/Amsterdam")
    assert main(["temperature", "--db", str(db_path), "--at", at.strftime("%Y-%m-%dT%H:%M"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["incident"] == incident and out["phase"] == 4 and out["phase_name"] == "Escalatie"
    assert set(out["components"]) == {"volume", "spread", "tone", "escalation", "signals", "politicisation"}
    assert out["components"]["signals"]["explanation"].startswith("2 signalen tellen mee")
    assert out["formula_version"] == formula_version(load_settings().temperature)
    assert out["diagnosis"] is None
    with Store.open(db_path) as store:
        store.save_diagnosis(incident, diagnose({}).as_record(at - timedelta(hours=1), "kernteam"))
        store.save_diagnosis(incident, diagnose({}).as_record(at + timedelta(days=1), "later"))
    assert main(["temperature", "--db", str(db_path), "--at", at.strftime("%Y-%m-%dT%H:%M")]) == 0
    text = capsys.readouterr().out
    assert "Fase 4: Escalatie" in text and "Formuleversie: temperatuur-1+" in text
    assert "(kernteam):\n  Advies: Informatiepositie is onvoldoende" in text  # not the later one
    with Store.open(db_path) as store:  # a replay of the past stores nothing
        assert store.temperature_points(incident).empty


def test_temperature_errors_are_dutch_and_exit_2(db_path, capsys):
    assert main(["temperature", "--db", str(db_path)]) == 2
    assert "nog geen incident" in capsys.readouterr().err
    assert main(["temperature", "--db", str(db_path), "--at", "31-02-2026"]) == 2
    assert "Onbekend tijdstip: '31-02-2026' is geen bestaande datum" in capsys.readouterr().err


def test_eval_reports_every_scenario(capsys):
    assert main(["eval", "temperature", "--seeds", "2", "--no-background", "--json"]) == 0
    results = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(results) == {"polarisatie", "flits", "vals_alarm", "achtergrond"}
    assert len(results["flits"]["hours_to_phase3"]) == 2
    assert results["achtergrond"]["hours_to_phase3"] == [None, None]
    checks = results["achtergrond"]["checkpoints"]
    assert list(checks) == ["midden van de maand", "tijdens storing"]
    assert checks["tijdens storing"] == {"expected": "geen gegevens", "measured": ["geen gegevens"] * 2}


def test_bench_prints_both_figures(capsys):
    assert main(["bench", "temperature", "--items", "20000", "--days", "3", "--repeat", "1",
                 "--batch", "50", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["items"], out["points"], out["batch"]) == (20000, 3 * 96, 50)  # every 15 minutes
    assert out["full_ms"] > 0 and out["incremental_ms"] > 0


def test_pipeline_step_stores_points_once_and_alerts_once(db_path):
    scenario, incident = _flash_db(db_path)
    settings = load_settings()
    with Store.open(db_path) as store:
        store.migrate()
        assert refresh_all(store, settings) == {f"incident {incident}": 0}  # latest point: no data
        first = len(store.temperature_points(incident))
        refresh_all(store, settings)
        assert len(store.temperature_points(incident)) == first


def _brief(store, chart: bool):
    scenario = flash_riots()
    frames = generate(scenario)
    incident_id = store.create_incident("Flits Veldwijk", "Veldwijk", scenario.opened)
    store.load_timeline(incident_id, frames.items, frames.tags, frames.signals, frames.coverage)
    store.record_official_phase(incident_id, 4, "Rellen — bevestigd ≥ 20 personen", "burgemeester",
                                decided_at=scenario.opened + timedelta(hours=5))
    cfg = load_settings().temperature
    incident = store.incident(incident_id)
    series = incident_series(store, incident, scenario.opened + timedelta(hours=6), cfg)
    diagnosis = DiagnosisSummary(scenario.opened, "kernteam", "informatie",
                                 ("Advies: meer informatie inwinnen.",))
    s = summarize(series, cfg, store.official_phases(incident_id), diagnosis)
    assert s.official_phase.phase == 4
    names = {k: p.naam for k, p in load_phases().items()}
    png = None
    if chart:
        no_events = pd.DataFrame(columns=["at", "kind", "label"])
        fig = temperature_chart(series, store.official_phases(incident_id), no_events,
                                {k: f"fase {k}: {n}" for k, n in names.items()})
        png = figure_png(fig)
        assert png is not None and png.startswith(b"\x89PNG")  # Debian's Chromium through kaleido
    return DriehoekBrief(
        incident, s, names, series, png,
        rumours=(BriefRumour("Gerucht dat de verdachte vrij is", "ontkracht", scenario.opened),),
        comms=BriefComms(12, 40, (("Rellen in Veldwijk", "verstuurd"),), ("gemeenteraad",)),
        decisions=(BriefLine(scenario.opened + timedelta(hours=5), "Noodbevel voor het winkelcentrum",
                             "burgemeester"),),
        open_actions=(BriefLine(scenario.opened + timedelta(hours=8), "Bewonersbrief Veldwijk"),),
    )


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_meeting_pdf_leads_with_the_official_phase_and_the_real_chart(store):
    brief = _brief(store, chart=True)
    pdf = summary_pdf(brief)
    front, why = _pages(pdf)
    assert front.splitlines()[2].startswith("Officiële fase 4: Escalatie")
    assert "Indicator: fase " in front and "[ontkracht] Gerucht dat de verdachte vrij is" in front
    assert "Checklist: 12 van 40 punten gedaan." in front and "Te laat geïnformeerd: gemeenteraad" in front
    assert "Noodbevel voor het winkelcentrum (burgemeester)" in front and "Bewonersbrief Veldwijk" in front
    assert brief.summary.formula_version not in front and "Formuleversie" not in front
    assert f"Formuleversie {brief.summary.formula_version}" in why
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1 and images[0].image.size[0] >= 1000  # the exported figure, not a drawing


def test_meeting_pdf_without_a_browser_draws_a_simple_curve(store):
    pdf = summary_pdf(_brief(store, chart=False))
    front, _ = _pages(pdf)
    assert "eenvoudige grafiek: geen browser" in front
    assert not PdfReader(io.BytesIO(pdf)).pages[0].images


def test_eval_lays_a_recorded_incident_beside_its_official_phases(db_path, capsys):
    scenario, incident = _flash_db(db_path)
    with Store.open(db_path) as store:
        store.record_official_phase(incident, 4, "rellen", "burgemeester",
                                    decided_at=scenario.opened + timedelta(hours=5))
        store.close_incident(incident, scenario.opened + timedelta(days=3))
    assert main(["eval", "temperature", "--seeds", "1", "--incidents", "--no-background", "--db", str(db_path),
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)[-1]
    assert report["incident"] == incident
    assert report["first_marker"] == (scenario.opened + timedelta(minutes=40)).isoformat()  # police signal
    assert report["hours_to_phase3"] is not None and report["hours_to_phase3"] <= 1
    assert report["official_phases"][0][1:] == [4, "rellen"]
    assert 0 < report["same_phase"] <= report["within_one_phase"] <= report["hours_compared"]
