"""The temperature step: compute an incident's series, store the new points, alert on them.

Runs after every collection pass (app.pipeline) and for `onrust temperature`; a replay of a past
moment (`incident_series`) reads only what was known then and stores nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from analysis.alerts import decide_alerts
from analysis.phases import series_start, temperature_view
from analysis.temperature import (
    Aggregates,
    aggregates_from_bins,
    bins_frame,
    build_aggregates,
    formula_version,
    grid_origin,
    history_bins,
)
from onrust.models import Incident
from onrust.notify import deliver
from onrust.settings import Settings, TemperatureSettings
from onrust.timeutil import utcnow

_FOREVER = datetime(9999, 12, 31, tzinfo=UTC)  # the upper fetch bound when building bins: every item


def inputs_since(opened_at: datetime, cfg: TemperatureSettings) -> datetime:
    """Earliest fetch time the series needs: its start minus the baseline's history."""
    return series_start(opened_at, cfg) - timedelta(minutes=cfg.step_minutes * (history_bins(cfg) + 1))


def stored_aggregates(store: Any, incident: Incident, as_of: datetime,
                      cfg: TemperatureSettings) -> Aggregates | None:
    """The incident's bins up to as_of from the store while they are current (same generation,
    formula and grid), else None."""
    origin = grid_origin(series_start(incident.opened_at, cfg), cfg)
    found = store.temperature_bins(incident.id, formula_version(cfg), origin)
    if found is None:
        return None
    state, bins = found
    return aggregates_from_bins(bins, origin, int(state["n_publishers"]), list(state["features"]), as_of, cfg)


def rebuild_bins(store: Any, incident: Incident, cfg: TemperatureSettings, now: datetime | None = None) -> None:
    """Fold every input item of the incident into bins and store them (the pipeline's step; also
    for closed incidents, whose inputs rarely change). All items from the series' history on,
    however late they were fetched, so the bins serve any as_of, a replay of the past included."""
    generation = store.temperature_generation(incident.id)  # before the reads: a write after it makes them stale
    since, start = inputs_since(incident.opened_at, cfg), series_start(incident.opened_at, cfg)
    items = store.temperature_items(incident.id, since, _FOREVER, cfg.min_relevance)
    tags = store.temperature_tags(incident.id, since, _FOREVER, min_relevance=cfg.min_relevance)
    end = now or utcnow()
    if len(items):  # an item fetched after now (a clock ahead) must still lie in a built bin
        end = max(end, pd.Timestamp(items["fetched_at"].max()).to_pydatetime() + timedelta(minutes=cfg.step_minutes))
    agg = build_aggregates(items, tags, start, end, cfg)
    store.save_temperature_bins(incident.id, {
        "formula_version": formula_version(cfg), "origin_ns": agg.origin, "n_bins": agg.n_bins,
        "n_publishers": agg.presence.shape[0], "features": agg.names, "generation": generation,
    }, bins_frame(agg))


def incident_series(store: Any, incident: Incident, as_of: datetime, cfg: TemperatureSettings) -> pd.DataFrame:
    """The series with phases as of `as_of`: from the stored bins when current, which gives the
    same series as the items themselves, else from the items."""
    since = inputs_since(incident.opened_at, cfg)
    aggregates = stored_aggregates(store, incident, as_of, cfg)
    if aggregates is None:
        inputs = store.temperature_inputs(incident.id, since, as_of, cfg.min_relevance)
        return temperature_view(inputs, incident.opened_at, as_of, cfg)
    signals, revisions = store.temperature_signals(incident.id, as_of)
    inputs = {"signals": signals, "revisions": revisions, "coverage": store.temperature_coverage(since, as_of)}
    return temperature_view(inputs, incident.opened_at, as_of, cfg, aggregates=aggregates)


def refresh_incident(store: Any, incident: Incident, settings: Settings,
                     now: datetime | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute up to now, store the new points, decide and deliver alerts for them."""
    cfg = settings.temperature
    now = now or utcnow()
    if stored_aggregates(store, incident, now, cfg) is None:
        rebuild_bins(store, incident, cfg, now)
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
        elif stored_aggregates(store, incident, utcnow(), settings.temperature) is None:
            # A closed incident gets no new points, but its pages (Terugblik) read its series:
            # bins for it too, rebuilt only when its inputs changed (a retag, a purge).
            rebuild_bins(store, incident, settings.temperature)
    return report
