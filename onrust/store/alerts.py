"""Raised alerts and their cooldown state."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow


class AlertQueries(CoreStore):
    def save_alerts(self, incident_id: int, alerts: pd.DataFrame) -> int:
        """alerts: raised_at, kind, key, message, delivery (dict)."""
        if alerts.empty:
            return 0
        frame = alerts.assign(incident_id=incident_id, created_at=utcnow(),
                              delivery=alerts["delivery"].map(json.dumps))
        frame = frame[["incident_id", "raised_at", "kind", "key", "message", "delivery", "created_at"]]
        with self.transaction() as cur:
            return self.insert_frame(cur, "alerts", frame)

    def alerts(self, incident_id: int, limit: int = 50) -> pd.DataFrame:
        return self.frame(
            "select id, raised_at, kind, key, message, delivery from alerts where incident_id = ?"
            " order by raised_at desc, id desc limit ?",
            [incident_id, limit],
        )

    def alert_cooldowns(self, incident_id: int) -> dict[tuple[str, str], datetime]:
        """Last alert per (kind, key): the cooldown state."""
        rows = self.fetchall(
            "select kind, key, max(raised_at) from alerts where incident_id = ? group by kind, key",
            [incident_id],
        )
        return {(k, key): at for k, key, at in rows}
