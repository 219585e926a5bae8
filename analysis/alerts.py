"""Alerts: a rising phase or a spiking component becomes one notice, with a cooldown.

`decide_alerts` is pure (points + last alert per key in, alerts out); onrust.notify delivers
them (in the app, by e-mail and webhook), with the other notices (comms.notices).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd

from analysis.phases import load_phases
from analysis.temperature import COMPONENTS, LABELS
from onrust.notify import Alert
from onrust.settings import AlertSettings

# Phase 5 (terugkeer naar rust) ranks between 2 and 3: 5 -> 3 is a rise, 3 -> 5 is not.
_RANK = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0, 5: 2.5}


def decide_alerts(points: pd.DataFrame, last_alerted: Mapping[tuple[str, str], datetime],
                  cfg: AlertSettings, *, since: datetime | None = None,
                  incident: str = "") -> list[Alert]:
    """Alerts for the points after `since` (earlier points only serve as history).

    `points` has at, phase and the component columns, in time order. `last_alerted` is the
    cooldown state: when each (kind, key) last alerted.
    """
    last = {k: pd.Timestamp(v) for k, v in last_alerted.items()}
    cooldown = pd.Timedelta(hours=cfg.cooldown_hours)
    lookback = pd.Timedelta(hours=cfg.spike_lookback_hours)
    phases = load_phases()
    prefix = f"{incident}: " if incident else ""
    out: list[Alert] = []
    at = pd.to_datetime(points["at"], utc=True).reset_index(drop=True)
    start = pd.Timestamp(since) if since is not None else None

    def allowed(kind: str, key: str, when: pd.Timestamp) -> bool:
        previous = last.get((kind, key))
        return previous is None or when - previous >= cooldown

    for i in range(len(points)):
        when = at[i]
        if start is not None and when <= start:
            continue
        row = points.iloc[i]
        if i > 0:
            before, now = int(points["phase"].iloc[i - 1]), int(row["phase"])
            if _RANK[now] > _RANK[before] and allowed("fase", str(now), when):
                reason = f" ({row['reason']})" if row.get("reason") else ""
                out.append(Alert(when, "fase", str(now),
                                 f"{prefix}fase gestegen van {before} naar {phases[now].label}{reason}."))
                last[("fase", str(now))] = when
        window = (at >= when - lookback) & (at < when)
        for comp in COMPONENTS:
            value = row.get(comp)
            if value is None or pd.isna(value) or value < cfg.spike_min or not window.any():
                continue
            floor = points.loc[window.to_numpy(), comp].min()
            if pd.isna(floor) or value - floor < cfg.spike_delta:
                continue
            if allowed("piek", comp, when):
                out.append(Alert(when, "piek", comp,
                                 f"{prefix}piek in {LABELS[comp].lower()}: van {floor:.0f} naar "
                                 f"{value:.0f} binnen {cfg.spike_lookback_hours} uur."))
                last[("piek", comp)] = when
    return out
