"""Render helpers for the Signalen page: form, table, edit with history, import report.

Signal text is shown only through st.dataframe or escaped markdown, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from analysis.omgevingsbeeld_text import plural
from collectors.signal_import import (
    STATUS_LABELS,
    TEMPLATE,
    ImportReport,
    export_csv,
    import_signal_bytes,
    template_xlsx,
)
from collectors.signals import (
    LABELS,
    ROUTING_REF,
    FieldError,
    as_raw,
    describe_routing,
    scales,
    validate_routing,
    validate_signal,
)
from dashboard import data
from dashboard.components import tables
from dashboard.components.forms import refused, technical_details
from onrust import display
from onrust.auth import User
from onrust.display import export_name
from onrust.errors import UserError
from onrust.models import Incident
from onrust.store import Store
from onrust.store.signals import DuplicateSignal, SignalConflict
from onrust.text import md_escape
from onrust.timeutil import AMSTERDAM, fmt_local, utcnow

WHEN_HELP = "Bijvoorbeeld 14-11-2026 21:30, 14 november 2026 21.30, gisteren 21:30 of nu."


def show_errors(errors: list[FieldError] | list[str], intro: str) -> None:
    st.error(intro + "\n\n" + "\n".join(f"- {md_escape(e, one_line=False)}" for e in errors))


def signal_fields(prefix: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The signal's widgets (inside a form); empty choices stay None so validation names them."""
    sc = scales()

    def pick(label: str, field: str, options: Mapping, fmt) -> Any:
        current = values.get(field)
        keys = list(options)
        return st.selectbox(label, keys, index=keys.index(current) if current in keys else None,
                            format_func=fmt, placeholder="Kies…", key=f"{prefix}_{field}")

    left, right = st.columns(2)
    with left:
        raw = {
            "kind": pick("Soort", "kind", sc.kinds, lambda k: sc.kinds[k]),
            "source_type": pick("Brontype", "source_type", sc.source_types, lambda k: sc.source_types[k]),
            "reliability": pick("Betrouwbaarheid bron", "reliability", sc.reliability,
                                lambda k: f"{k} – {sc.reliability[k]}"),
            "credibility": pick("Geloofwaardigheid informatie", "credibility", sc.credibility,
                                lambda k: f"{k} – {sc.credibility[k]}"),
            "verification": pick("Verificatie", "verification", sc.verification,
                                 lambda k: f"{k} – {sc.verification[k]}"),
            "severity": pick("Ernst", "severity", sc.severity, lambda k: f"{k} – {sc.severity[k]}"),
        }
    with right:
        for field in ("municipality", "neighbourhood", "occurred_at", "reported_at"):
            when = field.endswith("_at")
            raw[field] = st.text_input(
                LABELS[field], value=str(values.get(field) or ""), key=f"{prefix}_{field}",
                help=WHEN_HELP if when else None, placeholder="dd-mm-jjjj uu:mm" if when else None,
            )
    raw["text"] = st.text_area("Tekst van het signaal", value=str(values.get("text") or ""),
                               key=f"{prefix}_text", max_chars=10_000)
    return raw


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """Dutch column names, local times, A-F/1-6 as one code (B2) as analysts say it."""
    return pd.DataFrame({
        "Nr": frame["id"],
        "Gebeurd op": frame["occurred_at"].dt.tz_convert(AMSTERDAM),
        "Soort": frame["kind"],
        "Tekst": frame["text"],
        "Beoordeling": frame["reliability"] + frame["credibility"].astype(str),
        "Verificatie": frame["verification"],
        "Ernst": frame["severity"],
        "Brontype": frame["source_type"],
        "Gemeente": frame["municipality"],
        "Wijk": frame["neighbourhood"].fillna(""),
        "Gemeld op": frame["reported_at"].dt.tz_convert(AMSTERDAM),
        "Ingevoerd door": frame["entered_by"],
        "Wijzigingen": frame["revisions"],
    })


def show_table(frame: pd.DataFrame, incident: Incident | None) -> None:
    tables.table(table(frame), column_config={"Tekst": st.column_config.TextColumn(width="large")})
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    st.download_button("Deze signalen downloaden (CSV, importformaat)", export_csv(records),
                       file_name=export_name("signalen", incident.name if incident else None, utcnow(), "csv"),
                       mime="text/csv", key="signal_export")


