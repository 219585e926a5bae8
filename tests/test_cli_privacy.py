"""`onrust purge`, `onrust audit export` and the server's scheduled purge, on a real DuckDB file
with literal times (an incident closed in 2020 is past any retention period of the shipped settings)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from app.cli import main
from app.server import prepare_store, purge_expired
from onrust.models import SignalInput
from onrust.settings import load_settings
from onrust.store import Store
from onrust.store.shared import close_shared

OPENED = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
CLOSED = datetime(2020, 3, 20, 12, 0, tzinfo=UTC)


def _old_incident(path) -> int:
    with Store.open(path) as store:
        store.migrate()
        incident = store.create_incident("Onrust 2020", "Uithoorn", OPENED, actor="teamleider")
        store.add_signal(SignalInput(
            incident_id=incident, kind="gerucht", source_type="burger", reliability="C", credibility=3,
            verification="onbevestigd", severity=2, municipality="Uithoorn", neighbourhood=None,
            occurred_at=OPENED, reported_at=OPENED, entered_at=OPENED, text="Gerucht 2020", entered_by="analist"))
        store.add_incident_person(incident, "Jan de Vries", "slachtoffer", "woordvoerder")
        store.close_incident(incident, CLOSED, author="teamleider")
    return incident


def test_purge_dry_run_then_purge_then_audit_export(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    _old_incident(db)
    assert main(["purge", "--dry-run", "--json", "--db", str(db)]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["counts"]["signals"] == 1 and dry["counts"]["names"] == 1
    assert main(["purge", "--dry-run", "--db", str(db)]) == 0
    assert "signalen                              1 zou verwijderen" in capsys.readouterr().out

    assert main(["purge", "--by", "beheerder", "--db", str(db)]) == 0
    assert "gewist en vastgelegd in het auditspoor" in capsys.readouterr().out
    with Store.open(db) as store:
        assert store.fetchall("select count(*) from signals") == [(0,)]
        assert store.incident(1).name == "Onrust 2020"

    out = tmp_path / "audit.csv"
    assert main(["audit", "export", "--out", str(out), "--table", "retention", "--db", str(db)]) == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert (row["actor"], row["action"]) == ("beheerder", "purge")
    assert json.loads(row["after"])["signals"] == 1 and "Gerucht" not in row["after"]
    assert main(["audit", "export", "--out", str(out), "--actor", "analist", "--since", "01-03-2020 00:00",
                 "--db", str(db)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["table_name"], r["action"]) for r in rows] == [("signals", "insert")]


def test_audit_export_refuses_another_format_and_an_unwritable_path(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    _old_incident(db)
    assert main(["audit", "export", "--out", str(tmp_path / "a.xlsx"), "--db", str(db)]) == 2
    assert "Kies een .csv-bestand" in capsys.readouterr().err
    assert main(["audit", "export", "--out", str(tmp_path / "geen" / "map" / "a.csv"), "--db", str(db)]) == 2
    assert "Kan " in capsys.readouterr().err


def test_the_scheduled_purge_removes_and_audits_as_the_system(tmp_path):
    db = tmp_path / "t.duckdb"
    _old_incident(db)
    try:
        counts = purge_expired(db, load_settings())
        assert counts["signals"] == 1 and counts["names"] == 1
        assert purge_expired(db, load_settings())["signals"] == 0
    finally:
        close_shared(db)
    with Store.open(db) as store:
        [actor] = store.audit_log(table="retention")["actor"].tolist()
        assert actor == "systeem"


def test_a_changed_settings_file_is_recorded_when_the_server_starts(tmp_path):
    db, config = tmp_path / "t.duckdb", tmp_path / "onrust.toml"
    try:
        prepare_store(db, load_settings())  # no overrides: nothing to record
        config.write_text("[privacy]\nretention_days = 30\n", encoding="utf-8")
        prepare_store(db, load_settings(config))
        prepare_store(db, load_settings(config))  # unchanged: no second row
        config.write_text("[privacy]\nretention_days = 60\n", encoding="utf-8")
        store = prepare_store(db, load_settings(config))
        rows = store.audit_log(table="settings").to_dict("records")
    finally:
        close_shared(db)
    assert [(r["action"], r["row_id"]) for r in rows] == [("update", str(config)), ("insert", str(config))]
    assert json.loads(rows[0]["before"]) == {"privacy": {"retention_days": 30}}
    assert json.loads(rows[0]["after"]) == {"privacy": {"retention_days": 60}}
