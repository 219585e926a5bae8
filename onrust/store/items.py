"""Sources and items: idempotent storage of what collectors parsed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.models import IngestResult, Item, Source
from onrust.timeutil import utcnow

_SOURCE_COLS = "id, name, kind, url, reach, publisher, enabled, config"


def _source(row: tuple) -> Source:
    *head, config = row
    return Source(*head, config=json.loads(config) if config else {})


class ItemQueries:
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
    ) -> int:
        """Create the source, or return the id of the one with this name (idempotent)."""
        with self.transaction() as cur:
            row = cur.execute("select id from sources where name = ?", [name]).fetchone()
            if row:
                return row[0]
            row = cur.execute(
                "insert into sources (name, kind, url, reach, publisher, enabled, config, created_at)"
                " values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
                [name, kind, url, reach, publisher or name, enabled,
                 json.dumps(config) if config else None, utcnow()],
            ).fetchone()
        return row[0]

    def sources(self, *, enabled_only: bool = False) -> list[Source]:
        where = "where enabled" if enabled_only else ""
        return [_source(r) for r in self.fetchall(f"select {_SOURCE_COLS} from sources {where} order by name")]

    def source_by_name(self, name: str) -> Source | None:
        row = self.fetchone(f"select {_SOURCE_COLS} from sources where name = ?", [name])
        return _source(row) if row else None

    # -- items -----------------------------------------------------------------------------
    def save_items(self, source_id: int, items: Sequence[Item]) -> IngestResult:
        """Insert new items and update changed ones, all in one transaction.

        Identity is `item_key`; an item seen again with other content is a correction and
        updates the row. Repeated keys inside one batch keep their last occurrence.
        """
        if not items:
            return IngestResult()
        frame = pd.DataFrame([asdict(i) for i in items]).drop_duplicates("item_key", keep="last")
        frame["source_id"] = source_id
        with self.transaction() as cur:
            cur.register("_incoming", frame)
            try:
                existing = cur.execute(
                    "select i.item_key, i.content_hash = n.content_hash from items i"
                    " join _incoming n using (item_key)"
                ).fetchall()
            finally:
                cur.unregister("_incoming")
            same = {key for key, unchanged in existing if unchanged}
            changed = {key for key, unchanged in existing if not unchanged}
            fresh = frame[~frame["item_key"].isin(same | changed)]
            new = self.insert_frame(cur, "items", fresh)
            if changed:
                upd = frame[frame["item_key"].isin(changed)]
                cur.register("_changed", upd)
                try:
                    cur.execute(
                        "update items set title = c.title, summary = c.summary, author = c.author,"
                        " content_hash = c.content_hash, updated_at = c.fetched_at"
                        " from _changed c where items.item_key = c.item_key"
                    ).fetchall()
                finally:
                    cur.unregister("_changed")
        return IngestResult(new=new, updated=len(changed), duplicates=len(items) - new - len(changed))

    def item_counts_by_source(self) -> pd.DataFrame:
        return self.frame(
            "select s.name as bron, s.reach as bereik, count(i.id) as items,"
            " max(i.fetched_at) as laatst_opgehaald"
            " from sources s left join items i on i.source_id = s.id"
            " group by s.name, s.reach order by items desc, s.name"
        )

    def item_count(self) -> int:
        return self.scalar("select count(*) from items")

    def last_collection_at(self) -> datetime | None:
        return self.scalar(
            "select max(t) from (select max(finished_at) as t from collection_runs"
            " union all select max(fetched_at) from items)"
        )

    # -- collection runs -------------------------------------------------------------------
    def record_collection_run(self, source_id: int, started_at, finished_at, report) -> None:
        """Every attempt is recorded so analysis can tell 'not collecting' from 'quiet'."""
        if report.error:
            status = "fout"
        elif report.warnings:
            status = "waarschuwing"
        elif report.new or report.updated:
            status = "ok"
        else:
            status = "ongewijzigd"
        self.execute(
            "insert into collection_runs (source_id, started_at, finished_at, status, new_items,"
            " updated_items, duplicates, message) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, started_at, finished_at, status, report.new, report.updated,
             report.duplicates, report.error or "; ".join(report.warnings) or None],
        )
