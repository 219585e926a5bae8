"""The audit trail (issue 11): who changed which row of a user-facing table, when, before and after.

Every store write to a table in AUDITED runs inside `audited(...)`, which snapshots the touched
rows as JSON in the write's own transaction before and after, and appends one audit_log row
(and its seal) per row that changed. `tests/store/test_audit.py` walks the store's SQL and fails
on a write to an audited table outside such a block, so a new write method cannot forget it.
The audit table is append-only like the logbook (migration 013; CoreStore.execute refuses it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from onrust.errors import UserError
from onrust.store.core import CoreStore
from onrust.text import excel_safe
from onrust.timeutil import to_utc, utcnow

# Table -> its key columns. A new table joins the audit trail with one line here (e.g. tasks).
AUDITED: Mapping[str, tuple[str, ...]] = {
    "incidents": ("id",),
    "signals": ("id",),
    "signal_routing": ("id",),
    "logbook": ("id",),
    "press_releases": ("id",),
    "press_versions": ("release_id", "version"),
    "info_matrix": ("incident_id", "doelgroep"),
    "checklist_state": ("incident_id", "item_id"),
    "strategy_decisions": ("id",),
    "sources": ("id",),
    "incident_persons": ("id",),
    "watch_profiles": ("incident_id",),
    "incident_tasks": ("incident_id", "task_id"),
    "incident_risk_moments": ("incident_id", "moment_key"),
}
SYSTEM = "systeem"  # the actor of writes no person asked for (the collector adding a source, a purge)
AUDIT_COLUMNS = ("id", "changed_at", "actor", "table_name", "row_id", "action", "before", "after")

Key = tuple[Any, ...]


def _key(table: str, key: Any) -> Key:
    key = key if isinstance(key, tuple) else (key,)
    if len(key) != len(AUDITED[table]):
        raise ValueError(f"{table} is keyed by {AUDITED[table]}, not {key!r}")
    return key


def row_id(key: Key) -> str:
    return "/".join(str(part) for part in key)


def snapshot(cur: duckdb.DuckDBPyConnection, table: str, keys: Sequence[Key]) -> dict[Key, str | None]:
    """The rows as JSON text by key (None: no such row); `table` is a key of AUDITED, never input."""
    columns = AUDITED[table]
    found: dict[Key, str | None] = {key: None for key in keys}
    if not keys:
        return found
    if len(columns) == 1:  # typed match on the key column keeps its index usable
        rows = cur.execute(f'select "{columns[0]}", to_json(t)::varchar from {table} t'
                           f' where list_contains(?, "{columns[0]}")', [[k[0] for k in keys]]).fetchall()
        by_id = {row_id((r[0],)): r[1] for r in rows}
    else:
        joined = ", ".join(f'"{c}"' for c in columns)
        rows = cur.execute(f"select concat_ws('/', {joined}), to_json(t)::varchar from {table} t"
                           f" where list_contains(?, concat_ws('/', {joined}))",
                           [[row_id(k) for k in keys]]).fetchall()
        by_id = {r[0]: r[1] for r in rows}
    return {key: by_id.get(row_id(key)) for key in keys}


def append_audit(
    cur: duckdb.DuckDBPyConnection, actor: str, table: str, rows: Sequence[tuple[str, str, str | None, str | None]],
    *, at: datetime | None = None,
) -> int:
    """Append (row_id, action, before, after) rows and their seals in the caller's transaction."""
    if not rows:
        return 0
    when = to_utc(at) if at else utcnow()
    frame = pd.DataFrame({
        "changed_at": [when] * len(rows), "actor": [actor] * len(rows), "table_name": [table] * len(rows),
        "row_id": [r[0] for r in rows], "action": [r[1] for r in rows],
        "before": pd.Series([r[2] for r in rows], dtype="object"),
        "after": pd.Series([r[3] for r in rows], dtype="object"),
    })
    cur.register("_audit_rows", frame)
    try:
        ids = cur.execute(
            "insert into audit_log (changed_at, actor, table_name, row_id, action, before, after)"
            " select changed_at, actor, table_name, row_id, action, before::json, after::json from _audit_rows"
            " returning id").fetchall()
    finally:
        cur.unregister("_audit_rows")
    cur.execute("insert into audit_seal (entry_id) select unnest(?)", [[r[0] for r in ids]]).fetchall()
    return len(ids)


