"""Informatiebehoefte tab: who needs what, when they were last informed, and who is overdue."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import streamlit as st

from comms.matrix import (
    COLUMNS,
    LABELS,
    LIJNEN,
    PRIORITEITEN,
    TEXT_COLUMNS,
    changed_rows,
    load_defaults,
    mark_informed,
    matrix_as_of,
    merge_defaults,
    not_yet_informed,
    press_first_groups,
    to_blocks,
    to_xlsx,
    with_due,
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
from onrust.timeutil import AMSTERDAM, fmt_local, local, utcnow

_LOCKED = ["doelgroep", "last_informed_at", "last_informed_by", "last_informed_what", "volgende_keer", "bron"]
_EDITABLE = [c for c in COLUMNS if c not in _LOCKED]
_LATE_STYLE = "background-color: rgba(220, 53, 69, 0.28)"  # translucent red: both themes


def _highlight(view: pd.DataFrame):
    """Colour the read-only cells of overdue rows (a Styler only styles columns that cannot be edited)."""
    return view.style.apply(
        lambda row: [_LATE_STYLE if row["achterstallig"] and col in ("doelgroep", "volgende_keer") else ""
                     for col in row.index], axis=1)


def _config() -> dict:
    cc = st.column_config
    config: dict = {c: cc.TextColumn(LABELS[c]) for c in COLUMNS}
    config.update({
        "achterstallig": cc.CheckboxColumn("⚠ Te laat", help="Termijn verstreken: informeer deze doelgroep nu"),
        "doelgroep": cc.TextColumn("Doelgroep", pinned=True),
        "van_toepassing": cc.CheckboxColumn(LABELS["van_toepassing"]),
        "lijn": cc.SelectboxColumn(LABELS["lijn"], options=list(LIJNEN)),
        "prioriteit": cc.SelectboxColumn(LABELS["prioriteit"], options=list(PRIORITEITEN)),
        "eerste_binnen_uren": cc.NumberColumn(LABELS["eerste_binnen_uren"], min_value=0, step=1, format="%d"),
        "herhaal_uren": cc.NumberColumn(LABELS["herhaal_uren"], min_value=0, step=1, format="%d"),
        "last_informed_at": cc.TextColumn(LABELS["last_informed_at"]),
        "volgende_keer": cc.TextColumn(LABELS["volgende_keer"]),
        "bron": cc.TextColumn(LABELS["bron"]),
    })
    return config


def editor_view(matrix: pd.DataFrame) -> pd.DataFrame:
    """Read-only cells as Dutch text (local times, "—"); editable ones typed, empty text for none."""
    view = display.frame(matrix, keep=("achterstallig", *_EDITABLE), rename=False)
    text = [c for c in TEXT_COLUMNS if c in view.columns]
    view[text] = view[text].astype(object).where(view[text].notna(), "")
    return view


def with_edits(matrix: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """The matrix with the editor's editable cells (the read-only ones were shown as text); a row
    added in the editor is not a group of the matrix and is dropped (groups are added below)."""
    after = matrix.copy()
    rows = edited[edited.index.isin(after.index)]
    after.loc[rows.index, _EDITABLE] = rows[_EDITABLE]
    return after


def render_matrix_tab(incident: Incident, author: str, as_of: datetime | None = None, *, locked: bool) -> None:
    """`as_of`: a moment in the past (the end of the sidebar's period) shows the matrix then, read-only;
    `locked`: the incident is closed or the role may not edit; the matrix stays readable."""
    now = as_of or incident.closed_at or utcnow()
    defaults = load_defaults()
    if as_of is None:
        stored = data.query(Store.info_matrix, incident_id=incident.id)
    else:
        stored = matrix_as_of(data.query(Store.info_matrix_history, incident_id=incident.id), as_of)
        st.caption(f"Stand op {display.when(as_of)} (einde van de periode in de zijbalk); alleen lezen.")
    locked = locked or incident.is_closed or as_of is not None
    matrix = with_due(merge_defaults(stored, defaults), incident.opened_at, now, incident.closed_at)
    late = matrix[matrix["achterstallig"]]
    if not late.empty:
        first = late.sort_values("volgende_keer").iloc[0]
        when = (f"Tijdens het incident (gesloten {fmt_local(incident.closed_at)}) te laat"
                if incident.closed_at else "Te laat")
        st.warning(f"{when} geïnformeerd ({len(late)}): " + ", ".join(md_escape(g) for g in late["doelgroep"])
                   + f". Het langst over tijd: {md_escape(first['doelgroep'])}"
                   f" (uiterlijk {fmt_local(first['volgende_keer'])}).")
    missing = not_yet_informed(matrix, press_first_groups())
    if missing:
        st.info("Nog niet geïnformeerd (hoort vóór een persbericht): "
                + ", ".join(md_escape(g) for g in missing))
    saves = st.session_state.setdefault("matrix_saves", 0)
    shown = ["achterstallig", *COLUMNS, "volgende_keer", "bron"]
    edited = st.data_editor(
        _highlight(editor_view(matrix[shown])), hide_index=True, column_config=_config(),
        key=f"matrix_{incident.id}_{saves}", disabled=locked or ["achterstallig", *_LOCKED],
    )
    if st.button("Matrix opslaan", key="matrix_save", type="primary", disabled=locked):
        try:
            _save(incident, changed_rows(matrix, with_edits(matrix, edited)), author)
        except ValueError as exc:
            st.error(f"Niet opgeslagen: {md_escape(exc)}")
    if flash := st.session_state.pop("matrix_flash", None):
        st.success(md_escape(flash))
    _informed_form(incident, matrix, author, locked)
    _add_group_form(incident, matrix, author, locked)
    _exports(incident, matrix, now)


def _save(incident: Incident, rows: pd.DataFrame, author: str, message: str = "") -> None:
    if rows.empty:
        st.info("Geen wijzigingen.")
        return
    try:
        count = data.store().save_info_matrix(incident.id, rows, author)
    except (ValueError, UserError) as exc:
        refused(exc, f"Niet opgeslagen: {md_escape(exc)}")
        return
    st.session_state["matrix_saves"] += 1
    st.session_state["matrix_flash"] = message or f"{count} doelgroep(en) opgeslagen door {author.strip()}."
    st.rerun()


def _informed_form(incident: Incident, matrix: pd.DataFrame, author: str, locked: bool) -> None:
    with st.form("matrix_informed"):
        st.markdown("**Geïnformeerd vastleggen**")
        group = st.selectbox("Doelgroep", list(matrix["doelgroep"]), key="informed_group")
        what = st.text_input("Wat is er gedeeld (en via welk kanaal)?", key="informed_what")
        by = st.text_input("Door wie", value=author, key="informed_by")
        now = local(utcnow())
        left, right = st.columns(2)
        day: date = left.date_input("Datum", value=now.date(), format="DD-MM-YYYY", key="informed_day")
        clock: time = right.time_input("Tijd", value=now.time().replace(second=0, microsecond=0), key="informed_time")
        if st.form_submit_button("Vastleggen", disabled=locked):
            try:
                row = mark_informed(matrix, group, datetime.combine(day, clock, AMSTERDAM), by, what)
            except ValueError as exc:
                st.error(f"Niet vastgelegd: {md_escape(exc)}")
                return
            _save(incident, row, author, f"Vastgelegd: {group} geïnformeerd door {by.strip()}.")


def _add_group_form(incident: Incident, matrix: pd.DataFrame, author: str, locked: bool) -> None:
    with st.expander("Doelgroep toevoegen"):
        with st.form("matrix_add"):
            name = st.text_input("Naam van de doelgroep", key="add_group_name")
            if st.form_submit_button("Toevoegen", disabled=locked):
                if not name.strip() or name.strip().lower() in set(matrix["doelgroep"].str.lower()):
                    st.error("Geef een nieuwe, nog niet gebruikte naam.")
                    return
                row = pd.DataFrame([{"doelgroep": name.strip(), "van_toepassing": True}]).reindex(columns=COLUMNS)
                _save(incident, row, author, f"Doelgroep '{name.strip()}' toegevoegd.")


def _exports(incident: Incident, matrix: pd.DataFrame, now: datetime) -> None:
    left, right = st.columns(2)
    title = f"Informatiebehoefte {incident.name}"
    # Callables: the files are only built when someone actually downloads them.
    left.download_button(
        "Word (docx)",
        lambda: write_docx(title, incident.municipality, now, to_blocks(matrix, incident=incident.name, when=now)),
        file_name=export_name("informatiebehoefte", incident.name, now, "docx"), key="matrix_docx",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
    )
    right.download_button(
        "Excel (xlsx)", lambda: to_xlsx(matrix, incident=incident.name),
        file_name=export_name("informatiebehoefte", incident.name, now, "xlsx"), key="matrix_xlsx",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
    )
    with st.expander("Geschiedenis van de matrix"):
        history = data.query(Store.info_matrix_history, incident_id=incident.id)
        if history.empty:
            st.caption("Nog niets opgeslagen; de matrix toont de standaardwaarden uit de protocollen.")
        else:
            tables.table(history, headers={**LABELS, "changed_at": "Gewijzigd", "changed_by": "Gewijzigd door"})
