"""The audit trail: every change to a user-facing table leaves who/when/what/before/after, the
trail itself cannot be changed or removed, and no store write to an audited table escapes it."""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from onrust.models import SignalInput, SignalRouting, WatchProfile
from onrust.store.audit import AUDITED, audit_csv
from onrust.store.core import AppendOnlyError

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
STORE_DIR = Path(str(resources.files("onrust.store")))


def _signal(incident_id: int | None, text: str, by: str = "analist") -> SignalInput:
    return SignalInput(
        incident_id=incident_id, kind="gerucht", source_type="burger", reliability="C", credibility=3,
        verification="onbevestigd", severity=2, municipality="Uithoorn", neighbourhood=None,
        occurred_at=T0, reported_at=T0, entered_at=T0, text=text, entered_by=by)


def _last(store, table: str) -> dict:
    frame = store.audit_log(table=table)
    assert not frame.empty, f"no audit row for {table}"
    row = frame.iloc[0].to_dict()
    row["before"] = json.loads(row["before"]) if row["before"] else None
    row["after"] = json.loads(row["after"]) if row["after"] else None
    return row


def test_every_listed_change_leaves_a_record_with_before_and_after(store):
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0, actor="teamleider")
    created = _last(store, "incidents")
    assert (created["actor"], created["action"], created["row_id"], created["before"]) == (
        "teamleider", "insert", str(incident), None)
    assert created["after"]["name"] == "Brand Thamerdal"

    signal = store.add_signal(_signal(incident, "Gerucht over brandstichting"))
    assert _last(store, "signals")["after"]["text"] == "Gerucht over brandstichting"
    edited = _signal(incident, "Gerucht over brandstichting (ontkracht)")
    assert store.update_signal(signal, edited, changed_by="coördinator") == ["text"]
    update = _last(store, "signals")
    assert (update["actor"], update["action"]) == ("coördinator", "update")
    assert (update["before"]["text"], update["after"]["text"]) == (
        "Gerucht over brandstichting", "Gerucht over brandstichting (ontkracht)")

    store.route_signal(SignalRouting(signal, "politie", "wijkagent", T0, "coördinator"), log_text="Doorgeleid")
    routed = _last(store, "signal_routing")
    assert (routed["actor"], routed["after"]["received_by"]) == ("coördinator", "wijkagent")

    entry = store.add_log_entry(incident, "actie", "Buurtbewoners gebeld", "omgevingsanalist")
    logged = _last(store, "logbook")
    assert (logged["row_id"], logged["action"], logged["after"]["text"]) == (str(entry), "insert",
                                                                           "Buurtbewoners gebeld")

    release = store.create_press_release(incident, {"kop": "Brand in Thamerdal"}, "woordvoerder")
    assert _last(store, "press_versions")["row_id"] == f"{release}/1"
    assert store.set_press_status(release, "concept", "ter_controle", action="ter controle", actor="woordvoerder",
                                  version=1)
    step = _last(store, "press_releases")
    assert (step["before"]["status"], step["after"]["status"]) == ("concept", "ter_controle")

    store.save_info_matrix(incident, pd.DataFrame([{"doelgroep": "bewoners", "kanaal": "brief"}]), "adviseur")
    store.save_info_matrix(incident, pd.DataFrame([{"doelgroep": "bewoners", "kanaal": "sms"}]), "adviseur")
    matrix = _last(store, "info_matrix")
    assert (matrix["row_id"], matrix["before"]["kanaal"], matrix["after"]["kanaal"]) == (
        f"{incident}/bewoners", "brief", "sms")

    changes = pd.DataFrame([{"item_id": "1.1", "status": "gedaan", "owner": "Piet", "note": ""}])
    store.save_checklist_changes(incident, "fase1", changes, "adviseur")
    assert _last(store, "checklist_state")["after"]["status"] == "gedaan"

    store.add_strategy_decision(incident, "persbeleid", "actief", "burgemeester")
    assert _last(store, "strategy_decisions")["after"]["value"] == "actief"

    source = store.add_source("Lokaal Nieuws", reach="lokaal", actor="beheerder")
    store.set_source_enabled(source, False, actor="beheerder")
    toggled = _last(store, "sources")
    assert (toggled["before"]["enabled"], toggled["after"]["enabled"]) == (True, False)

    person = store.add_incident_person(incident, "Jan de Vries", "betrokkene", "woordvoerder")
    store.remove_incident_person(person, actor="woordvoerder")
    removed = _last(store, "incident_persons")
    assert (removed["action"], removed["after"]) == ("delete", None)
    assert "Jan de Vries" not in json.dumps(removed["before"])  # the name is stored encrypted

    store.save_watch_profile(WatchProfile(incident, terms=("brand",)), "omgevingsanalist")
    assert _last(store, "watch_profiles")["after"]["terms"] == ["brand"]

    store.set_task_done(incident, "1.1", T0, "coördinator", "Taak 1.1 gedaan")
    store.set_task_note(incident, "1.1", "Ouders gebeld", "coördinator", "Notitie bij 1.1")
    task = _last(store, "incident_tasks")
    assert (task["row_id"], task["before"]["note"], task["after"]["note"]) == (
        f"{incident}/1.1", "", "Ouders gebeld")
    store.set_risk_moment(incident, "herdenking", T0 + timedelta(days=7), "", "coördinator", "Herdenking")
    store.set_risk_moment(incident, "herdenking", None, "", "coördinator", "Herdenking vervalt")
    assert _last(store, "incident_risk_moments")["action"] == "delete"

    store.close_incident(incident, T0 + timedelta(days=1), author="teamleider")
    closed = _last(store, "incidents")
    assert (closed["before"]["status"], closed["after"]["status"]) == ("open", "gesloten")
    assert set(store.audit_tables()) >= set(AUDITED)


