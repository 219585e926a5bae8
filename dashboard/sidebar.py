"""The sidebar shared by every page: incident selector and period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from dashboard import data
from dashboard.components.incident import PENDING, close_incident_form, new_incident_form
from onrust.auth import User
from onrust.models import Incident
from onrust.timeutil import AMSTERDAM, local, utcnow

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


def _period(chosen: Incident) -> tuple[str, tuple[date, date]]:
    """The period picker's key and first value. Keyed on the close too: closing or reopening
    redraws the period. An open incident's period that ends on the day it was drawn follows the
    clock: after midnight it is drawn anew up to the new day, or new items would fall outside it
    unseen (a night on duty; a day every few minutes in the demo's live replay)."""
    start, end = data.time_range()
    value = (local(start).date(), local(end).date())
    base = f"period_{chosen.id}_{chosen.closed_at}"
    if chosen.is_closed:
        return base, value
    today = local(utcnow()).date()
    drawn = st.session_state.setdefault(f"{base}_drawn", today)
    picked = st.session_state.get(f"{base}_{drawn}")
    if drawn < today and isinstance(picked, tuple) and picked and picked[-1] == drawn:
        st.session_state[f"{base}_drawn"] = drawn = today
        value = (picked[0], today)
    return f"{base}_{drawn}", value


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
        key, value = _period(chosen)
        picked = st.date_input(
            "Periode", value=value, format="DD-MM-YYYY",
            help="Eén klik kiest die dag, een tweede klik het einde van de periode. Elke pagina toont de "
                 "stand aan het einde van de periode.",
            key=key,
        )
        days = tuple(picked) if isinstance(picked, tuple) else ()
        if days:  # the first click of a range applies at once (that day) instead of waiting for the second
            lo = datetime.combine(days[0], time.min, AMSTERDAM)
            hi = datetime.combine(days[-1], time.min, AMSTERDAM) + timedelta(days=1)
            st.session_state["time_range"] = (lo, hi)
        close_incident_form(chosen, user)
        new_incident_form(user)
