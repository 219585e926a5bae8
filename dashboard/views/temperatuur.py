"""Temperatuur: where the situation stands on the MO phases (004 §1.3), why, and what was decided."""

from functools import partial

import pandas as pd
import streamlit as st

from analysis.diagnosis import ANSWERS, diagnose, load_table, record_summary
from analysis.phases import load_phases, official_in_period
from analysis.temperature_summary import latest_diagnosis, summarize
from comms.tasks import moments_frame
from dashboard import auth, data
from dashboard.charts import add_risk_moments, temperature_chart
from dashboard.components import brief, tables
from dashboard.components import phase as phase_ui
from dashboard.components.forms import refused
from dashboard.components.incident import read_only_note
from onrust import display
from onrust.crypto import NameKeyMissing
from onrust.display import export_name
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow

user = auth.require_page("temperatuur")
st.title("Temperatuur")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident.")
    st.stop()
locked = read_only_note(incident)
cfg = data.settings().temperature
phases = load_phases()
start, end = data.time_range()
as_of = pd.Timestamp(min(utcnow(), end)).floor(f"{cfg.step_minutes}min")
series = data.derived(phase_ui.series_at, incident_id=incident.id, as_of=as_of)
if series.empty:
    st.info("Nog geen temperatuur: de gekozen periode ligt voor het begin van het incident.")
    st.stop()
decisions = data.query(Store.official_phases, incident_id=incident.id)
official = official_in_period(decisions, end)
table = load_table()
history = data.query(Store.diagnoses, incident_id=incident.id)
s = summarize(series, cfg, official.shown, latest_diagnosis(history, table))

now_col, temp_col, off_col = st.columns(3)
now_col.metric("Fase (indicator)", f"{s.phase}: {s.phase_name}")
moving = s.trend_6h is not None and round(s.trend_6h) != 0  # "+0" with a red arrow read as rising
temp_col.metric("Temperatuur", "geen gegevens" if s.temperature is None else f"{s.temperature:.0f}",
                None if s.trend_6h is None else f"{s.trend_6h:+.0f} in 6 uur" if moving
                else "gelijk in 6 uur",
                delta_color="inverse" if moving else "off", delta_arrow="auto" if moving else "off")
off = s.official_phase
off_col.metric("Officiële fase", f"{off.phase}: {phases[off.phase].naam}" if off else "niet vastgesteld")
with off_col:
    phase_ui.later_decision_note(official)
st.caption(f"Stand per {s.at_local}. " + (f"Fase {s.phase} sinds {fmt_local(s.phase_since)}: "
           f"{s.phase_reason}." if s.phase_reason else "Nog geen faseovergang."))
with st.expander(f"Wat hoort bij fase {s.phase} (004 §1.3, 000 bijlage 7)"):
    st.write(phases[s.phase].definitie)
    st.markdown("\n".join(f"- {g}" for g in phases[s.phase].doelen))

shown = series[(series["at"] >= start) & (series["at"] <= end)]
events = data.query(Store.temperature_events, incident_id=incident.id, since=start, until=end)
names = {k: f"fase {k}: {p.naam}" for k, p in phases.items()}
moments = moments_frame(data.query(Store.risk_moments, incident_id=incident.id), start, end)
chart = add_risk_moments(temperature_chart(shown, official.shown, events, names), moments)
st.plotly_chart(chart, key="temperature_chart")
st.caption("Gebruik het camera-icoon boven de grafiek om hem als PNG op te slaan.")

st.subheader("Waarom")
tables.table(pd.DataFrame([{"component": c.label, "waarde": c.value, "gewicht": c.weight,
                            "toelichting": c.explanation} for c in s.components]), key="components_table",
             digits=2)
st.caption(f"{s.formula} Formuleversie {s.formula_version}.")

left, right = st.columns(2)
with left:
    if auth.allows(user, "fase_vaststellen"):
        phase_ui.official_phase_form(
            incident.id, int(decisions["phase"].iloc[-1]) if len(decisions) else None,
            partial(data.store().record_official_phase, incident.id), user.id, disabled=locked)
with right:
    st.markdown("**Meldingen**")
    alerts = data.query(Store.alerts, incident_id=incident.id)
    for row in alerts.head(8).itertuples():
        st.warning(f"{fmt_local(row.raised_at)} — {md_escape(row.message)}")
    if alerts.empty:
        st.caption("Geen meldingen.")

st.subheader("Crisisdiagnose (004 §3.2)")
if history.empty:
    st.info("Nog geen crisisdiagnose vastgelegd.")
else:
    latest = history.iloc[-1]
    st.markdown(f"**Laatste: {fmt_local(latest['assessed_at'])}, {md_escape(latest['author'])}**")
    st.markdown("\n".join(f"- {line}" for line in record_summary(latest, table)))
    scores = ("score_a", "score_b", "score_c", "score_total")  # 0-100; the unknown share is 0-1
    tables.table(history[["assessed_at", "author", *scores, "unknown_share", "advice"]], key="diagnosis_history",
                 formats={**{c: lambda v: f"{display.number(v, 0)}%" for c in scores},
                          "unknown_share": display.percent})


def _diagnosis_form(incident: Incident) -> None:
    with st.expander("Nieuwe crisisdiagnose"), st.form("diagnosis"):
        answers = {}
        for key, (name, lead) in table.sections.items():
            st.markdown(f"**{key}. {name}** — {lead}")
            for q in table.in_section(key):
                labels = {"hoog": f"hoog: {q.high}", "laag": f"laag: {q.low}", "onbekend": "onbekend"}
                answers[q.id] = st.radio(q.text, ANSWERS, index=2, horizontal=True, key=f"dq_{q.id}",
                                         format_func=labels.get)
        third = st.checkbox("Het signaal kwam via een derde partij")
        note = st.text_input("Opmerking", key="diagnosis_note")
        if st.form_submit_button("Diagnose vastleggen", disabled=locked):
            result = diagnose(answers, via_third_party=third)
            try:
                data.store().save_diagnosis(incident.id, result.as_record(utcnow(), user.id, note))
            except UserError as exc:
                refused(exc, md_escape(exc))
            else:
                st.rerun()


if auth.allows(user, "diagnose_vastleggen"):
    _diagnosis_form(incident)

st.subheader("Voor het driehoekoverleg")
st.caption("Eén pagina: officiële fase, grafiek, geruchten, communicatie, besluiten en open acties; "
           "de uitleg van de formule staat op pagina 2.")
try:  # the brief's rumours are masked with the registered names, so it needs their key: said here,
    data.query(Store.names_to_protect, incident_id=incident.id)  # not after a wait for the job
except NameKeyMissing as exc:
    st.error(str(exc))
else:
    brief.render(incident, s.at, (start, end), partial(brief.gather, data.store(), incident, s, shown,
                                        {k: p.naam for k, p in phases.items()}, (start, end),
                                        data.settings().tasks.protocol),
                 chart, export_name("driehoekoverleg", incident.name, as_of.to_pydatetime(), "pdf"))
