"""Omgevingsbeeld (004 Bijlage 4, werkwijze stap 4): what media and signals say about the incident."""

import streamlit as st

from analysis import omgevingsbeeld as ob
from analysis.omgevingsbeeld_data import live_picture
from dashboard import auth, data
from dashboard.components import items as items_ui
from dashboard.components import omgevingsbeeld as ob_ui
from dashboard.components import rumours as rumours_ui
from dashboard.components import watch
from dashboard.components.incident import read_only_note
from onrust.crypto import NameKeyMissing
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local

user = auth.require_page("omgevingsbeeld")
st.title("Omgevingsbeeld")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident; daarna verschijnen hier de berichten die erbij horen.")
    st.stop()

start, end = data.time_range()
st.caption(f"{md_escape(incident.name)} · gemeente {md_escape(incident.municipality)} · "
           f"{fmt_local(start)} tot {fmt_local(end)}. "
           "Nieuwste berichten eerst; tags komen uit de collectie, niet uit deze pagina.")
if incident.is_demo:
    st.warning("Fictief demonstratie-incident: alle namen, plaatsen en berichten zijn verzonnen.")
read_only_note(incident)  # saving a version and the watch profile are disabled then

cfg = ob.load_config()
viewer = user.id  # "nieuw sinds je vorige bezoek" is per logged-in user
new_since = items_ui.last_visit(incident.id, viewer)
period = {"incident_id": incident.id, "start": start, "end": end}
try:  # the picture masks registered names, so it needs their key
    picture = data.derived(live_picture, incident_id=incident.id, start=start, end=end)
except NameKeyMissing as exc:
    st.error(str(exc))
    st.stop()
assert picture is not None  # None only for an unknown incident, and this one was found above
beeld, items, tags, signals = picture.beeld, picture.items, picture.tags, picture.signals

ob_ui.metrics(beeld, ob_ui.new_count(items, new_since))
if new_since is not None:
    left, right = st.columns([3, 1])
    left.caption(f"'Nieuw' = opgehaald na je vorige bezoek ({fmt_local(new_since)}).")
    if right.button("Alles gelezen", key="ob_mark_read", icon=":material/done_all:"):
        items_ui.mark_read(incident.id, viewer)
        st.rerun()

tab_items, tab_picture, tab_snapshot, tab_watch = st.tabs(
    ["Berichten", "Beeld", "Omgevingsbeeld maken", "Kijkprofiel"])
with tab_items:
    search, flt = items_ui.filters(tags, new_since)
    shown = data.query(Store.incident_items_frame, **period, search=search) if search else items
    shown = ob.filter_items(shown, tags, flt, cfg)
    st.caption(f"{len(shown)} van {len(items)} berichten.")
    if items.empty:
        st.info("Nog geen berichten gekoppeld aan dit incident. Pas het kijkprofiel aan of wacht op de collectie.")
    items_ui.item_view(shown, tags)
    items_ui.item_list(shown, tags, cfg, new_since)
with tab_picture:
    rumours_ui.tracker_view(beeld.tracker)
    rumours_ui.status_form(incident, beeld.tracker, items, signals, user.id,
                           locked=incident.is_closed or not auth.may(user, "omgevingsbeeld_opstellen"))
    ob_ui.overview(beeld, items)
    ob_ui.spread_view(beeld)
    ob_ui.map_view(items, tags, signals, incident)
with tab_snapshot:
    st.caption("Een gedateerde momentopname voor het kernteam, geordend naar de drie doelen van "
               "crisiscommunicatie: informatievoorziening, betekenisgeving, schadebeperking.")
    ob_ui.editor(incident, beeld, (start, end), user.id,
                 locked=incident.is_closed or not auth.allows(user, "omgevingsbeeld_opstellen"))
with tab_watch:
    watch.form(incident, user.id, locked=incident.is_closed or not auth.allows(user, "omgevingsbeeld_opstellen"))