def test_an_edit_that_changes_nothing_leaves_no_record(store):
    incident = store.create_incident("Brand", "Uithoorn", T0)
    signal = store.add_signal(_signal(incident, "Melding"))
    before = len(store.audit_log())
    assert store.update_signal(signal, _signal(incident, "Melding"), changed_by="analist") == []
    assert len(store.audit_log()) == before


def test_an_import_records_each_new_signal_under_who_entered_it(store):
    results = store.add_signals([_signal(None, "a", "ali"), _signal(None, "b", "bo"), _signal(None, "a", "ali")])
    assert [new for _, new in results] == [True, True, False]
    frame = store.audit_log(table="signals")
    assert sorted(zip(frame["actor"], frame["action"], strict=True)) == [("ali", "insert"), ("bo", "insert")]


@pytest.mark.parametrize("sql", [
    "update audit_log set actor = 'iemand anders'",
    "update audit_log set after = null",
    "delete from audit_log",
])
def test_the_database_refuses_to_change_or_remove_an_audit_row(store, sql):
    store.create_incident("Brand", "Uithoorn", T0, actor="teamleider")
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cur:
        cur.execute(sql)
    assert store.audit_log()["actor"].tolist() == ["teamleider"]


@pytest.mark.parametrize("sql", [
    "update audit_log set actor = ?", "delete from audit_log where id = ?", "truncate audit_log",
    "delete from audit_seal", "drop table if exists audit_seal", "alter table audit_log rename to x",
])
def test_the_generic_write_path_refuses_audit_changes(store, sql):
    with pytest.raises(AppendOnlyError, match="auditspoor"):
        store.execute(sql, [1] if "?" in sql else [])


def test_the_filters_and_the_excel_safe_export(store):
    store.create_incident("=HYPERLINK(\"https://evil.example\")", "Uithoorn", T0, actor="=cmd")
    store.add_source("Bron", actor="beheerder")
    assert store.audit_log(actor="beheerder")["table_name"].tolist() == ["sources"]
    assert store.audit_log(table="incidents")["actor"].tolist() == ["=cmd"]
    assert store.audit_log(start=datetime(2099, 1, 1, tzinfo=UTC)).empty
    rows = list(csv.DictReader(io.StringIO(audit_csv(store.audit_log()).decode("utf-8"))))
    assert {r["actor"] for r in rows} == {"'=cmd", "beheerder"}
    assert all(not r["after"].startswith(("=", "+", "-", "@")) for r in rows)


_WRITE = re.compile(r"\b(insert\s+into|update|delete\s+from)\s+(\w+)", re.IGNORECASE)


def _writes(node: ast.AST) -> set[str]:
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found |= {m.group(2).lower() for m in _WRITE.finditer(sub.value)}
        if (isinstance(sub, ast.Call) and getattr(sub.func, "attr", "") == "insert_frame" and len(sub.args) > 1
                and isinstance(sub.args[1], ast.Constant)):
            found.add(str(sub.args[1].value))
    return found & set(AUDITED)


def _uses_audited(node: ast.AST) -> bool:
    return any(isinstance(sub, ast.Call) and getattr(sub.func, "id", getattr(sub.func, "attr", "")) == "audited"
               for sub in ast.walk(node))


# Writes that are no change a person makes, each with the reason it is not audited row by row.
NOT_AUDITED = {
    "logbook.py:_insert_entry",       # called only by append_entry, inside its audited() block
    "names.py:_seal_plain_names",     # re-encrypts the same name; an audit row would keep it in clear
    "links.py:mark_linked",           # bookkeeping of the linker (which profile revision is applied)
    "temperature.py:load_timeline",   # scripted evaluation timelines, never a live database
    "retention.py:_purge",            # the purge logs counts, not content (one audit row per run)
}


def test_no_store_write_to_an_audited_table_escapes_the_audit():
    """A function of the store that writes to an audited table also opens an audited() block."""
    missing = []
    for path in sorted(STORE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            name = f"{path.name}:{func.name}"
            if _writes(func) and not _uses_audited(func) and name not in NOT_AUDITED:
                missing.append(f"{name} writes {sorted(_writes(func))}")
    assert missing == []
