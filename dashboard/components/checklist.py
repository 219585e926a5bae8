"""Checklist tab of the Communicatie page: seed checklists tracked per incident, phase items first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comms.checklists import (
    STATUSES,
    Checklist,
    changed_rows,
    focus_items,
    load_checklists,
    merge_state,
    overall,
    progress,
    to_blocks,
    to_markdown,
)
from dashboard import data
from onrust.docx import write_docx
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import utcnow

_SHOWN = ["nu", "section", "text", "status", "owner", "note", "updated_by", "updated_at", "ref", "item_id"]
# Translucent amber: readable in the light and the dark theme.
_NOW_STYLE = "background-color: rgba(255, 193, 7, 0.28)"


def _highlight(view: pd.DataFrame):
    """Colour the item text of rows that matter in the current phase (Styler: read-only columns only)."""
    return view.style.apply(
        lambda row: [_NOW_STYLE if row["nu"] and col in ("section", "text") else "" for col in row.index], axis=1)


def _config(phase: int | None) -> dict:
    cc = st.column_config
    return {
        "nu": cc.CheckboxColumn("Nu", help=f"Van belang in de huidige MO-fase ({phase or 'onbekend'})", width="small"),
        "section": cc.TextColumn("Onderdeel"),
        "text": cc.TextColumn("Item", width="large"),
        "status": cc.SelectboxColumn("Status", options=list(STATUSES), required=True),
        "owner": cc.TextColumn("Eigenaar"),
        "note": cc.TextColumn("Notitie", width="medium"),
        "updated_by": cc.TextColumn("Gewijzigd door"),
        "updated_at": cc.DatetimeColumn("Wanneer", format="DD-MM-YYYY HH:mm", timezone="Europe/Amsterdam"),
        "ref": cc.TextColumn("Bron"),
        "item_id": cc.TextColumn("Id"),
    }


def render_checklist_tab(incident: Incident, phase: int | None, author: str, *, locked: bool) -> None:
    """`locked`: the incident is closed or the role may not edit; the list stays readable."""
    lists = load_checklists()
    state = data.query(Store.checklist_state, incident_id=incident.id)
    merged_all = {cid: merge_state(c, state[state["checklist"] == cid], phase) for cid, c in lists.items()}

    def label(cid: str) -> str:
        open_now = f" · {len(focus_items(merged_all[cid]))} open nu" if phase is not None else ""
        return f"{lists[cid].title} ({lists[cid].seed[:3]} {lists[cid].reference}){open_now}"

    choice = st.selectbox("Checklist", list(lists), key="checklist_choice", format_func=label)
    checklist, merged = lists[choice], merged_all[choice]
    done, applicable = overall(merged)
    st.progress(done / applicable if applicable else 1.0, text=f"{done} van {applicable} gedaan (n.v.t. telt niet mee)")
    focus = focus_items(merged)
    if phase is not None:
        st.caption(f"{len(focus)} open items zijn nu (MO-fase {phase}) van belang; ze zijn gemarkeerd.")
    with st.expander("Voortgang per onderdeel"):
        st.dataframe(progress(merged), hide_index=True, column_config={
            "section": "Onderdeel", "totaal": "Items", "gedaan": "Gedaan", "nvt": "N.v.t.", "open": "Open",
            "aandeel": st.column_config.ProgressColumn("Voortgang", min_value=0.0, max_value=1.0, format="percent"),
        })
    only_now = st.toggle("Alleen items die nu van belang zijn", key="checklist_only_now", disabled=phase is None)
    view = (merged[merged["nu"]] if only_now else merged)[_SHOWN]
    saves = st.session_state.setdefault("checklist_saves", 0)
    edited = st.data_editor(
        _highlight(view), hide_index=True, column_config=_config(phase),
        key=f"checklist_{incident.id}_{checklist.id}_{saves}",
        disabled=locked or [c for c in _SHOWN if c not in ("status", "owner", "note")],
    )
    if st.button("Wijzigingen opslaan", key="checklist_save", type="primary", disabled=locked):
        _save(incident, checklist.id, view, edited, author)
    _downloads(incident, checklist, merged, phase)


def _save(incident: Incident, checklist_id: str, view: pd.DataFrame, edited: pd.DataFrame, author: str) -> None:
    try:
        changes = changed_rows(view, edited)
        if changes.empty:
            st.info("Geen wijzigingen.")
            return
        count = data.store().save_checklist_changes(incident.id, checklist_id, changes, author)
    except (ValueError, UserError) as exc:
        st.error(f"Niet opgeslagen: {md_escape(exc)}")
        return
    st.session_state["checklist_saves"] += 1
    st.session_state["checklist_flash"] = f"{count} item(s) opgeslagen door {author.strip()}."
    st.rerun()


def _downloads(incident: Incident, checklist: Checklist, merged: pd.DataFrame, phase: int | None) -> None:
    if flash := st.session_state.pop("checklist_flash", None):
        st.success(md_escape(flash))
    now = utcnow()
    name, municipality = incident.name, incident.municipality
    left, right = st.columns(2)
    # Callables: the files are only built when someone actually downloads them.
    left.download_button(
        "Markdown",
        lambda: to_markdown(checklist, merged, incident=name, municipality=municipality, phase=phase, when=now),
        file_name=f"{checklist.id}-{incident.id}.md",
        mime="text/markdown", key="checklist_md", icon=":material/download:", on_click="ignore",
    )
    right.download_button(
        "Word (docx)",
        lambda: write_docx(checklist.title, municipality, now, to_blocks(
            checklist, merged, incident=name, municipality=municipality, phase=phase, when=now)),
        file_name=f"{checklist.id}-{incident.id}.docx", key="checklist_docx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
    )
    with st.expander("Geschiedenis van deze checklist"):
        history = data.query(Store.checklist_history, incident_id=incident.id)
        history = history[history["checklist"] == checklist.id]
        if history.empty:
            st.caption("Nog geen wijzigingen vastgelegd.")
        else:
            st.dataframe(history.drop(columns="checklist"), hide_index=True, column_config={
                "changed_at": st.column_config.DatetimeColumn("Wanneer", format="DD-MM-YYYY HH:mm",
                                                              timezone="Europe/Amsterdam"),
                "changed_by": "Door", "item_id": "Item", "status": "Status", "owner": "Eigenaar", "note": "Notitie",
            })
