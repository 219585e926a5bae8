"""The store published as date-partitioned Parquet on a shared folder, and read back from it.

A region (veiligheidsregio) or a national desk runs one collector and several dashboard
instances. DuckDB lets one process own its file, so the collector publishes snapshots that any
number of readers on other machines open read-only (docs/scale.md). The layout is plain Hive
partitioning, which DuckDB, Arrow and Spark read without anything of ours (Spark:
tests/scale/test_lake_spark.py; Trino was not run, docs/scale.md says why):

    <root>/CURRENT                                   name of the newest complete snapshot
    <root>/snapshots/000042/manifest.json            files, rows and fingerprints per partition
    <root>/snapshots/000042/items/date=2026-10-05/p000042_0.parquet
    <root>/snapshots/000042/incidents/p000040.parquet

A snapshot is written under a hidden name, renamed into place when complete, and only then
named in CURRENT (os.replace): a reader sees a whole snapshot or the one before, never a half
one. A publish reads the store in one transaction, so an ingestion batch is in it whole or not at
all. Only partitions whose rows changed are written again; the others are hard links to the
previous snapshot's files, so a publish costs what changed, not the whole store.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from onrust.errors import UserError
from onrust.store import Store
from onrust.store.core import _CONFIG, _migration_files
from onrust.timeutil import utcnow

# Hive's name for a NULL partition value; DuckDB writes it and Spark, Trino and Arrow read it as NULL.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
WHOLE = "*"  # the one "partition" of a table written as a single file
_BY_ITEM = "select t.*, cast(i.fetched_at as date) as date from {table} t left join items i on i.id = t.item_id"
# Tables that grow with the items, partitioned by the UTC day a row belongs to. Rows of an item
# sit in the partition of the item's fetched_at day, so a day's items, tags and links are
# rewritten together and a reader's day filter prunes all of them. The other tables are small.
PARTITIONED: Mapping[str, str] = {
    "items": "select *, cast(fetched_at as date) as date from items",
    "item_tags": _BY_ITEM.format(table="item_tags"),
    "item_tag_state": _BY_ITEM.format(table="item_tag_state"),
    "item_incidents": _BY_ITEM.format(table="item_incidents"),
    "link_state": _BY_ITEM.format(table="link_state"),
    "item_revisions": "select *, cast(replaced_at as date) as date from item_revisions",
    "signals": "select *, cast(entered_at as date) as date from signals",
    "signal_revisions": "select *, cast(changed_at as date) as date from signal_revisions",
    "temperature_points": "select *, cast(point_at as date) as date from temperature_points",
    "collection_runs": "select *, cast(started_at as date) as date from collection_runs",
    "audit_log": "select *, cast(changed_at as date) as date from audit_log",
}
# Deduplication keys are the collector's working state: no page reads them, and they are several
# rows per item that change on every ingestion.
NOT_PUBLISHED = frozenset({"story_keys"})
_SNAPSHOT_DIGITS = 6


class LakeError(UserError):
    """The shared folder holds no readable snapshot, or another collector is publishing to it."""


@dataclass(frozen=True, slots=True)
class PublishReport:
    snapshot: str | None  # None: nothing changed since the current snapshot, none written
    tables: int
    rows: int
    partitions_written: int
    partitions_linked: int
    seconds: float
    bytes: int  # size of the snapshot on disk (linked files counted once)

    def as_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "tables": self.tables, "rows": self.rows,
                "partitions_written": self.partitions_written, "partitions_linked": self.partitions_linked,
                "seconds": self.seconds, "bytes": self.bytes}


def _quoted(path: Path) -> str:
    """A path as a SQL string literal: COPY and read_parquet take no parameter for it; the paths are ours."""
    return "'" + str(path).replace("'", "''") + "'"


def _snapshot_name(number: int) -> str:
    return str(number).rjust(_SNAPSHOT_DIGITS, "0")


def current_snapshot(root: Path) -> str | None:
    """The snapshot CURRENT names, or None before the first publish."""
    try:
        return (root / "CURRENT").read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def read_manifest(root: Path, snapshot: str) -> dict[str, Any]:
    return json.loads((root / "snapshots" / snapshot / "manifest.json").read_text(encoding="utf-8"))


@contextlib.contextmanager
def _publisher_lock(root: Path) -> Iterator[None]:
    """One collector per shared folder: a second one would race for the snapshot numbers."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".publish.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LakeError(f"Een andere collector publiceert al naar {root}; er kan er maar één zijn.") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sources(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """table -> the SELECT of its rows (with a `date` column for the partitioned ones)."""
    names = [row[0] for row in cur.execute(
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and table_type = 'BASE TABLE' order by table_name").fetchall()]
    return {name: PARTITIONED.get(name, f'select * from "{name}"') for name in names if name not in NOT_PUBLISHED}


def _fingerprints(cur: duckdb.DuckDBPyConnection, table: str, sql: str) -> dict[str, tuple[int, str]]:
    """partition -> (rows, sum of row hashes): equal fingerprints mean the partition needs no rewrite."""
    if table in PARTITIONED:
        rows = cur.execute(
            f"select coalesce(cast(date as varchar), '{NULL_PARTITION}'), count(*), "
            f"cast(sum(hash(q)) as varchar) from ({sql}) q group by all").fetchall()
        if rows:
            return {str(key): (int(count), str(digest)) for key, count, digest in rows}
    [(count, digest)] = cur.execute(f"select count(*), cast(sum(hash(q)) as varchar) from ({sql}) q").fetchall()
    return {WHOLE: (int(count), str(digest))}


def _write_partitions(cur: duckdb.DuckDBPyConnection, table: str, sql: str, keys: list[str], target: Path,
                      name: str) -> dict[str, list[str]]:
    """COPY the rows of `keys` under `target`/<table>; returns partition -> files relative to `target`."""
    folder = target / table
    if keys == [WHOLE]:
        folder.mkdir(parents=True)
        file = folder / f"p{name}.parquet"
        rows = f"select * exclude (date) from ({sql}) q" if table in PARTITIONED else sql  # an empty partitioned table
        cur.execute(f"copy ({rows}) to {_quoted(file)} (format parquet, compression zstd)")
        return {WHOLE: [str(file.relative_to(target))]}
    cur.execute(
        f"copy (select * from ({sql}) q where coalesce(cast(date as varchar), '{NULL_PARTITION}') "
        f"in (select unnest(?::varchar[]))) to {_quoted(folder)} "
        f"(format parquet, compression zstd, partition_by (date), filename_pattern 'p{name}_{{i}}')", [keys])
    written: dict[str, list[str]] = {}
    for part in sorted(folder.iterdir()):
        key = part.name.split("=", 1)[1]
        written[key] = sorted(str(f.relative_to(target)) for f in part.iterdir())
    return written


def _link(source: Path, target: Path) -> None:
    """The previous snapshot's file in the new one: a hard link (free), a copy where links fail."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # a share without hard links (some SMB mounts): same bytes, more disk
        shutil.copy2(source, target)


def _table_entry(cur: duckdb.DuckDBPyConnection, table: str, sql: str, prints: Mapping[str, tuple[int, str]],
                 old: Mapping[str, Any], prev_dir: Path | None, target: Path, name: str
                 ) -> tuple[dict[str, Any], int, int]:
    """One table of the new snapshot: changed partitions written, the rest linked from `prev_dir`."""
    same = {k for k, (rows, digest) in prints.items()
            if prev_dir is not None and k in old and old[k]["rows"] == rows and old[k]["hash"] == digest}
    changed = sorted(set(prints) - same)
    files = _write_partitions(cur, table, sql, changed, target, name) if changed else {}
    for key in same if prev_dir is not None else ():  # `same` is empty without a previous snapshot
        files[key] = old[key]["files"]
        for file in old[key]["files"]:
            _link(prev_dir / file, target / file)
    partitions = {k: {"rows": prints[k][0], "hash": prints[k][1], "files": files.get(k, [])} for k in sorted(prints)}
    return {"partitioned": WHOLE not in prints, "partitions": partitions}, len(changed), len(same)


def _unchanged(prints: Mapping[str, Mapping[str, tuple[int, str]]], previous: Mapping[str, Any]) -> bool:
    before = {t: {k: (p["rows"], p["hash"]) for k, p in e["partitions"].items()} for t, e in previous.items()}
    return {t: dict(p) for t, p in prints.items()} == before


def _disk_bytes(folder: Path) -> int:
    seen: set[int] = set()
    total = 0
    for path in folder.rglob("*"):
        info = path.stat()
        if path.is_file() and info.st_ino not in seen:
            seen.add(info.st_ino)
            total += info.st_size
    return total


def _write_current(root: Path, name: str) -> None:
    pending = root / "CURRENT.tmp"
    with pending.open("w", encoding="ascii") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pending, root / "CURRENT")


def _prune(root: Path, keep_seconds: float, now: datetime) -> None:
    """Drop what no reader can still be on: superseded snapshots older than keep_seconds, and
    the hidden half-written folders of a publish that was killed (the lock says none is running)."""
    folder = root / "snapshots"
    for hidden in folder.glob(".*"):
        shutil.rmtree(hidden, ignore_errors=True)
    names = sorted((p.name for p in folder.iterdir() if p.name.isdigit()), key=int)  # past 999999 too
    for older, newer in zip(names, names[1:], strict=False):
        superseded = datetime.fromisoformat(read_manifest(root, newer)["published_at"])
        if (now - superseded).total_seconds() > keep_seconds:
            shutil.rmtree(folder / older, ignore_errors=True)


def publish(store: Store, root: Path, *, keep_seconds: float) -> PublishReport:
    """Publish the store to `root` as a new snapshot, unless nothing changed since the last one."""
    t0 = time.perf_counter()
    with _publisher_lock(root):
        prev = current_snapshot(root)
        prev_manifest = read_manifest(root, prev) if prev else {"tables": {}}
        name = _snapshot_name(int(prev) + 1 if prev else 1)
        (root / "snapshots").mkdir(exist_ok=True)
        target = root / "snapshots" / f".{name}.tmp"
        prev_dir = root / "snapshots" / prev if prev else None
        cur = store.cursor
        tables: dict[str, Any] = {}
        written = linked = 0
        cur.execute("begin transaction")  # one consistent read of every table: batches stay whole
        try:
            sources = _sources(cur)
            prints = {table: _fingerprints(cur, table, sql) for table, sql in sources.items()}
            rows = sum(n for parts in prints.values() for n, _ in parts.values())
            if prev and _unchanged(prints, prev_manifest["tables"]):  # nothing changed: touch no file
                return PublishReport(None, len(prints), rows, 0, 0, round(time.perf_counter() - t0, 3), 0)
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            for table, sql in sources.items():
                old = prev_manifest["tables"].get(table, {}).get("partitions", {})
                tables[table], w, k = _table_entry(cur, table, sql, prints[table], old, prev_dir, target, name)
                written, linked = written + w, linked + k
            [(schema_version,)] = cur.execute("select max(version) from schema_migrations").fetchall()
        finally:
            cur.execute("rollback")  # read only: nothing to commit
        now = utcnow()
        manifest = {"snapshot": name, "published_at": now.isoformat(), "schema_version": schema_version,
                    "tables": tables}
        (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.rename(target, root / "snapshots" / name)
        _write_current(root, name)
        _prune(root, keep_seconds, now)
        size = _disk_bytes(root / "snapshots" / name)
    return PublishReport(name, len(tables), rows, written, linked, round(time.perf_counter() - t0, 3), size)


class LakeStore(Store):
    """A published snapshot opened read-only: every table a view over its Parquet files, so every
    read query of the store runs unchanged. `refresh()` moves to a newer snapshot."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, root: Path) -> None:
        super().__init__(conn, root, read_only=True)
        self.snapshot: str | None = None
        self.published_at: datetime | None = None
        self._refresh_lock = threading.Lock()

    @classmethod
    def open_shared(cls, root: Path) -> LakeStore:
        conn = duckdb.connect(":memory:", config=_CONFIG)
        conn.execute("set TimeZone = 'UTC'")
        conn.execute("set python_enable_replacements = false")
        lake = cls(conn, root)
        try:
            if not lake.refresh():
                raise LakeError(f"In {root} is nog niets gepubliceerd: start eerst de collector "
                                "(scale.mode = \"publish\") of voer `onrust publish` uit.")
        except BaseException:
            conn.close()
            raise
        return lake

    def table_names(self) -> list[str]:
        """The published tables (views here), so `onrust export` works on a dashboard machine too."""
        rows = self.fetchall("select table_name from information_schema.tables where table_schema = 'main' "
                             "order by table_name")
        return [r[0] for r in rows]

    def refresh(self) -> bool:
        """Point every view at the newest snapshot; False when there is none or it is the one shown."""
        with self._refresh_lock:
            name = current_snapshot(self.path)
            if name is None or name == self.snapshot:
                return False
            manifest = read_manifest(self.path, name)
            if manifest["schema_version"] != (ours := _migration_files()[-1][0]):
                raise LakeError(f"De momentopname in {self.path} heeft schemaversie {manifest['schema_version']}, "
                                f"dit dashboard {ours}: werk collector en dashboards samen bij.")
            folder = self.path / "snapshots" / name
            cur = self.cursor
            cur.execute("begin transaction")  # all views move at once for the other threads' cursors
            try:
                for table, entry in manifest["tables"].items():
                    files = [folder / f for p in entry["partitions"].values() for f in p["files"]]
                    listed = "[" + ", ".join(_quoted(f) for f in files) + "]"
                    # The files hold every column of the table (Hive keeps the partition value in
                    # the folder name only), so the view reads them as they are, in the listed order.
                    cur.execute(f'create or replace view "{table}" as '
                                f"select * from read_parquet({listed}, hive_partitioning = false)")
            except BaseException:
                cur.execute("rollback")
                raise
            cur.execute("commit")
            self.snapshot = name
            self.published_at = datetime.fromisoformat(manifest["published_at"])
            self._bump()
            return True
