"""Connection handling, migrations and transactions: the one place that talks to DuckDB."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Self

import duckdb
import pandas as pd

from onrust.errors import IncidentClosed, UserError
from onrust.text import excel_safe
from onrust.timeutil import utcnow

_PID = re.compile(r"PID (\d+)")
# How often one statement is run when a concurrent write to the same row makes DuckDB refuse it.
_CONFLICT_ATTEMPTS = 5
# DuckDB fetches and loads an extension when it meets a file it cannot read itself (a SQLite file
# makes it download sqlite_scanner): never download code, never load anything not asked for.
_CONFIG: dict[str, str | bool | int | float | list[str]] = {  # the value type duckdb.connect declares
    "autoinstall_known_extensions": False, "autoload_known_extensions": False}
# What the generic write path refuses: the logbook and the audit trail are append-only. The
# database refuses UPDATE, DELETE and DROP of their sealed rows itself (migrations 009 and 013);
# this also covers the seal tables, which nothing in the database protects, and names the reason
# before any SQL runs.
_APPEND_ONLY_CHANGE = re.compile(
    r"\b(update|delete\s+from|truncate(\s+table)?|drop\s+table(\s+if\s+exists)?|alter\s+table)"
    r"\s+(main\.)?\"?(?P<table>logbook|logbook_seal|audit_log|audit_seal)\b", re.IGNORECASE)


class DatabaseLocked(RuntimeError):
    """Another process (normally `onrust serve`) holds the DuckDB file read-write."""

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        who = f"proces {pid}" if pid else "een ander proces"
        super().__init__(
            f"De database {path} is in gebruik door {who} (waarschijnlijk `onrust serve`). "
            f"Stop die server of voer de opdracht uit via het dashboard. / "
            f"The database is locked by {'PID ' + str(pid) if pid else 'another process'}."
        )


class AppendOnlyError(RuntimeError):
    """A statement would change or remove logbook or audit entries; corrections are new entries."""


class DatabaseUnreadable(UserError):
    """The path is no DuckDB database this process can open: another format, empty, damaged,
    a folder, or not writable for a command that writes."""

    def __init__(self, path: Path, exc: duckdb.Error, *, read_only: bool) -> None:
        super().__init__(f"De database {path} {_why_unreadable(path, exc, read_only)}. "
                         "Kies het juiste bestand met --db of ONRUST_DB.")


class StorageFull(UserError):
    """The disk (or the file-size limit) refused a write; the transaction was rolled back, so
    nothing is half stored and the same command can simply be run again once there is room."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"De database {path} kon niet worden bijgewerkt: de schijf is vol (of het bestand "
                         "mag niet groter worden). Er is niets half opgeslagen; maak ruimte vrij en voer de "
                         "opdracht opnieuw uit.")


class DatabaseReadOnly(UserError, duckdb.Error):
    """A write to a database that is open read-only (an archived copy: chmod 444, a read-only
    mount). Nothing was changed. Still a duckdb.Error for code that catches one; `detail` (also
    the exception's note, shown in a traceback) keeps DuckDB's own text for whoever investigates."""

    def __init__(self, path: Path, exc: BaseException) -> None:
        self.detail = str(exc)
        self.add_note(self.detail)
        super().__init__(f"De database is alleen-lezen ({path}): deze wijziging is niet opgeslagen. "
                         "Het bestand is een archief of mag niet worden beschreven; open een beschrijfbare "
                         "kopie om verder te werken. Er is niets gewijzigd.")


