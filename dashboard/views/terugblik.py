"""Terugblik: the evaluator replays the incident and reviews how coverage and response developed."""

import pandas as pd
import streamlit as st

from dashboard import auth, data
from dashboard.components import terugblik as tb
from onrust.timeutil import utcnow

user = auth.require_page("terugblik")
st.title("Terugblik")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident.")
    st.stop()
step = data.settings().temperature.step_minutes
# An open incident is reviewed up to now, on the step grid so reruns within a step share the cache.
now = pd.Timestamp(utcnow()).floor(f"{step}min").to_pydatetime()
inputs = data.derived(tb.review_inputs, incident_id=incident.id, now=now)
if inputs is None:
    st.info("Dit incident bestaat niet meer.")
    st.stop()
st.caption("Alles op deze pagina gebruikt het moment waarop de monitor het wist: berichten bij het "
           "ophalen, signalen bij het invoeren (met de waarden van toen), besluiten bij het vastleggen.")

st.subheader("Terugspelen")
at = tb.slider(inputs, step)
moment = data.derived(tb.moment_at, incident_id=incident.id, now=now, at=at)
if moment is not None:
    tb.show_moment(moment)

tables = data.derived(tb.review_tables, incident_id=incident.id, now=now)
assert tables is not None  # the review exists (checked above)
st.subheader("Ontwikkeling van de berichtgeving")
tb.show_coverage(tables)

st.subheader("Responstijden")
tb.show_timing(tables)

st.subheader("Rapport")
st.caption("Eén HTML-bestand met alles hierboven, zonder verwijzingen naar buiten (ook als PDF, waar "
           "Chromium is geïnstalleerd; of met `onrust review --pdf`).")
tb.report_download(incident)
