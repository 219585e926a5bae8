"""Sources, their feed state and collection history: what the scheduler, feed health and the
Bronnen page read and write."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.models import Source
from onrust.store.audit import SYSTEM, audited
from onrust.store.core import CoreStore
from onrust.store.item_errors import FAILED_ITEMS
from onrust.timeutil import utcnow

_SOURCE_COLS = "id, name, kind, url, reach, publisher, enabled, config"
# Columns of feed_state a caller may set; names are literals here, values always parameters.
FEED_STATE_FIELDS = (
    "etag", "last_modified", "next_due_at", "interval_seconds", "rhythm_seconds",
    "consecutive_failures", "failing_since", "last_error", "last_warning", "last_fetch_at",
    "last_success_at", "last_new_item_at", "retry_after_until",
)


def _source(row: tuple[Any, ...]) -> Source:
    id_, name, kind, url, reach, publisher, enabled, config = row
    return Source(id_, name, kind, url, reach, publisher, enabled, config=json.loads(config) if config else {})


class SourceQueries(CoreStore):
    # -- sources ---------------------------------------------------------------------------
    def add_source(
        self,
        name: str,
        *,
        kind: str = "rss",
        url: str | None = None,
        reach: str = "regionaal",
        publisher: str | None = None,
        enabled: bool = True,
        config: dict[str, Any] | None = None,
        actor: str = SYSTEM,
    ) -> int:
        """Create the source, or return the id of the one with this name (idempotent)."""
        with self.transaction() as cur:
            row = cur.execute("select id from sources where name = ?", [name]).fetchone()
            if row:
                return int(row[0])
            with audited(cur, actor, "sources") as change:
                source_id = int(self.returned(
                    cur,
                    "insert into sources (name, kind, url, reach, publisher, enabled, config, created_at)"
                    " values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
                    [name, kind, url, reach, publisher or name, enabled,
                     json.dumps(config) if config else None, utcnow()],
                ))
                change.added(source_id)
            return source_id

    def sources(self, *, enabled_only: bool = False) -> list[Source]:
        where = "where enabled" if enabled_only else ""
        return [_source(r) for r in self.fetchall(f"select {_SOURCE_COLS} from sources {where} order by name")]

    def source_by_name(self, name: str) -> Source | None:
        row = self.fetchone(f"select {_SOURCE_COLS} from sources where name = ?", [name])
        return _source(row) if row else None

    def source_by_id(self, source_id: int) -> Source | None:
        row = self.fetchone(f"select {_SOURCE_COLS} from sources where id = ?", [source_id])
        return _source(row) if row else None

    def set_source_enabled(self, source_id: int, enabled: bool, *, actor: str = SYSTEM) -> None:
        with self.transaction() as cur, audited(cur, actor, "sources", source_id):
            cur.execute("update sources set enabled = ? where id = ?", [enabled, source_id]).fetchall()

    def source_overview(self) -> pd.DataFrame:
        """Every source with its state and item statistics (item_errors: items a pipeline step
        failed on), for health and the Bronnen page."""
        return self.frame(
            "select s.id as source_id, s.name, s.kind, s.url, s.reach, s.publisher, s.enabled,"
            " s.config, f.etag, f.last_modified, f.next_due_at, f.interval_seconds, f.rhythm_seconds,"
            " coalesce(f.consecutive_failures, 0) as consecutive_failures, f.failing_since,"
            " f.last_error, f.last_warning, f.last_fetch_at, f.last_success_at,"
            " f.last_new_item_at, f.retry_after_until,"
            " coalesce(i.n, 0) as items, i.last_published, coalesce(e.n, 0) as item_errors"
            " from sources s left join feed_state f on f.source_id = s.id"
            " left join (select source_id, count(*) as n, max(published_at) as last_published"
            " from items group by source_id) i on i.source_id = s.id"
            " left join (select it.source_id, count(distinct e.item_id) as n"
            f" from ({FAILED_ITEMS}) e join items it on it.id = e.item_id group by it.source_id) e"
            " on e.source_id = s.id order by s.name"
        )

    def item_counts_by_source(self) -> pd.DataFrame:
        return self.frame(
            "select s.name as bron, s.reach as bereik, count(i.id) as items,"
            " max(i.fetched_at) as laatst_opgehaald"
            " from sources s left join items i on i.source_id = s.id"
            " group by s.name, s.reach order by items desc, s.name"
        )

    # -- feed state ------------------------------------------------------------------------
    def feed_state(self, source_id: int) -> dict[str, Any]:
        """The stored state, or the state of a feed never fetched (all empty, due now)."""
        cur = self.cursor.execute("select * from feed_state where source_id = ?", [source_id])
        row = cur.fetchone()
        if row is None:
            return {"source_id": source_id, "consecutive_failures": 0,
                    **{f: None for f in FEED_STATE_FIELDS if f != "consecutive_failures"}}
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def update_feed_state(self, source_id: int, **fields: Any) -> None:
        """Upsert the given columns; a column not named keeps its value."""
        unknown = set(fields) - set(FEED_STATE_FIELDS)
        if unknown:
            raise ValueError(f"unknown feed_state columns: {sorted(unknown)}")
        if not fields:
            return
        names = list(fields)
        cols = ", ".join(names)
        marks = ", ".join("?" for _ in names)
        sets = ", ".join(f"{n} = excluded.{n}" for n in names)
        self.execute(
            f"insert into feed_state (source_id, {cols}) values (?, {marks})"
            f" on conflict (source_id) do update set {sets}",
            [source_id, *fields.values()],
        )

    def publication_rhythm(self, source_id: int, *, last: int = 30) -> float | None:
        """Median seconds between the source's last publications (its usual rhythm)."""
        return self.scalar(
            "select median(gap) from (select epoch(published_at)"
            " - epoch(lag(published_at) over (order by published_at)) as gap from"
            " (select published_at from items where source_id = ? and published_at_flag is null"
            " order by published_at desc limit ?)) where gap > 0",
            [source_id, last],
        )

    # -- collection runs -------------------------------------------------------------------
    def record_collection_run(
        self, source_id: int, started_at: datetime, finished_at: datetime, *, status: str,
        new: int, updated: int, duplicates: int, message: str | None,
    ) -> None:
        """One attempt with the status collectors gave it (collectors.ingest.FeedReport.run_status)."""
        self.execute(
            "insert into collection_runs (source_id, started_at, finished_at, status, new_items,"
            " updated_items, duplicates, message) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, started_at, finished_at, status, new, updated, duplicates, message],
        )

    def collection_runs(self, since: datetime | None = None, until: datetime | None = None,
                        source_id: int | None = None) -> pd.DataFrame:
        return self.frame(
            "select r.id, r.source_id, s.name, r.started_at, r.finished_at, r.status, r.new_items,"
            " r.updated_items, r.duplicates, r.message from collection_runs r"
            " join sources s on s.id = r.source_id"
            " where (?::timestamptz is null or r.started_at >= ?)"
            " and (?::timestamptz is null or r.started_at < ?)"
            " and (?::integer is null or r.source_id = ?)"
            " order by r.started_at, r.id",
            [since, since, until, until, source_id, source_id],
        )

    def last_collection_at(self) -> datetime | None:
        return self.scalar(
            "select max(t) from (select max(finished_at) as t from collection_runs"
            " union all select max(fetched_at) from items)"
        )
