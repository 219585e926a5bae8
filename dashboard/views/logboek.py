"""Logboek: what happened, was done, decided and shared, in one append-only list (003 fase 1.5);
the besluiten filter is the besluitenlijst the overdracht is written from (000 §2.3)."""


import pandas as pd
import streamlit as st

from comms.logbook import (
    CLOSED,
    KIND_LABELS,
    add_entry,
    correct_entry,
    export_csv,
    export_docx,
    format_link,
    parse_link,
)
from dashboard import auth, data
from dashboard.components.forms import write
from onrust.display import export_name
from onrust.models import LOG_KINDS, LogEntry
from onrust.store import Store
from onrust.timeutil import fmt_local, utcnow

user = auth.require_page("logboek")
st.title("Logboek")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident.")
    st.stop()
st.caption("Gebeurtenissen, acties, besluiten en gedeelde informatie, oudste eerst. Een regel wordt nooit "
           "gewijzigd: een correctie is een nieuwe regel die naar de oude verwijst.")
closed = incident.status == "gesloten"
incident_id = incident.id  # for the write callbacks below


def _status(entry: LogEntry, corrected_by: dict[int, int]) -> str:
    if entry.id in corrected_by:
        return f"gecorrigeerd door #{corrected_by[entry.id]}"
    return f"correctie van #{entry.corrects}" if entry.corrects else ""


author = user.id
writer = not closed and auth.allows(user, "logboek_schrijven")
if closed:
    st.info(CLOSED)
elif writer:
    with st.form("log_add"):
        kind = st.selectbox("Soort", LOG_KINDS, format_func=KIND_LABELS.__getitem__, key="log_kind")
        text = st.text_area("Tekst", key="log_text")
        links = st.text_input("Koppelingen (optioneel)", placeholder="item:12, signaal:3, persbericht:2, diagnose:1",
                              key="log_links")
        if st.form_submit_button("Toevoegen", type="primary"):
            write(lambda: add_entry(data.store(), incident_id, kind, text, author,
                                     links=[parse_link(p) for p in links.replace(",", " ").split()]),
                   "log_text", "log_links")

only_decisions = st.checkbox("Alleen besluiten (besluitenlijst)", key="log_only_decisions")
entries = data.query(Store.log_entries, incident_id=incident.id, decisions_only=only_decisions)
corrected_by = {e.corrects: e.id for e in data.query(Store.log_entries, incident_id=incident.id) if e.corrects}
if not entries:
    st.info("Nog geen besluiten." if only_decisions else "Het logboek is nog leeg.")
else:
    st.dataframe(pd.DataFrame({
        "Nr": [e.id for e in entries],
        "Tijd": [fmt_local(e.logged_at) for e in entries],
        "Soort": [KIND_LABELS[e.kind] for e in entries],
        "Tekst": [e.text for e in entries],
        "Door": [e.author for e in entries],
        "Koppelingen": [", ".join(format_link(link) for link in e.links) for e in entries],
        "Status": [_status(e, corrected_by) for e in entries],
    }), hide_index=True, width="stretch")
    name = "besluitenlijst" if only_decisions else "logboek"
    left, right = st.columns(2)
    now = utcnow()
    left.download_button("Word (.docx)", export_docx(incident, entries, now, decisions_only=only_decisions),
                         file_name=export_name(name, incident.name, now, "docx"), key="log_docx")
    right.download_button("CSV (Excel)", export_csv(entries), file_name=export_name(name, incident.name, now, "csv"),
                          mime="text/csv", key="log_csv")
    open_entries = [e for e in entries if e.id not in corrected_by]  # correct the latest version
    if writer and open_entries:
        with st.expander("Regel corrigeren"), st.form("log_correct"):
            labels = {e.id: f"#{e.id} {' '.join(e.text.split())[:70]}" for e in open_entries}
            target = st.selectbox("Regel", list(labels), format_func=labels.__getitem__, key="log_correct_id")
            fixed = st.text_area("Juiste tekst", key="log_correct_text")
            if st.form_submit_button("Correctie vastleggen"):
                write(lambda: correct_entry(data.store(), target, fixed, author), "log_correct_text")