def filters(key: str) -> dict[str, Any]:
    sc = scales()
    cols = st.columns(4)
    chosen = {
        "kinds": tuple(cols[0].multiselect("Soort", list(sc.kinds), key=f"{key}_kinds", placeholder="Alle")),
        "verification": tuple(cols[1].multiselect("Verificatie", list(sc.verification), key=f"{key}_ver",
                                                  placeholder="Alle")),
        "source_types": tuple(cols[2].multiselect("Brontype", list(sc.source_types), key=f"{key}_src",
                                                  placeholder="Alle")),
        "min_severity": cols[3].selectbox("Ernst minimaal", list(sc.severity), index=0, key=f"{key}_sev"),
    }
    search = st.text_input("Zoek in tekst of wijk", key=f"{key}_search").strip()
    chosen["search"] = search or None
    if chosen["min_severity"] == min(sc.severity):
        chosen["min_severity"] = None
    return chosen


def signal_label(row: Mapping[str, Any]) -> str:
    text = " ".join(str(row["text"]).split())
    return f"#{row['id']} · {fmt_local(row['occurred_at'])} · {row['kind']} · {text[:50]}"


def _label(column: str) -> str:
    return LABELS.get("incident" if column == "incident_id" else column, column)


def _shown(field: str, value: str | None) -> str | None:
    """Revisions keep timestamps as ISO UTC; people read them in Dutch local time."""
    if value is not None and field in ("occurred_at", "reported_at"):
        return fmt_local(datetime.fromisoformat(value))
    return value


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return pd.DataFrame({
        "Wanneer": [fmt_local(r["changed_at"]) for r in rows],
        "Door": [r["changed_by"] for r in rows],
        "Veld": [_label(r["field"]) for r in rows],
        "Oud": [_shown(r["field"], r["old"]) for r in rows],
        "Nieuw": [_shown(r["field"], r["new"]) for r in rows],
    })


def show_report(report: ImportReport) -> None:
    if report.problems:
        show_errors(list(report.problems), f"{md_escape(report.file)}: niets geïmporteerd.")
        if report.detail:  # a read-only database file
            technical_details(report.detail)
    elif report.count("error"):
        st.warning(md_escape(report.summary(), one_line=False))
    else:
        st.success(md_escape(report.summary(), one_line=False))
    for warning in report.warnings:
        st.info(md_escape(warning, one_line=False))
    if report.rows:  # one line per reason: a row with three mistakes shows all three in full
        lines = [(r.row, STATUS_LABELS[r.status], f"#{r.signal_id}" if r.signal_id else "", reason)
                 for r in report.rows for reason in (r.reasons or ("",))]
        tables.table(pd.DataFrame(lines, columns=["Rij", "Resultaat", "Signaal", "Reden"]),
                     column_config={"Reden": st.column_config.TextColumn(width="large")})


def template_buttons() -> None:
    left, right = st.columns(2)
    left.download_button("Sjabloon (Excel, met keuzelijsten)", template_xlsx,  # built on click
                         file_name=export_name("signalen-sjabloon", None, utcnow(), "xlsx"),
                         key="signal_template_xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button("Sjabloon (CSV)", TEMPLATE.read_bytes(),
                          file_name=export_name("signalen-sjabloon", None, utcnow(), "csv"),
                          mime="text/csv", key="signal_template_csv")


# -- sections -----------------------------------------------------------------------------------
def _closed(incident_id: int | None) -> bool:
    """A signal of a closed incident is read-only (the store refuses it too)."""
    return any(i.is_closed for i in data.incidents() if i.id == incident_id)


def _own_municipalities(incident_id: int | None) -> list[str]:
    return [i.municipality for i in data.incidents() if i.id == incident_id]


def _done(message: str, counter: str) -> None:
    """After a write: fresh widgets (a new key) and the message shown after the rerun."""
    data.changed()
    st.session_state[counter] = st.session_state.get(counter, 0) + 1
    st.session_state["signal_flash"] = message
    st.rerun()


