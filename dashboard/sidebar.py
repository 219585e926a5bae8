"""The sidebar shared by every page: incident selector and period."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from dashboard import data
from dashboard.components.incident import close_incident_form, new_incident_form
from onrust.timeutil import AMSTERDAM, local


def render() -> None:
    incidents = data.incidents()
    with st.sidebar:
        st.markdown("### Onrustmonitor")
        if not incidents:
            st.info("Nog geen incidenten. Open er een hieronder, of bekijk eerst de demo (`onrust demo`).")
            st.session_state.pop("incident_id", None)
            new_incident_form(expanded=True)
            return
        ids = [i.id for i in incidents]
        by_id = {i.id: i for i in incidents}
        labels = {i.id: f"{i.name} ({i.municipality})" + (" · fictief" if i.is_demo else "") for i in incidents}
        current = st.session_state.get("incident_id")
        chosen = st.selectbox(
            "Incident", ids, index=ids.index(current) if current in ids else 0,
            format_func=labels.__getitem__, key="incident_select",
        )
        if chosen != current:
            st.session_state["incident_id"] = chosen
            st.session_state.pop("time_range", None)
        start, end = data.time_range()
        picked = st.date_input(
            "Periode", value=(local(start).date(), local(end).date()), format="DD-MM-YYYY",
            # Keyed on the close too: closing or reopening redraws the period.
            key=f"period_{chosen}_{by_id[chosen].closed_at}",
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            lo = datetime.combine(picked[0], time.min, AMSTERDAM)
            hi = datetime.combine(picked[1], time.min, AMSTERDAM) + timedelta(days=1)
            st.session_state["time_range"] = (lo, hi)
        close_incident_form(by_id[chosen])
        new_incident_form()
