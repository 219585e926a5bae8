"""Strategie tab: accent among the three aims, press policy, and "wie voert het woord", each recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from comms.strategy import (
    KADERS,
    PhaseAdvice,
    StrategyData,
    WoordvoeringVraag,
    accent_value,
    advice_for_phase,
    load_strategy_data,
    load_woordvoering_rules,
    press_policy_value,
    strategy_in_period,
    wie_voert_het_woord,
)
from dashboard import data
from dashboard.components import tables
from dashboard.components.forms import refused
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local

Decision = dict[str, Any] | None


def _current_line(decision: Decision) -> None:
    """The recorded choice; typed text (names, notes) is shown literally, never as Markdown."""
    if decision is None:
        st.caption("Nog niets vastgelegd.")
    else:
        st.markdown(f"**Vastgelegd:** {md_escape(decision['value'])}")
        st.caption(f"{md_escape(decision['decided_by'])}, {fmt_local(decision['decided_at'])}"
                   + (f" (fase {int(decision['phase'])})" if pd.notna(decision["phase"]) else "")
                   + (f" · {md_escape(decision['note'])}" if decision["note"] else ""))


def _record(incident: Incident, kind: str, value: str, author: str, phase: int | None, **extra) -> None:
    try:
        data.store().add_strategy_decision(incident.id, kind, value, author, phase=phase, **extra)
    except (ValueError, UserError) as exc:
        refused(exc, f"Niet vastgelegd: {md_escape(exc)}")
        return
    st.session_state["strategy_flash"] = f"Vastgelegd: {value}"
    st.rerun()


def render_strategy_tab(incident: Incident, phase: int | None, author: str, period_end: datetime, *,
                        locked: bool) -> None:
    """The decisions in force at the end of the sidebar's period (the page's rule), with a note
    when later ones exist. `locked`: the incident is closed or the role may not decide; the
    decisions stay readable."""
    if flash := st.session_state.pop("strategy_flash", None):
        st.success(md_escape(flash))  # a woordvoering answer names typed municipalities
    sdata = load_strategy_data()
    period = strategy_in_period(data.query(Store.strategy_decisions, incident_id=incident.id), period_end)
    current = period.current
    _later_note(period.later)
    advice = advice_for_phase(phase, sdata, incident.scenario)
    left, right = st.columns(2)
    with left:
        _accent(incident, phase, author, sdata, advice, current.get("accent"), locked)
    with right:
        _press_policy(incident, phase, author, sdata, advice, current.get("persbeleid"), locked)
    _woordvoering(incident, phase, author, current.get("woordvoering"), locked)
    with st.expander("Alle strategiebesluiten" + (" tot het einde van de periode" if len(period.later) else "")):
        tables.table(period.history.drop(columns=["id", "details"]),
                     headers={"note": "Toelichting", "decided_at": "Wanneer"})


def _later_note(later: pd.DataFrame) -> None:
    if not len(later):
        return
    count = f"{len(later)} strategiebesluit" + ("en" if len(later) > 1 else "")
    st.caption(f"Na deze periode vastgelegd: {count} (laatste op {fmt_local(later['decided_at'].iloc[0])}). "
               "Kies een latere periode om " + ("ze" if len(later) > 1 else "het") + " te zien.")


def _accent(incident: Incident, phase: int | None, author: str, sdata: StrategyData,
            advice: PhaseAdvice | None, decision: Decision, locked: bool) -> None:
    st.subheader("Communicatiedoelen")
    for aim in sdata.aims.values():
        st.markdown(f"- **{aim.label}**: {aim.description}")
    if advice:
        st.caption(f"Advies fase {advice.phase} ({advice.name}): {accent_value(advice.accent, sdata)}. {advice.why}")
    _current_line(decision)
    recorded = (decision or {}).get("details") or {}
    chosen_before = recorded.get("aims") or list(advice.accent if advice else ())
    with st.form("strategy_accent"):
        aims = st.multiselect("Accent", list(sdata.aims), default=chosen_before,
                              format_func=lambda k: sdata.aims[k].label, key="accent_aims",
                              placeholder="Kies een of meer accenten")
        note = st.text_input("Toelichting", key="accent_note")
        if st.form_submit_button("Accent vastleggen", disabled=locked):
            try:
                value = accent_value(aims, sdata)
            except ValueError as exc:
                st.error(md_escape(exc))
                return
            _record(incident, "accent", value, author, phase, note=note,
                    details={"aims": aims, "advies": list(advice.accent) if advice else []})


def _press_policy(incident: Incident, phase: int | None, author: str, sdata: StrategyData,
                  advice: PhaseAdvice | None, decision: Decision, locked: bool) -> None:
    st.subheader("Persbeleid")
    if advice:
        label = sdata.press_policies[advice.press_policy]["label"]
        source = f" ({md_escape(advice.press_ref)})" if advice.press_ref else ""
        st.caption(f"Advies fase {advice.phase}: {label.lower()}. {advice.press_why}{source}")
    _current_line(decision)
    options = list(sdata.press_policies)
    recorded = (decision or {}).get("details") or {}
    before = recorded.get("beleid") or (advice.press_policy if advice else options[0])
    with st.form("strategy_press"):
        policy = st.radio("Keuze", options, index=options.index(before), horizontal=True, key="press_policy",
                          format_func=lambda k: sdata.press_policies[k]["label"])
        st.caption(sdata.press_policies[policy]["description"])
        note = st.text_input("Toelichting", key="press_note")
        if st.form_submit_button("Persbeleid vastleggen", disabled=locked):
            _record(incident, "persbeleid", press_policy_value(policy, sdata), author, phase, note=note,
                    details={"beleid": policy, "advies": advice.press_policy if advice else None})


def _woordvoering(incident: Incident, phase: int | None, author: str, decision: Decision, locked: bool) -> None:
    st.subheader("Wie voert het woord?")
    _current_line(decision)
    if decision:
        for step in (decision.get("details") or {}).get("stappen", []):
            st.markdown(f"- {step['question']} **{step['answer']}**: {md_escape(step['conclusion'])} _({step['ref']})_")
    rules = load_woordvoering_rules()
    labels = {k: v["label"] for k, v in rules["kader"]["options"].items()}
    with st.form("strategy_woordvoering"):
        driehoek = st.checkbox(rules["driehoek"]["question"], key="wv_driehoek")
        onrust = st.text_input("Gemeente waar de onrust is ontstaan", value=incident.municipality, key="wv_onrust")
        kader = st.radio(rules["kader"]["question"], KADERS, index=KADERS.index("overig"),
                         format_func=labels.__getitem__, key="wv_kader")
        inkoop = st.text_input("Gemeente die de zorg heeft ingekocht", value=incident.municipality, key="wv_inkoop")
        woonplaats = st.text_input("Woonplaatsgemeente jeugdige (Jeugdwet)", key="wv_woonplaats")
        verblijf = st.text_input("Gemeente waar de cliënt verblijft (beschermd wonen/opvang)", key="wv_verblijf")
        aanbieder = st.checkbox(rules["zorgaanbieder"]["question"], key="wv_aanbieder")
        strafbaar = st.checkbox(rules["strafbaar"]["question"], key="wv_strafbaar")
        if st.form_submit_button("Bepaal en leg vast", disabled=locked):
            vraag = WoordvoeringVraag(driehoek, kader, onrust, inkoop, woonplaats, verblijf, aanbieder, strafbaar)
            try:
                advies = wie_voert_het_woord(vraag)
            except ValueError as exc:
                st.error(md_escape(exc))
                return
            _record(incident, "woordvoering", advies.answer, author, phase, details=advies.details(vraag))
