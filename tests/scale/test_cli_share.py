"""The `onrust` command on both sides of the shared folder: the collector publishes, a dashboard
machine (scale.mode = "read") reads the snapshot with the ordinary read commands and refuses writes."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app.cli import main
from onrust.models import SignalInput
from onrust.store import Store
from onrust.store.lake import current_snapshot, publish
from onrust.timeutil import utcnow


def _config(tmp: Path, mode: str, share: Path) -> str:
    path = tmp / f"{mode}.toml"
    path.write_text(f"[scale]\nmode = \"{mode}\"\nshared_dir = \"{share}\"\nkeep_seconds = 1\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def collector(tmp_path: Path) -> tuple[Path, Path]:
    """A collector's database with an incident and one signal, and its (empty) shared folder."""
    db, share = tmp_path / "regio.duckdb", tmp_path / "share"
    with Store.open(db) as store:
        store.migrate()
        incident = store.create_incident("Onrust", "Uithoorn", utcnow() - timedelta(hours=5))
        store.add_signal(SignalInput(
            incident_id=incident, kind="melding", source_type="politie", reliability="B", credibility=2,
            verification="onbevestigd", severity=3, municipality="Uithoorn", neighbourhood=None,
            occurred_at=utcnow() - timedelta(hours=1), reported_at=utcnow() - timedelta(hours=1), entered_at=utcnow(),
            text="Groep jongeren bij het gemeentehuis", entered_by="analist"))
    return db, share


def test_publish_then_read_on_a_dashboard_machine(collector, tmp_path: Path, capsys):
    db, share = collector
    publishing, reading = _config(tmp_path, "publish", share), _config(tmp_path, "read", share)
    assert main(["share", "publish", "--db", str(db), "--config", publishing, "--json"]) == 0
    published = json.loads(capsys.readouterr().out)
    assert published["snapshot"] == "000001" and published["rows"] > 0
    assert main(["share", "publish", "--db", str(db), "--config", publishing]) == 0
    assert "Niets veranderd" in capsys.readouterr().out

    assert main(["signal", "list", "--config", reading, "--json"]) == 0  # from the snapshot, no database
    assert [s["text"] for s in json.loads(capsys.readouterr().out)] == ["Groep jongeren bij het gemeentehuis"]
    assert main(["share", "status", "--config", reading, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["snapshot"] == "000001" and status["rows"]["signals"] == 1 and status["rows"]["incidents"] == 1
    assert main(["export", "--out", str(tmp_path / "export"), "--config", reading]) == 0
    assert (tmp_path / "export" / "signals.csv").read_text(encoding="utf-8").count("Groep jongeren") == 1
    capsys.readouterr()

    code = main(["signal", "add", "--config", reading, "--kind", "melding", "--source-type", "politie",
                 "--reliability", "B", "--credibility", "2", "--severity", "2", "--municipality", "Uithoorn",
                 "--occurred", "nu", "--text", "nog een"])
    assert code == 2 and "kijkt alleen mee" in capsys.readouterr().err
    assert main(["share", "publish", "--config", reading]) == 2
    assert "publiceren doet de collector" in capsys.readouterr().err


def test_a_dashboard_machine_before_the_first_publish_says_so(tmp_path: Path, capsys):
    reading = _config(tmp_path, "read", tmp_path / "share")
    assert main(["serve", "--config", reading]) == 2
    assert "nog niets gepubliceerd" in capsys.readouterr().err
    assert main(["signal", "list", "--config", reading]) == 2


def test_superseded_snapshots_and_half_written_ones_go(collector):
    db, share = collector
    (share / "snapshots" / ".000007.tmp").mkdir(parents=True)  # what a publish killed halfway leaves
    with Store.open(db) as store:
        for n in range(3):
            store.execute("update incidents set description = ?", [f"stand {n}"])
            publish(store, share, keep_seconds=1)
            if n == 1:
                time.sleep(1.2)  # snapshot 1 was superseded (by 2) more than keep_seconds ago
    kept = sorted(p.name for p in (share / "snapshots").iterdir())
    assert kept == ["000002", "000003"] and current_snapshot(share) == "000003"


def test_a_dashboard_of_another_version_says_to_upgrade_both(collector):
    from onrust.store.lake import LakeError, LakeStore, read_manifest

    db, share = collector
    with Store.open(db) as store:
        publish(store, share, keep_seconds=60)
    manifest = read_manifest(share, "000001")
    (share / "snapshots" / "000001" / "manifest.json").write_text(
        json.dumps({**manifest, "schema_version": manifest["schema_version"] + 1}), encoding="utf-8")
    with pytest.raises(LakeError, match="werk collector en dashboards samen bij"):
        LakeStore.open_shared(share)
