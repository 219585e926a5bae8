"""Alerts: a rise or a spike is one notice (cooldown), delivered to a local SMTP and HTTP sink."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from analysis.alerts import decide_alerts
from onrust.notify import deliver
from onrust.settings import load_settings

T0 = pd.Timestamp("2026-10-05 12:00", tz="UTC")
CFG = load_settings().alerts  # spike +30 within 6 h to >= 50, cooldown 6 h


def points(phases: list[int], volume: list[float] | None = None) -> pd.DataFrame:
    n = len(phases)
    frame = pd.DataFrame({"at": pd.date_range(T0, periods=n, freq="h"), "phase": phases,
                          "reason": [""] * n})
    for comp in ("volume", "spread", "tone", "escalation", "signals", "politicisation"):
        frame[comp] = 10.0
    if volume is not None:
        frame["volume"] = volume
    return frame


def test_a_phase_rise_alerts_once_per_phase_within_the_cooldown():
    alerts = decide_alerts(points([1, 2, 2, 3, 5, 3, 4]), {}, CFG, incident="Flits")
    assert [(a.kind, a.key) for a in alerts] == [("fase", "2"), ("fase", "3"), ("fase", "4")]
    assert alerts[1].message == "Flits: fase gestegen van 2 naar Fase 3: Maatschappelijke onrust."
    later = decide_alerts(points([1, 3] + [5] * 7 + [3]), {}, CFG)
    assert [(a.key, a.raised_at) for a in later] == [("3", T0 + pd.Timedelta(hours=1)),
                                                    ("3", T0 + pd.Timedelta(hours=9))]


def test_one_spike_is_one_alert():
    volume = [10, 10, 80, 90, 95, 90, 85, 90, 10, 10, 10, 10, 10, 10, 10, 85]
    alerts = decide_alerts(points([1] * len(volume), volume), {}, CFG)
    assert [(a.key, a.raised_at.hour) for a in alerts] == [("volume", 14), ("volume", 3)]
    assert alerts[0].message == "piek in volume: van 10 naar 80 binnen 6 uur."


def test_cooldown_state_and_since_come_from_earlier_runs():
    volume = [10, 80]
    last = {("piek", "volume"): T0 - pd.Timedelta(hours=2)}
    assert decide_alerts(points([1, 1], volume), last, CFG) == []
    assert decide_alerts(points([1, 2]), {}, CFG, since=T0 + pd.Timedelta(hours=1)) == []


def test_small_or_missing_values_do_not_alert():
    assert decide_alerts(points([1] * 3, [5, 5, 40]), {}, CFG) == []  # +35 but only to 40
    assert decide_alerts(points([1] * 3, [10, float("nan"), 70]), {}, CFG)[0].key == "volume"


class _Sink(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Sink.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_sink():
    _Sink.received = []
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Sink.received
    server.shutdown()


class _Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_sink():
    handler = _Inbox()
    with socket.socket() as probe:  # the controller checks its own port, so it cannot be 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler.messages
    controller.stop()


def test_delivery_by_email_and_webhook(smtp_sink, http_sink):
    port, inbox = smtp_sink
    url, received = http_sink
    cfg = replace(CFG, smtp_host="127.0.0.1", smtp_port=port, smtp_to=("kernteam@gemeente.test",),
                  webhook_url=url)
    alerts = decide_alerts(points([1, 3]), {}, cfg, incident="Flits")
    rows = deliver(alerts, cfg, incident_id=7)
    assert rows["delivery"].tolist() == [{"app": "ok", "email": "ok", "webhook": "ok"}]
    assert len(inbox) == 1 and inbox[0]["To"] == "kernteam@gemeente.test"
    assert "fase gestegen van 1 naar Fase 3" in inbox[0]["Subject"]
    assert received == [{"incident_id": 7, "kind": "fase", "key": "3",
                         "message": alerts[0].message, "raised_at": alerts[0].raised_at.isoformat()}]


def test_a_failing_channel_is_recorded_not_raised(store):
    cfg = replace(CFG, smtp_host="127.0.0.1", smtp_port=1, smtp_to=("x@y.test",),
                  webhook_url="http://127.0.0.1:1/hook", timeout_seconds=2)
    rows = deliver(decide_alerts(points([1, 3]), {}, cfg), cfg)
    delivery = rows["delivery"].iloc[0]
    assert delivery["app"] == "ok"
    assert delivery["email"].startswith("fout:") and delivery["webhook"].startswith("fout:")
    incident = store.create_incident("Flits", "Veldwijk", T0.to_pydatetime())
    assert store.save_alerts(incident, rows) == 1
    assert store.alert_cooldowns(incident) == {("fase", "3"): T0 + pd.Timedelta(hours=1)}
    assert store.alerts(incident)["message"].tolist() == ["fase gestegen van 1 naar Fase 3: Maatschappelijke onrust."]
