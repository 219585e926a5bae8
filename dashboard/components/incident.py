"""Opening an incident from the sidebar: without one, no page has anything to show or record."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from analysis.incidents import check_incident, closing_problem, reopening_problem, scenarios
from comms.tasks import record_triage, triage_outcomes, triage_problems
from dashboard import auth, data
from dashboard.components.forms import refused
from onrust import display
from onrust.auth import User
from onrust.errors import IncidentClosed, UserError
from onrust.models import Incident
from onrust.timeutil import AMSTERDAM, fmt_local, local, utcnow

PENDING = "incident_pending"  # the incident the sidebar's selector must show on the next run


def new_incident_form(user: User, *, expanded: bool = False) -> None:
    if not auth.allows(user, "incident_beheren", note=st.caption):
        return
    now = local(utcnow()).replace(second=0, microsecond=0)
    with st.expander("Nieuw incident", expanded=expanded), st.form("new_incident", clear_on_submit=True):
        name = st.text_input("Naam", placeholder="bijv. Brand woonwijk De Hoven")
        municipality = st.text_input("Gemeente")
        choices = scenarios()
        scenario = st.selectbox("Scenario (004 Bijlage 2)", [None, *choices], key="new_incident_scenario",
                                format_func=lambda k: "— nog niet bekend —" if k is None else
                                f"{display.label('scenario', k)} ({display.seed_title(choices[k])})")
        day = st.date_input("Begonnen op", value=now.date(), format="DD-MM-YYYY")
        clock = st.time_input("Tijd", value=now.time(), step=300)
        description = st.text_area("Korte omschrijving (feiten, geen namen van betrokkenen)")
        outcomes = triage_outcomes()
        triage = st.selectbox("Triage (003 Deel II: type en zwaarte van de melding)", [None, *outcomes],
                              key="new_incident_triage",
                              format_func=lambda k: "— nog niet beoordeeld —" if k is None else outcomes[k].text)
        if st.form_submit_button("Incident openen", type="primary"):
            draft, problems = check_incident(
                name, municipality, datetime.combine(day, clock, AMSTERDAM), scenario=scenario, now=utcnow(),
                known_municipalities=[i.municipality for i in data.incidents()])
            problems += triage_problems(triage, user.id)
            for problem in problems:
                st.error(problem)
            if draft is None or problems:
                return
            try:
                incident_id = data.store().create_incident(
                    draft.name, draft.municipality, draft.opened_at, scenario=draft.scenario,
                    description=description.strip(), actor=user.id,
                )
                if triage is not None:  # the incident's first decision, on its logbook
                    record_triage(data.store(), incident_id, triage, user.id)
            except UserError as exc:  # a read-only database file
                refused(exc)
                return
            data.changed()
            st.session_state["incident_id"] = incident_id
            st.session_state[PENDING] = incident_id  # the selector was drawn already this run
            st.session_state.pop("time_range", None)
            st.rerun()


def read_only_note(incident: Incident) -> bool:
    """At the top of a page with forms: say why they are disabled. True when the incident is closed."""
    if incident.is_closed:
        st.info(IncidentClosed.MESSAGE, icon=":material/lock:")
    return incident.is_closed


def close_incident_form(incident: Incident, user: User) -> None:
    """Closing fixes the period every page shows and stops reminders for overdue informing."""
    if not auth.may(user, "incident_beheren"):
        return  # new_incident_form, drawn next, says why
    author = user.id
    if incident.status == "gesloten":
        with st.expander("Incident heropenen"), st.form("reopen_incident"):
            st.caption(f"Afgesloten op {fmt_local(incident.closed_at)}.")
            if st.form_submit_button("Heropenen"):
                problem = reopening_problem(incident, author)
                if problem:
                    st.error(problem)
                    return
                try:
                    data.store().reopen_incident(incident.id, author=author)
                except UserError as exc:  # a read-only database file
                    refused(exc)
                    return
                data.changed()
                st.session_state.pop("time_range", None)
                st.rerun()
        return
    now = local(utcnow()).replace(second=0, microsecond=0)
    with st.expander("Incident afsluiten"), st.form("close_incident"):
        day = st.date_input("Afgesloten op", value=now.date(), format="DD-MM-YYYY", key="close_day")
        clock = st.time_input("Tijd", value=now.time(), step=300, key="close_time")
        if st.form_submit_button("Afsluiten"):
            closed_at = datetime.combine(day, clock, AMSTERDAM)
            problem = closing_problem(incident, closed_at, author, utcnow())
            if problem:
                st.error(problem)
                return
            try:
                data.store().close_incident(incident.id, closed_at, author=author)
            except UserError as exc:  # a read-only database file
                refused(exc)
                return
            data.changed()
            st.session_state.pop("time_range", None)
            st.rerun()
