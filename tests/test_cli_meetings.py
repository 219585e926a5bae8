"""`onrust meeting agenda` and `onrust handover` through the real command line on a real DuckDB file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main
from comms.meetings import agenda_for, save_meeting
from onrust.docx import read_docx_text
from onrust.models import RosterMember, Situation
from onrust.store import Store

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
EMPTY = Situation(None, None, None, None, "", "", None, "", ())


def _run(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def incident(db_path) -> int:
    with Store.open(db_path) as store:
        store.migrate()
        incident_id = store.create_incident("Onrust Zuid", "Uithoorn", T0)
        store.save_roster(incident_id, [RosterMember("Gemeente", "Burgemeester", "Annelies Brouwer")], "Anna")
    return incident_id


def test_meeting_agenda_docx_and_pdf(capsys, db_path, tmp_path, incident):
    out = tmp_path / "agenda.docx"
    code, text, err = _run(capsys, db_path, "meeting", "agenda", "--incident", str(incident), "--out", str(out))
    assert (code, err) == (0, "")
    assert text.strip() == f"Agenda (Standaard Agenda 1e overleg Coördinatieteam, 7 punten) geschreven naar {out}."
    body = read_docx_text(out.read_bytes())
    assert "Burgemeester (Gemeente): Annelies Brouwer" in body and "7. Tijdstip volgend overleg" in body
    pdf = tmp_path / "agenda.pdf"
    code, text, _ = _run(capsys, db_path, "meeting", "agenda", "--incident", str(incident), "--out", str(pdf),
                         "--kind", "vervolg", "--json")
    assert code == 0 and json.loads(text)["points"] == 9 and pdf.read_bytes().startswith(b"%PDF-")


def test_a_stored_meeting_exports_as_held(capsys, db_path, tmp_path, incident):
    with Store.open(db_path) as store:
        agenda = agenda_for(store, store.incident(incident), EMPTY, open_tasks=(), now=T0 + timedelta(hours=2))
        meeting_id = save_meeting(store, incident, agenda, held_at=T0 + timedelta(hours=2), chair="Karin",
                                  author="Priya", notes={}, themes={"Informeren": "acuut"},
                                  decisions=["Informatieavond organiseren"], next_meeting=None)
    out = tmp_path / "verslag.docx"
    code, _, err = _run(capsys, db_path, "meeting", "agenda", "--incident", str(incident), "--out", str(out),
                        "--meeting", str(meeting_id))
    assert (code, err) == (0, "")
    body = read_docx_text(out.read_bytes())
    assert "Informatieavond organiseren" in body and "voorzitter Karin" in body


def test_handover_docx_and_pdf(capsys, db_path, tmp_path, incident):
    for name in ("overdracht.docx", "overdracht.pdf"):
        code, text, err = _run(capsys, db_path, "handover", "--incident", str(incident), "--out",
                               str(tmp_path / name), "--json")
        assert (code, err) == (0, "") and json.loads(text) | {"path": ""} == {"path": "", "inputs": 3, "points": 9}
    body = read_docx_text((tmp_path / "overdracht.docx").read_bytes())
    assert "Gemeente, Burgemeester: Annelies Brouwer" in body


@pytest.mark.parametrize("argv, message", [
    (("meeting", "agenda", "--incident", "1", "--out", "a.txt"), "Kies een .docx- of .pdf-bestand, niet 'a.txt'."),
    (("meeting", "agenda", "--incident", "7", "--out", "a.pdf"), "Incident 7 bestaat niet."),
    (("meeting", "agenda", "--incident", "1", "--out", "a.pdf", "--meeting", "5"),
     "Overleg 5 bestaat niet bij incident 1."),
    (("handover", "--incident", "7", "--out", "a.docx"), "Incident 7 bestaat niet."),
])
def test_bad_arguments_exit_2_with_a_dutch_message(capsys, db_path, tmp_path, incident, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, db_path, *argv)
    assert (code, out, err.strip()) == (2, "", f"onrust: {message}")
    assert not (tmp_path / "a.pdf").exists()
