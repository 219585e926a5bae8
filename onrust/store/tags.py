"""Item tags, watch profiles, item-incident links and the item frames the omgevingsbeeld reads."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from analysis.relevance import WatchProfile
from onrust.timeutil import utcnow

_TAG_COLS = ["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score",
             "value", "ref", "tagger_version"]


def _like(text: str) -> str:
    """ILIKE pattern for a literal search text (its % and _ are not wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class TagQueries:
    # -- tagging ---------------------------------------------------------------------------
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
        """Replace the tags of the items in `done` (item_id, content_hash) in one transaction."""
        if done.empty:
            return 0
        state = done[["item_id", "content_hash"]].assign(
            tagger_version=version, context=context, tagged_at=utcnow())
        rows = tags.reindex(columns=_TAG_COLS).assign(tagger_version=version)
        with self.transaction() as cur:
            cur.register("_done", state)
            try:
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
            return cur.execute("delete from item_tag_state").fetchone()[0]

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

    # -- watch profiles --------------------------------------------------------------------
    def watch_profile(self, incident_id: int) -> WatchProfile | None:
        """The saved profile with the incident's neighbourhoods; None when never saved."""
        row = self.fetchone(
            "select terms, places, actors, involved, period_start, period_end, revision"
            " from watch_profiles where incident_id = ?",
            [incident_id],
        )
        hoods = tuple(r[0] for r in self.fetchall(
            "select name from incident_neighbourhoods where incident_id = ? order by added_at, name",
            [incident_id],
        ))
        if row is None:
            return None
        terms, places, actors, involved, start, end, revision = row
        return WatchProfile(
            incident_id, tuple(terms), tuple(places), hoods, tuple(actors), tuple(involved),
            start, end, revision,
        )

    def neighbourhoods(self, incident_id: int) -> list[str]:
        return [r[0] for r in self.fetchall(
            "select name from incident_neighbourhoods where incident_id = ? order by added_at, name",
            [incident_id],
        )]

    def save_watch_profile(self, profile: WatchProfile, author: str) -> int:
        """Store the profile and its neighbourhoods; returns the new revision (links follow)."""
        with self.transaction() as cur:
            row = cur.execute(
                "insert into watch_profiles (incident_id, terms, places, actors, involved,"
                " period_start, period_end, revision, updated_at, updated_by)"
                " values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
                " on conflict (incident_id) do update set terms = excluded.terms,"
                " places = excluded.places, actors = excluded.actors, involved = excluded.involved,"
                " period_start = excluded.period_start, period_end = excluded.period_end,"
                " revision = watch_profiles.revision + 1, updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by returning revision",
                [profile.incident_id, list(profile.terms), list(profile.places), list(profile.actors),
                 list(profile.involved), profile.period_start, profile.period_end, utcnow(), author],
            ).fetchone()
            cur.execute("delete from incident_neighbourhoods where incident_id = ?", [profile.incident_id]).fetchall()
            hoods = pd.DataFrame({"name": list(profile.neighbourhoods)})
            self.insert_frame(cur, "incident_neighbourhoods", hoods.assign(
                incident_id=profile.incident_id, added_at=utcnow(), added_by=author))
        return row[0]

    def profile_link_state(self, incident_id: int) -> tuple[int, int] | None:
        """(revision, linked_revision) of the saved profile: unequal means links are stale."""
        row = self.fetchone(
            "select revision, linked_revision from watch_profiles where incident_id = ?", [incident_id]
        )
        return (row[0], row[1]) if row else None

    # -- links -----------------------------------------------------------------------------
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

    def incident_signals_frame(self, incident_id: int, start: datetime, end: datetime) -> pd.DataFrame:
        """Entered signals of the incident in the period: rumours and reports beside the media."""
        return self.frame(
            "select id, kind, verification, severity, reliability, credibility, neighbourhood,"
            " occurred_at, reported_at, text from signals"
            " where incident_id = ? and occurred_at >= ? and occurred_at < ?"
            " order by occurred_at desc",
            [incident_id, start, end],
        )

    # -- last visits -----------------------------------------------------------------------
    def last_visit(self, viewer: str, incident_id: int, page: str) -> datetime | None:
        return self.scalar(
            "select visited_at from page_visits where viewer = ? and incident_id = ? and page = ?",
            [viewer, incident_id, page],
        )

    def record_visit(self, viewer: str, incident_id: int, page: str, when: datetime | None = None) -> None:
        self.execute(
            "insert into page_visits values (?, ?, ?, ?) on conflict (viewer, incident_id, page)"
            " do update set visited_at = excluded.visited_at",
            [viewer, incident_id, page, when or utcnow()],
        )
