"""The temperature summary as the plain Situation record that meeting agendas and the handover read."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from analysis.temperature_summary import TemperatureSummary, incident_summary
from onrust.errors import UserError
from onrust.models import Incident, Situation
from onrust.settings import Settings
from onrust.timeutil import to_utc

if TYPE_CHECKING:
    from onrust.store import Store


def situation(summary: TemperatureSummary | None) -> Situation:
    """None (no temperature yet: the incident has no series) gives an empty picture, not an error:
    a first meeting is often held before anything was measured."""
    if summary is None:
        return Situation(None, None, None, None, "", "", None, "", ())
    off, diag = summary.official_phase, summary.diagnosis
    return Situation(
        at=summary.at, temperature=summary.temperature, trend_6h=summary.trend_6h, phase=summary.phase,
        phase_name=summary.phase_name, phase_reason=summary.phase_reason,
        official_phase=off.phase if off else None, official_reason=off.reason if off else "",
        reasons=tuple(f"{c.label}: {c.explanation}" for c in summary.components if c.value),
        diagnosis_at=diag.at if diag else None, diagnosis_author=diag.author if diag else "",
        diagnosis_advice=diag.advice if diag else "", diagnosis=diag.lines if diag else (),
    )


def current_situation(store: Store, incident_id: int, as_of: datetime, settings: Settings) -> Situation:
    """The situation as known at `as_of`, computed from stored inputs without writing anything
    (so a read-only database and a closed incident work, and the dashboard may cache it)."""
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet.")
    return situation(incident_summary(store, incident, settings, as_of=as_of))


def situation_moment(incident: Incident, now: datetime, step_minutes: int) -> datetime:
    """The moment an agenda or handover reads the state at: now, or the close of a closed incident
    (after it nothing is collected for it any more), on the temperature's step so a page can cache it."""
    moment = min(to_utc(now), to_utc(incident.closed_at)) if incident.closed_at else to_utc(now)
    return pd.Timestamp(moment).floor(f"{step_minutes}min").to_pydatetime()
