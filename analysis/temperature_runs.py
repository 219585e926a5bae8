"""The temperature step: compute an incident's series, store the new points, alert on them.

Runs after every collection pass (app.pipeline) and for `onrust temperature`; a replay of a past
moment (`incident_series`) reads only what was known then and stores nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from analysis.alerts import decide_alerts
from analysis.phases import series_start, temperature_view
from analysis.temperature import formula_version, history_bins
from onrust.models import Incident
from onrust.notify import deliver
from onrust.settings import Settings, TemperatureSettings
from onrust.timeutil import utcnow


def inputs_since(opened_at: datetime, cfg: TemperatureSettings) -> datetime:
    """Earliest fetch time the series needs: its start minus the baseline's history."""
    return series_start(opened_at, cfg) - timedelta(minutes=cfg.step_minutes * (history_bins(cfg) + 1))


def incident_series(store: Any, incident: Incident, as_of: datetime, cfg: TemperatureSettings) -> pd.DataFrame:
    inputs = store.temperature_inputs(incident.id, inputs_since(incident.opened_at, cfg), as_of, cfg.min_relevance)
    return temperature_view(inputs, incident.opened_at, as_of, cfg)


def refresh_incident(store: Any, incident: Incident, settings: Settings,
                     now: datetime | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute up to now, store the new points, decide and deliver alerts for them."""
    cfg = settings.temperature
    now = now or utcnow()
    series = incident_series(store, incident, now, cfg)
    if series.empty:
        return series, pd.DataFrame()
    stored = store.temperature_points(incident.id)
    stored = stored[stored["formula_version"] == formula_version(cfg)]
    # Only points not stored before may alert; on the first run only the latest point (the
    # history of an incident opened after the fact is no news).
    since = stored["at"].max() if len(stored) else series["at"].iloc[-2] if len(series) > 1 else None
    store.save_temperature_points(incident.id, series)
    alert_cfg = settings.alerts
    alerts = decide_alerts(series, store.alert_cooldowns(incident.id), alert_cfg, since=since,
                           incident=incident.name)
    rows = deliver(alerts, alert_cfg, incident.id)
    store.save_alerts(incident.id, rows)
    return series, rows


def refresh_all(store: Any, settings: Settings) -> dict[str, int]:
    """Pipeline step: every open incident, after each collection pass."""
    report = {}
    for incident in store.incidents():
        if incident.status == "open":
            series, alerts = refresh_incident(store, incident, settings)
            report[f"incident {incident.id}"] = len(alerts)
    return report
