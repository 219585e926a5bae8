"""Alerts: a rising phase or a spiking component becomes one notice, with a cooldown.

`decide_alerts` is pure (points + last alert per key in, alerts out); `deliver` is the thin shell
that sends e-mail (smtplib) and calls a webhook (httpx). Every alert is also shown in the app.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

import httpx
import pandas as pd

from analysis.phases import load_phases
from analysis.temperature import COMPONENTS, LABELS
from onrust.settings import AlertSettings

# Phase 5 (terugkeer naar rust) ranks between 2 and 3: 5 -> 3 is a rise, 3 -> 5 is not.
_RANK = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0, 5: 2.5}


@dataclass(frozen=True, slots=True)
class Alert:
    raised_at: pd.Timestamp
    kind: str  # fase | piek
    key: str  # phase number or component: one cooldown per key
    message: str


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


def send_email(alert: Alert, cfg: AlertSettings) -> str:
    msg = EmailMessage()
    msg["Subject"] = f"Onrustmonitor: {alert.message[:120]}"
    msg["From"] = cfg.smtp_from
    msg["To"] = ", ".join(cfg.smtp_to)
    msg.set_content(f"{alert.message}\n\nTijdstip (UTC): {alert.raised_at.isoformat()}\n"
                    "Zie de pagina Temperatuur in de Onrustmonitor voor de onderbouwing.")
    with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout_seconds) as smtp:
        if cfg.smtp_starttls:
            smtp.starttls()
        smtp.send_message(msg)
    return "ok"


def send_webhook(alert: Alert, cfg: AlertSettings, incident_id: int | None = None) -> str:
    response = httpx.post(cfg.webhook_url, timeout=cfg.timeout_seconds, json={
        "incident_id": incident_id, "kind": alert.kind, "key": alert.key,
        "message": alert.message, "raised_at": alert.raised_at.isoformat()})
    response.raise_for_status()
    return "ok"


def deliver(alerts: list[Alert], cfg: AlertSettings, incident_id: int | None = None) -> pd.DataFrame:
    """Send what is configured; a failing channel is recorded, never raised (the in-app notice
    always stands). Returns the rows for store.save_alerts."""
    rows = []
    for alert in alerts:
        delivery = {"app": "ok"}
        if cfg.smtp_host and cfg.smtp_to:
            try:
                delivery["email"] = send_email(alert, cfg)
            except (OSError, smtplib.SMTPException) as exc:
                delivery["email"] = f"fout: {exc}"
        if cfg.webhook_url:
            try:
                delivery["webhook"] = send_webhook(alert, cfg, incident_id)
            except httpx.HTTPError as exc:
                delivery["webhook"] = f"fout: {exc}"
        rows.append({"raised_at": alert.raised_at, "kind": alert.kind, "key": alert.key,
                     "message": alert.message, "delivery": delivery})
    return pd.DataFrame(rows, columns=["raised_at", "kind", "key", "message", "delivery"])
