"""Every command that writes a file answers an unwritable target with one Dutch line and exit 2
(issue 11, defect 9): here the target lies under a regular file, which no OS lets anyone write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.cli import main
from onrust.store import Store

OPENED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FIELDS = 'titel = "Rustige avond"\nkern = "De avond is rustig verlopen."\n'


@pytest.fixture
def setup(tmp_path):
    db = tmp_path / "t.duckdb"
    with Store.open(db) as store:
        store.migrate()
        incident = store.create_incident("Brand Centrum", "Uithoorn", OPENED, actor="teamleider")
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map", encoding="utf-8")
    fields = tmp_path / "velden.toml"
    fields.write_text(FIELDS, encoding="utf-8")
    return db, str(incident), blocker, fields


COMMANDS = {
    "audit export": lambda i, out, f: ["audit", "export", "--out", f"{out}.csv"],
    "log export": lambda i, out, f: ["log", "export", "--incident", i, "--out", f"{out}.csv"],
    "meeting agenda": lambda i, out, f: ["meeting", "agenda", "--incident", i, "--out", f"{out}.docx"],
    "handover": lambda i, out, f: ["handover", "--incident", i, "--out", f"{out}.docx"],
    "checklist export": lambda i, out, f: ["checklist", "export", "--incident", i, "--out", f"{out}.md"],
    "informatiebehoefte export": lambda i, out, f: ["informatiebehoefte", "export", "--incident", i,
                                                    "--out", f"{out}.xlsx"],
    "omgevingsbeeld": lambda i, out, f: ["omgevingsbeeld", "--incident", i, "--out", f"{out}.docx"],
    "review": lambda i, out, f: ["review", "--incident", i, "--out", f"{out}.html"],
    "press render": lambda i, out, f: ["press", "render", str(f), "--municipality", "Uithoorn",
                                       "--variant", "persbericht", "--docx", f"{out}.docx"],
    "signal template": lambda i, out, f: ["signal", "template", f"{out}.xlsx"],
    "export": lambda i, out, f: ["export", "--out", str(out)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unwritable_target_is_a_message_not_a_traceback(setup, command, capsys):
    db, incident, blocker, fields = setup
    argv = COMMANDS[command](incident, blocker / "uit", fields) + ["--db", str(db)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("onrust: ") and "Traceback" not in err
    assert str(blocker) in err
