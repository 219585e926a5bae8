"""Overleg > Vergadering and Overdracht: the generated agenda, the filled-in meeting, the handover."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

import streamlit as st

from analysis.situation import current_situation, situation_moment
from comms.handover import Handover, handover_docx, handover_for, handover_pdf
from comms.meeting_export import agenda_docx, agenda_pdf
from comms.meetings import KIND_LABELS, Agenda, agenda_for, load_meeting_data, open_tasks, save_meeting
from comms.tasks import load_protocol
from dashboard import data
from dashboard.components.forms import refused
from onrust import display
from onrust.errors import UserError
from onrust.models import Incident, MeetingKind, MeetingRecord, Situation
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import AMSTERDAM, fmt_local, local, utcnow

_NO_STATE = "—"



def _file(what: str, incident: Incident, ext: str, moment: datetime | None = None) -> str:
    """The download's name in the one pattern (onrust.display.export_name)."""
    return display.export_name(what, incident.name, moment or utcnow(), ext)

def _moment(incident: Incident) -> datetime:
    return situation_moment(incident, utcnow(), data.settings().temperature.step_minutes)


def situation_at(store: Store, incident_id: int, as_of: datetime) -> Situation:
    """The agenda and the handover share it (a temperature series each): cached once via derived."""
    return current_situation(store, incident_id, as_of, data.settings())


def build_agenda(store: Store, incident_id: int, kind: MeetingKind, as_of: datetime) -> Agenda:
    """Module level, so dashboard.data.derived caches it per database version."""
    incident = store.incident(incident_id)
    assert incident is not None
    tasks = open_tasks(store, incident, load_protocol(data.settings().tasks.protocol), as_of)
    sit = data.derived(situation_at, incident_id=incident_id, as_of=as_of)
    return agenda_for(store, incident, sit, open_tasks=tasks, now=as_of, kind=kind)


def build_handover(store: Store, incident_id: int, as_of: datetime) -> Handover:
    incident = store.incident(incident_id)
    assert incident is not None
    tasks = open_tasks(store, incident, load_protocol(data.settings().tasks.protocol), as_of)
    sit = data.derived(situation_at, incident_id=incident_id, as_of=as_of)
    return handover_for(store, incident, sit, open_tasks=tasks, now=as_of)


def _when(label: str, default: datetime, key: str) -> datetime:
    left, right = st.columns(2)
    loc = local(default).replace(second=0, microsecond=0)
    day = left.date_input(label, value=loc.date(), format="DD-MM-YYYY", key=f"{key}_day")
    clock = right.time_input("Tijd", value=loc.time(), step=300, key=f"{key}_time")
    return datetime.combine(day, clock, AMSTERDAM)


def _point(agenda: Agenda, number: int, states: dict[str, str], key: str) -> tuple[str, dict[str, str]]:
    point = agenda.points[number - 1]
    st.markdown(f"**{point.number}. {md_escape(point.title)}**")
    for bullet in point.bullets:
        st.markdown(f"- {md_escape(bullet)}")
    for line in point.prefill:  # item titles and signal texts are untrusted: plain text
        st.text(line)
    themes: dict[str, str] = {}
    if point.themes:
        for n, theme in enumerate(agenda.themes):
            chosen = st.radio(theme, [_NO_STATE, *states], horizontal=True, key=f"{key}_theme_{n}",
                              format_func=lambda s: states.get(s, s),
                              index=1 + list(states).index(agenda.previous_themes[theme])
                              if theme in agenda.previous_themes else 0)
            if chosen != _NO_STATE:
                themes[theme] = chosen
    note = st.text_area("Besproken", key=f"{key}_note_{number}", height=68)
    return note, themes


def _meeting_form(incident: Incident, agenda: Agenda, author: str, key: str, locked: bool) -> None:
    states = load_meeting_data().states
    with st.form(key):
        held_at = _when("Overleg gehouden op", utcnow(), f"{key}_held")
        chair = st.text_input("Voorzitter", key=f"{key}_chair")
        notes: dict[int, str] = {}
        themes: dict[str, str] = {}
        decisions = ""
        planned: datetime | None = None
        for point in agenda.points:
            notes[point.number], marked = _point(agenda, point.number, states, key)
            themes.update(marked)
            if point.decisions:
                decisions = st.text_area("Genomen besluiten (één per regel; elk besluit komt in het logboek)",
                                         key=f"{key}_decisions")
            if point.next_meeting:
                plan = st.checkbox("Volgend overleg gepland", value=True, key=f"{key}_plan")
                planned = _when("Volgend overleg", utcnow() + timedelta(hours=4), f"{key}_next") if plan else None
        if st.form_submit_button("Overleg vastleggen", type="primary", disabled=locked):
            try:
                save_meeting(data.store(), incident.id, agenda, held_at=held_at, chair=chair, author=author,
                             notes=notes, themes=themes, decisions=decisions.splitlines(), next_meeting=planned)
            except UserError as exc:
                refused(exc)
            else:
                st.success("Overleg vastgelegd; de besluiten staan in het logboek.")
                st.rerun()


