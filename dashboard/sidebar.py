"""The sidebar shared by every page: incident selector and period."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from dashboard import data
from dashboard.components.incident import PENDING, close_incident_form, new_incident_form
from onrust.auth import User
from onrust.models import Incident
from onrust.timeutil import AMSTERDAM, local

SELECTOR = "incident_select"


def _labels(incidents: list[Incident]) -> dict[int, str]:
    """The selector's option texts; they must differ, because the browser sends the chosen text
    back and two equal texts would select the first incident of the two."""
    labels = {i.id: f"{i.name} ({i.municipality})" + (" · fictief" if i.is_demo else "") for i in incidents}
    texts = list(labels.values())
    return {iid: f"{text} · #{iid}" if texts.count(text) > 1 else text for iid, text in labels.items()}


def _choose(incidents: list[Incident]) -> Incident:
    """The selected incident; session_state["incident_id"] always equals the selector's value.

    A form that opened an incident leaves it in PENDING: setting the selector's state before it is
    drawn is the only way to make the browser show (and later send back) the new choice; dropping
    the key would leave the browser on the old incident, which the next page would then return to.
    """
    ids = [i.id for i in incidents]
    pending = st.session_state.pop(PENDING, None)
    if pending in ids:
        st.session_state[SELECTOR] = pending
    current = st.session_state.get("incident_id")
    if st.session_state.get(SELECTOR) not in ids:
        st.session_state[SELECTOR] = current if current in ids else ids[0]
    labels = _labels(incidents)
    chosen = st.selectbox("Incident", ids, format_func=labels.__getitem__, key=SELECTOR)
    if chosen != current:
        st.session_state["incident_id"] = chosen
        st.session_state.pop("time_range", None)
    return next(i for i in incidents if i.id == chosen)


def render(user: User) -> None:
    incidents = data.incidents()
    with st.sidebar:
        st.markdown("### Onrustmonitor")
        if not incidents:
            st.info("Nog geen incidenten. Open er een hieronder, of bekijk eerst de demo (`onrust demo`).")
            st.session_state.pop("incident_id", None)
            new_incident_form(user, expanded=True)
            return
        chosen = _choose(incidents)
        start, end = data.time_range()
        picked = st.date_input(
            "Periode", value=(local(start).date(), local(end).date()), format="DD-MM-YYYY",
            help="Eén klik kiest die dag, een tweede klik het einde van de periode. Elke pagina toont de "
                 "stand aan het einde van de periode.",
            # Keyed on the close too: closing or reopening redraws the period.
            key=f"period_{chosen.id}_{chosen.closed_at}",
        )
        days = tuple(picked) if isinstance(picked, tuple) else ()
        if days:  # the first click of a range applies at once (that day) instead of waiting for the second
            lo = datetime.combine(days[0], time.min, AMSTERDAM)
            hi = datetime.combine(days[-1], time.min, AMSTERDAM) + timedelta(days=1)
            st.session_state["time_range"] = (lo, hi)
        close_incident_form(chosen, user)
        new_incident_form(user)
