"""The logbook (003 fase 1.5; 000 §2.3 besluitenlijst): append, correct by appending, read.

Append-only is enforced by the database (migration 009: every row is referenced by a
logbook_seal row and all its columns are in one unique index, so DuckDB refuses an UPDATE or
DELETE of it). This module is the only place that inserts into the logbook, so no entry is
written without its seal; `tests/store/test_logbook.py` checks that by walking the store's SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from onrust.models import LogEntry, LogLink
from onrust.store.core import CoreStore
from onrust.timeutil import to_utc, utcnow

_COLS = "id, incident_id, logged_at, kind, text, author, corrects, links, data"
# Items and signals are shared across incidents (a signal may have none); releases and diagnoses not.
_LINK_SQL = {
    "item": "select count(*) from items where id = ?",
    "signal": "select count(*) from signals where id = ?",
    "press_release": "select count(*) from press_releases where id = ? and incident_id = ?",
    "diagnosis": "select count(*) from diagnoses where id = ? and incident_id = ?",
}


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _entry(row: tuple[Any, ...]) -> LogEntry:
    links = tuple(LogLink(link["target"], int(link["id"])) for link in json.loads(row[7] or "[]"))
    return LogEntry(row[0], row[1], row[2], row[3], row[4], row[5], row[6], links,
                    json.loads(row[8]) if row[8] else None)


def append_entry(
    cur: duckdb.DuckDBPyConnection, incident_id: int, kind: str, text: str, author: str, *,
    logged_at: datetime | None = None, data: dict[str, Any] | None = None,
    corrects: int | None = None, links: Sequence[LogLink] = (),
) -> int:
    """Insert one entry and its seal inside the caller's transaction (a press step, a
    decision and its logbook line commit together)."""
    row = cur.execute(
        "insert into logbook (incident_id, logged_at, kind, text, author, data, corrects, links)"
        " values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
        [incident_id, to_utc(logged_at) if logged_at else utcnow(), kind, text, author, _json(data),
         corrects, _json([{"target": link.target, "id": link.id} for link in links]) if links else None],
    ).fetchone()
    assert row is not None  # insert ... returning always returns the new row
    cur.execute("insert into logbook_seal (entry_id) values (?)", [row[0]]).fetchall()
    return int(row[0])


class LogbookQueries(CoreStore):
    def add_log_entry(
        self, incident_id: int, kind: str, text: str, author: str, *,
        logged_at: datetime | None = None, data: dict[str, Any] | None = None,
        corrects: int | None = None, links: Sequence[LogLink] = (),
    ) -> int:
        """One entry in its own transaction; IncidentClosed for a closed incident (read-only until
        reopened, checked inside the transaction, so a close that races is seen)."""
        with self.incident_write(incident_id) as cur:
            return append_entry(cur, incident_id, kind, text, author, logged_at=logged_at, data=data,
                                corrects=corrects, links=links)

    def log_entry(self, entry_id: int) -> LogEntry | None:
        row = self.fetchone(f"select {_COLS} from logbook where id = ?", [entry_id])
        return _entry(row) if row else None

    def log_entries(self, incident_id: int, *, decisions_only: bool = False) -> list[LogEntry]:
        """Oldest first, as a logbook is read; corrections are entries of their own."""
        kind = " and kind = 'besluit'" if decisions_only else ""
        rows = self.fetchall(
            f"select {_COLS} from logbook where incident_id = ?{kind} order by logged_at, id", [incident_id]
        )
        return [_entry(row) for row in rows]

    def logbook(self, incident_id: int) -> pd.DataFrame:
        return self.frame(
            "select id, logged_at, kind, text, author, data, corrects, links from logbook"
            " where incident_id = ? order by logged_at, id",
            [incident_id],
        )

    def link_exists(self, link: LogLink, incident_id: int) -> bool:
        """Whether the linked record exists; a press release or diagnosis of this incident."""
        sql = _LINK_SQL[link.target]
        return bool(self.scalar(sql, [link.id, incident_id] if "incident_id" in sql else [link.id]))
