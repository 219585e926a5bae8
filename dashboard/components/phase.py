"""The official MO phase as the Temperatuur and Communicatie pages both show it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from analysis.phases import PeriodDecisions, load_phases
from analysis.temperature_runs import incident_series
from dashboard import data
from dashboard.components.forms import refused
from onrust.errors import UserError
from onrust.text import md_escape
from onrust.timeutil import fmt_local


def series_at(store: Any, incident_id: int, as_of: datetime) -> pd.DataFrame:
    """For data.derived: the incident's series as known at `as_of`. Cached as the series, not as
    its inputs: a few hundred points instead of a quarter of a million items to copy per rerun."""
    incident = store.incident(incident_id)
    assert incident is not None  # the page found it
    return incident_series(store, incident, as_of, data.settings().temperature)


def later_decision_note(decisions: PeriodDecisions) -> None:
    """Beside the official phase of a past period: a decision taken after it ended."""
    later = decisions.later
    if later is None:
        return
    phase = int(later["phase"])
    st.caption(f"Na deze periode vastgelegd: fase {phase} ({load_phases()[phase].naam}) op "
               f"{fmt_local(later['logged_at'])}. Kies een latere periode om het te zien.")


_CHOICE, _REASON = "official_phase_choice", "official_reason"
_SAVED = "official_phase_saved"  # the confirmation shown once after the rerun
_FOR = "official_phase_for"  # the incident the choice was filled in for


def _prefill(incident_id: int, latest: int | None) -> None:
    """Start from the current official phase (not the indicator's): a decision is never taken
    by leaving a suggestion in place. After a save the form empties; set through the session
    state, because the browser keeps showing a typed value that is merely dropped."""
    saved = _SAVED in st.session_state
    if saved or _CHOICE not in st.session_state or st.session_state.get(_FOR) != incident_id:
        st.session_state[_CHOICE] = latest
        st.session_state[_FOR] = incident_id
    if saved:
        st.session_state[_REASON] = ""


def official_phase_form(incident_id: int, latest: int | None, record: Callable[[int, str, str], object],
                        author: str, *, disabled: bool = False) -> None:
    """The driehoek's decision; `record(phase, reason, author)` writes it as the logged-in `author`
    (disabled: incident closed)."""
    phases = load_phases()
    _prefill(incident_id, latest)
    if (saved := st.session_state.pop(_SAVED, None)) is not None:
        st.success(saved)
    with st.form("official_phase"):
        st.markdown("**Officiële fase vastleggen** (besluit driehoek/kernteam)")
        phase = st.selectbox("Fase", list(phases), format_func=lambda k: f"fase {k}: {phases[k].naam}",
                             placeholder="Kies de besloten fase", key=_CHOICE)
        reason = st.text_area("Reden", key=_REASON)
        if not st.form_submit_button("Vastleggen", disabled=disabled):
            return
    if not reason.strip():
        st.error("Vul de reden van het besluit in.")
    elif phase is None:
        st.error("Kies de fase die is besloten.")
    else:
        try:
            record(phase, reason.strip(), author)
        except UserError as exc:
            refused(exc, md_escape(exc))
            return
        st.session_state[_SAVED] = (f"Officiële fase {phase} ({phases[phase].naam}) vastgelegd door "
                                    f"{md_escape(author)}.")
        st.rerun()
