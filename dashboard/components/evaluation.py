"""Overleg > Evaluatie: the evaluation questions with the incident's answers."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import streamlit as st

from comms.evaluation import evaluation_docx, evaluation_pdf, load_form, save_answers
from dashboard import data
from dashboard.components.forms import refused
from onrust import display
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow


def _file(what: str, incident: Incident, ext: str, moment: datetime | None = None) -> str:
    """The download's name in the one pattern (onrust.display.export_name)."""
    return display.export_name(what, incident.name, moment or utcnow(), ext)


def render_evaluation_tab(incident: Incident, author: str, *, locked: bool) -> None:
    """`locked`: the role may not write the evaluation; the answers stay readable."""
    st.caption("De evaluatie volgt op de afsluiting (003 fase 3, 004 §3.4): antwoorden kunnen ook bij een "
               "gesloten incident worden ingevuld.")
    answers = data.query(Store.evaluation_answers, incident_id=incident.id)
    typed: dict[str, str] = {}
    with st.form(f"evaluation_{incident.id}"):
        for section in load_form():
            st.markdown(f"**{md_escape(section.title)}** ({md_escape(section.ref)})")
            for q in section.questions:
                current = answers.get(q.id)
                typed[q.id] = st.text_area(q.label, value=current[0] if current else "", key=f"eval_{q.id}",
                                           height=68)
                if current:
                    st.caption(f"{md_escape(current[1])}, {fmt_local(current[2])}")
        if st.form_submit_button("Evaluatie opslaan", type="primary", disabled=locked):
            try:
                changed = save_answers(data.store(), incident.id, typed, author)
            except UserError as exc:
                refused(exc)
            else:
                st.success(f"{changed} antwoord(en) opgeslagen.")
                st.rerun()
    now = utcnow()
    left, right = st.columns(2)
    made = (incident.name, incident.municipality, now, answers)  # the documents are built on click
    left.download_button("Evaluatie (.docx)", partial(evaluation_docx, *made),
                         file_name=_file("evaluatie", incident, "docx"), key="evaluation_docx")
    right.download_button("Evaluatie (PDF)", partial(evaluation_pdf, *made),
                          file_name=_file("evaluatie", incident, "pdf"), mime="application/pdf", key="evaluation_pdf")
