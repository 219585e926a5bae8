"""Over: version, database, what has been collected and when."""

import streamlit as st

from dashboard import auth, data
from dashboard.components import tables
from onrust import __version__
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local

auth.require_page("over")
st.title("Over Onrustmonitor")
incident = data.current_incident()
if incident is not None:
    st.subheader(md_escape(incident.name), anchor=False)
    if incident.is_demo:
        st.warning("Dit is een fictief demonstratie-incident: alle namen, plaatsen en berichten zijn verzonnen.")
    st.caption(f"Gemeente {md_escape(incident.municipality)} · geopend {fmt_local(incident.opened_at)} · "
               f"status {incident.status}")

left, right = st.columns(2)
left.metric("Versie", __version__)
right.metric("Items in database", data.query(Store.item_count))
st.write(f"Database: `{data.db_path()}`")
st.write(f"Laatste collectie: {fmt_local(data.query(Store.last_collection_at))}")
st.subheader("Items per bron")
counts = data.query(Store.item_counts_by_source)
if counts.empty:
    st.info("Nog geen bronnen.")
else:
    tables.table(counts)
