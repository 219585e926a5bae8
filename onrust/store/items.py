"""Items: idempotent storage of what collectors parsed, with revisions and stories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from onrust.models import IngestResult, Item, StoryPlanner
from onrust.store.core import CoreStore

ITEM_FIELDS = ("item_key", "guid", "url", "title", "summary", "author", "language",
               "published_at", "published_at_flag", "fetched_at", "content_hash")


def items_frame(items: Sequence[Item]) -> pd.DataFrame:
    """Items as one DataFrame; built column-wise because dataclasses.asdict costs ~10 µs/item."""
    cols = {f: [getattr(i, f) for i in items] for f in ITEM_FIELDS}
    frame = pd.DataFrame(cols)
    for col in ("published_at", "fetched_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _dedupe_batch(frame: pd.DataFrame) -> pd.DataFrame:
    """Within one batch the last occurrence of a key or URL wins (a feed lists an item twice)."""
    frame = frame.drop_duplicates("item_key", keep="last")
    has_url = frame["url"].notna()
    return pd.concat([frame[~has_url], frame[has_url].drop_duplicates("url", keep="last")]).sort_index()


class ItemQueries(CoreStore):
    # -- items -----------------------------------------------------------------------------
    def save_items(
        self,
        source_id: int,
        items: Sequence[Item],
        *,
        stories: StoryPlanner | None = None,
    ) -> IngestResult:
        """Insert new items and update corrected ones, all in one transaction.

        Identity is `item_key` (guid, else canonical URL) and, failing that, the canonical URL:
        an item seen again with other content is a correction, which updates the row and keeps
        the earlier version in item_revisions. New items get a story and an original publisher
        from `stories` (collectors.dedupe.plan_stories); without it they get neither, as in
        tests that set stories themselves. Repeated keys inside one batch keep their last occurrence.
        """
        if not items:
            return IngestResult()
        frame = _dedupe_batch(items_frame(items)).reset_index(drop=True)
        frame["source_id"] = source_id
        with self.transaction() as cur:
            cur.register("_incoming", frame[["item_key", "guid", "url", "content_hash"]])
            try:
                matches = cur.execute(
                    "select n.item_key as key, i.id, i.content_hash = n.content_hash as same, 0 as pref"
                    " from _incoming n join items i on i.item_key = n.item_key"
                    " union all"
                    " select n.item_key, i.id, i.content_hash = n.content_hash, 1"
                    " from _incoming n join items i on i.url = n.url"
                    " where n.url is not null and i.item_key <> n.item_key"
                    " union all"  # the source's own guid: a correction that also changed the URL
                    " select n.item_key, i.id, i.content_hash = n.content_hash, 2"
                    " from _incoming n join items i on i.guid = n.guid and i.source_id = ?"
                    " where n.guid is not null and i.item_key <> n.item_key",
                    [source_id],
                ).df()
            finally:
                cur.unregister("_incoming")
            matches = matches.sort_values(["pref", "id"]).drop_duplicates("key")
            # Two incoming rows may point at one stored item (guid match and URL match).
            matches = matches.drop_duplicates("id", keep="last")
            matched_keys = set(frame["item_key"]) & set(matches["key"]) if len(matches) else set()
            changed = matches[~matches["same"].astype(bool)]
            fresh = frame[~frame["item_key"].isin(matched_keys)].reset_index(drop=True)
            if not changed.empty:
                self._apply_corrections(cur, frame, changed)
            new = 0
            if not fresh.empty:
                fresh = fresh.sort_values(["published_at", "item_key"], kind="stable").reset_index(drop=True)
                if stories is not None:
                    fresh = self._attribute_stories(cur, fresh, stories)
                new = self.insert_frame(cur, "items", fresh)
        updated = len(changed)
        return IngestResult(new=new, updated=updated, duplicates=len(items) - new - updated)

    def _apply_corrections(
        self, cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame, changed: pd.DataFrame
    ) -> None:
        """Keep the version being replaced, then update the item in place."""
        upd = frame.merge(changed[["key", "id"]], left_on="item_key", right_on="key")
        upd = upd[["id", "title", "summary", "author", "content_hash", "fetched_at"]]
        cur.register("_changed", upd)
        try:
            cur.execute(
                "insert into item_revisions (item_id, title, summary, author, content_hash,"
                " valid_from, replaced_at)"
                " select i.id, i.title, i.summary, i.author, i.content_hash,"
                " coalesce(i.updated_at, i.fetched_at), c.fetched_at"
                " from items i join _changed c on i.id = c.id"
            ).fetchall()
            cur.execute(
                "update items set title = c.title, summary = c.summary, author = c.author,"
                " content_hash = c.content_hash, updated_at = c.fetched_at"
                " from _changed c where items.id = c.id"
            ).fetchall()
        finally:
            cur.unregister("_changed")

    def _attribute_stories(
        self, cur: duckdb.DuckDBPyConnection, fresh: pd.DataFrame, stories: StoryPlanner
    ) -> pd.DataFrame:
        """Story id and original publisher for new items: `stories` decides, this writes it."""

        def known(keys: pd.Series, since: datetime) -> pd.DataFrame:
            cur.register("_keys", pd.DataFrame({"key": keys}))
            try:
                return cur.execute(
                    "select s.key, s.story_id, s.first_publisher from story_keys s"
                    " join _keys k using (key) where s.last_seen_at >= ?", [since]
                ).df()
            finally:
                cur.unregister("_keys")

        plan = stories(fresh, known)
        groups, keys = plan.groups, plan.keys
        n_new = int((groups.known_story < 0).sum())
        story_of_group = groups.known_story.copy()
        if n_new:
            ids = cur.execute("select nextval('story_seq') from range(?)", [n_new]).fetchall()
            story_of_group[story_of_group < 0] = np.array([r[0] for r in ids], dtype=np.int64)
        for old, keep in groups.merges.items():
            # Linked items of the merged story now count with another story: a new temperature input.
            self.temperature_inputs_changed(
                cur, "select l.incident_id from item_incidents l join items i on i.id = l.item_id"
                " where i.story_id = ?", [old])
            cur.execute("update items set story_id = ? where story_id = ?", [keep, old]).fetchall()
            cur.execute("update story_keys set story_id = ? where story_id = ?", [keep, old]).fetchall()
        fresh["story_id"] = story_of_group[groups.group]
        fresh["original_publisher"] = plan.original_publisher

        rows = keys["row"].to_numpy()
        upsert = pd.DataFrame({
            "key": keys["key"].to_numpy(),
            "story_id": fresh["story_id"].to_numpy()[rows],
            # .values: datetime64 without per-element Timestamp objects (~50 µs each at 100k keys).
            "last_seen_at": pd.to_datetime(fresh["fetched_at"].values[rows], utc=True),
        }).sort_values("last_seen_at").drop_duplicates("key", keep="last")
        first_pub = upsert["key"].map(plan.lead_publisher)  # only lead keys carry a first publisher
        upsert["first_publisher"] = first_pub.astype(object).where(first_pub.notna(), None)
        self.insert_frame(
            cur, "story_keys", upsert,
            on_conflict="on conflict (key) do update set story_id = excluded.story_id,"
                        " last_seen_at = greatest(story_keys.last_seen_at, excluded.last_seen_at),"
                        " first_publisher = coalesce(story_keys.first_publisher, excluded.first_publisher)",
        )
        return fresh

    def item_revisions(self, item_id: int) -> pd.DataFrame:
        return self.frame(
            "select title, summary, author, valid_from, replaced_at from item_revisions"
            " where item_id = ? order by replaced_at, id", [item_id])

    def item_by_key(self, item_key: str) -> dict[str, Any] | None:
        frame = self.frame("select * from items where item_key = ?", [item_key])
        return None if frame.empty else frame.iloc[0].to_dict()

    def coverage_counts(self, since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
        """Items, unique stories and distinct original publishers: three different numbers."""
        row = self.fetchone(
            "select count(*), count(distinct story_id), count(distinct original_publisher),"
            " count(distinct source_id) from items"
            " where (?::timestamptz is null or published_at >= ?)"
            " and (?::timestamptz is null or published_at < ?)",
            [since, since, until, until],
        )
        assert row is not None  # an aggregate without group by always returns one row
        return {"items": row[0], "stories": row[1], "original_publishers": row[2], "sources": row[3]}

    def stories(self, since: datetime | None = None, until: datetime | None = None) -> pd.DataFrame:
        """One row per story: how often it was carried, by whom, originally from whom."""
        return self.frame(
            "select story_id, arg_min(title, published_at) as titel, count(*) as items,"
            " count(distinct source_id) as bronnen,"
            " list(distinct original_publisher order by original_publisher) as oorspronkelijk,"
            " min(published_at) as eerste, max(published_at) as laatste from items"
            " where (?::timestamptz is null or published_at >= ?)"
            " and (?::timestamptz is null or published_at < ?)"
            " group by story_id order by items desc, eerste",
            [since, since, until, until],
        )

    def item_count(self) -> int:
        return int(self.scalar("select count(*) from items"))
