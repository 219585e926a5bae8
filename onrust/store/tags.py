"""Item tags and the tagging state: which items the current tagger still has to read."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow

_TAG_COLS = ["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score",
             "value", "ref", "tagger_version"]


class TagQueries(CoreStore):
    # An item is due when never tagged, tagged by another tagger version, or corrected since.
    # A new incident context (places, names of open incidents) only matters for items published
    # since `context_since` (the earliest watch period): older items cannot be linked anyway.
    _TAG_DUE = (
        " where s.item_id is null or s.tagger_version <> ? or s.content_hash <> i.content_hash"
        " or (s.context <> ? and (?::timestamptz is null or i.published_at >= ?))"
    )

    def items_due_for_tagging(
        self, version: str, context: str, limit: int, context_since: datetime | None = None
    ) -> pd.DataFrame:
        return self.frame(
            "select i.id, i.title, i.summary, i.content_hash from items i"
            " left join item_tag_state s on s.item_id = i.id" + self._TAG_DUE + " order by i.id limit ?",
            [version, context, context_since, context_since, limit],
        )

    def count_due_for_tagging(self, version: str, context: str, context_since: datetime | None = None) -> int:
        return self.scalar(
            "select count(*) from items i left join item_tag_state s on s.item_id = i.id" + self._TAG_DUE,
            [version, context, context_since, context_since],
        )

    def save_item_tags(self, version: str, context: str, done: pd.DataFrame, tags: pd.DataFrame) -> int:
        """Replace the tags of the items in `done` (item_id, content_hash, optional error: why the
        tagger failed on that item, which then counts as done with no tags) in one transaction."""
        if done.empty:
            return 0
        errors = done["error"] if "error" in done else pd.Series(None, index=done.index)
        state = done[["item_id", "content_hash"]].assign(
            tagger_version=version, context=context, tagged_at=utcnow(),
            error=errors.astype(object).where(errors.notna(), None))
        rows = tags.reindex(columns=_TAG_COLS).assign(tagger_version=version)
        with self.transaction() as cur:
            cur.register("_done", state)
            try:
                self.temperature_inputs_changed(
                    cur, "select incident_id from item_incidents where item_id in (select item_id from _done)")
                cur.execute("delete from item_tags where item_id in (select item_id from _done)").fetchall()
                cur.execute("delete from item_tag_state where item_id in (select item_id from _done)").fetchall()
            finally:
                cur.unregister("_done")
            self.insert_frame(cur, "item_tag_state", state)
            inserted = self.insert_frame(cur, "item_tags", rows)
        return inserted

    def reset_tag_state(self) -> int:
        """Make every item due for tagging again (tags stay until each item is re-tagged)."""
        with self.transaction() as cur:
            return int(self.returned(cur, "delete from item_tag_state"))

    def tag_versions(self) -> pd.DataFrame:
        return self.frame(
            "select tagger_version as versie, count(*) as items, max(tagged_at) as laatst"
            " from item_tag_state group by tagger_version order by laatst desc"
        )

    def item_tags(self, item_id: int) -> pd.DataFrame:
        return self.frame(
            "select tag_set, tag_key, matched, start_char, end_char, score, value, ref, tagger_version"
            " from item_tags where item_id = ? order by start_char, tag_set",
            [item_id],
        )