class Changes:
    """The rows one write touches in one audited table: keys known before the write are
    snapshotted at once, rows the write creates are added with `added` once their key is known."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, actor: str, table: str, keys: Sequence[Any]) -> None:
        self.cur, self.actor, self.table = cur, actor, table
        self.before: dict[Key, str | None] = {}
        self.watch(*keys)

    def watch(self, *keys: Any) -> None:
        """Rows the write may change or remove: their state now is the `before`."""
        fresh = [k for k in (_key(self.table, key) for key in keys) if k not in self.before]
        self.before.update(snapshot(self.cur, self.table, fresh))

    def added(self, *keys: Any) -> None:
        """Rows the write just created (their key came from `returning`)."""
        for key in keys:
            self.before.setdefault(_key(self.table, key), None)

    def record(self) -> int:
        after = snapshot(self.cur, self.table, list(self.before))
        rows = []
        for key, old in self.before.items():
            new = after[key]
            if old == new:
                continue
            action = "insert" if old is None else "delete" if new is None else "update"
            rows.append((row_id(key), action, old, new))
        return append_audit(self.cur, self.actor, self.table, rows)


@contextmanager
def audited(cur: duckdb.DuckDBPyConnection, actor: str, table: str, *keys: Any) -> Iterator[Changes]:
    """Wrap a write to `table` inside an open transaction: the audit rows commit with it."""
    if not actor.strip():
        raise UserError("Vul in wie de wijziging doet.")
    if table not in AUDITED:
        raise ValueError(f"{table} is not an audited table")
    changes = Changes(cur, actor.strip(), table, keys)
    yield changes
    changes.record()


class AuditQueries(CoreStore):
    def record_settings_overrides(self, source: str, overrides: Mapping[str, Any], *, actor: str) -> bool:
        """Settings overrides live in a TOML file, not in the database: the server records them
        (table 'settings') whenever they differ from the last record. True when a row was added."""
        now = json.dumps(overrides, sort_keys=True, ensure_ascii=False, default=str)
        with self.transaction() as cur:
            last = cur.execute("select after::varchar from audit_log where table_name = 'settings'"
                               " order by id desc limit 1").fetchall()
            before = last[0][0] if last else None
            if (json.loads(before) if before else {}) == json.loads(now):
                return False
            append_audit(cur, actor, "settings", [(source, "update" if before else "insert", before, now)])
        return True

    def audit_log(
        self, *, table: str | None = None, actor: str | None = None,
        start: datetime | None = None, end: datetime | None = None,
    ) -> pd.DataFrame:
        """Newest first, filtered by table, actor (exact) and period [start, end)."""
        return self.frame(
            "select id, changed_at, actor, table_name, row_id, action, before::varchar as before,"
            " after::varchar as after from audit_log"
            " where (? is null or table_name = ?) and (? is null or actor = ?)"
            " and (? is null or changed_at >= ?) and (? is null or changed_at < ?) order by changed_at desc, id desc",
            [table, table, actor, actor, start, start, end, end],
        )

    def audit_actors(self) -> list[str]:
        return [r[0] for r in self.fetchall("select distinct actor from audit_log order by actor")]

    def audit_tables(self) -> list[str]:
        return [r[0] for r in self.fetchall("select distinct table_name from audit_log order by table_name")]


def audit_csv(frame: pd.DataFrame) -> bytes:
    """The audit rows as CSV for Excel: every text cell through excel_safe (no live formulas)."""
    safe = frame.reindex(columns=list(AUDIT_COLUMNS)).copy()
    for column in ("actor", "table_name", "row_id", "action", "before", "after"):
        safe[column] = [excel_safe(v) if isinstance(v, str) else v for v in safe[column]]
    safe["changed_at"] = [to_utc(v).isoformat() if isinstance(v, datetime) else v for v in safe["changed_at"]]
    return safe.to_csv(index=False).encode("utf-8")
