"""Everything the Terugblik and `onrust review` read about one incident, in one set of frames.

A thin shell over store reads (the store passed in is `onrust.store.Store`); the replay, the
coverage development and the response timing are pure functions over these frames
(analysis.review_replay, analysis.review). Every frame holds the whole incident with its
timestamps, so a moment's picture is a filter and never a second query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.phases import series_start
from analysis.temperature_runs import incident_series
from onrust.models import Incident
from onrust.settings import TemperatureSettings
from onrust.timeutil import utcnow


@dataclass(frozen=True)
class ReviewInputs:
    """One incident's record from its series start to its end (closed_at, or now)."""

    incident: Incident
    start: datetime
    end: datetime
    items: pd.DataFrame  # Store.incident_items_frame: id, title, source, publisher, reach, origin, ...
    tags: pd.DataFrame  # Store.incident_tags_frame: item_id, tag_set, tag_key, value, ...
    signals: pd.DataFrame  # Store.temperature_signals: as entered (today's values)
    revisions: pd.DataFrame  # signal_revisions: signal_id, changed_at, field, old, new
    decisions: pd.DataFrame  # Store.official_phases: logged_at, phase, reason, author
    logbook: pd.DataFrame  # Store.logbook
    press: pd.DataFrame  # press_events of every release plus release_id and the release's title
    checklist: pd.DataFrame  # Store.checklist_history
    matrix: pd.DataFrame  # Store.info_matrix (current rows, with the time box per group)
    informed: pd.DataFrame  # Store.info_matrix_history
    series: pd.DataFrame  # analysis.phases.temperature_view up to `end`
    events: pd.DataFrame  # Store.temperature_events: the chart's key moments (at, kind, label)
    involved: tuple[str, ...]  # registered names: masked in everything the report shows


def review_end(incident: Incident, now: datetime | None = None) -> datetime:
    """A closed incident ends when it was closed; an open one is reviewed up to now."""
    return incident.closed_at if incident.closed_at is not None else (now or utcnow())


def _press_frame(store: Any, incident_id: int) -> pd.DataFrame:
    frames = []
    for release in store.press_releases(incident_id):
        events = store.press_events(release.id)
        frames.append(events.assign(release_id=release.id, title=release.title))
    if not frames:
        return pd.DataFrame(columns=["event_at", "version", "action", "from_status", "to_status", "actor",
                                     "release_id", "title"])
    return pd.concat(frames, ignore_index=True).sort_values(["event_at", "release_id"], kind="stable")


def load_review(store: Any, incident: Incident, cfg: TemperatureSettings,
                now: datetime | None = None) -> ReviewInputs:
    """Read the incident's whole record; `now` ends an open incident's review (tests pin it)."""
    start = series_start(incident.opened_at, cfg)
    end = review_end(incident, now)
    signals, revisions = store.temperature_signals(incident.id, end)
    return ReviewInputs(
        incident=incident, start=start, end=end,
        items=store.incident_items_frame(incident.id, start, end),
        tags=store.incident_tags_frame(incident.id, start, end),
        signals=signals, revisions=revisions,
        decisions=store.official_phases(incident.id),
        logbook=store.logbook(incident.id),
        press=_press_frame(store, incident.id),
        checklist=store.checklist_history(incident.id),
        matrix=store.info_matrix(incident.id),
        informed=store.info_matrix_history(incident.id),
        series=incident_series(store, incident, end, cfg),
        events=store.temperature_events(incident.id, start, end),
        involved=tuple(p.name for p in store.names_to_protect(incident.id)),
    )