def new_section(incident: Incident | None, user: User) -> None:
    """Entry form; on an error every typed value stays in the form."""
    n = st.session_state.setdefault("signal_new_form", 0)
    incident_id = incident.id if incident else None
    defaults = {"verification": "onbevestigd", "reported_at": "nu",
                "municipality": incident.municipality if incident else ""}
    with st.form(f"signal_new_{n}"):
        raw = signal_fields(f"new{n}", defaults)
        raw["entered_by"] = user.id
        submitted = st.form_submit_button("Signaal opslaan", type="primary", disabled=_closed(incident_id))
    if not submitted:
        return
    outcome = validate_signal({**raw, "incident": incident_id}, now=utcnow(),
                              extra_municipalities=_own_municipalities(incident_id))
    if isinstance(outcome, list):
        show_errors(outcome, "Signaal niet opgeslagen. Verbeter:")
        return
    try:
        signal_id = data.store().add_signal(outcome)
    except DuplicateSignal as exc:
        st.warning(md_escape(exc, one_line=False))
        return
    except UserError as exc:  # the incident was closed meanwhile
        refused(exc)
        return
    _done(f"Signaal #{signal_id} opgeslagen.", "signal_new_form")


def edit_section(incident: Incident | None, with_unassigned: bool, user: User) -> None:
    """Edit with optimistic locking: the values as first loaded are the expected state."""
    frame = data.query(Store.signals, incident_id=incident.id if incident else None,
                       with_unassigned=with_unassigned, newest_first=True)
    if frame.empty:
        st.info("Nog geen signalen om te bewerken.")
        return
    labels = {r["id"]: signal_label(r) for r in frame.to_dict("records")}
    signal_id = st.selectbox("Signaal", list(labels), format_func=labels.__getitem__, key="signal_edit_id")
    v = st.session_state.setdefault("signal_edit_form", 0)
    base_key = f"signal_base_{signal_id}_{v}"
    if base_key not in st.session_state:
        st.session_state[base_key] = data.query(Store.signal, signal_id=signal_id)
    base = st.session_state[base_key]
    with st.form(f"signal_edit_{signal_id}_{v}"):
        raw = signal_fields(f"edit{signal_id}_{v}", as_raw(base))
        raw["incident"] = base["incident_id"]
        if base["incident_id"] is None and incident is not None and not incident.is_closed and st.checkbox(
                f"Koppelen aan incident {md_escape(incident.name)}", key=f"edit{signal_id}_{v}_link"):
            raw["incident"] = incident.id
        save = st.form_submit_button("Wijzigingen opslaan", type="primary",
                                     disabled=_closed(base["incident_id"]))
    if save:
        _save_edit(signal_id, base, raw, user.id)
    conflict = st.session_state.get("signal_conflict")
    if conflict and conflict[0] == signal_id:
        st.error(md_escape(conflict[1], one_line=False))
        if st.button("Opnieuw laden (uw invoer vervalt)", key="signal_reload"):
            st.session_state.pop("signal_conflict")
            _done(f"Signaal #{signal_id} opnieuw geladen.", "signal_edit_form")
    st.markdown("**Historie**")
    history = data.query(Store.signal_history, signal_id=signal_id)
    if history.empty:
        st.caption("Nog geen wijzigingen.")
    else:
        tables.table(history_table(history))


def unrouted_note(incident: Incident | None) -> None:
    """004 §3.1: every signal must reach a driehoek member; say which have not yet."""
    if incident is None:
        return
    waiting = data.query(Store.unrouted_signals, incident_id=incident.id)
    if waiting:
        numbers = ", ".join(f"#{n}" for n in waiting[:12]) + (" …" if len(waiting) > 12 else "")
        st.warning(f"{plural(len(waiting), 'signaal', 'signalen')} nog niet doorgeleid aan een lid van de driehoek "
                   f"({numbers}). "
                   f"Leg dat vast onder 'Doorleiden' ({ROUTING_REF}).")


