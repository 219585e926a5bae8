"""Item-incident links (relevance per item) and the linked items and tags the omgevingsbeeld reads."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow


def _like(text: str) -> str:
    """ILIKE pattern for a literal search text (its % and _ are not wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class LinkQueries(CoreStore):
    def items_for_linking(
        self, start: datetime | None, end: datetime | None, ids: pd.Series | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Items (and their tags) to score: those in `ids`, else all within the period."""
        where = ["(?::timestamptz is null or i.published_at >= ?)", "(?::timestamptz is null or i.published_at <= ?)"]
        params: list = [start, start, end, end]
        if ids is not None:
            # A list parameter, not a registered frame: reads must not depend on the cursor's
            # previous result being complete (DuckDB 2 refuses register() then).
            where.append("i.id in (select unnest(?::bigint[]))")
            params.append([int(i) for i in ids])
        cond = " and ".join(where)
        items = self.frame(
            f"select i.id, i.title, i.summary, i.published_at from items i where {cond} order by i.id", params
        )
        tags = self.frame(
            "select t.item_id, t.tag_set, t.tag_key, t.matched from item_tags t"
            f" join items i on i.id = t.item_id where {cond}", params
        )
        return items, tags

    def replace_item_links(
        self, incident_id: int, links: pd.DataFrame, *, scope: pd.Series | None = None,
        revision: int | None = None,
    ) -> int:
        """Store links (item_id, relevance, reasons); drop old links of the scope (None = all)."""
        frame = links[["item_id", "relevance", "reasons"]].assign(incident_id=incident_id, linked_at=utcnow())
        with self.transaction() as cur:
            if scope is None:
                cur.execute("delete from item_incidents where incident_id = ?", [incident_id]).fetchall()
            else:
                cur.register("_scope", pd.DataFrame({"item_id": pd.Series(scope, dtype="int64")}))
                try:
                    cur.execute(
                        "delete from item_incidents where incident_id = ?"
                        " and item_id in (select item_id from _scope)", [incident_id]
                    ).fetchall()
                finally:
                    cur.unregister("_scope")
            inserted = self.insert_frame(cur, "item_incidents", frame)
            if revision is not None:
                cur.execute(
                    "update watch_profiles set linked_revision = ? where incident_id = ?",
                    [revision, incident_id],
                ).fetchall()
        return inserted

    def linked_item_count(self, incident_id: int) -> int:
        return self.scalar("select count(*) from item_incidents where incident_id = ?", [incident_id])

    # -- what the omgevingsbeeld page reads ------------------------------------------------
    def incident_items_frame(
        self, incident_id: int, start: datetime, end: datetime, search: str = ""
    ) -> pd.DataFrame:
        """Linked items in the period, newest first, with source, reach and story facts.

        `copy_of` names the outlet that had the story first when this item is a later copy of
        it (same story_id, another publisher) or when the collector recorded another original;
        `origin` is that original publisher (else the item's own): what "uitgevers" counts.
        """
        return self.frame(
            "with linked as ("
            " select i.id, i.title, i.summary, i.url, i.published_at, i.fetched_at, i.story_id,"
            "  i.original_publisher, s.name as source, coalesce(s.publisher, s.name) as publisher,"
            "  s.reach, l.relevance, l.reasons"
            " from item_incidents l join items i on i.id = l.item_id join sources s on s.id = i.source_id"
            " where l.incident_id = ? and i.published_at >= ? and i.published_at < ?"
            "  and (? = '' or i.title ilike ? escape '\\' or i.summary ilike ? escape '\\')),"
            " firsts as ("
            " select i.story_id, arg_min(coalesce(s.publisher, s.name), i.published_at) as first_publisher"
            " from items i join sources s on s.id = i.source_id"
            " where i.story_id in (select story_id from linked) group by i.story_id)"
            " select l.*, coalesce(l.story_id, -l.id) as story,"
            "  coalesce(l.original_publisher, f.first_publisher, l.publisher) as origin,"
            "  case when l.original_publisher is not null and l.original_publisher <> l.publisher"
            "   then l.original_publisher"
            "   when f.first_publisher is not null and f.first_publisher <> l.publisher"
            "   then f.first_publisher end as copy_of"
            " from linked l left join firsts f on f.story_id = l.story_id"
            " order by l.published_at desc, l.id desc",
            [incident_id, start, end, search, _like(search), _like(search)],
        )

    def incident_tags_frame(self, incident_id: int, start: datetime, end: datetime) -> pd.DataFrame:
        """Tags of the linked items in the period (same item set as incident_items_frame)."""
        return self.frame(
            "select t.item_id, t.tag_set, t.tag_key, t.matched, t.start_char, t.end_char, t.score,"
            " t.value, t.ref from item_tags t join item_incidents l on l.item_id = t.item_id"
            " join items i on i.id = t.item_id"
            " where l.incident_id = ? and i.published_at >= ? and i.published_at < ?"
            " order by t.item_id, t.start_char",
            [incident_id, start, end],
        )
