"""What the CLI, the Temperatuur page and the meeting PDF say about an incident's latest point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.diagnosis import Table, record_summary
from analysis.phases import load_phases
from analysis.temperature import COMPONENTS, LABELS, formula_version
from analysis.temperature_explain import explain, temperature_explanation, trend
from analysis.temperature_runs import incident_series, refresh_incident
from onrust.models import Incident
from onrust.settings import TemperatureSettings
from onrust.timeutil import fmt_local


@dataclass(frozen=True, slots=True)
class Component:
    """One term of the temperature with the reason it has its value."""

    key: str
    label: str
    value: float | None
    weight: float
    explanation: str


@dataclass(frozen=True, slots=True)
class OfficialPhase:
    """The phase the driehoek or kernteam decided last (not the indicator's)."""

    phase: int
    reason: str
    author: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DiagnosisSummary:
    """The latest crisis diagnosis (004 §3.2) in the few lines a meeting reads."""

    at: datetime
    author: str
    advice: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TemperatureSummary:
    at: datetime
    temperature: float | None
    trend_6h: float | None
    phase: int
    phase_name: str
    phase_since: datetime | None  # when the indicator last changed phase; None: never
    phase_reason: str
    official_phase: OfficialPhase | None
    components: tuple[Component, ...]
    formula: str
    formula_version: str
    thresholds: tuple[float, ...]
    diagnosis: DiagnosisSummary | None = None

    @property
    def at_local(self) -> str:
        return fmt_local(self.at)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `onrust temperature --json`: moments as ISO text."""
        off, diag = self.official_phase, self.diagnosis
        return {
            "at": self.at.isoformat(),
            "at_local": self.at_local,
            "temperature": self.temperature,
            "trend_6h": self.trend_6h,
            "phase": self.phase,
            "phase_name": self.phase_name,
            "phase_since": None if self.phase_since is None else self.phase_since.isoformat(),
            "phase_reason": self.phase_reason,
            "official_phase": None if off is None else {
                "phase": off.phase, "reason": off.reason, "author": off.author, "at": off.at.isoformat()},
            "components": {c.key: {"label": c.label, "value": c.value, "weight": c.weight,
                                   "explanation": c.explanation} for c in self.components},
            "formula": self.formula,
            "formula_version": self.formula_version,
            "thresholds": list(self.thresholds),
            "diagnosis": None if diag is None else {"at": diag.at.isoformat(), "author": diag.author,
                                                    "advice": diag.advice, "lines": list(diag.lines)},
        }


def _moment(value: Any) -> datetime:
    return pd.Timestamp(value).to_pydatetime()


def _rounded(value: Any) -> float | None:
    return None if pd.isna(value) else round(float(value), 1)


def summarize(series: pd.DataFrame, cfg: TemperatureSettings, official: pd.DataFrame | None = None,
              diagnosis: DiagnosisSummary | None = None) -> TemperatureSummary:
    """The latest point of `series` (never empty) with its phase change and the official phase."""
    last = series.iloc[-1]
    phases = load_phases()
    changes = series[series["reason"] != ""]
    change = changes.iloc[-1] if len(changes) else None
    official_row = official.iloc[-1] if official is not None and len(official) else None
    expl = explain(last, cfg)
    return TemperatureSummary(
        at=_moment(last["at"]),
        temperature=_rounded(last["temperature"]),
        trend_6h=trend(series, 6),
        phase=int(last["phase"]),
        phase_name=phases[int(last["phase"])].naam,
        phase_since=None if change is None else _moment(change["at"]),
        phase_reason="" if change is None else change["reason"],
        official_phase=None if official_row is None else OfficialPhase(
            int(official_row["phase"]), official_row["reason"], official_row["author"],
            _moment(official_row["logged_at"])),
        components=tuple(Component(k, LABELS[k], _rounded(last[k]), cfg.weights.get(k, 0.0), expl[k])
                         for k in COMPONENTS),
        formula=temperature_explanation(last, cfg),
        formula_version=formula_version(cfg),
        thresholds=tuple(cfg.enter),
        diagnosis=diagnosis,
    )


def latest_diagnosis(history: pd.DataFrame, table: Table | None = None) -> DiagnosisSummary | None:
    """The last row of `Store.diagnoses` (already cut to the moment shown), None without any."""
    if history.empty:
        return None
    row = history.iloc[-1]
    return DiagnosisSummary(_moment(row["assessed_at"]), row["author"], row["advice"],
                            tuple(record_summary(row, table)))


def incident_summary(store: Any, incident: Incident, settings: Any,
                     as_of: datetime | None = None) -> TemperatureSummary | None:
    """Now (which stores new points and alerts on them, as the pipeline does) or as known at
    `as_of` (a replay that stores nothing); None when the series has not begun by then."""
    cfg = settings.temperature
    if as_of is None:
        series, _ = refresh_incident(store, incident, settings)
    else:
        series = incident_series(store, incident, as_of, cfg)
    if series.empty:
        return None
    official = store.official_phases(incident.id, as_of=as_of)
    history = store.diagnoses(incident.id)
    if as_of is not None:
        history = history[history["assessed_at"] <= as_of]
    return summarize(series, cfg, official, latest_diagnosis(history))
