"""The Taken page's parts: the time-boxed task list with its form, the triage and the risk moments."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from comms.tasks import (
    TaskProtocol,
    TaskRow,
    complete_task,
    due_text,
    moment_kinds,
    note_task,
    record_triage,
    reopen_task,
    set_moment,
    triage_outcomes,
)
from dashboard import data
from dashboard.components.forms import write
from onrust.models import Incident, RiskMoment, TriageDecision
from onrust.text import md_escape
from onrust.timeutil import AMSTERDAM, fmt_local, local, utcnow

OVERDUE_STYLE = "background-color: #f8d7da; color: #842029"  # Bootstrap's danger tint: readable, not alarming


def _now_inputs(prefix: str) -> datetime:
    now = local(utcnow()).replace(second=0, microsecond=0)
    left, right = st.columns(2)
    day = left.date_input("Datum", value=now.date(), format="DD-MM-YYYY", key=f"{prefix}_day")
    clock = right.time_input("Tijd", value=now.time(), step=300, key=f"{prefix}_time")
    return datetime.combine(day, clock, AMSTERDAM)


def task_table(rows: list[TaskRow]) -> None:
    frame = pd.DataFrame({
        "Fase": [r.task.phase for r in rows],
        "Stap": [r.task.step for r in rows],
        "Nr": [r.task.number for r in rows],
        "Taak": [r.task.text for r in rows],
        "Status": [r.status for r in rows],
        "Uiterlijk": [due_text(r) for r in rows],
        "Gedaan door": [r.done_by or "" for r in rows],
        "Gedaan op": [fmt_local(r.done_at) if r.done_at else "" for r in rows],
        "Notitie": [r.note for r in rows],
    })
    styled = frame.style.apply(
        lambda row: [OVERDUE_STYLE if row["Status"] == "te laat" else ""] * len(row), axis=1)
    cc = st.column_config
    st.dataframe(styled, hide_index=True, width="stretch", height=min(38 + 35 * len(frame), 640), key="task_table",
                 column_config={"Fase": cc.TextColumn(width="small"), "Stap": cc.TextColumn(width="small"),
                                "Nr": cc.TextColumn(width="small"), "Taak": cc.TextColumn(width="large"),
                                "Notitie": cc.TextColumn(width="medium")})


def task_form(incident: Incident, protocol: TaskProtocol, rows: list[TaskRow], author: str) -> None:
    """Done (who and when), a note, or open again: every change also goes to the logbook."""
    labels = {r.task.id: f"{r.task.number} · {r.status} · {r.task.text[:70]}" for r in rows}
    first_open = next((i for i, r in enumerate(rows) if r.done_at is None), 0)
    with st.form("task_action"):
        task_id = st.selectbox("Taak", list(labels), index=first_open, format_func=labels.__getitem__,
                               key="task_pick")
        st.caption("Gedaan op (bij 'Afgerond'):")
        done_at = _now_inputs("task_done")
        note = st.text_area("Notitie (bij 'Notitie opslaan')", key="task_note")
        done_col, note_col, open_col = st.columns(3)
        done = done_col.form_submit_button("Afgerond", type="primary")
        noted = note_col.form_submit_button("Notitie opslaan")
        reopened = open_col.form_submit_button("Weer open")
    store, iid = data.store(), incident.id
    if done:
        write(lambda: complete_task(store, protocol, iid, task_id, author, done_at, now=utcnow()))
    elif noted:
        write(lambda: note_task(store, protocol, iid, task_id, note, author), "task_note")
    elif reopened:
        write(lambda: reopen_task(store, protocol, iid, task_id, author))


def triage_panel(incident: Incident, decision: TriageDecision | None, locked: bool, author: str) -> None:
    """003 Deel II "Melding komt binnen": the outcome on file, and a form to record or revise it."""
    outcomes = triage_outcomes()
    if decision is not None and decision.outcome in outcomes:
        found = outcomes[decision.outcome]
        st.success(f"Triage ({found.ref}): {found.text}", icon=":material/rule:")
        st.caption(f"Vastgesteld {fmt_local(decision.decided_at)} door {md_escape(decision.author)} (zie logboek).")
    else:
        st.warning("Nog geen triage vastgelegd (003 Deel II, melding komt binnen).", icon=":material/rule:")
    if locked:
        return
    with st.expander("Triage vastleggen" if decision is None else "Triage herzien"), st.form("triage"):
        outcome = st.radio("Uitkomst", list(outcomes), format_func=lambda k: outcomes[k].text, key="triage_outcome")
        if st.form_submit_button("Triage vastleggen"):
            write(lambda: record_triage(data.store(), incident.id, outcome, author))


def moments_panel(incident: Incident, moments: list[RiskMoment], locked: bool, author: str) -> None:
    """The eight momenten van mogelijke onrust of 000 Bijlage 7, each with the date the team expects."""
    kinds = moment_kinds()
    dated = {m.moment_key: m for m in moments}
    st.dataframe(pd.DataFrame({
        "Moment (000 Bijlage 7)": [k.text for k in kinds.values()],
        "Verwacht op": [fmt_local(dated[k].expected_at) if k in dated else "" for k in kinds],
        "Notitie": [dated[k].note if k in dated else "" for k in kinds],
    }), hide_index=True, width="stretch", key="moment_table")
    if locked:
        return
    with st.form("risk_moment"):
        key = st.selectbox("Moment", list(kinds), format_func=lambda k: kinds[k].text, key="moment_pick")
        expected_at = _now_inputs("moment")
        note = st.text_input("Notitie", key="moment_note")
        save_col, clear_col = st.columns(2)
        save = save_col.form_submit_button("Moment vastleggen", type="primary")
        clear = clear_col.form_submit_button("Niet meer verwacht")
    if save or clear:
        at = expected_at if save else None
        write(lambda: set_moment(data.store(), incident.id, key, at, author, note), "moment_note")
