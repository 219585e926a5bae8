"""The store: migrations, idempotent item storage, locking, export."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from onrust.models import Item
from onrust.store import DatabaseLocked, Store
from onrust.store.core import _migration_files

T0 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def _item(key: str, title: str = "Titel", summary: str = "Tekst", hash_: str = "h") -> Item:
    return Item(key, key, f"https://example.nl/{key}", title, summary, None, "nl", T0, None, T0, hash_)


def test_fresh_migration_applies_every_file_once(db_path):
    s = Store.open(db_path)
    applied = s.migrate()
    assert applied == [v for v, _, _ in _migration_files()]
    assert s.migrate() == []
    assert s.schema_version() == applied[-1]
    assert {"incidents", "sources", "items", "signals", "logbook"} <= set(s.table_names())
    s.close()


def test_upgrade_from_version_one_keeps_data(db_path):
    s = Store.open(db_path)
    # Simulate a database created by the first release: only migration 001 applied.
    version, name, sql = _migration_files()[0]
    s.cursor.execute("create table schema_migrations "
                     "(version integer primary key, name varchar not null, applied_at timestamptz not null)")
    with s.transaction() as cur:
        cur.execute(sql)
        cur.execute("insert into schema_migrations values (?, ?, ?)", [version, name, T0])
    # Plain SQL: save_items needs tables of later migrations.
    s.execute(
        "insert into items (item_key, source_id, title, published_at, fetched_at, content_hash)"
        " values ('a', 1, 'Titel', ?, ?, 'h')", [T0, T0])
    later = s.migrate()
    assert later == [v for v, _, _ in _migration_files()][1:]
    assert s.item_count() == 1
    s.close()


def test_save_items_is_idempotent_and_counts_updates(store):
    sid = store.add_source("Lokaal Nieuws", reach="lokaal")
    first = store.save_items(sid, [_item("a"), _item("b"), _item("b")])
    assert (first.new, first.updated, first.duplicates) == (2, 0, 1)
    again = store.save_items(sid, [_item("a"), _item("b")])
    assert (again.new, again.updated, again.duplicates) == (0, 0, 2)
    corrected = store.save_items(sid, [_item("a", title="Gecorrigeerd", hash_="h2")])
    assert (corrected.new, corrected.updated) == (0, 1)
    assert store.fetchone("select title from items where item_key = 'a'") == ("Gecorrigeerd",)
    assert store.item_count() == 2


def test_failed_transaction_leaves_nothing(store):
    sid = store.add_source("Bron", reach="regionaal")
    with pytest.raises(duckdb.Error):
        with store.transaction() as cur:
            store.insert_frame(cur, "items", __import__("pandas").DataFrame(
                [{"item_key": "x", "source_id": sid, "title": "t", "published_at": T0,
                  "fetched_at": T0, "content_hash": "h"}]))
            cur.execute("insert into items (item_key) values ('broken')")  # violates NOT NULL
    assert store.item_count() == 0


def test_timestamps_come_back_aware_in_utc(store):
    iid = store.create_incident("Test", "Veldwijk", T0 + timedelta(hours=1))
    opened = store.incident(iid).opened_at
    assert opened.tzinfo is not None and opened.utcoffset() == timedelta(0)
    assert opened == T0 + timedelta(hours=1)


def test_second_process_gets_a_clear_lock_error(db_path):
    holder = Store.open(db_path)
    holder.migrate()
    code = (
        "import sys\nfrom onrust.store import Store, DatabaseLocked\n"
        f"try:\n    Store.open({str(db_path)!r})\nexcept DatabaseLocked as e:\n    print(e.pid); sys.exit(3)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    holder.close()
    assert out.returncode == 3, out.stderr
    import os

    assert out.stdout.strip() == str(os.getpid())


def test_lock_error_message_names_the_pid(db_path):
    err = DatabaseLocked(db_path, 4242)
    assert "4242" in str(err) and "onrust serve" in str(err)


def test_export_writes_parquet_and_csv_per_table(store, tmp_path):
    sid = store.add_source("Bron", reach="landelijk")
    store.save_items(sid, [_item("a")])
    written = store.export_tables(tmp_path / "out")
    names = {p.name for p in written}
    assert {"items.parquet", "items.csv", "sources.csv"} <= names
    parquet = tmp_path / "out" / "items.parquet"
    assert duckdb.connect().execute("select count(*) from read_parquet(?)", [str(parquet)]).fetchone()[0] == 1


def test_export_csv_neutralises_formulas_and_parquet_keeps_the_text(store, tmp_path):
    import csv

    sid = store.add_source("=HYPERLINK(\"https://evil.example\",\"Bron\")", reach="landelijk")
    store.save_items(sid, [_item("a", title="@SUM(1+1)", summary="-2+3 gewonden")])
    store.export_tables(tmp_path / "out")
    with (tmp_path / "out" / "items.csv").open(encoding="utf-8", newline="") as fh:
        item = next(csv.DictReader(fh))
    assert (item["title"], item["summary"], item["item_key"]) == ("'@SUM(1+1)", "'-2+3 gewonden", "a")
    with (tmp_path / "out" / "sources.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["name"] == "'=HYPERLINK(\"https://evil.example\",\"Bron\")"
    parquet = str(tmp_path / "out" / "items.parquet")
    title = duckdb.connect().execute("select title from read_parquet(?)", [parquet]).fetchone()
    assert title == ("@SUM(1+1)",)


def test_failed_bulk_insert_reports_the_real_error(store):
    import pandas as pd

    sid = store.add_source("Bron", reach="regionaal")
    row = {"item_key": "x", "source_id": sid, "title": "t", "published_at": T0, "fetched_at": T0, "content_hash": "h"}
    with pytest.raises(duckdb.ConstraintException, match="duplicate key"):
        with store.transaction() as cur:
            store.insert_frame(cur, "items", pd.DataFrame([row]))
            store.insert_frame(cur, "items", pd.DataFrame([row]))  # same key: unique violation
    assert store.item_count() == 0


def _not_a_database(tmp_path, kind: str):
    """A real file of each kind a user might point --db or ONRUST_DB at by mistake."""
    import sqlite3

    path = tmp_path / f"{kind}.duckdb"
    if kind == "sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("create table t (x)")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        with Store.open(tmp_path / "whole.duckdb") as whole:
            whole.migrate()
        path.write_bytes((tmp_path / "whole.duckdb").read_bytes()[:100_000])
    elif kind == "directory":
        path.mkdir()
    return path


@pytest.mark.parametrize("kind, says", [
    ("sqlite", "is een SQLite-database, geen Onrustmonitor-database"),
    ("empty", "is leeg"),
    ("truncated", "is beschadigd of geen DuckDB-bestand"),
    ("directory", "is een map"),
])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_no_database_is_a_clear_error(tmp_path, kind, says, read_only):
    from onrust.errors import UserError

    path = _not_a_database(tmp_path, kind)
    with pytest.raises(UserError, match=f"De database {path} {says}") as err:
        Store.open(path, read_only=read_only)
    assert "download" not in str(err.value).lower()


def test_duckdb_never_installs_or_loads_extensions_by_itself(store):
    for setting in ("autoinstall_known_extensions", "autoload_known_extensions"):
        assert store.scalar(f"select current_setting('{setting}')") is False


def test_a_read_only_file_opens_read_only_for_reading(db_path):
    """Root ignores chmod, so the read-only open itself is tested here; test_cli runs a real
    `signal list` on a chmod 444 file as an unprivileged user."""
    import os
    import stat

    with Store.open(db_path) as s:
        s.migrate()
        s.add_source("Bron", reach="regionaal")
    os.chmod(db_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    with Store.open(db_path, read_only=True) as s:
        assert [source.name for source in s.sources()] == ["Bron"]
        with pytest.raises(duckdb.Error, match="read-only"):
            s.add_source("Nog een", reach="lokaal")