def _stored(incident: Incident, meetings: list[MeetingRecord]) -> None:
    st.subheader(f"Vastgelegde overleggen ({len(meetings)})")
    if not meetings:
        st.caption("Nog geen overleg vastgelegd.")
        return
    labels = {m.id: f"#{m.id} {fmt_local(m.held_at)} ({KIND_LABELS[m.kind]}, voorzitter {m.chair})"
              for m in reversed(meetings)}
    chosen = st.selectbox("Overleg", list(labels), format_func=labels.__getitem__, key=f"meeting_pick_{incident.id}")
    meeting = next(m for m in meetings if m.id == chosen)
    st.text("Besluiten: " + ("; ".join(meeting.decisions) or "geen"))
    agenda, now = Agenda.from_dict(meeting.agenda), utcnow()
    left, right = st.columns(2)
    left.download_button(
        "Verslag (.docx)", partial(agenda_docx, agenda, meeting, now),  # built on click
        file_name=_file("overleg", incident, "docx", meeting.held_at),
        key=f"meeting_docx_{meeting.id}")
    right.download_button(
        "Verslag (PDF)", partial(agenda_pdf, agenda, meeting, now),
        file_name=_file("overleg", incident, "pdf", meeting.held_at),
        mime="application/pdf", key=f"meeting_pdf_{meeting.id}")


def render_meeting_tab(incident: Incident, author: str, *, locked: bool) -> None:
    """`locked`: the role may not record a meeting (a closed incident locks it too)."""
    locked = locked or incident.is_closed
    meetings = data.query(Store.meetings, incident_id=incident.id)
    default: MeetingKind = "vervolg" if meetings else "eerste"
    # Keyed by the number of stored meetings: after one is stored, the next starts as a fresh form.
    key = f"meeting_{incident.id}_{len(meetings)}"
    kind = st.radio("Agenda", list(KIND_LABELS), index=list(KIND_LABELS).index(default), horizontal=True,
                    format_func=KIND_LABELS.__getitem__, key=f"{key}_kind")
    moment = _moment(incident)
    agenda = data.derived(build_agenda, incident_id=incident.id, kind=kind, as_of=moment)
    # Built on click, on Streamlit's download thread: a rerun does not render two documents.
    docx, pdf = partial(agenda_docx, agenda, None, agenda.generated_at), partial(agenda_pdf, agenda, None,
                                                                                  agenda.generated_at)
    st.caption(f"{agenda.title} ({agenda.ref}), ingevuld met de stand per {fmt_local(agenda.generated_at)}; "
               f"wijzigingen sinds {fmt_local(agenda.since)}.")
    left, right = st.columns(2)
    left.download_button("Agenda (.docx)", docx, file_name=_file("agenda", incident, "docx"), key="agenda_docx")
    right.download_button("Agenda (PDF)", pdf,
                          file_name=_file("agenda", incident, "pdf"), mime="application/pdf", key="agenda_pdf")
    _meeting_form(incident, agenda, author, key, locked)
    _stored(incident, meetings)


def render_handover_tab(incident: Incident) -> None:
    moment = _moment(incident)
    doc = data.derived(build_handover, incident_id=incident.id, as_of=moment)
    docx, pdf = partial(handover_docx, doc), partial(handover_pdf, doc)  # built on click
    st.caption("Overdrachtsdocument (000 §2.3): opgesteld door de Leider Nazorg i.s.m. de adviseur OOV, "
               f"stand per {fmt_local(doc.generated_at)}.")
    for title, sections in (("Opgesteld op basis van", doc.inputs), ("Aandachtspunten", doc.points)):
        st.subheader(title)
        for section in sections:
            st.markdown(f"**{md_escape(section.text)}**")
            for line in section.lines:
                st.text(line)
    left, right = st.columns(2)
    left.download_button(
        "Overdrachtsdocument (.docx)", docx,
        file_name=_file("overdracht", incident, "docx"),
        key="handover_docx")
    right.download_button(
        "Overdrachtsdocument (PDF)", pdf,
        file_name=_file("overdracht", incident, "pdf"),
        mime="application/pdf", key="handover_pdf")
