"""Overleg: the kernteam / Coördinatieteam at work: team and roster, meetings on the standard
agenda (000 Bijlage 3-5), the overdrachtsdocument (000 §2.3) and the evaluation."""

import streamlit as st

from dashboard import auth, data
from dashboard.components.evaluation import render_evaluation_tab
from dashboard.components.incident import read_only_note
from dashboard.components.meeting import render_handover_tab, render_meeting_tab
from dashboard.components.team import render_team_tab

user = auth.require_page("overleg")
st.title("Overleg")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident.")
    st.stop()
read_only_note(incident)  # the tabs disable their forms themselves; the evaluation stays open
author = user.id  # written with the roster, every meeting and every evaluation answer
team, meeting, handover, evaluation = st.tabs(["Team", "Vergadering", "Overdracht", "Evaluatie"])
with team:
    render_team_tab(incident, author, locked=not auth.allows(user, "overleg_vastleggen"))
with meeting:
    render_meeting_tab(incident, author, locked=not auth.allows(user, "overleg_vastleggen"))
with handover:
    render_handover_tab(incident)
with evaluation:
    render_evaluation_tab(incident, author, locked=not auth.allows(user, "terugblik_schrijven"))
