"""The rumour tracker on the Omgevingsbeeld page: every rumour with its status and what settled
it, and the analist's own verdict. Rumour texts come from feeds and signals: only dataframes and
widget options show them, never Markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.rumours import Rumour
from dashboard import data
from dashboard.components.forms import keep_label_fresh, refused
from onrust.errors import UserError
from onrust.models import RUMOUR_STATUSES, Incident
from onrust.text import md_escape
from onrust.timeutil import fmt_local, fmt_local_many

EVIDENCE_LIMIT = 500  # items offered as a rumour's evidence at once; a search finds older ones
# Plain words: the dataframe canvas shows no emoji where the machine has no emoji font.
STATUS_LABELS = {"onbevestigd": "open (onbevestigd)", "bevestigd": "bevestigd", "ontkracht": "ontkracht"}


def table(tracker: tuple[Rumour, ...]) -> pd.DataFrame:
    """One row per rumour, the open ones first."""
    return pd.DataFrame({
        "Status": [STATUS_LABELS[r.status] for r in tracker],
        "Gerucht": [r.text for r in tracker],
        "Vermeldingen": [r.mentions for r in tracker],
        "Eerst in": [r.origin or "—" for r in tracker],
        "Eerst gezien": [fmt_local(r.first_at) if r.first_at else "—" for r in tracker],
        "Bevestigd of ontkracht door": [r.evidence.title if r.evidence and r.evidence.title else "—" for r in tracker],
        "Wanneer": [fmt_local(r.evidence.at) if r.evidence and r.evidence.at else "—" for r in tracker],
        "Hoe": [(r.evidence.how if r.evidence else "—") + (f" ({r.note})" if r.note else "") for r in tracker],
    })


def tracker_view(tracker: tuple[Rumour, ...]) -> None:
    st.markdown("**Geruchten en hun status**")
    if not tracker:
        st.caption("Geen geruchten gevonden in berichten en signalen.")
        return
    counts = {s: sum(r.status == s for r in tracker) for s in RUMOUR_STATUSES}
    st.caption(" · ".join(f"{n} {s}" for s, n in counts.items()) + ". Ontkrachtingen ('OM: gerucht … onjuist', "
               "'stop met die geruchten') tellen niet als open gerucht en niet als oproep.")
    st.dataframe(table(tracker), hide_index=True)


def status_form(incident: Incident, tracker: tuple[Rumour, ...], items: pd.DataFrame, signals: pd.DataFrame,
                author: str, *, locked: bool) -> None:
    """The analist sets a rumour's status (with what settles it: one of `items`, newest first,
    or `signals`); logged in the logbook under the logged-in `author`. `locked`: the incident is
    closed or the role may not set it."""
    if not tracker:
        return
    flash = st.session_state.pop("ob_rumour_flash", None)
    if flash is not None:  # saved: the form starts empty, so a second click records nothing twice
        st.session_state.update(ob_rumour_status=RUMOUR_STATUSES[0], ob_rumour_evidence=None, ob_rumour_note="")
    with st.expander("Status van een gerucht vastleggen"):
        search = ""
        if len(items) > EVIDENCE_LIMIT:  # outside the form: typing narrows the list at once
            search = st.text_input("Zoek een bericht als bewijs (in de titel)", key="ob_rumour_search",
                                   help=f"De lijst toont de nieuwste {EVIDENCE_LIMIT} berichten die de zoekterm "
                                        f"bevatten, van {len(items)}.")
        _status_fields(incident, tracker, evidence_options(items, signals, search), author, locked=locked)
    if flash is not None:
        st.success(flash)


def _status_fields(incident: Incident, tracker: tuple[Rumour, ...], evidence: dict[str, str], author: str, *,
                   locked: bool) -> None:
    with st.form(f"ob_rumour_{incident.id}"):
        texts = {r.key: f"{r.text[:110]} ({r.status})" for r in tracker}
        keep_label_fresh("ob_rumour_key", lambda k: texts.get(k, ""))  # "(onbevestigd)" -> "(ontkracht)"
        key = st.selectbox("Gerucht", list(texts), format_func=texts.__getitem__, key="ob_rumour_key")
        status = st.radio("Status", list(RUMOUR_STATUSES), horizontal=True, key="ob_rumour_status")
        proof = st.selectbox("Bevestigd of ontkracht door (bericht of signaal)", list(evidence),
                             format_func=evidence.__getitem__, index=None, placeholder="Kies… (optioneel)",
                             key="ob_rumour_evidence")
        note = st.text_input("Toelichting", key="ob_rumour_note", placeholder="bijv. bevestigd door het OM")
        if st.form_submit_button("Status vastleggen", disabled=locked):
            chosen = next(r for r in tracker if r.key == key)
            try:
                data.store().set_rumour_status(incident.id, key, status, author,
                                               text=chosen.text, evidence=proof, note=note)
            except UserError as exc:  # IncidentClosed too
                refused(exc, md_escape(exc))
            else:
                st.session_state["ob_rumour_flash"] = f"Status '{status}' vastgelegd en in het logboek gezet."
                st.rerun()


def evidence_options(items: pd.DataFrame, signals: pd.DataFrame, search: str = "",
                     limit: int = EVIDENCE_LIMIT) -> dict[str, str]:
    """'item:12' / 'signal:4' -> a one-line label, newest first: every signal, and the newest
    `limit` items (`items` come newest first) whose title contains `search`. A busy week has a
    hundred thousand items: nobody picks from such a list, and building and sending it cost
    half a second per page view."""
    if search:
        items = items[items["title"].str.contains(search, case=False, regex=False, na=False)]
    items = items.head(limit)
    labels = (items["title"].str[:100] + " (" + items["publisher"] + ", "  # column-wise: 100k items in a busy week
              + pd.Series(fmt_local_many(items["published_at"]), index=items.index, dtype=object) + ")")
    options = dict(zip("item:" + items["id"].astype(str), labels, strict=True))
    options |= {f"signal:{i}": f"signaal {k}: {t[:90]} ({fmt_local(w)})"
                for i, k, t, w in zip(signals["id"], signals["kind"], signals["text"], signals["occurred_at"],
                                      strict=True)}
    return options
