"""Signalen (004 §3.1): enter, find, correct and import signals of (threatening) unrest."""

import streamlit as st

from analysis.omgevingsbeeld_text import plural
from dashboard import auth, data
from dashboard.components import signals as ui
from dashboard.components.incident import read_only_note
from onrust.store import Store
from onrust.text import md_escape

user = auth.require_page("signalen")
st.title("Signalen")
st.caption("Een signaal komt binnen als gerucht, melding, aangifte of berichtgeving (004 §3.1). "
           "Beoordeel de bron (A-F) en de informatie (1-6) los van elkaar; wijzigingen blijven "
           "zichtbaar in de historie.")
incident = data.current_incident()
incident_id = incident.id if incident else None
if incident is None:
    st.info("Geen incident gekozen: nieuwe signalen worden zonder incident opgeslagen.")
else:
    read_only_note(incident)  # the sections disable their forms themselves
# Always drawn, so the tabs keep their place whether a confirmation shows or not: otherwise they
# count as new tabs, the page jumps back to "Overzicht" and hides the form and its error messages.
flash_slot = st.empty()
if (flash := st.session_state.pop("signal_flash", None)) is not None:
    flash_slot.success(md_escape(flash, one_line=False))

overview, new, edit, route, upload = st.tabs(["Overzicht", "Nieuw signaal", "Bewerken", "Doorleiden", "Importeren"])
with overview:
    ui.unrouted_note(incident)
    chosen = ui.filters("signal_filter")
    left, right = st.columns(2)
    in_period = left.checkbox("Alleen signalen uit de periode in de zijbalk", value=True,
                              key="signal_in_period")
    unassigned = right.checkbox("Ook signalen zonder incident", value=False, key="signal_unassigned",
                                disabled=incident is None)
    start, end = data.time_range() if in_period else (None, None)
    frame = data.query(Store.signals, incident_id=incident_id, with_unassigned=unassigned,
                       start=start, end=end, newest_first=True, **chosen)
    if frame.empty:
        st.info("Geen signalen met deze filters.")
    else:
        st.caption(f"{plural(len(frame), 'signaal', 'signalen')}, nieuwste eerst.")
        ui.show_table(frame, incident)
with new:
    if auth.allows(user, "signalen_invoeren"):
        ui.new_section(incident, user)
with edit:
    if auth.allows(user, "signalen_invoeren"):
        ui.edit_section(incident, unassigned, user)
with route:
    if auth.allows(user, "signalen_invoeren"):
        ui.routing_section(incident, user)
with upload:
    if auth.allows(user, "signalen_invoeren"):
        ui.import_section(incident, user)
