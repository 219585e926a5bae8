"""Scenario and guidance on the Taken page: choose or change the incident's scenario (004
Bijlage 2, a logged decision), then its guidance and 000 Bijlage 7. The guidance texts are seed
data files, so they are rendered as Markdown lists; nothing typed by users is."""

from __future__ import annotations

import streamlit as st

from analysis.incidents import change_scenario, scenario_label, scenarios
from comms.guidance import BIJLAGE7_SECTIONS, SCENARIO_SECTIONS, as_markdown_list, bijlage7, scenario_guidance
from dashboard import data
from dashboard.components.forms import write
from onrust.models import Incident


def scenario_form(incident: Incident, locked: bool, author: str) -> None:
    """`locked`: closed, or the role may not; `author`: the logged-in user."""
    options = [None, *scenarios()]
    st.markdown(f"**Scenario:** {scenario_label(incident.scenario)}")
    if locked:
        return
    with st.expander("Scenario kiezen of wijzigen"), st.form("scenario"):
        chosen = st.selectbox("Scenario (004 Bijlage 2)", options, index=options.index(incident.scenario),
                              format_func=scenario_label, key="scenario_pick")
        if st.form_submit_button("Scenario vastleggen"):
            write(lambda: change_scenario(data.store(), incident.id, chosen, author))


def scenario_guidance_view(scenario: str | None) -> None:
    if scenario is None:
        st.info("Kies een scenario om de aanpak uit 004 Bijlage 2 te zien.")
        return
    g = scenario_guidance()[scenario]
    st.subheader(f"{g.title} ({g.ref})")
    with st.expander("Introductie"):
        st.markdown("\n\n".join(g.introductie))
    with st.expander("Partners", expanded=True):
        for partner in g.partners:
            st.markdown(f"**{partner.name}**" + (f"  \n{partner.lead}" if partner.lead else ""))
            st.markdown(as_markdown_list(partner.points))
        if g.partners_note:
            st.markdown(g.partners_note)
    for key, heading in SCENARIO_SECTIONS.items():
        if g.sections[key]:
            with st.expander(heading):
                st.markdown(as_markdown_list(g.sections[key]))


def bijlage7_view() -> None:
    st.subheader("Aandachtspunten bij elk scenario (000 Bijlage 7)")
    sections = bijlage7()
    for key, heading in BIJLAGE7_SECTIONS.items():
        with st.expander(heading, expanded=key != "aandachtspunten"):
            st.markdown(as_markdown_list(sections[key]))