def routing_section(incident: Incident | None, user: User) -> None:
    """Record to which driehoek member a signal went and who received it; earlier hand-overs below."""
    frame = data.query(Store.signals, incident_id=incident.id if incident else None,
                       with_unassigned=incident is None, newest_first=True)
    if frame.empty:
        st.info("Nog geen signalen om door te leiden.")
        return
    st.caption(ROUTING_REF + ". Signalen die niet bij een driehoekslid binnenkomen, worden via een "
               "driehoekslid ingebracht.")
    labels = {r["id"]: signal_label(r) for r in frame.to_dict("records")}
    signal_id = st.selectbox("Signaal", list(labels), format_func=labels.__getitem__, key="signal_route_id")
    n = st.session_state.setdefault("signal_route_form", 0)
    members = scales().driehoek
    incident_id = frame.set_index("id").loc[signal_id, "incident_id"]
    closed = _closed(None if pd.isna(incident_id) else int(incident_id))
    with st.form(f"signal_route_{n}"):
        member = st.selectbox("Doorgeleid aan", list(members), format_func=members.__getitem__, index=None,
                              placeholder="Kies het driehoekslid", key=f"route{n}_member")
        received = st.text_input("Ontvangen door (naam of functie)", key=f"route{n}_received")
        routed = st.text_input("Doorgeleid op", value="nu", key=f"route{n}_at",
                               help="Bijvoorbeeld '14-11-2026 21:30', 'gisteren 21:30' of 'nu'.")
        save = st.form_submit_button("Doorleiding vastleggen", type="primary", disabled=closed)
    if save:
        raw = {"member": member, "received_by": received, "routed_at": "" if routed.strip() == "nu" else routed}
        outcome = validate_routing(signal_id, raw, now=utcnow(), recorded_by=user.id)
        if isinstance(outcome, list):
            show_errors(outcome, "Doorleiding niet vastgelegd. Verbeter:")
        else:
            try:
                data.store().route_signal(outcome, log_text=describe_routing(outcome))
            except UserError as exc:  # the incident was closed meanwhile
                refused(exc)
            else:
                _done(describe_routing(outcome), "signal_route_form")
    done = data.query(Store.signal_routings, signal_ids=(int(signal_id),))
    if done.empty:
        st.caption("Dit signaal is nog aan niemand doorgeleid.")
    else:
        st.dataframe(pd.DataFrame({
            "Doorgeleid op": [fmt_local(t) for t in done["routed_at"]],
            "Driehoekslid": [members.get(m, m) for m in done["member"]],
            "Ontvangen door": done["received_by"],
            "Vastgelegd door": done["recorded_by"],
        }), hide_index=True, width="stretch")


def _save_edit(signal_id: int, base: Mapping[str, Any], raw: dict[str, Any], by: str) -> None:
    outcome = validate_signal(
        {**raw, "entered_by": base["entered_by"]}, now=utcnow(),
        extra_municipalities=[base["municipality"], *_own_municipalities(raw["incident"])],
    )
    if isinstance(outcome, list):
        show_errors(outcome, "Niet opgeslagen. Verbeter:")
        return
    try:
        changed = data.store().update_signal(signal_id, outcome, changed_by=by, expected=base)
    except SignalConflict as exc:
        st.session_state["signal_conflict"] = (signal_id, (
            f"Signaal #{signal_id} is intussen door iemand anders gewijzigd ("
            + ", ".join(_label(f) for f in exc.fields)
            + "). Uw invoer staat nog in het formulier; laad opnieuw en voer de wijziging dan nog eens in."))
        return
    except UserError as exc:  # its incident was closed meanwhile
        refused(exc)
        return
    if not changed:
        st.info("Niets gewijzigd.")
        return
    st.session_state.pop("signal_conflict", None)
    _done(f"Signaal #{signal_id} gewijzigd: " + ", ".join(
        _label(f) for f in changed) + ".", "signal_edit_form")


def import_section(incident: Incident | None, user: User) -> None:
    """Upload, import on an explicit click (a rerun never imports again), per-row report."""
    st.caption("Kolommen zoals in het sjabloon; datums als 14-11-2026 21:30 (de ISO-notatie van een "
               "ander systeem wordt ook herkend). "
               "Goede rijen gaan erin, rijen met fouten worden overgeslagen en hieronder gemeld; "
               "dezelfde rij twee keer importeren slaat niets dubbel op.")
    template_buttons()
    limits = data.settings().signals
    # Streamlit writes its own server limit in English inside the box ("200MB per file"); the
    # limit that counts is the import's own, so it is named in Dutch beside it.
    upload = st.file_uploader("CSV- of Excelbestand", type=["csv", "xlsx"], key="signal_upload",
                              help=f"Maximaal {display.number(limits.max_import_bytes / 1e6)} MB en "
                                   f"{display.number(limits.max_import_rows)} rijen per bestand.")
    st.caption(f"Grens per bestand: {display.number(limits.max_import_bytes / 1e6)} MB, "
               f"{display.number(limits.max_import_rows)} rijen (de Engelse tekst in het vak is van Streamlit).")
    closed = _closed(incident.id if incident else None)
    if st.button("Importeren", disabled=upload is None or closed, key="signal_import_go") and upload is not None:
        st.session_state["signal_report"] = import_signal_bytes(
            data.store(), upload.getvalue(), upload.name, entered_by=user.id,
            incident_id=incident.id if incident else None, settings=data.settings(),
        )
        data.changed()
    if (report := st.session_state.get("signal_report")) is not None:
        show_report(report)
