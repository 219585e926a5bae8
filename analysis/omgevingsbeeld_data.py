"""The omgevingsbeeld from the store: read the incident's frames, build the snapshot.

A thin shell over analysis.omgevingsbeeld shared by the CLI and the page (which caches
`live_picture` per database version through dashboard.data.derived).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from analysis import omgevingsbeeld as ob
from onrust.models import Incident
from onrust.timeutil import utcnow


def default_period(incident: Incident, lead_days: int, now: datetime) -> tuple[datetime, datetime]:
    """From shortly before the incident to now (or shortly after it was closed)."""
    end = incident.closed_at + timedelta(days=lead_days) if incident.closed_at else now
    return incident.opened_at - timedelta(days=lead_days), end


def snapshot(store, incident: Incident, start: datetime, end: datetime, now: datetime) -> ob.Omgevingsbeeld:
    """Read the incident's frames and build the snapshot (the page does the same via its cache)."""
    return _build(store, incident, _frames(store, incident.id, start, end), (start, end), now)


@dataclass(frozen=True, slots=True)
class LivePicture:
    """The snapshot as of now with the frames it was built from: the page lists, maps and charts
    the same items, so they are read and cached once, not twice."""

    beeld: ob.Omgevingsbeeld
    items: pd.DataFrame  # Store.incident_items_frame
    tags: pd.DataFrame  # Store.incident_tags_frame
    signals: pd.DataFrame  # Store.incident_signals_frame


def live_picture(store, incident_id: int, start: datetime, end: datetime) -> LivePicture | None:
    """For the page (cached there per database version); None for an unknown incident."""
    incident = store.incident(incident_id)
    if incident is None:
        return None
    frames = _frames(store, incident_id, start, end)
    return LivePicture(_build(store, incident, frames, (start, end), utcnow()), *frames)


def _frames(store, incident_id: int, start: datetime, end: datetime) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return (store.incident_items_frame(incident_id, start, end), store.incident_tags_frame(incident_id, start, end),
            store.incident_signals_frame(incident_id, start, end))


def _build(store, incident: Incident, frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
           period: tuple[datetime, datetime], now: datetime) -> ob.Omgevingsbeeld:
    return ob.build(
        *frames, incident=incident.name, municipality=incident.municipality, period=period,
        generated_at=now, involved=[p.name for p in store.names_to_protect(incident.id)],
        verdicts=store.rumour_verdicts(incident.id, until=period[1]),
        signal_verdict_at=store.signal_verdicts(incident.id),
    )
