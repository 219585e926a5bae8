"""Communicatie: the communication work (checklists, persbericht, informatiebehoefte, strategie) beside the
omgevingsbeeld."""

import pandas as pd
import streamlit as st

from analysis.omgevingsbeeld import Omgevingsbeeld
from analysis.phases import load_phases, official_in_period
from comms.strategy import phase_status
from dashboard import auth, data
from dashboard.components.checklist import render_checklist_tab
from dashboard.components.incident import read_only_note
from dashboard.components.matrix import render_matrix_tab
from dashboard.components.persbericht import render_press_tab
from dashboard.components.phase import later_decision_note
from dashboard.components.strategie import render_strategy_tab
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow

user = auth.require_page("communicatie")
st.title("Communicatie")
incident = data.current_incident()
if incident is None:
    st.info("Kies of maak eerst een incident; de communicatie hoort altijd bij één incident.")
    st.stop()
read_only_note(incident)  # the tabs disable their forms themselves (incident.is_closed)

# The same rule as the Temperatuur page: the latest decision up to the end of the sidebar's period.
period_end = data.time_range()[1]
decisions = official_in_period(data.query(Store.official_phases, incident_id=incident.id), period_end)
# A period that ends before now (or before the close) shows the checklist and matrix as they stood then.
as_of = period_end if period_end < (incident.closed_at or utcnow()) else None
status = phase_status(decisions.shown, data.query(Store.temperature_points, incident_id=incident.id, until=period_end))
phase = status.phase
names = load_phases()


def render_context(incident: Incident) -> None:
    """Phase, temperature and the latest omgevingsbeeld: what the communication answers to."""
    st.subheader("Fase en temperatuur")
    if status.official is not None:
        st.metric("Officiële MO-fase", str(status.official), help="Besluit van de driehoek (logboek)")
        st.caption(f"{names[status.official].naam} · besluit {fmt_local(status.official_at)}")
    else:
        st.caption("Nog geen officiële fase vastgesteld (besluit driehoek).")
    later_decision_note(decisions)
    if status.computed is not None:
        left, right = st.columns(2)
        left.metric("Berekende fase", str(status.computed), help="Advies uit de temperatuur")
        right.metric("Temperatuur", f"{status.temperature:.0f}")
        st.caption(f"{names[status.computed].naam} · stand van {fmt_local(status.computed_at)}")
    else:
        st.info("Nog geen temperatuur berekend.")
    st.subheader("Omgevingsbeeld")
    versions = data.query(Store.omgevingsbeeld_versions, incident_id=incident.id)
    then = versions[pd.to_datetime(versions["created_at"], utc=True) <= pd.Timestamp(period_end)]  # newest first
    saved = (data.query(Store.omgevingsbeeld_version, incident_id=incident.id, version=int(then["version"].iloc[0]))
             if len(then) else None)
    if saved is None:
        st.info("Nog geen omgevingsbeeld opgeslagen (pagina Omgevingsbeeld)"
                + (" vóór het einde van de periode." if len(versions) else "."))
        return
    beeld = Omgevingsbeeld.from_dict(saved["content"])
    st.caption(f"Versie {saved['version']}, {md_escape(saved['author'])}, {fmt_local(saved['created_at'])}")
    st.markdown("**Vragen die mensen stellen**")
    for q in beeld.questions[:5]:
        st.markdown(f"- {md_escape(q.text)} ({q.count}×)")
    if not beeld.questions:
        st.caption("Geen vragen gevonden.")
    st.markdown("**Geruchten om te weerspreken**")
    for r in beeld.rumours[:5]:
        st.markdown(f"- {md_escape(r.title)} ({md_escape(r.publisher)})")
    if not beeld.rumours:
        st.caption("Geen geruchten gevonden.")
    st.markdown("**Wat de media al melden** (000 Bijlage 6 vraag 6)")
    spread = ", ".join(f"{r.reach} {r.items}" for r in beeld.by_reach)
    st.caption(f"{beeld.totals.items} berichten, {beeld.totals.publishers} media; piek {beeld.peak}"
               + (f" ({spread})" if spread else ""))
    for r in beeld.notable[:5]:
        st.markdown(f"- {md_escape(r.title)} ({md_escape(r.publisher)}, {r.reach})")
    if saved["conclusions"]:
        st.markdown("**Conclusies analist**")
        st.text(saved["conclusions"])


author = user.id  # written with every change and decision


def _locked(incident: Incident, action: str) -> bool:
    """Closed, or the role may not: the tab stays readable and says why it cannot be edited."""
    return incident.is_closed or not auth.allows(user, action)


main, side = st.columns([3, 1])
with side:
    render_context(incident)
with main:
    checklist_tab, press_tab, matrix_tab, strategy_tab = st.tabs(
        ["Checklist", "Persbericht", "Informatiebehoefte", "Strategie"])
    with checklist_tab:
        render_checklist_tab(incident, phase, author, as_of, locked=_locked(incident, "communicatie_bewerken"))
    with press_tab:
        render_press_tab(incident, user, as_of)
    with matrix_tab:
        render_matrix_tab(incident, author, as_of, locked=_locked(incident, "communicatie_bewerken"))
    with strategy_tab:
        render_strategy_tab(incident, phase, author, period_end, locked=_locked(incident, "strategie_besluiten"))
