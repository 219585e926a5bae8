"""Detection figures of the temperature for `onrust eval temperature`.

Each scripted scenario (analysis.timelines) runs under several seeds, because figures that hold
for one random draw may not hold; a recorded incident (the demo, or a real one afterwards) is
laid beside the official phases the driehoek decided.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Any

import pandas as pd

from analysis.phases import temperature_view
from analysis.temperature_runs import inputs_since
from analysis.timelines import SCENARIOS, evaluate
from onrust.models import Incident
from onrust.settings import TemperatureSettings
from onrust.timeutil import utcnow


@dataclass(frozen=True, slots=True)
class Checkpoint:
    label: str
    expected: str
    measured: tuple[str, ...]  # one per seed


@dataclass(frozen=True, slots=True)
class ScenarioEvaluation:
    name: str
    title: str
    seeds: int
    has_marker: bool  # False: the scenario has no escalation marker to measure from
    hours_to_phase3: tuple[float | None, ...]
    false_episodes: int
    background_days: float
    false_per_background_month: float
    checkpoints: tuple[Checkpoint, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "seeds": self.seeds,
                "hours_to_phase3": list(self.hours_to_phase3), "false_episodes": self.false_episodes,
                "background_days": round(self.background_days, 1),
                "false_per_background_month": round(self.false_per_background_month, 2),
                "checkpoints": {c.label: {"expected": c.expected, "measured": list(c.measured)}
                                for c in self.checkpoints}}


@dataclass(frozen=True, slots=True)
class IncidentEvaluation:
    incident: int
    name: str
    first_marker: str | None  # ISO moment
    hours_to_phase3: float | None
    hours_compared: float
    same_phase: float
    within_one_phase: float
    indicator_changes: tuple[tuple[str, int, str], ...]  # (ISO moment, phase, reason)
    official_phases: tuple[tuple[str, int, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_scenarios(cfg: TemperatureSettings, seeds: int) -> list[ScenarioEvaluation]:
    results = []
    for name, make in SCENARIOS.items():
        base = make()
        runs = [evaluate(replace(base, seed=base.seed + k), cfg)[0] for k in range(seeds)]
        days = sum(r.background_days for r in runs)
        false = sum(r.false_episodes for r in runs)
        checks: dict[str, tuple[str, list[str]]] = {}
        for r in runs:
            for label, _when, expected, measured in r.checkpoints:
                checks.setdefault(label, (expected, []))[1].append(measured.split(" (")[0])
        results.append(ScenarioEvaluation(
            name, base.title, seeds, base.first_marker is not None, tuple(r.hours_to_phase3 for r in runs),
            false, days, false / days * 30 if days else 0.0,
            tuple(Checkpoint(label, e, tuple(m)) for label, (e, m) in checks.items())))
    return results


def evaluate_incident(store: Any, incident: Incident, cfg: TemperatureSettings) -> IncidentEvaluation:
    """The indicator against the official phases, and the delay from the first escalation marker."""
    end = (incident.closed_at or utcnow()) + timedelta(days=2)
    inputs = store.temperature_inputs(incident.id, inputs_since(incident.opened_at, cfg), end)
    series = temperature_view(inputs, incident.opened_at, end, cfg)
    official = store.official_phases(incident.id)
    markers = {m.split(":", 1)[1] for m in cfg.escalation_markers}
    tags = inputs["tags"]
    tagged = tags[tags["tag_key"].astype(str).isin(markers)
                  & tags["tag_set"].astype(str).isin(["phase", "dynamiek"])]
    items = inputs["items"][inputs["items"]["item_id"].isin(tagged["item_id"])
                            & (inputs["items"]["relevance"] >= cfg.min_relevance)]
    signals = inputs["signals"][inputs["signals"]["severity"] >= 4]
    # Markers before the incident opened are the tagger's everyday noise, not its beginning.
    opened = pd.Timestamp(incident.opened_at)
    firsts = [t for t in (items.loc[items["fetched_at"] >= opened, "fetched_at"].min(),
                          signals.loc[signals["entered_at"] >= opened, "entered_at"].min()) if pd.notna(t)]
    first = min(firsts) if firsts else None
    high = (series[series["phase"].isin([3, 4]) & (series["at"] >= first)] if first is not None
            else series.iloc[:0])
    hours = (high["at"].iloc[0] - first) / pd.Timedelta(hours=1) if len(high) else None
    agree = near = total = 0
    if len(official):
        decided = official[["logged_at", "phase"]].rename(columns={"logged_at": "at", "phase": "official"})
        decided["at"] = decided["at"].astype(series["at"].dtype)
        steps = pd.merge_asof(series[["at", "phase"]], decided, on="at").dropna(subset=["official"])
        rank = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0, 5: 2.5}
        total = len(steps)
        agree = int((steps["phase"] == steps["official"]).sum())
        near = int(((steps["phase"].map(rank) - steps["official"].map(rank)).abs() <= 1).sum())
    changes = series[series["reason"] != ""]
    return IncidentEvaluation(
        incident=incident.id, name=incident.name,
        first_marker=None if first is None else first.isoformat(),
        hours_to_phase3=None if hours is None else round(hours, 1),
        # points are step_minutes apart: report hours
        hours_compared=total * cfg.step_minutes / 60, same_phase=agree * cfg.step_minutes / 60,
        within_one_phase=near * cfg.step_minutes / 60,
        indicator_changes=tuple((r.at.isoformat(), int(r.phase), r.reason) for r in changes.itertuples()),
        official_phases=tuple((r.logged_at.isoformat(), int(r.phase), r.reason)
                              for r in official.itertuples()),
    )
