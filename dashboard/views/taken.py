"""Taken: the time-boxed task list of the protocol the municipality follows (003 Deel II or 000
§2.1), due from the incident's start, with the triage, the risk moments ahead (000 Bijlage 7) and
the scenario's guidance (004 Bijlage 2)."""

import streamlit as st

from comms.tasks import evaluated_at, load_protocol, task_rows, upcoming
from dashboard import auth, data
from dashboard.components import guidance
from dashboard.components import tasks as tasks_ui
from dashboard.components.incident import read_only_note
from onrust.store import Store
from onrust.timeutil import fmt_local, utcnow

user = auth.require_page("taken")
st.title("Taken")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident.")
    st.stop()
# Closed, or the role may not change tasks, triage, moments or scenario (it says so once, here).
closed = read_only_note(incident)
locked = closed or not auth.allows(user, "taken_bewerken")
protocol = load_protocol(data.settings().tasks.protocol)
now = utcnow()
rows = task_rows(protocol, incident.opened_at, data.query(Store.task_states, incident_id=incident.id),
                 evaluated_at(incident.closed_at, now))
moments = data.query(Store.risk_moments, incident_id=incident.id)

tasks_ui.triage_panel(incident, data.query(Store.triage, incident_id=incident.id), locked, user.id)
for line in upcoming(moments, now):
    st.warning(f"Risicomoment {line}", icon=":material/event:")

task_tab, moment_tab, guide_tab = st.tabs(["Takenlijst", "Risicomomenten", "Scenario en aandachtspunten"])
with task_tab:
    overdue, done = sum(r.overdue for r in rows), sum(r.done_at is not None for r in rows)
    left, right = st.columns(2)
    left.metric("Gedaan", f"{done} van {len(rows)}")
    right.metric("Te laat", overdue)
    st.caption(f"{protocol.title} ({protocol.reference}). Termijnen gerekend vanaf het begin van het incident "
               f"({fmt_local(incident.opened_at)}); te late taken zijn rood"
               + (f", beoordeeld op het moment van afsluiten ({fmt_local(incident.closed_at)})" if closed else "")
               + ". De lijst volgt de instelling tasks.protocol.")
    tasks_ui.task_table(rows)
    if not locked:
        tasks_ui.task_form(incident, protocol, rows, user.id)
with moment_tab:
    st.caption("Momenten van mogelijke onrust (000 Bijlage 7): met een datum staan ze op de temperatuurgrafiek "
               "en hierboven zodra ze naderen.")
    tasks_ui.moments_panel(incident, moments, locked, user.id)
with guide_tab:
    guidance.scenario_form(incident, locked, user.id)
    guidance.scenario_guidance_view(incident.scenario)
    guidance.bijlage7_view()
