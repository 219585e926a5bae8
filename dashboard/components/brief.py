"""The driehoek meeting PDF: gathered from what the pages show, built on the background worker.

Gathering reads the period's whole omgevingsbeeld (seconds at a million items) and exporting the
chart starts a browser, so the page only queues the job, which reads the store itself (no
Streamlit cache off the script thread). The figure, the series and the moment are the page's
own, so the PDF shows what the meeting saw on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.omgevingsbeeld_data import live_picture
from analysis.temperature_pdf import BriefComms, BriefLine, BriefRumour, DriehoekBrief, summary_pdf
from analysis.temperature_summary import TemperatureSummary
from comms.checklists import load_checklists, merge_state, overall
from comms.matrix import load_defaults, merge_defaults, with_due
from comms.tasks import evaluated_at, load_protocol, task_rows
from comms.workflow import STATUS_LABELS
from dashboard.components import jobs
from onrust.chart_image import figure_png
from onrust.models import Incident
from onrust.store import Store
from onrust.timeutil import fmt_local, utcnow
from onrust.worker import Progress

_OPEN_FIRST = {"onbevestigd": 0, "bevestigd": 1, "ontkracht": 2}


def _rumours(store: Store, incident: Incident, start: datetime, end: datetime) -> tuple[BriefRumour, ...]:
    """The rumour tracker's rumours (items and signals grouped), still open ones first."""
    picture = live_picture(store, incident_id=incident.id, start=start, end=end)  # the Omgevingsbeeld's
    if picture is None:
        return ()
    beeld = picture.beeld
    ranked = sorted(beeld.tracker, key=lambda r: (_OPEN_FIRST.get(r.status, 3), -r.mentions))
    return tuple(BriefRumour(r.text + (f" ({r.mentions} vermeldingen)" if r.mentions > 1 else ""), r.status,
                             r.evidence.at if r.evidence and r.evidence.at else r.first_at) for r in ranked)


def _comms(store: Store, incident: Incident, phase: int | None) -> BriefComms:
    state = store.checklist_state(incident.id)
    done = applicable = 0
    for cid, checklist in load_checklists().items():
        d, a = overall(merge_state(checklist, state[state["checklist"] == cid], phase))
        done, applicable = done + d, applicable + a
    releases = tuple((r.title, STATUS_LABELS.get(r.status, r.status))
                     for r in store.press_releases(incident.id))
    matrix = with_due(merge_defaults(store.info_matrix(incident.id), load_defaults()),
                      incident.opened_at, incident.closed_at or utcnow(), incident.closed_at)
    overdue = tuple(str(g) for g in matrix.loc[matrix["achterstallig"], "doelgroep"])
    return BriefComms(done, applicable, releases, overdue)


def _open_tasks(store: Store, incident: Incident, at: datetime, protocol_name: str) -> tuple[BriefLine, ...]:
    """Tasks of the chosen protocol not done at the brief's moment, overdue first, then by due time."""
    protocol = load_protocol(protocol_name)
    rows = task_rows(protocol, incident.opened_at, store.task_states(incident.id),
                     evaluated_at(incident.closed_at, at))
    waiting = [r for r in rows if r.done_at is None or r.done_at > at]
    waiting.sort(key=lambda r: (not r.overdue, r.due_at is None, r.due_at or at))
    return tuple(BriefLine(r.due_at, ("TE LAAT: " if r.overdue else "") + r.task.title) for r in waiting)


def gather(store: Store, incident: Incident, summary: TemperatureSummary, series: pd.DataFrame,
           phase_names: dict[int, str], period: tuple[datetime, datetime], protocol: str) -> DriehoekBrief:
    """Page 1's content at the page's moment; the chart is added by the job."""
    decisions = tuple(BriefLine(e.logged_at, e.text, e.author)
                      for e in store.log_entries(incident.id, decisions_only=True) if e.logged_at <= summary.at)
    return DriehoekBrief(incident, summary, phase_names, series, None, _rumours(store, incident, *period),
                         _comms(store, incident, summary.phase), decisions,
                         _open_tasks(store, incident, summary.at, protocol))


def build(gathered: Callable[[], DriehoekBrief], fig: go.Figure, progress: Progress) -> bytes:
    """The worker job: gather the page's content, export the page's figure, lay out the pages."""
    progress(0.05, "Geruchten, communicatie, besluiten en taken verzamelen")
    brief = gathered()
    progress(0.3, "Grafiek omzetten naar een afbeelding")
    png = figure_png(fig)
    progress(0.8, "PDF opmaken" if png else "PDF opmaken (eenvoudige grafiek: geen browser beschikbaar)")
    return summary_pdf(replace(brief, chart_png=png))


def render(incident: Incident, at: datetime, period: tuple[datetime, datetime],
           gathered: Callable[[], DriehoekBrief], fig: go.Figure, file_name: str) -> None:
    """The button that queues the PDF and, once built, its download. The job's label names the
    incident, the moment and the period (the rumours are the period's): a press for another one
    must not get this PDF."""
    key = f"brief_job_{incident.id}"
    if st.button("PDF voor het driehoekoverleg maken", key=f"brief_make_{incident.id}"):
        jobs.start(key, "driehoek-pdf", f"PDF driehoekoverleg incident {incident.id}, stand {fmt_local(at)}, "
                   f"periode {fmt_local(period[0])} tot {fmt_local(period[1])}",
                   lambda progress: build(gathered, fig, progress))

    def offer(pdf: bytes) -> None:
        st.download_button("PDF downloaden", pdf, file_name=file_name, mime="application/pdf",
                           key=f"brief_get_{incident.id}")

    jobs.status(key, offer)
