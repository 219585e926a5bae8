"""The notices in the header of every page: what needs someone's attention, wherever they are;
and, in the sidebar, what arrived since the page was drawn.

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
WATCH_EVERY = timedelta(seconds=10)  # how often an open page looks for news without a rerun
SEEN = "header_seen"  # session key: (incident id, linked items, notices) as the last full run showed
SHOWN = 3
_URGENT = {"fase", "signaal"}
KIND_LABELS = {"fase": "Fase", "piek": "Piek", "signaal": "Signaal", "doelgroep": "Doelgroep",
               "persbericht": "Persbericht"}


def render() -> int | None:
    """The stored notices; returns the incident whose news `watch` should look for (None: none).

    The caller starts `watch` after the page, in the sidebar. Drawn above a page's forms, a tick
    that drew the news made the browser now and then drop a choice made in a form and not yet sent
    (Streamlit 1.67): with 6 sessions entering signals and the watcher ticking every 0.7 s, 6 of 72
    entries lost a choice; ticking without drawing, 0 of 36; drawn in the sidebar, 0 of 132."""
    incident = data.current_incident()
    if incident is None or incident.is_closed:
        return None
    st.session_state[SEEN] = (incident.id, *data.query(Store.incident_activity, incident_id=incident.id))
    notices = data.query(Store.alerts, incident_id=incident.id, limit=50)
    if notices.empty:
        return incident.id
    recent = notices[notices["raised_at"] >= pd.Timestamp(utcnow() - RECENT)]
    if recent.empty:
        return incident.id
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
    return incident.id


def news_since(seen: tuple[int, int, int] | None, incident_id: int, now: tuple[int, int]) -> str:
    """What arrived since the page was drawn, in Dutch; "" when nothing (or another incident)."""
    if seen is None or seen[0] != incident_id:
        return ""
    items, alerts = now[0] - seen[1], now[1] - seen[2]
    parts = ([f"{items} {'nieuw bericht' if items == 1 else 'nieuwe berichten'}"] if items > 0 else []) + (
        [f"{alerts} {'nieuwe melding' if alerts == 1 else 'nieuwe meldingen'}"] if alerts > 0 else [])
    return " en ".join(parts)


@st.fragment(run_every=WATCH_EVERY)
def watch(incident_id: int) -> None:
    """Every few seconds (this fragment alone, so nobody's typing is interrupted), in the sidebar:
    news since the page was drawn, with a button that redraws the page. The collector keeps
    writing meanwhile."""
    news = news_since(st.session_state.get(SEEN), incident_id,
                      data.query(Store.incident_activity, incident_id=incident_id))
    if not news:
        return
    st.info(f"Binnengekomen sinds deze pagina is geladen: {news}.", icon=":material/fiber_new:")
    if st.button("Bijwerken", key="header_refresh", width="stretch"):
        st.rerun(scope="app")
