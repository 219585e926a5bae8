"""`onrust rumours show|set` through the real command line on a real DuckDB file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from app.cli import main
from onrust.models import SignalInput
from onrust.store import Store
from onrust.timeutil import utcnow

T0 = utcnow().replace(microsecond=0) - timedelta(hours=3)


def _run(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def _seed(db: Path) -> int:
    with Store.open(db) as store:
        store.migrate()
        incident = store.create_incident("Onrust", "Uithoorn", T0 - timedelta(hours=1))
        store.add_signal(SignalInput("gerucht", "sociale media", "C", 3, "onbevestigd", 3, "Uithoorn", None, T0, T0,
                                     T0, incident, "De verdachte zou zijn vrijgelaten.", "Anna"))
    return incident


def test_show_then_set_a_status_that_is_logged(capsys, db_path):
    incident = _seed(db_path)
    code, out, err = _run(capsys, db_path, "rumours", "show", "--incident", str(incident), "--json")
    assert (code, err) == (0, "")
    (rumour,) = json.loads(out)
    assert (rumour["key"], rumour["status"], rumour["text"]) == (
        "signal:1", "onbevestigd", "De verdachte zou zijn vrijgelaten.")
    code, out, err = _run(capsys, db_path, "rumours", "set", "--incident", str(incident), "--rumour", "signal:1",
                          "--status", "ontkracht", "--note", "OM: zit nog vast", "--author", "Bram")
    assert (code, err) == (0, "")
    assert out.startswith("signal:1     ontkracht") and "handmatig door Bram" in out
    with Store.open(db_path) as store:
        assert store.logbook(incident)["text"].tolist() == [
            "Gerucht ontkracht: De verdachte zou zijn vrijgelaten. (OM: zit nog vast)"]


def test_an_unknown_rumour_is_refused_in_dutch(capsys, db_path):
    incident = _seed(db_path)
    code, out, err = _run(capsys, db_path, "rumours", "set", "--incident", str(incident), "--rumour", "item:99",
                          "--status", "bevestigd")
    assert code == 2 and out == ""
    assert err.startswith("onrust: Gerucht 'item:99' staat niet in de geruchtentracker")
