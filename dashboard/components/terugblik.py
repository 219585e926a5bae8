"""The Terugblik page's parts: the cached record and replay, the moment's picture, the review
tables, and the report download (built on the background worker: reading and rendering the
whole incident takes seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from analysis import review as rv
from analysis.phases import load_phases
from analysis.review_data import ReviewInputs, load_review
from analysis.review_replay import Moment, replay_from_store
from dashboard import data
from dashboard.charts import volume_chart
from dashboard.components import jobs, tables
from dashboard.review_html import chromium_path, pdf_bytes
from dashboard.review_report import build_report, tags_chart, task_records
from onrust import display
from onrust.models import Incident
from onrust.timeutil import fmt_local, to_utc, utcnow
from onrust.worker import Progress

REPORT_JOB = "terugblik_report_job"
# The replay's item table: nobody reads a hundred thousand rows, and sending them costs seconds.
ITEM_ROWS = 1000
REPORT_PDF_JOB = "terugblik_report_pdf_job"


def review_inputs(store: Any, incident_id: int, now: datetime) -> ReviewInputs | None:
    """For data.derived: the incident's record, cached until the next write."""
    incident = store.incident(incident_id)
    return None if incident is None else load_review(store, incident, data.settings().temperature, now)


def moment_at(store: Any, incident_id: int, now: datetime, at: datetime) -> Moment | None:
    """For data.derived: the replayed moment, the temperature recomputed as of `at`; the review's
    record comes from the cache the page filled (read again, it cost as much as the whole page)."""
    inputs = data.derived(review_inputs, incident_id=incident_id, now=now)
    if inputs is None:
        return None
    tasks = task_records(store, inputs.incident, data.settings())
    return replay_from_store(store, inputs, at, data.settings().temperature, tasks)


def slider(inputs: ReviewInputs, step_minutes: int) -> datetime:
    """The replay moment on the temperature's step grid. The slider shows Amsterdam wall-clock
    times (naive values: Streamlit would show aware ones in UTC); the result is UTC."""
    step = pd.Timedelta(minutes=step_minutes)

    def wall(t: datetime) -> datetime:
        return pd.Timestamp(t).tz_convert("Europe/Amsterdam").tz_localize(None).to_pydatetime()

    lo, hi = wall(pd.Timestamp(inputs.start).ceil(step)), wall(pd.Timestamp(inputs.end).floor(step))
    chosen = st.slider("Moment", min_value=lo, max_value=hi, value=hi, step=timedelta(minutes=step_minutes),
                       format="DD-MM-YYYY HH:mm", key=f"terugblik_at_{inputs.incident.id}")
    return to_utc(chosen)


def _phase(number: Any) -> str:
    if number is None or pd.isna(number):
        return "—"
    return f"{int(number)}: {load_phases()[int(number)].naam}"


def _table(frame: pd.DataFrame, columns: dict[str, str], key: str) -> None:
    """The chosen columns under Dutch headers, through the display layer (local times, labels, "—")."""
    tables.table(frame.reindex(columns=list(columns)), key=key, headers=columns)


def show_moment(m: Moment) -> None:
    st.caption(f"Wat bekend was op {fmt_local(m.at)}.")
    cols = st.columns(5)
    point = m.point
    cols[0].metric("Temperatuur", "—" if point is None or pd.isna(point["temperature"])
                   else f"{point['temperature']:.0f}")
    cols[1].metric("Fase (indicator)", _phase(None if point is None else point["phase"]))
    cols[2].metric("Officiële fase", _phase(None if m.official is None else m.official["phase"]))
    cols[3].metric("Berichten bekend", len(m.items))
    cols[4].metric("Signalen bekend", len(m.signals))
    items, signals, comms, log = st.tabs(["Berichten", "Signalen", "Communicatie", "Logboek"])
    with items:
        if len(m.items) > ITEM_ROWS:
            st.caption(f"De nieuwste {display.number(ITEM_ROWS)} van {display.number(len(m.items))} berichten die "
                       "toen bekend waren.")
        _table(m.items.head(ITEM_ROWS), {"fetched_at": "Opgehaald", "published_at": "Gepubliceerd", "source": "Bron",
                         "reach": "Bereik", "title": "Titel"}, "replay_items")
    with signals:
        _table(m.signals, {"occurred_at": "Gebeurd", "entered_at": "Ingevoerd", "kind": "Soort",
                           "verification": "Toen", "severity": "Ernst", "reliability": "Betrouwbaarheid",
                           "credibility": "Geloofwaardigheid", "text": "Tekst"}, "replay_signals")
    with comms:
        st.markdown("**Persberichten**")
        _table(m.releases, {"title": "Persbericht", "to_status": "Status", "event_at": "Sinds"}, "replay_releases")
        st.markdown("**Doelgroepen geïnformeerd**")
        _table(m.informed, {"doelgroep": "Doelgroep", "last_informed_at": "Laatst geïnformeerd",
                            "last_informed_by": "Door"}, "replay_informed")
        done = m.checklist[m.checklist["status"] == "gedaan"] if len(m.checklist) else m.checklist
        st.caption(f"Checklistpunten gedaan: {len(done)}.")
        if m.tasks is not None:
            st.markdown("**Taken**")
            _table(m.tasks, {"title": "Taak", "phase": "Fase", "due_at": "Uiterlijk", "done_at": "Gedaan",
                             "state": "Stand"}, "replay_tasks")
    with log:
        _table(m.logbook, {"logged_at": "Tijd", "kind": "Soort", "author": "Door", "text": "Tekst"}, "replay_log")


