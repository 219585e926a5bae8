"""`onrust task ...` and `onrust incident open --triage` through the real command line on a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from onrust.store import Store


def _run(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def _open(capsys, db: Path, *extra: str) -> int:
    code, out, err = _run(capsys, db, "incident", "open", "--name", "Zedenzaak sportvereniging",
                          "--municipality", "Uithoorn", "--opened", "2025-10-08T17:45+02:00", "--json", *extra)
    assert (code, err) == (0, "")
    return json.loads(out)["id"]


def test_open_with_triage_logs_the_decision(capsys, db_path):
    incident = _open(capsys, db_path, "--triage", "mo_protocol", "--by", "afdelingshoofd")
    code, out, _ = _run(capsys, db_path, "incident", "show", str(incident))
    assert code == 0 and "triage:     Calamiteit met (risico op) maatschappelijke onrust → afstemmen" in out
    with Store.open(db_path) as store:
        [entry] = store.log_entries(incident)
        assert (entry.kind, entry.author, entry.data) == ("besluit", "afdelingshoofd",
                                                          {"soort": "triage", "uitkomst": "mo_protocol"})


def test_open_refuses_a_bad_triage_with_the_other_fields_and_stores_nothing(capsys, db_path):
    code, out, err = _run(capsys, db_path, "incident", "open", "--name", " ", "--municipality", "Uithoorn",
                          "--triage", "paniek")
    assert code == 2 and out == ""
    assert err.splitlines() == ["onrust: Vul een naam in.",
                                "Onbekende triage-uitkomst 'paniek'; kies uit: draaiboek, mo_protocol."]
    with Store.open(db_path) as store:
        assert store.incidents() == []


def test_task_list_done_note_and_moment(capsys, db_path):
    incident = _open(capsys, db_path)
    code, out, err = _run(capsys, db_path, "task", "done", "--incident", str(incident), "--task", "003-1.1-1",
                          "--at", "2025-10-08T18:30+02:00", "--by", "afdelingshoofd")
    assert (code, err) == (0, "") and "Taak 003-1.1-1 afgerond" in out
    code, _, err = _run(capsys, db_path, "task", "note", "--incident", str(incident), "--task", "003-3.1-1",
                        "--text", "Instelling belooft het relaas vrijdag", "--by", "coördinator")
    assert (code, err) == (0, "")
    code, _, err = _run(capsys, db_path, "task", "moment", "--incident", str(incident), "--moment", "uitspraak",
                        "--at", "2030-01-15T10:00+01:00", "--by", "secretaris")
    assert (code, err) == (0, "")

    code, out, _ = _run(capsys, db_path, "task", "list", "--incident", str(incident), "--json")
    listed = json.loads(out)
    tasks = {t["id"]: t for t in listed["tasks"]}
    assert code == 0 and listed["protocol"] == "003" and len(tasks) == 48
    assert (tasks["003-1.1-1"]["status"], tasks["003-1.1-1"]["done_by"]) == ("gedaan", "afdelingshoofd")
    assert tasks["003-1.1-1"]["due_at"] == "2025-10-08T18:45:00+00:00"
    assert tasks["003-3.1-1"]["due_at"] == "2025-10-22T15:45:00+00:00"  # feitenrelaas: binnen 2 weken
    assert tasks["003-3.1-1"]["note"] == "Instelling belooft het relaas vrijdag"
    assert tasks["003-1.1-2"]["status"] == "te laat"  # the incident began in 2025: every open task is late
    assert listed["risk_moments"] == [{"moment": "uitspraak", "expected_at": "2030-01-15T09:00:00+00:00",
                                       "note": ""}]
    code, out, _ = _run(capsys, db_path, "task", "list", "--incident", str(incident))
    assert "Fase 1: Organisatie (Binnen 3 uur)" in out and "[x] 003-1.1-1" in out
    assert "uitspraak (di 15-01-2030 10:00)" in out and "1 van 48 gedaan, 47 te laat." in out
    with Store.open(db_path) as store:
        assert [e.kind for e in store.log_entries(incident)] == ["actie", "actie", "gebeurtenis"]


def test_task_commands_refuse_in_dutch(capsys, db_path):
    incident = _open(capsys, db_path)
    code, _, err = _run(capsys, db_path, "task", "done", "--incident", str(incident), "--task", "003-9.9")
    assert code == 2 and err.startswith("onrust: Onbekende taak '003-9.9'")
    code, _, err = _run(capsys, db_path, "task", "note", "--incident", str(incident), "--task", "003-1.1-1",
                        "--text", " ")
    assert (code, err) == (2, "onrust: Vul de notitie in.\n")
    code, _, err = _run(capsys, db_path, "task", "list", "--incident", "99")
    assert (code, err) == (2, "onrust: Incident 99 bestaat niet.\n")
    code, _, err = _run(capsys, db_path, "task", "moment", "--incident", str(incident), "--moment", "uitspraak")
    assert (code, err) == (2, "onrust: Geef --at (wanneer het moment verwacht wordt) of --clear.\n")


def test_a_closed_incident_refuses_task_writes(capsys, db_path):
    incident = _open(capsys, db_path)
    assert _run(capsys, db_path, "incident", "close", str(incident), "--by", "burgemeester")[0] == 0
    code, _, err = _run(capsys, db_path, "task", "done", "--incident", str(incident), "--task", "003-1.1-1")
    assert (code, err) == (2, "onrust: Dit incident is gesloten; heropen het om te wijzigen.\n")
    code, _, err = _run(capsys, db_path, "task", "note", "--incident", str(incident), "--task", "003-1.1-1",
                        "--text", "te laat")
    assert (code, err) == (2, "onrust: Dit incident is gesloten; heropen het om te wijzigen.\n")
    with Store.open(db_path) as store:
        assert store.task_states(incident) == []


def test_task_list_follows_the_protocol_setting(capsys, db_path, tmp_path):
    incident = _open(capsys, db_path)
    config = tmp_path / "eigen.toml"
    config.write_text('[tasks]\nprotocol = "000"\n', encoding="utf-8")
    code, out, _ = _run(capsys, db_path, "task", "list", "--incident", str(incident), "--config", str(config),
                        "--json")
    listed = json.loads(out)
    assert code == 0 and listed["protocol"] == "000" and len(listed["tasks"]) == 12
    assert listed["tasks"][0] == {"id": "000-I-1", "phase": "Fase I: Binnenkomst melding", "step": "",
                                  "text": "Triage melding.", "ref": "000 §2.1, Fase I", "within": "",
                                  "due_at": None, "status": "open", "done_at": None, "done_by": None, "note": ""}
