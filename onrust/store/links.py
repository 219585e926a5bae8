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
    # An item of the watch period is due for an incident while link_state has no row for it, or
    # one for another profile revision or another tagging of the item (none: not yet tagged).
    _LINK_DUE = (
        " from items i left join item_tag_state s on s.item_id = i.id"
        " left join link_state l on l.incident_id = ? and l.item_id = i.id"
        " where (?::timestamptz is null or i.published_at >= ?)"
        " and (?::timestamptz is null or i.published_at <= ?)"
        " and (l.item_id is null or l.revision <> ? or l.tagged_at is distinct from s.tagged_at)"
    )

    def items_due_for_linking(
        self, incident_id: int, revision: int, start: datetime | None, end: datetime | None, limit: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Up to `limit` due items (lowest ids first) and their tags; `tagged_at` names the tagging
        that was read, so an item tagged again meanwhile stays due."""
        params = [incident_id, start, start, end, end, revision]
        items = self.frame(
            "select i.id, i.title, i.summary, i.published_at, s.tagged_at" + self._LINK_DUE
            + " order by i.id limit ?", [*params, limit],
        )
        ids = [int(i) for i in items["id"]]
        # The id range lets DuckDB skip row groups by their min/max (tags are stored in id order).
        tags = self.frame(
            "select item_id, tag_set, tag_key, matched from item_tags where item_id between ? and ?"
            " and item_id in (select unnest(?::bigint[]))",
            [min(ids, default=0), max(ids, default=-1), ids],
        )
        return items, tags

    def count_due_for_linking(
        self, incident_id: int, revision: int, start: datetime | None, end: datetime | None
    ) -> int:
        params = [incident_id, start, start, end, end, revision]
        return int(self.scalar("select count(*)" + self._LINK_DUE, params))

    def replace_item_links(
        self, incident_id: int, links: pd.DataFrame, *, scope: pd.Series | None = None,
        scored: pd.DataFrame | None = None,
    ) -> int:
        """Store links (item_id, relevance, reasons); drop old links of the scope (None = all).
        `scored` (item_id, revision, tagged_at, error) records in the same transaction what the
        scope's items were scored from, so a crash never leaves links without their state."""
        frame = links[["item_id", "relevance", "reasons"]].assign(incident_id=incident_id, linked_at=utcnow())
        with self.transaction() as cur:
            if scope is None:
                cur.execute("delete from item_incidents where incident_id = ?", [incident_id]).fetchall()
            else:
                cur.register("_scope", pd.DataFrame({"item_id": pd.Series(scope, dtype="int64")}))
                try:
                    for table in ("item_incidents", "link_state"):  # literals: never a value
                        cur.execute(
                            f"delete from {table} where incident_id = ?"
                            " and item_id in (select item_id from _scope)", [incident_id]
                        ).fetchall()
                finally:
                    cur.unregister("_scope")
            inserted = self.insert_frame(cur, "item_incidents", frame)
            self.temperature_inputs_changed(cur, "select ? as incident_id", [incident_id])
            if scored is not None:
                errors = scored["error"]
                self.insert_frame(cur, "link_state", scored[["item_id", "revision", "tagged_at"]].assign(
                    incident_id=incident_id, scored_at=utcnow(),
                    error=errors.astype(object).where(errors.notna(), None)))
        return inserted

    def drop_links_outside(self, incident_id: int, start: datetime | None, end: datetime | None) -> int:
        """Links and linking state of items outside the watch period (after the period changed)."""
        outside = (
            " and item_id in (select id from items"
            " where published_at < coalesce(?::timestamptz, published_at)"
            " or published_at > coalesce(?::timestamptz, published_at))"
        )
        with self.transaction() as cur:
            params = [incident_id, start, end]
            cur.execute("delete from link_state where incident_id = ?" + outside, params).fetchall()
            dropped = int(self.returned(
                cur, "delete from item_incidents where incident_id = ?" + outside, params))
            if dropped:
                self.temperature_inputs_changed(cur, "select ? as incident_id", [incident_id])
            return dropped

    def reset_link_state(self, incident_id: int) -> int:
        """Make every item due for linking to this incident again (its links stay until rescored)."""
        with self.transaction() as cur:
            return int(self.returned(cur, "delete from link_state where incident_id = ?", [incident_id]))

    def mark_linked(self, incident_id: int, revision: int) -> bool:
        """Record that the links follow `revision`; False when the profile was edited meanwhile."""
        with self.transaction() as cur:
            return int(self.returned(
                cur, "update watch_profiles set linked_revision = ? where incident_id = ? and revision = ?",
                [revision, incident_id, revision])) == 1

    def linked_item_count(self, incident_id: int) -> int:
        return self.scalar("select count(*) from item_incidents where incident_id = ?", [incident_id])

    def incident_activity(self, incident_id: int) -> tuple[int, int]:
        """(linked items, notices) of an incident: what the header compares to see that news arrived."""
        row = self.fetchall(
            "select (select count(*) from item_incidents where incident_id = ?),"
            " (select count(*) from alerts where incident_id = ?)", [incident_id, incident_id])[0]
        return int(row[0]), int(row[1])

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
