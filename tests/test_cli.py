"""The onrust command as users run it: real processes, real database files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from onrust.store import Store

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lokaal Nieuws</title><link>https://lokaal.example/</link>
<description>test</description>
<item><title>Onrust in de wijk na gerucht</title><link>https://lokaal.example/a?utm_source=x</link>
<guid>lokaal-1</guid><pubDate>Mon, 05 Oct 2026 09:00:00 +0200</pubDate>
<description>&lt;p&gt;Bewoners zijn &lt;b&gt;ongerust&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Gemeente reageert</title><link>https://lokaal.example/b</link>
<guid>lokaal-2</guid><pubDate>Mon, 05 Oct 2026 11:00:00 +0200</pubDate>
<description>De burgemeester spreekt bewoners toe.</description></item>
</channel></rss>"""


def onrust(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=180,
        check=check,
    )


def test_init_twice_changes_nothing(db_path: Path):
    first = onrust("init", "--db", str(db_path), "--json", check=True)
    second = onrust("init", "--db", str(db_path), "--json", check=True)
    assert json.loads(first.stdout)["schema_version"] == json.loads(second.stdout)["schema_version"]
    from onrust.store.core import _migration_files

    with Store.open(db_path) as s:
        assert s.scalar("select count(*) from schema_migrations") == len(_migration_files())


def test_ingest_file_twice_stores_nothing_twice(db_path: Path, tmp_path: Path):
    feed = tmp_path / "lokaal.xml"
    feed.write_bytes(RSS)
    first = json.loads(onrust("ingest", str(feed), "--db", str(db_path), "--json", check=True).stdout)
    second = json.loads(onrust("ingest", str(feed), "--db", str(db_path), "--json", check=True).stdout)
    assert (first[0]["new"], second[0]["new"], second[0]["duplicates"]) == (2, 0, 2)
    with Store.open(db_path) as s:
        row = s.fetchone("select url, summary from items where guid = 'lokaal-1'")
    assert row == ("https://lokaal.example/a", "Bewoners zijn ongerust.")


def test_ingest_unreadable_input_exits_non_zero_with_message(db_path: Path, tmp_path: Path):
    bad = tmp_path / "kapot.xml"
    bad.write_bytes(b"<html><body>geen feed</body></html>")
    out = onrust("ingest", str(bad), "--db", str(db_path))
    assert out.returncode == 1
    assert "FOUT" in out.stdout and "Traceback" not in out.stderr
    missing = onrust("ingest", str(tmp_path / "bestaat-niet.xml"), "--db", str(db_path))
    assert missing.returncode == 2 and "niet gevonden" in missing.stderr


def test_write_command_refuses_while_another_process_holds_the_file(db_path: Path):
    holder = Store.open(db_path)
    try:
        out = onrust("init", "--db", str(db_path))
    finally:
        holder.close()
    import os

    assert out.returncode == 2
    assert f"proces {os.getpid()}" in out.stderr and "Traceback" not in out.stderr


def test_export_writes_every_table(db_path: Path, tmp_path: Path):
    onrust("init", "--db", str(db_path), check=True)
    out = json.loads(onrust("export", "--db", str(db_path), "--out", str(tmp_path / "x"), "--json", check=True).stdout)
    assert any(p.endswith("items.parquet") for p in out) and any(p.endswith("signals.csv") for p in out)


def test_bad_user_settings_file_is_a_clear_error(db_path: Path, tmp_path: Path):
    cfg = tmp_path / "mijn.toml"
    cfg.write_text("[server]\npoort = 1\n")
    out = onrust("init", "--db", str(db_path), "--config", str(cfg))
    assert out.returncode == 2 and "server.poort" in out.stderr


def test_time_options_read_iso_and_dutch_in_amsterdam_time():
    from datetime import UTC, datetime

    import pytest

    from app.cli import time_arg
    from onrust.errors import UserError

    expected = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)  # 14:00 summer time
    assert time_arg("2026-10-05T14:00") == time_arg("05-10-2026 14:00") == time_arg("5 oktober 2026 14.00") == expected
    assert time_arg(None) is None
    with pytest.raises(UserError, match="geen bestaande datum"):
        time_arg("31-02-2026")


def test_a_sqlite_file_as_database_is_a_clear_error(tmp_path: Path):
    import sqlite3

    with sqlite3.connect(tmp_path / "oud.db") as conn:
        conn.execute("create table signalen (tekst)")
    out = onrust("signal", "list", "--db", str(tmp_path / "oud.db"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "is een SQLite-database, geen Onrustmonitor-database (DuckDB)" in out.stderr
    assert "download" not in out.stderr.lower()


def onrust_without_write_rights(*args: str) -> subprocess.CompletedProcess:
    """As `onrust`, but unable to write a chmod 444 file even when the tests run as root: root
    writes regardless of file modes through CAP_DAC_OVERRIDE, so that capability is dropped."""
    if os.geteuid() != 0:
        return onrust(*args)
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    return subprocess.run(
        ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", sys.executable, "-m", "app.cli",
         *args], capture_output=True, text=True, timeout=180,
    )


SIGNAL = ("--kind", "melding", "--source-type", "politie", "--reliability", "B2", "--severity", "4",
          "--municipality", "Den Haag", "--occurred", "gisteren 20:00", "--text", "Melding van samenscholing")


def test_read_commands_read_a_database_this_user_may_not_write(tmp_path: Path):
    db = tmp_path / "archief.duckdb"
    onrust("signal", "add", "--db", str(db), *SIGNAL, check=True)
    db.chmod(0o444)
    listed = onrust_without_write_rights("signal", "list", "--db", str(db), "--json")
    assert listed.returncode == 0, listed.stderr
    assert [s["text"] for s in json.loads(listed.stdout)] == ["Melding van samenscholing"]
    added = onrust_without_write_rights("signal", "add", "--db", str(db), *SIGNAL[:-1], "Tweede melding")
    assert added.returncode == 2 and "Traceback" not in added.stderr
    assert "kan niet worden beschreven (geen schrijfrechten)" in added.stderr


def test_a_read_only_database_with_an_older_schema_is_a_clear_error(tmp_path: Path):
    import duckdb

    db = tmp_path / "oud.duckdb"
    duckdb.connect(str(db)).close()  # a DuckDB file without our schema: nothing migrated yet
    db.chmod(0o444)
    out = onrust_without_write_rights("signal", "list", "--db", str(db))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "is alleen-lezen en mist schema-updates" in out.stderr
