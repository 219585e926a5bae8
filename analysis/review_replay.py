"""The Terugblik replay: what was known at one moment of an incident, from its whole record.

Each part uses the moment the monitor learned of it, never a later edit: items by
`fetched_at`, signals by when they were entered and with the values they had then (their
revisions rolled back), decisions, press steps, checklist ticks and informed groups by when
they were recorded. The temperature and phase come from the as-of computation the temperature
page uses (`analysis.temperature_runs.incident_series`), so a replayed moment shows the point
that was computed live at that moment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.review_data import ReviewInputs
from analysis.temperature import signal_versions
from analysis.temperature_runs import incident_series
from onrust.settings import TemperatureSettings


@dataclass(frozen=True)
class Moment:
    at: pd.Timestamp
    items: pd.DataFrame  # linked items fetched by then, newest first
    signals: pd.DataFrame  # signals as known then (values of then), newest first
    point: pd.Series | None  # the temperature point of then: temperature, phase, reason, components
    official: pd.Series | None  # the latest official phase decision logged by then
    releases: pd.DataFrame  # per press release: its status then and since when
    checklist: pd.DataFrame  # per checklist item: its status then
    informed: pd.DataFrame  # per doelgroep: when last informed, as recorded by then
    logbook: pd.DataFrame  # entries logged by then, newest first
    tasks: pd.DataFrame | None  # task states then (when the caller has task lists)


def _ts(value: Any) -> pd.Timestamp:
    return pd.Timestamp(value).tz_convert("UTC") if pd.Timestamp(value).tzinfo else pd.Timestamp(value, tz="UTC")


def _before(frame: pd.DataFrame, column: str, at: pd.Timestamp) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[pd.to_datetime(frame[column], utc=True) <= at]


def signals_then(signals: pd.DataFrame, revisions: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    """Each signal entered before `at` with the values it had at `at` (the temperature's rule:
    a version counts from when it was entered or edited, until its next edit)."""
    versions = signal_versions(signals, revisions)
    if versions.empty:
        return versions
    entered = pd.to_datetime(versions["entered_at"], utc=True)
    until = pd.to_datetime(versions["valid_until"], utc=True)
    known = versions[(entered < at) & (until.isna() | (at <= until))]
    return known.sort_values(["occurred_at", "signal_id"], ascending=False)


def _latest(frame: pd.DataFrame, at_col: str, key: str, at: pd.Timestamp) -> pd.DataFrame:
    """The last recorded row per key up to `at`."""
    shown = _before(frame, at_col, at)
    return shown.drop_duplicates(key, keep="last").reset_index(drop=True)


def task_states(tasks: Sequence[Mapping[str, Any]], at: datetime) -> pd.DataFrame:
    """Task records (title, due_at or None, done_at or None; optional ref, phase) as they stood
    at `at`: 'gedaan' (and whether late), 'te laat' (due and not done) or 'open'."""
    moment = _ts(at)
    rows = []
    for task in tasks:
        due = _ts(task["due_at"]) if task.get("due_at") is not None else None
        done = _ts(task["done_at"]) if task.get("done_at") is not None else None
        finished = done is not None and done <= moment
        overdue = due is not None and due < moment
        state = "gedaan" if finished else "te laat" if overdue else "open"
        rows.append({"title": str(task["title"]), "phase": task.get("phase"), "ref": task.get("ref", ""),
                     "due_at": due, "done_at": done if finished else None, "state": state,
                     "late": bool(finished and due is not None and done is not None and done > due)
                     or state == "te laat"})
    return pd.DataFrame(rows, columns=["title", "phase", "ref", "due_at", "done_at", "state", "late"])


def replay(inputs: ReviewInputs, at: datetime, series_then: pd.DataFrame,
           tasks: Sequence[Mapping[str, Any]] | None = None) -> Moment:
    """The picture at `at`; `series_then` is the temperature series computed as of `at`."""
    moment = _ts(at)
    points = _before(series_then, "at", moment)
    decisions = _before(inputs.decisions, "logged_at", moment)
    press = _latest(inputs.press, "event_at", "release_id", moment)
    informed = _latest(inputs.informed[inputs.informed["last_informed_at"].notna()], "changed_at",
                       "doelgroep", moment) if not inputs.informed.empty else inputs.informed
    return Moment(
        at=moment,
        items=_before(inputs.items, "fetched_at", moment),
        signals=signals_then(inputs.signals, inputs.revisions, moment),
        point=points.iloc[-1] if len(points) else None,
        official=decisions.iloc[-1] if len(decisions) else None,
        releases=press.reindex(columns=["release_id", "title", "to_status", "action", "event_at"]),
        checklist=_latest(inputs.checklist, "changed_at", "item_id", moment),
        informed=informed,
        logbook=_before(inputs.logbook, "logged_at", moment).iloc[::-1],
        tasks=None if tasks is None else task_states(tasks, moment),
    )


def replay_from_store(store: Any, inputs: ReviewInputs, at: datetime, cfg: TemperatureSettings,
                      tasks: Sequence[Mapping[str, Any]] | None = None) -> Moment:
    """`replay` with the temperature recomputed from only what the store knew at `at`; at the
    review's end (where the slider starts) that is the series the review already holds."""
    at_end = pd.Timestamp(at) == pd.Timestamp(inputs.end)
    return replay(inputs, at, inputs.series if at_end else incident_series(store, inputs.incident, at, cfg), tasks)
