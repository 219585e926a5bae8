"""Overleg: the kernteam / Coördinatieteam at work: team and roster, meetings on the standard
agenda (000 Bijlage 3-5), the overdrachtsdocument (000 §2.3) and the evaluation."""

import streamlit as st

from dashboard import data
from dashboard.components.evaluation import render_evaluation_tab
from dashboard.components.incident import read_only_note
from dashboard.components.meeting import render_handover_tab, render_meeting_tab
from dashboard.components.team import render_team_tab

st.title("Overleg")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident.")
    st.stop()
read_only_note(incident)  # the tabs disable their forms themselves; the evaluation stays open
author = st.text_input("Uw naam (staat bij wat u vastlegt)", key="overleg_author")
team, meeting, handover, evaluation = st.tabs(["Team", "Vergadering", "Overdracht", "Evaluatie"])
with team:
    render_team_tab(incident, author)
with meeting:
    render_meeting_tab(incident, author)
with handover:
    render_handover_tab(incident)
with evaluation:
    render_evaluation_tab(incident, author)
