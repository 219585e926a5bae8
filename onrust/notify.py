"""Delivering notices: always in the app, by e-mail and webhook where configured.

A notice (a phase rise, a spike, a high-severity signal, an overdue doelgroep, a persbericht
waiting for approval) is decided by the stage that knows its subject; this shell sends it, so
every kind reaches the same channels (a Teams or Matrix channel takes the webhook). A failing
channel is recorded with the notice, never raised: the in-app notice always stands.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import httpx
import pandas as pd

from onrust.settings import AlertSettings
from onrust.timeutil import fmt_local

NOTICE_COLUMNS = ["raised_at", "kind", "key", "message", "delivery"]


@dataclass(frozen=True, slots=True)
class Alert:
    raised_at: pd.Timestamp
    kind: str  # fase | piek | signaal | doelgroep | persbericht
    key: str  # what it is about (phase, component, signal id, ...): one cooldown per key
    message: str


def send_email(alert: Alert, cfg: AlertSettings) -> str:
    msg = EmailMessage()
    msg["Subject"] = f"Onrustmonitor: {alert.message[:120]}"
    msg["From"] = cfg.smtp_from
    msg["To"] = ", ".join(cfg.smtp_to)
    msg.set_content(f"{alert.message}\n\nTijdstip: {fmt_local(alert.raised_at.to_pydatetime())}\n"
                    "Zie de Onrustmonitor voor de onderbouwing.")
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
    return pd.DataFrame(rows, columns=NOTICE_COLUMNS)
