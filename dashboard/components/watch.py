"""The watch profile form: what the analist follows for an incident; saving re-links the items
(on the background worker: an incident with thousands of items takes a while)."""

from __future__ import annotations

from datetime import datetime, time

import streamlit as st

from analysis.jobs import relink
from analysis.relevance import default_profile
from dashboard import data
from dashboard.components import jobs
from dashboard.components.forms import refused
from onrust import display
from onrust.crypto import NameKeyMissing
from onrust.errors import UserError
from onrust.models import Incident, WatchProfile
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import AMSTERDAM, local, to_utc
from onrust.worker import Progress

FIELDS = (
    ("terms", "Termen", "Eén per regel. 'brand*' vindt ook brandstichting, brandweer."),
    ("places", "Plaatsen", "Gemeente, kernen."),
    ("neighbourhoods", "Wijken, buurten, straten", "Tellen als plaats en worden als plaats getagd."),
    ("actors", "Actoren", "Organisaties en functies: zorginstelling, school, politie."),
    ("involved", "Namen van betrokkenen",
     "Gevoelig: worden nooit getoond of geëxporteerd, alleen gebruikt om te koppelen."),
)


def current(incident: Incident) -> WatchProfile:
    saved = data.query(Store.watch_profile, incident_id=incident.id)
    if saved is not None:
        return saved
    cfg = data.settings().relevance
    return default_profile(incident.id, incident.municipality, incident.opened_at, incident.closed_at,
                           lead_days=cfg.lead_days)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def form(incident: Incident, author: str, *, locked: bool) -> None:
    """`locked`: the incident is closed or the role may not change the profile; it stays readable."""
    try:
        profile = current(incident)
    except NameKeyMissing as exc:  # the profile holds names of people involved
        st.error(str(exc))
        return
    st.caption(f"Revisie {profile.revision or 'standaard (nog niet bewerkt)'} · "
               f"{data.query(Store.linked_item_count, incident_id=incident.id)} gekoppelde berichten. "
               "Relevantie 0-1 uit termen, plaatsen, actoren, betrokkenen en onrustkenmerken; "
               f"gekoppeld vanaf {display.number(data.settings().relevance.threshold, 2)}.")
    with st.form(f"ob_watch_{incident.id}"):
        values = {}
        for key, label, help_text in FIELDS:
            values[key] = st.text_area(label, "\n".join(getattr(profile, key)), help=help_text,
                                       key=f"ob_watch_{key}_{incident.id}", height=120)
        left, right = st.columns(2)
        start = local(profile.period_start) if profile.period_start else local(incident.opened_at)
        start_day = left.date_input("Vanaf", start.date(), format="DD-MM-YYYY", key=f"ob_watch_from_{incident.id}")
        open_end = right.checkbox("Zonder einddatum", profile.period_end is None, key=f"ob_watch_open_{incident.id}")
        end = local(profile.period_end) if profile.period_end else None
        end_day = right.date_input("Tot en met", (end or start).date(), format="DD-MM-YYYY",
                                   key=f"ob_watch_until_{incident.id}")
        saved = st.form_submit_button("Opslaan en opnieuw koppelen", type="primary", disabled=locked)
    job_key = f"ob_relink_job_{incident.id}"
    if saved:
        period_start = to_utc(datetime.combine(start_day, time.min, AMSTERDAM))
        period_end = None if open_end else to_utc(datetime.combine(end_day, time.max, AMSTERDAM))
        if period_end is not None and period_end <= period_start:
            st.error("Het einde van de periode moet na het begin liggen.")
        else:
            edited = profile.edited(**{k: _lines(v) for k, v in values.items()},
                                    period_start=period_start, period_end=period_end)
            try:
                _save_and_relink(incident, edited, job_key, author)
            except UserError as exc:
                refused(exc, md_escape(exc))
    jobs.status(job_key, _linked, failed_hint="Het kijkprofiel is wel bewaard; de collectie koppelt "
                                              "opnieuw bij de volgende ronde.")


def _save_and_relink(incident: Incident, edited: WatchProfile, job_key: str, author: str) -> None:
    store, settings = data.store(), data.settings()
    revision = store.save_watch_profile(edited, author)

    def run(progress: Progress) -> int:
        return relink(store, settings, incident.id)

    # The revision in the label: a profile saved again while the last one is re-linked gets its own job.
    jobs.start(job_key, "relink", f"Opnieuw koppelen incident {incident.id} (revisie {revision})", run)


def _linked(linked: int) -> None:
    st.success(f"Kijkprofiel bewaard; {linked} berichten gekoppeld.")
