"""Opening an incident from the sidebar: without one, no page has anything to show or record."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import data
from onrust.timeutil import AMSTERDAM, local, utcnow


def new_incident_form(*, expanded: bool = False) -> None:
    now = local(utcnow()).replace(second=0, microsecond=0)
    with st.expander("Nieuw incident", expanded=expanded), st.form("new_incident", clear_on_submit=True):
        name = st.text_input("Naam", placeholder="bijv. Brand woonwijk De Hoven")
        municipality = st.text_input("Gemeente")
        day = st.date_input("Begonnen op", value=now.date(), format="DD-MM-YYYY")
        clock = st.time_input("Tijd", value=now.time(), step=300)
        description = st.text_area("Korte omschrijving (feiten, geen namen van betrokkenen)")
        if st.form_submit_button("Incident openen", type="primary"):
            if not name.strip() or not municipality.strip():
                st.error("Vul een naam en een gemeente in.")
                return
            incident_id = data.store().create_incident(
                name.strip(), municipality.strip(), datetime.combine(day, clock, AMSTERDAM),
                description=description.strip(),
            )
            data.changed()
            st.session_state["incident_id"] = incident_id
            st.session_state.pop("incident_select", None)  # the selector then starts on the new one
            st.session_state.pop("time_range", None)
            st.rerun()