@dataclass(frozen=True)
class ReviewTables:
    """What the coverage and timing sections show, computed from the review once per database
    version (over a busy incident's hundred thousand items it took seconds at every rerun)."""

    volume: pd.DataFrame
    spread: pd.DataFrame
    publishers: pd.DataFrame
    first_reports: pd.DataFrame
    emotions: pd.DataFrame
    rumours: rv.Rumours
    milestones: pd.DataFrame
    informed: pd.DataFrame
    decisions: pd.DataFrame
    lag: rv.DetectionLag


def review_tables(store: Any, incident_id: int, now: datetime) -> ReviewTables | None:
    """For data.derived: the tables of the review the page cached."""
    inputs = data.derived(review_inputs, incident_id=incident_id, now=now)
    if inputs is None:
        return None
    items = inputs.items
    milestones = pd.DataFrame([{"stap": m.label, "wanneer": m.at, "uren": m.hours, "binnen": m.box_hours,
                                "te_laat": m.late, "protocol": m.ref} for m in rv.milestones(inputs)])
    return ReviewTables(
        rv.volume_by_reach(items).assign(maat="berichten"), rv.spread(items), rv.volume_by_publisher(items),
        rv.first_reports(items), rv.tags_over_time(items, inputs.tags, "emotion"), rv.rumours(inputs), milestones,
        rv.first_informed(inputs), rv.phase_decisions(inputs),
        rv.detection_lag(inputs, list(data.settings().temperature.escalation_markers)))


def show_coverage(t: ReviewTables) -> None:
    st.plotly_chart(volume_chart(t.volume), key="review_volume")
    left, right = st.columns(2)
    with left:
        st.markdown("**Verspreiding**")
        _table(t.spread, {"bereik": "Bereik", "eerste": "Eerste bericht", "uren_na_eerste": "Uren na eerste",
                          "bron": "Bron"}, "review_spread")
    with right:
        st.markdown("**Per oorspronkelijke uitgever**")
        _table(t.publishers, {"uitgever": "Uitgever", "berichten": "Berichten",
                              "bronnen": "Bronnen", "eerste": "Eerste"}, "review_publishers")
    st.markdown("**Eerste bericht per bron**")
    _table(t.first_reports, {"eerste": "Eerste bericht", "bron": "Bron", "bereik": "Bereik",
                             "titel": "Titel", "berichten": "Berichten", "kopieen": "Kopieën"},
           "review_first")
    if len(t.emotions):
        st.markdown("**Emoties per dag**")
        st.plotly_chart(tags_chart(t.emotions), key="review_emotions")
    st.markdown("**Geruchten als signaal en hun oordeel**")
    _table(t.rumours.signals, {"entered_at": "Ingevoerd", "text": "Gerucht", "verification": "Oordeel",
                               "verdict_at": "Oordeel op"}, "review_rumour_signals")
    st.markdown("**Geruchten in de berichtgeving**")
    _table(t.rumours.items, {"published_at": "Gepubliceerd", "source": "Bron", "reach": "Bereik", "title": "Titel",
                             "ontkracht": "Ontkracht"}, "review_rumour_items")


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{display.number(value, 1)} uur"


def show_timing(t: ReviewTables) -> None:
    _table(t.milestones, {"stap": "Stap", "wanneer": "Wanneer", "uren": "Uren na opening", "binnen": "Binnen (uur)",
                          "te_laat": "Te laat", "protocol": "Protocol"}, "review_milestones")
    _table(t.informed, {"doelgroep": "Doelgroep", "eerste_keer": "Eerste keer geïnformeerd",
                        "uren": "Uren na opening", "binnen_uren": "Binnen (uur)",
                        "te_laat": "Te laat"}, "review_informed")
    _table(t.decisions, {"vastgesteld": "Vastgesteld", "fase": "Fase", "indicator_toen":
                         "Indicator toen", "indicator_eerst": "Indicator eerst in die fase",
                         "uren_na_indicator": "Uren na indicator", "reden": "Reden"},
           "review_decisions")
    lag = t.lag
    st.caption(f"Detectievertraging vanaf het eerste escalatiekenmerk ({fmt_local(lag.first_marker)}): "
               f"officiële fase ≥ 3 na {_hours(lag.to_official_hours)}, "
               f"indicator ≥ 3 na {_hours(lag.to_indicator_hours)}.")


def report_download(incident: Incident) -> None:
    """Queue the report on the worker; the finished job offers the file. The PDF button shows
    only where Chromium is installed (it prints the same HTML)."""
    store, settings = data.store(), data.settings()
    stamp = f"{incident.id}-{utcnow():%Y%m%d-%H%M}"

    def html(progress: Progress) -> bytes:
        progress(0.1, "Gegevens van het incident lezen")
        return build_report(store, incident, settings).encode("utf-8")

    def pdf(progress: Progress) -> bytes:
        progress(0.1, "Gegevens van het incident lezen")
        document = build_report(store, incident, settings)
        progress(0.5, "PDF afdrukken met Chromium")
        return pdf_bytes(document)

    left, right = st.columns(2)
    if left.button("Rapport maken (HTML)", key="terugblik_report"):
        jobs.start(REPORT_JOB, "review", f"Terugblik-rapport incident {incident.id}", html)
    if chromium_path() is not None and right.button("Rapport maken (PDF)", key="terugblik_report_pdf"):
        jobs.start(REPORT_PDF_JOB, "review", f"Terugblik-rapport (PDF) incident {incident.id}", pdf)
    with left:
        jobs.status(REPORT_JOB, lambda document: _offer(document, f"terugblik-{stamp}.html", "text/html"))
    with right:
        jobs.status(REPORT_PDF_JOB, lambda document: _offer(document, f"terugblik-{stamp}.pdf", "application/pdf"))


def _offer(document: bytes, name: str, mime: str) -> None:
    st.download_button("Rapport downloaden", document, file_name=name, mime=mime, key=f"download_{mime}")
