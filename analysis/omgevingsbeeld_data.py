"""The omgevingsbeeld from the store: read the incident's frames, build the snapshot.

A thin shell over analysis.omgevingsbeeld shared by the CLI and the page (which caches
`live_snapshot` per database version through dashboard.data.derived).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from analysis import omgevingsbeeld as ob
from onrust.models import Incident
from onrust.timeutil import utcnow


def default_period(incident: Incident, lead_days: int, now: datetime) -> tuple[datetime, datetime]:
    """From shortly before the incident to now (or shortly after it was closed)."""
    end = incident.closed_at + timedelta(days=lead_days) if incident.closed_at else now
    return incident.opened_at - timedelta(days=lead_days), end


def snapshot(store, incident: Incident, start: datetime, end: datetime, now: datetime) -> ob.Omgevingsbeeld:
    """Read the incident's frames and build the snapshot (the page does the same via its cache)."""
    return ob.build(
        store.incident_items_frame(incident.id, start, end),
        store.incident_tags_frame(incident.id, start, end),
        store.incident_signals_frame(incident.id, start, end),
        incident=incident.name, municipality=incident.municipality, period=(start, end),
        generated_at=now, involved=[p.name for p in store.names_to_protect(incident.id)],
        verdicts=store.rumour_verdicts(incident.id, until=end), signal_verdict_at=store.signal_verdicts(incident.id),
    )


def live_snapshot(store, incident_id: int, start: datetime, end: datetime) -> ob.Omgevingsbeeld | None:
    """The snapshot as of now, for the page (cached there per database version)."""
    incident = store.incident(incident_id)
    return None if incident is None else snapshot(store, incident, start, end, utcnow())
