"""The Terugblik page's parts: the cached record and replay, the moment's picture, the review
tables, and the report download (built on the background worker: reading and rendering the
whole incident takes seconds)."""

from __future__ import annotations

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
from dashboard.components import jobs
from dashboard.review_html import chromium_path, pdf_bytes
from dashboard.review_report import build_report
from onrust.models import Incident
from onrust.timeutil import fmt_local, to_utc, utcnow
from onrust.worker import Progress

REPORT_JOB = "terugblik_report_job"
REPORT_PDF_JOB = "terugblik_report_pdf_job"


def review_inputs(store: Any, incident_id: int, now: datetime) -> ReviewInputs | None:
    """For data.derived: the incident's record, cached until the next write."""
    incident = store.incident(incident_id)
    return None if incident is None else load_review(store, incident, data.settings().temperature, now)


def moment_at(store: Any, incident_id: int, now: datetime, at: datetime) -> Moment | None:
    """For data.derived: the replayed moment, the temperature recomputed as of `at`."""
    inputs = review_inputs(store, incident_id, now)
    return None if inputs is None else replay_from_store(store, inputs, at, data.settings().temperature)


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
    items.dataframe(m.items[["fetched_at", "published_at", "source", "reach", "title"]].iloc[::-1],
                    hide_index=True, key="replay_items")
    signals.dataframe(m.signals[["occurred_at", "entered_at", "kind", "verification", "severity", "reliability",
                                 "credibility", "text"]], hide_index=True, key="replay_signals")
    with comms:
        st.markdown("**Persberichten**")
        st.dataframe(m.releases, hide_index=True, key="replay_releases")
        st.markdown("**Doelgroepen geïnformeerd**")
        st.dataframe(m.informed[["doelgroep", "last_informed_at", "last_informed_by"]], hide_index=True,
                     key="replay_informed")
        done = m.checklist[m.checklist["status"] == "gedaan"] if len(m.checklist) else m.checklist
        st.caption(f"Checklistpunten gedaan: {len(done)}.")
        if m.tasks is not None:
            st.markdown("**Taken**")
            st.dataframe(m.tasks, hide_index=True, key="replay_tasks")
    log.dataframe(m.logbook[["logged_at", "kind", "author", "text"]], hide_index=True, key="replay_log")


def show_coverage(inputs: ReviewInputs) -> None:
    items = inputs.items
    st.plotly_chart(volume_chart(rv.volume_by_reach(items).assign(maat="berichten")), key="review_volume")
    left, right = st.columns(2)
    left.markdown("**Verspreiding**")
    left.dataframe(rv.spread(items), hide_index=True, key="review_spread")
    right.markdown("**Per oorspronkelijke uitgever**")
    right.dataframe(rv.volume_by_publisher(items), hide_index=True, key="review_publishers")
    st.markdown("**Eerste bericht per bron**")
    st.dataframe(rv.first_reports(items), hide_index=True, key="review_first")
    emotions = rv.tags_over_time(items, inputs.tags, "emotion")
    if len(emotions):
        st.markdown("**Emoties per dag**")
        st.bar_chart(emotions, x="bucket", y="aantal", color="tag")
    r = rv.rumours(inputs)
    st.markdown("**Geruchten als signaal en hun oordeel**")
    st.dataframe(r.signals, hide_index=True, key="review_rumour_signals")
    st.markdown("**Geruchten in de berichtgeving**")
    st.dataframe(r.items, hide_index=True, key="review_rumour_items")


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} uur"


def show_timing(inputs: ReviewInputs) -> None:
    frame = pd.DataFrame([{"stap": m.label, "wanneer": m.at, "uren na opening": m.hours, "binnen (uur)": m.box_hours,
                           "te laat": m.late, "protocol": m.ref} for m in rv.milestones(inputs)])
    st.dataframe(frame, hide_index=True, key="review_milestones")
    st.dataframe(rv.first_informed(inputs), hide_index=True, key="review_informed")
    st.dataframe(rv.phase_decisions(inputs), hide_index=True, key="review_decisions")
    lag = rv.detection_lag(inputs, list(data.settings().temperature.escalation_markers))
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
