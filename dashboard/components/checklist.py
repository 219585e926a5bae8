"""Checklist tab of the Communicatie page: seed checklists tracked per incident, phase items first."""

from __future__ import annotations

from datetime import datetime

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
    state_as_of,
    to_blocks,
    to_markdown,
)
from dashboard import data
from dashboard.components import tables
from dashboard.components.forms import refused
from onrust import display
from onrust.display import export_name
from onrust.docx import write_docx
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import utcnow

# What the editor holds; item_id maps an edited row back to its item and stays hidden. Five columns
# in pixel widths that add up to 660 px fit the main column of a 1366 px laptop screen beside the
# context column (measured in Chromium: the six columns before were 900 px in a 725 px column), so
# status, owner and note are editable in view without scrolling sideways. Who changed an item when
# is in the history below; the section heads the progress table.
_SHOWN = ["nu", "text", "status", "owner", "note", "item_id"]
_ROW_PX = 35  # Streamlit's row height: the editor is as tall as its rows, so every row is reachable
# Translucent amber: readable in the light and the dark theme.
_NOW_STYLE = "background-color: rgba(255, 193, 7, 0.28)"


def _highlight(view: pd.DataFrame):
    """Colour the item text of rows that matter in the current phase (Styler: read-only columns only)."""
    return view.style.apply(
        lambda row: [_NOW_STYLE if row["nu"] and col == "text" else "" for col in row.index], axis=1)


def _config(phase: int | None) -> dict:
    cc = st.column_config
    return {
        "nu": cc.CheckboxColumn("Nu", help=f"Van belang in de huidige MO-fase ({phase or 'onbekend'})", width=40),
        "text": cc.TextColumn("Item", width=290, help="Klik op een cel om de hele tekst te lezen"),
        "status": cc.SelectboxColumn("Status", options=list(STATUSES), required=True, width=90),
        "owner": cc.TextColumn("Eigenaar", width=100),
        "note": cc.TextColumn("Notitie", width=140),
        "item_id": None,
    }


def editor_view(merged: pd.DataFrame) -> pd.DataFrame:
    """The editor's rows: the item as "text (source document)", empty text instead of None in the
    editable columns."""
    return pd.DataFrame({
        "nu": merged["nu"],
        "text": merged["text"] + " (" + merged["ref"].map(display.seed_title) + ")",
        "status": merged["status"],
        "owner": merged["owner"].fillna(""),
        "note": merged["note"].fillna(""),
        "item_id": merged["item_id"],
    }, index=merged.index)


def render_checklist_tab(incident: Incident, phase: int | None, author: str, as_of: datetime | None = None, *,
                         locked: bool) -> None:
    """`as_of`: a moment in the past (the end of the sidebar's period) shows the state then, read-only;
    `locked`: the incident is closed or the role may not edit; the list stays readable."""
    lists = load_checklists()
    if as_of is None:
        state = data.query(Store.checklist_state, incident_id=incident.id)
    else:
        state = state_as_of(data.query(Store.checklist_history, incident_id=incident.id), as_of)
        st.caption(f"Stand op {display.when(as_of)} (einde van de periode in de zijbalk); alleen lezen. "
                   "Kies een periode tot nu om te bewerken.")
    locked = locked or incident.is_closed or as_of is not None
    merged_all = {cid: merge_state(c, state[state["checklist"] == cid], phase) for cid, c in lists.items()}

    def label(cid: str) -> str:
        open_now = f" · {len(focus_items(merged_all[cid]))} open nu" if phase is not None else ""
        return f"{lists[cid].title} ({display.seed_title(lists[cid].seed[:3] + ' ' + lists[cid].reference)}){open_now}"

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
    view = editor_view(merged[merged["nu"]] if only_now else merged)
    saves = st.session_state.setdefault("checklist_saves", 0)
    edited = st.data_editor(
        _highlight(view), hide_index=True, column_config=_config(phase), width="stretch",
        height=_ROW_PX * (len(view) + 1) + 3, key=f"checklist_{incident.id}_{checklist.id}_{saves}",
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
        refused(exc, f"Niet opgeslagen: {md_escape(exc)}")
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
        file_name=export_name(checklist.id, name, now, "md"),
        mime="text/markdown", key="checklist_md", icon=":material/download:", on_click="ignore",
    )
    right.download_button(
        "Word (docx)",
        lambda: write_docx(checklist.title, municipality, now, to_blocks(
            checklist, merged, incident=name, municipality=municipality, phase=phase, when=now)),
        file_name=export_name(checklist.id, name, now, "docx"), key="checklist_docx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
    )
    with st.expander("Geschiedenis van deze checklist"):
        history = data.query(Store.checklist_history, incident_id=incident.id)
        history = history[history["checklist"] == checklist.id]
        if history.empty:
            st.caption("Nog geen wijzigingen vastgelegd.")
        else:
            tables.table(history.drop(columns="checklist"))
