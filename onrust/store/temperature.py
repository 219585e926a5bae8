"""Temperature inputs as of a moment, computed points, the chart's key moments and scripted timelines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.store.sources import SourceQueries
from onrust.timeutil import to_utc, utcnow

_POINT_COLS = ("incident_id", "point_at", "formula_version", "has_data", "temperature", "phase",
               "volume", "spread", "tone", "escalation", "signals", "politicisation", "reason",
               "computed_at")


class TemperatureQueries(SourceQueries):  # load_timeline adds the scenario's sources
    # -- inputs ----------------------------------------------------------------------------
    def temperature_items(self, incident_id: int, since: datetime, as_of: datetime,
                          min_relevance: float = 0.0) -> pd.DataFrame:
        """Items linked to the incident with at least `min_relevance`, fetched in [since, as_of];
        publisher = who wrote it first. The series ignores less relevant links, so they are not
        loaded (a third of a busy incident's rows)."""
        return self.frame(
            "select i.id as item_id, i.story_id,"
            " coalesce(i.original_publisher, s.publisher, s.name) as publisher, s.reach,"
            " i.fetched_at, ii.relevance"
            " from item_incidents ii join items i on i.id = ii.item_id"
            " join sources s on s.id = i.source_id"
            " where ii.incident_id = ? and i.fetched_at >= ? and i.fetched_at <= ? and ii.relevance >= ?"
            " order by i.id",
            [incident_id, to_utc(since), to_utc(as_of), min_relevance],
        ).astype({"publisher": "category", "reach": "category"})

    def temperature_tags(self, incident_id: int, since: datetime, as_of: datetime,
                         tag_sets: Sequence[str] = ("emotion", "phase", "dynamiek"),
                         min_relevance: float = 0.0) -> pd.DataFrame:
        """Tags of the items temperature_items gives."""
        return self.frame(
            "select t.item_id, t.tag_set, t.tag_key, t.score"
            " from item_tags t join item_incidents ii on ii.item_id = t.item_id"
            " join items i on i.id = t.item_id"
            " where ii.incident_id = ? and i.fetched_at >= ? and i.fetched_at <= ? and ii.relevance >= ?"
            " and list_contains(?, t.tag_set)",
            [incident_id, to_utc(since), to_utc(as_of), min_relevance, list(tag_sets)],
        ).astype({"tag_set": "category", "tag_key": "category"})

    def temperature_signals(self, incident_id: int, as_of: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Signals entered by as_of, and their revisions (to rebuild what was known when)."""
        signals = self.frame(
            "select id as signal_id, kind, reliability, credibility, verification, severity,"
            " occurred_at, entered_at, text from signals"
            " where incident_id = ? and entered_at <= ? order by entered_at, id",
            [incident_id, to_utc(as_of)],
        )
        revisions = self.frame(
            "select r.signal_id, r.changed_at, r.field, r.old, r.new from signal_revisions r"
            " join signals s on s.id = r.signal_id where s.incident_id = ?"
            " order by r.changed_at, r.id",
            [incident_id],
        )
        return signals, revisions

    def temperature_coverage(self, since: datetime, as_of: datetime) -> pd.DataFrame:
        return self.frame(
            "select source_id, started_at, finished_at, status from collection_runs"
            " where finished_at >= ? and finished_at <= ? order by finished_at",
            [to_utc(since), to_utc(as_of)],
        )

    def temperature_inputs(self, incident_id: int, since: datetime, as_of: datetime,
                           min_relevance: float = 0.0) -> dict[str, pd.DataFrame]:
        """Everything the temperature needs, as it was known at as_of (one call for caching);
        `min_relevance`: the setting the series filters on (TemperatureSettings.min_relevance)."""
        signals, revisions = self.temperature_signals(incident_id, as_of)
        return {
            "items": self.temperature_items(incident_id, since, as_of, min_relevance),
            "tags": self.temperature_tags(incident_id, since, as_of, min_relevance=min_relevance),
            "signals": signals,
            "revisions": revisions,
            "coverage": self.temperature_coverage(since, as_of),
        }

    # -- stored bins (migration 017) -------------------------------------------------------
    def temperature_generation(self, incident_id: int) -> int:
        """The incident's input generation: read before its inputs when building bins, so a write
        in between leaves the new bins stale rather than wrong."""
        return int(self.scalar("select coalesce(max(generation), 0) from temperature_generation"
                               " where incident_id = ?", [incident_id]))

    def save_temperature_bins(self, incident_id: int, state: dict[str, Any], bins: pd.DataFrame) -> None:
        """Replace the incident's bins; `state` has the temperature_bin_state columns but
        incident_id and built_at. Generation rows older than the bins' are no longer needed."""
        row = {**state, "incident_id": incident_id, "built_at": utcnow()}
        with self.transaction() as cur:
            cur.execute("delete from temperature_bins where incident_id = ?", [incident_id]).fetchall()
            cur.execute("delete from temperature_bin_state where incident_id = ?", [incident_id]).fetchall()
            cur.execute("delete from temperature_generation where incident_id = ? and generation < ?",
                        [incident_id, state["generation"]]).fetchall()
            self.insert_frame(cur, "temperature_bin_state", pd.DataFrame([row]))
            self.insert_frame(cur, "temperature_bins", bins.assign(incident_id=incident_id))

    def temperature_bins(self, incident_id: int, formula_version: str,
                         origin_ns: int) -> tuple[dict[str, Any], pd.DataFrame] | None:
        """The incident's stored bins (state, rows by bin) when they are current: built from its
        newest generation, with this formula and grid. None otherwise (the caller computes)."""
        with self.transaction(bookkeeping=True) as cur:  # one snapshot: state and rows agree
            state = cur.execute(
                "select s.* from temperature_bin_state s where s.incident_id = ? and s.formula_version = ?"
                " and s.origin_ns = ? and s.generation = (select coalesce(max(generation), 0)"
                " from temperature_generation g where g.incident_id = s.incident_id)",
                [incident_id, formula_version, origin_ns]).df()
            if state.empty:
                return None
            bins = cur.execute("select bin, new_stories, sums, reach, presence from temperature_bins"
                               " where incident_id = ? order by bin", [incident_id]).df()
        return state.iloc[0].to_dict(), bins

    # -- computed points -------------------------------------------------------------------
    def save_temperature_points(self, incident_id: int, points: pd.DataFrame) -> int:
        """Store new points; a point already stored for this moment and formula stays as it was."""
        if points.empty:
            return 0
        frame = points.assign(incident_id=incident_id, computed_at=utcnow(), point_at=points["at"])
        frame = frame[list(_POINT_COLS)].astype({"phase": "int32"})
        with self.transaction() as cur:
            return self.insert_frame(cur, "temperature_points", frame,
                                     on_conflict="on conflict do nothing")

    def temperature_points(self, incident_id: int, since: datetime | None = None,
                           until: datetime | None = None) -> pd.DataFrame:
        return self.frame(
            "select point_at as at, " + ", ".join(_POINT_COLS[2:]) + " from temperature_points"
            " where incident_id = ? and point_at >= coalesce(?, point_at)"
            " and point_at <= coalesce(?, point_at) order by point_at, formula_version",
            [incident_id, to_utc(since) if since else None, to_utc(until) if until else None],
        )

    def temperature_events(self, incident_id: int, since: datetime, until: datetime) -> pd.DataFrame:
        """Key moments for the chart: signals (when they happened), logbook entries (events,
        actions, decisions) and press releases sent."""
        span = [incident_id, to_utc(since), to_utc(until)]
        return self.frame(
            "select occurred_at as at, 'signaal' as kind,"
            " kind || ' (ernst ' || severity || ', ' || verification || ')' as label"
            " from signals where incident_id = ? and occurred_at between ? and ?"
            " union all select logged_at, kind, text from logbook"
            " where incident_id = ? and logged_at between ? and ?"
            " union all select e.event_at, 'persbericht', 'persbericht #' || r.id || ' verstuurd'"
            " from press_events e join press_releases r on r.id = e.release_id"
            " where r.incident_id = ? and e.event_at between ? and ? and e.action = 'versturen'"
            " order by 1",
            span * 3,
        )

    # -- scripted timelines ----------------------------------------------------------------
    def load_timeline(self, incident_id: int, items: pd.DataFrame, tags: pd.DataFrame,
                      signals: pd.DataFrame, coverage: pd.DataFrame, *, municipality: str = "Test",
                      id_offset: int = 0) -> None:
        """Write a scripted timeline (analysis.timelines.Frames) into the tables collectors fill,
        so the evaluation and the tests go through the same queries as live data. `id_offset`
        keeps item and story ids apart when several timelines share one database."""
        source_ids = {reach: self.add_source(f"Scenario {reach}", kind="file", reach=reach)
                      for reach in ("lokaal", "regionaal", "landelijk", "sociaal")}
        offset = id_offset
        ids = items["item_id"].to_numpy() + offset
        rows = pd.DataFrame({
            "id": ids, "item_key": [f"scenario-{incident_id}-{i}" for i in ids],
            "source_id": items["reach"].map(source_ids).to_numpy(),
            "title": items["title"].to_numpy() if "title" in items else "scenario",
            "published_at": items["published_at"].to_numpy(),
            "fetched_at": items["fetched_at"].to_numpy(), "content_hash": "scenario",
            "story_id": items["story_id"].astype("Int64") + offset,
            "original_publisher": items["publisher"].to_numpy(),
        })
        links = pd.DataFrame({"item_id": ids, "incident_id": incident_id,
                              "relevance": items["relevance"].to_numpy(),
                              "linked_at": items["fetched_at"].to_numpy()})
        tag_rows = pd.DataFrame({
            "item_id": tags["item_id"].to_numpy() + offset, "tag_set": tags["tag_set"].to_numpy(),
            "tag_key": tags["tag_key"].to_numpy(), "matched": "scenario", "start_char": 0,
            "end_char": 0, "score": tags["score"].to_numpy(), "tagger_version": "scenario"})
        sig = pd.DataFrame({
            "incident_id": incident_id, "kind": signals["kind"], "source_type": "politie",
            "reliability": signals["reliability"], "credibility": signals["credibility"],
            "verification": signals["verification"], "severity": signals["severity"],
            "municipality": municipality, "occurred_at": signals["occurred_at"],
            "reported_at": signals["occurred_at"], "entered_at": signals["entered_at"],
            "text": signals["text"], "entered_by": "scenario"})
        runs = coverage.assign(source_id=source_ids["lokaal"])[
            ["source_id", "started_at", "finished_at", "status"]]
        with self.transaction() as cur:
            self.insert_frame(cur, "items", rows)
            self.insert_frame(cur, "item_incidents", links)
            self.insert_frame(cur, "item_tags", tag_rows)
            self.insert_frame(cur, "signals", sig)
            self.insert_frame(cur, "collection_runs", runs)
            self.temperature_inputs_changed(cur, "select ? as incident_id", [incident_id])