def _read_only_refusal(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and "read-only mode" in str(exc)


# errno texts DuckDB passes on: ENOSPC, EFBIG (RLIMIT_FSIZE or a filesystem's size cap), EDQUOT.
_FULL = ("no space left on device", "file too large", "disk quota exceeded")


def _disk_full(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(text in str(exc).lower() for text in _FULL)


def _why_unreadable(path: Path, exc: duckdb.Error, read_only: bool) -> str:
    if path.is_dir():
        return "is een map, geen databasebestand"
    if not path.exists():
        return "bestaat niet"
    if not os.access(path, os.R_OK):
        return "is niet leesbaar (geen leesrechten)"
    if not read_only and (not os.access(path, os.W_OK) or "permission denied" in str(exc).lower()):
        return ("kan niet worden beschreven (geen schrijfrechten); opdrachten die alleen lezen, "
                "zoals `onrust signal list`, werken wel")
    with path.open("rb") as fh:
        head = fh.read(16)
    if not head:
        return "is leeg"
    if head == b"SQLite format 3\0":
        return "is een SQLite-database, geen Onrustmonitor-database (DuckDB)"
    return f"is beschadigd of geen DuckDB-bestand (DuckDB: {str(exc).splitlines()[0]})"


def _migration_files() -> list[tuple[int, str, str]]:
    """Numbered SQL files shipped beside this module, in order."""
    folder = resources.files("onrust.store") / "migrations"
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name[4:-4], entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers: {versions}")
    return found


class CoreStore:
    """Owns one DuckDB database; per-thread cursors because a DuckDB connection is not thread-safe."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool = False) -> None:
        self._conn = conn
        self.path = path
        self.read_only = read_only  # an archived copy: pages show it and skip their bookkeeping writes
        self._local = threading.local()
        self._version_lock = threading.Lock()
        self._statement_lock = threading.Lock()  # execute(): single-statement writes, one at a time
        self.data_version = 0  # bumped on every committed write; dashboard caches key on it

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Self:
        path = Path(path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
        except duckdb.Error as exc:
            match = _PID.search(str(exc))
            if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
                raise DatabaseLocked(path, int(match.group(1)) if match else None) from exc
            raise DatabaseUnreadable(path, exc, read_only=read_only) from exc
        conn.execute("set TimeZone = 'UTC'")
        # A misspelt table must be an error, not a silent read of a same-named Python variable;
        # frames are passed with register() only.
        conn.execute("set python_enable_replacements = false")
        return cls(conn, path, read_only=read_only)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- low level -------------------------------------------------------------------------
    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._conn.cursor()
            cur.execute("set TimeZone = 'UTC'")
            cur.execute("set python_enable_replacements = false")
            self._local.cursor = cur
        return cur

    def _bump(self) -> None:
        with self._version_lock:
            self.data_version += 1

    @contextmanager
    def transaction(self, *, bookkeeping: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing unit of work; a crash inside leaves no partial batch.

        `bookkeeping`: a write no cached read depends on (who was seen, a page visit, once per
        browser session); it leaves data_version alone, so a new session does not throw away every
        cached page of every other user. Its readers are never cached (dashboard.data.fresh)."""
        cur = self.cursor
        cur.execute("begin transaction")
        try:
            yield cur
        except BaseException as exc:
            cur.execute("rollback")
            if _disk_full(exc):
                raise StorageFull(self.path) from exc
            if _read_only_refusal(exc):
                raise DatabaseReadOnly(self.path, exc) from exc
            raise
        try:
            cur.execute("commit")
        except duckdb.Error as exc:  # DuckDB writes the WAL at commit: a full disk shows here
            if _disk_full(exc):
                raise StorageFull(self.path) from exc
            raise
        if not bookkeeping:
            self._bump()

    @contextmanager
    def incident_write(self, *incident_ids: int | None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction for a change to an incident's work (decisions, press releases, checklists,
        matrix, signals, strategy): refused with IncidentClosed when one of them is closed."""
        with self.transaction() as cur:
            self.require_open(cur, incident_ids)
            yield cur

    @staticmethod
    def require_open(cur: duckdb.DuckDBPyConnection, incident_ids: Iterable[int | None]) -> None:
        """The one guard of every user write to an incident, checked inside the write's own
        transaction (a close committed just before is seen). None is "no incident": allowed."""
        wanted = sorted({int(i) for i in incident_ids if i is not None})
        if not wanted:
            return
        closed = cur.execute(
            "select id from incidents where status = 'gesloten' and list_contains(?, id) order by id",
            [wanted],
        ).fetchall()
        if closed:
            raise IncidentClosed(int(closed[0][0]))

    @staticmethod
    def temperature_inputs_changed(cur: duckdb.DuckDBPyConnection, incidents_sql: str,
                                   params: Sequence[Any] | dict[str, Any] = ()) -> None:
        """Inside a write's own transaction: the incidents `incidents_sql` selects (one
        `incident_id` column) have other temperature inputs now, so their stored bins are stale
        (migration 017). Every write to links, to the tags or story of linked items and every
        purge calls this; a missed call would show a stale temperature, an extra one only costs
        a recomputation."""
        cur.execute("insert into temperature_generation (incident_id)"
                    f" select distinct incident_id from ({incidents_sql})", params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), *, bookkeeping: bool = False) -> None:
        """Run one write statement in its own transaction (never one that changes the logbook or
        the audit trail); `bookkeeping` as in transaction()."""
        if found := _APPEND_ONLY_CHANGE.search(sql):
            if found.group("table").lower().startswith("audit"):
                raise AppendOnlyError("Het auditspoor is alleen aan te vullen: regels wijzigen of wissen kan niet.")
            raise AppendOnlyError("Het logboek is alleen aan te vullen: corrigeer met een nieuwe regel.")
        for attempt in range(_CONFLICT_ATTEMPTS):
            try:
                # One at a time within the process: sessions upserting the same row (a visit or a
                # login of one user in two tabs) would otherwise conflict on every try.
                with self._statement_lock, self.transaction(bookkeeping=bookkeeping) as cur:
                    cur.execute(sql, params)
                return
            except (duckdb.TransactionException, duckdb.ConstraintException):
                # A transaction elsewhere wrote the same row at the same moment: this statement was
                # rolled back whole, so running it again is as if it had come second. A real
                # duplicate fails every attempt and is raised.
                if attempt == _CONFLICT_ATTEMPTS - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))

    def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        return self.cursor.execute(sql, params).fetchall()

    def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> tuple[Any, ...] | None:
        return self.cursor.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.fetchone(sql, params)
        return None if row is None else row[0]

    def frame(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
        return self.cursor.execute(sql, params).df()

    def table_exists(self, name: str) -> bool:
        return bool(
            self.scalar(
                "select count(*) from information_schema.tables where table_schema = 'main'"
                " and table_name = ?",
                [name],
            )
        )

    @staticmethod
    def returned(
        cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> Any:
        """The value an `insert ... returning` or an aggregate gives back: always exactly one row."""
        row = cur.execute(sql, params).fetchone()
        if row is None:
            raise RuntimeError(f"no row from: {sql[:80]}")
        return row[0]

    @staticmethod
    def insert_frame(
        cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, *, on_conflict: str = ""
    ) -> int:
        """Bulk insert through Arrow (executemany is ~600x slower); `table` is always a literal."""
        if frame.empty:
            return 0
        cols = ", ".join(frame.columns)
        cur.register("_insert_frame", frame)
        try:
            # DuckDB 2 answers an INSERT with its row count; reading it also completes the
            # result, which must happen before unregister().
            inserted = CoreStore.returned(
                cur, f"insert into {table} ({cols}) select {cols} from _insert_frame {on_conflict}"
            )
        except BaseException:
            # In an aborted transaction unregister() fails too; keep the original error.
            with contextlib.suppress(duckdb.Error):
                cur.unregister("_insert_frame")
            raise
        cur.unregister("_insert_frame")
        return int(inserted)

    # -- migrations ------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.scalar(
            "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
        )
        if not exists:
            return 0
        return int(self.scalar("select coalesce(max(version), 0) from schema_migrations") or 0)

    def pending_migrations(self) -> list[int]:
        """Versions not applied yet; a read-only file with any cannot be read by this version."""
        applied = set()
        if self.schema_version():
            applied = {row[0] for row in self.fetchall("select version from schema_migrations")}
        return [version for version, _, _ in _migration_files() if version not in applied]

    def migrate(self) -> list[int]:
        """Apply every migration not yet recorded, each in its own transaction."""
        self.cursor.execute(
            "create table if not exists schema_migrations ("
            " version integer primary key, name varchar not null, applied_at timestamptz not null)"
        )
        done = {row[0] for row in self.fetchall("select version from schema_migrations")}
        applied: list[int] = []
        for version, name, sql in _migration_files():
            if version in done:
                continue
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute(
                    "insert into schema_migrations values (?, ?, ?)", [version, name, utcnow()]
                )
            applied.append(version)
        return applied

    def table_names(self) -> list[str]:
        rows = self.fetchall(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_type = 'BASE TABLE' order by table_name"
        )
        return [r[0] for r in rows]

    def export_tables(self, out_dir: Path) -> list[Path]:
        """Parquet and CSV of every table, for evaluators and archiving (Woo requests).

        The CSV files open in Excel, so their text columns go through excel_safe (registered as
        a DuckDB function: one rule, streamed by COPY); Parquet keeps the text exactly.
        """
        out_dir.mkdir(parents=True, exist_ok=True)
        cur = self.cursor
        cur.create_function("excel_safe", excel_safe, ["VARCHAR"], "VARCHAR")
        written: list[Path] = []
        try:
            for table in self.table_names():
                described = self.fetchall(
                    "select column_name, data_type from information_schema.columns"
                    " where table_schema = 'main' and table_name = ? order by ordinal_position", [table])
                columns = ", ".join(f'excel_safe("{name}") as "{name}"' if kind == "VARCHAR" else f'"{name}"'
                                    for name, kind in described)
                for ext, source, fmt in (("parquet", table, "parquet"),
                                         ("csv", f"(select {columns} from {table})", "csv, header true")):
                    target = out_dir / f"{table}.{ext}"
                    # COPY cannot take the target as a parameter; the path is ours, quotes escaped.
                    quoted = str(target).replace("'", "''")
                    cur.execute(f"copy {source} to '{quoted}' (format {fmt})")
                    written.append(target)
        finally:
            cur.remove_function("excel_safe")
        return written
