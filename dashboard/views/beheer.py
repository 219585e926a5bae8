"""Beheer: the audit trail for the beheerder (issue 11): who changed what and when, filtered by
table, person and period, and downloadable as CSV that opens safely in Excel."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from dashboard import auth, data
from onrust import display
from onrust.store import Store
from onrust.store.audit import audit_csv
from onrust.timeutil import AMSTERDAM, fmt_local, utcnow

ALL = "— alle —"
SHOWN = 1000  # rows drawn in the table: an import of thousands of signals stays quick to browse
# Dutch names of the audited tables, for the filter; an unknown table shows its own name.
TABLE_LABELS = {
    "incidents": "Incidenten", "signals": "Signalen", "signal_routing": "Signalen doorgeleid", "logbook": "Logboek",
    "press_releases": "Persberichten",
    "press_versions": "Persberichtversies", "info_matrix": "Informatiebehoeftematrix",
    "checklist_state": "Checklists", "strategy_decisions": "Strategiebesluiten", "sources": "Bronnen",
    "incident_persons": "Namen van betrokkenen (versleuteld)", "watch_profiles": "Kijkprofielen",
    "retention": "Opschoning (bewaartermijn)", "settings": "Instellingen (eigen bestand)",
    "incident_tasks": "Taken", "incident_risk_moments": "Risicomomenten",
}

user = auth.require_page("beheer")  # the beheerder only (data/permissions.toml)
st.title("Beheer")
st.caption("Auditspoor: elke wijziging aan incidenten, signalen, logboek, persberichten, matrix, checklists, "
           "taken, bronnen, instellingen en namen, met wie, wanneer, en de regel voor en na. Het spoor kan niet "
           "worden gewijzigd of gewist. Namen van betrokkenen staan er alleen versleuteld in.")

left, middle, right, last = st.columns(4)
table = left.selectbox("Tabel", [ALL, *data.query(Store.audit_tables)], key="audit_table",
                       format_func=lambda t: t if t == ALL else TABLE_LABELS.get(t, t))
actor = middle.selectbox("Door", [ALL, *data.query(Store.audit_actors)], key="audit_actor")
since = right.date_input("Vanaf", value=None, format="DD-MM-YYYY", key="audit_since")
until = last.date_input("Tot en met", value=None, format="DD-MM-YYYY", key="audit_until")

start = datetime.combine(since, time(0), AMSTERDAM) if since else None
end = datetime.combine(until, time(0), AMSTERDAM) + timedelta(days=1) if until else None
if start and end and end <= start:
    st.error("'Tot en met' ligt voor 'Vanaf'; kies een latere einddatum.")
    st.stop()
rows = data.query(Store.audit_log, table=None if table == ALL else table, actor=None if actor == ALL else actor,
                  start=start, end=end)

settings = data.settings().privacy
st.caption(f"{len(rows)} regels. Bewaartermijn na sluiten van een incident: {settings.retention_days} dagen; "
           "`onrust purge --dry-run` toont wat er zou verdwijnen, de server schoont dagelijks op.")
st.download_button("Download CSV", audit_csv(rows), mime="text/csv",
                   file_name=display.export_name("auditspoor", None, utcnow(), "csv"),
                   disabled=rows.empty, key="audit_download")
if len(rows) > SHOWN:
    st.caption(f"De nieuwste {SHOWN} regels staan hieronder; de download bevat alle {len(rows)}.")
newest = rows.head(SHOWN)
shown = pd.DataFrame({
    "id": newest["id"],
    "changed_at": [fmt_local(v, with_seconds=True) for v in newest["changed_at"]],
    "actor": newest["actor"],
    "table_name": newest["table_name"],
    "about": [" / ".join(display.any_label(p) for p in str(r).split("/")) for r in newest["row_id"]],
    "action": newest["action"],
    "change": [display.audit_change(b, a) for b, a in zip(newest["before"], newest["after"], strict=True)],
})
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "id": "Nr.", "changed_at": "Wanneer", "actor": "Door", "table_name": "Tabel", "about": "Rij",
    "action": "Actie", "change": "Wijziging"})
st.caption("De volledige voor- en na-waarden van elke wijziging staan in de CSV-download.")

st.subheader("Gebruikers")
st.caption("Wie de monitor heeft gebruikt, met de rollen van de laatste keer (uit de login of de proxy).")
users = data.fresh(Store.users)
st.dataframe(users.assign(roles=[", ".join(r) for r in users["roles"]],
                          first_seen=[fmt_local(v) for v in users["first_seen"]],
                          last_seen=[fmt_local(v) for v in users["last_seen"]]),
             hide_index=True, key="users_table", column_config={
    "user_id": "Login", "name": "Naam", "roles": "Rollen", "mode": "Via", "first_seen": "Eerst gezien",
    "last_seen": "Laatst gezien"})
