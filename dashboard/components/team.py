"""Overleg > Team: the protocols' teams and roles (read) and the incident's roster (edited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comms.teams import ROSTER_FIELDS, ROSTER_LABELS, clean_roster, load_teams, roster_or_default, roster_rows
from dashboard import data
from dashboard.components.forms import refused
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape


def _reference() -> None:
    teams = load_teams()
    with st.expander(f"{teams.kernteam.title} ({teams.kernteam.ref}, {len(teams.kernteam.items)})"):
        st.markdown("\n".join(f"{n}. {md_escape(t)}" for n, t in enumerate(teams.kernteam.items, start=1)))
        st.markdown(f"**{teams.gemeentesecretaris.title}** ({teams.gemeentesecretaris.ref})")
        st.markdown("\n".join(f"- {md_escape(t)}" for t in teams.gemeentesecretaris.items))
    with st.expander(f"Samenstelling Coördinatieteam (000 §2.2.4, {len(teams.coordinatieteam)} rollen)"):
        st.dataframe(pd.DataFrame(teams.coordinatieteam, columns=["Rol", "Protocol"]), hide_index=True)
    with st.expander("Taken en rollen (000 Bijlage 2)"):
        for group in teams.taken_en_rollen:
            st.markdown(f"**{md_escape(group.title)}**")
            if group.intro:
                st.caption(group.intro)
            st.markdown("\n".join(f"- {md_escape(t)}" for t in group.items))
    points = sum(len(p.items) for p in teams.partijen)
    with st.expander(f"Verantwoordelijkheden en taken kernteam (004 Bijlage 3, {len(teams.partijen)} partijen, "
                     f"{points} punten)"):
        for party in teams.partijen:
            st.markdown(f"**{md_escape(party.title)}**")
            st.markdown("\n".join(f"- {md_escape(t)}" for t in party.items))


def render_team_tab(incident: Incident, author: str, *, locked: bool) -> None:
    """`locked`: the role may not change the roster (a closed incident locks it too); it stays readable."""
    locked = locked or incident.is_closed
    _reference()
    st.subheader("Rooster van dit incident")
    stored = data.query(Store.roster, incident_id=incident.id)
    members, saved = roster_or_default(stored)
    st.caption(("Opgeslagen rooster." if saved else "Nog niet opgeslagen: de regels zijn de contactlijst van "
                "004 Bijlage 1; vul namen en bereikbaarheid in.")
               + " Namen op het rooster zijn intern: de persbericht-toets blokkeert ze en exports maskeren ze.")
    frame = pd.DataFrame(roster_rows(members), columns=list(ROSTER_FIELDS))
    edited = st.data_editor(
        frame, num_rows="dynamic", hide_index=True, key=f"roster_{incident.id}", disabled=locked,
        column_config={f: st.column_config.TextColumn(ROSTER_LABELS[f]) for f in ROSTER_FIELDS},
        width="stretch")
    if st.button("Rooster opslaan", key=f"roster_save_{incident.id}", disabled=locked, type="primary"):
        try:
            data.store().save_roster(incident.id, clean_roster(edited.to_dict("records")), author)
        except UserError as exc:
            refused(exc)
        else:
            st.success("Rooster opgeslagen.")
            st.rerun()
