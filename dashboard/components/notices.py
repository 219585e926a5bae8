"""The notices in the header of every page: what needs someone's attention, wherever they are.

Phase rises and spikes (analysis.alerts), severe signals, overdue doelgroepen and persberichten
waiting for approval (comms.notices) are stored by the pipeline; this shows the newest of the
current incident. A closed incident raises none: there is nothing left to act on.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import data
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow

RECENT = timedelta(hours=24)
SHOWN = 3
_URGENT = {"fase", "signaal"}
KIND_LABELS = {"fase": "Fase", "piek": "Piek", "signaal": "Signaal", "doelgroep": "Doelgroep",
               "persbericht": "Persbericht"}


def render() -> None:
    incident = data.current_incident()
    if incident is None or incident.is_closed:
        return
    notices = data.query(Store.alerts, incident_id=incident.id, limit=50)
    if notices.empty:
        return
    recent = notices[notices["raised_at"] >= pd.Timestamp(utcnow() - RECENT)]
    if recent.empty:
        return
    for row in recent.head(SHOWN).to_dict("records"):
        show = st.warning if row["kind"] in _URGENT else st.info
        show(f"**{KIND_LABELS.get(row['kind'], row['kind'])}** · {fmt_local(row['raised_at'])} — "
             f"{md_escape(row['message'])}", icon=":material/notifications_active:")
    if len(recent) > SHOWN:
        with st.expander(f"Alle meldingen van de laatste 24 uur ({len(recent)})"):
            st.dataframe(pd.DataFrame({
                "Tijd": [fmt_local(t) for t in recent["raised_at"]],
                "Soort": [KIND_LABELS.get(k, k) for k in recent["kind"]],
                "Melding": recent["message"],
            }), hide_index=True, width="stretch")
