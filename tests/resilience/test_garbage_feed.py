"""A feed answering garbage for an hour, on a compressed clock: the collector's own scheduling
(due times, back-off) runs against literal times while a real loopback server answers. The feed is
marked failing, the healthy feeds keep flowing every poll, and it recovers by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors import run
from collectors.health import source_statuses
from tests.collectors.conftest import FeedServer, make_settings
from tests.feeds import rss

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
GARBAGE = b"\x00\xff<html><body>502 Bad Gateway" + bytes(range(256)) * 40


class Clock:
    """The moment every `utcnow()` in collectors.run returns; moved by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _health(store, now: datetime, settings) -> dict[str, str]:
    return {s.name: s.health.code for s in source_statuses(store.source_overview(), now, settings.collect)}


def _publish(server: FeedServer, path: str, count: int) -> None:
    items = [(f"{path.strip('/')}-{n}", f"Bericht {n}", "Tekst.") for n in range(count)]
    server.add(path, body=rss(items, T0), headers={"Content-Type": "application/rss+xml"})


def test_an_hour_of_garbage_fails_one_feed_only_and_it_recovers(
        store, server: FeedServer, monkeypatch: pytest.MonkeyPatch):
    settings = make_settings()
    clock = Clock()
    monkeypatch.setattr(run, "utcnow", clock)
    for name in ("goed1", "goed2", "kapot"):
        store.add_source(name, kind="rss", url=server.url(f"/{name}"), reach="lokaal", enabled=True)
    server.add("/kapot", body=GARBAGE, headers={"Content-Type": "application/rss+xml"})
    healthy_seen, attempts_on_bad = [], 0
    for minute in range(0, 121, 5):  # two hours in five-minute steps
        clock.now = T0 + timedelta(minutes=minute)
        for path in ("/goed1", "/goed2"):
            _publish(server, path, 5 + minute)  # one new item a minute
        if minute == 60:
            _publish(server, "/kapot", 3)  # the feed comes back after an hour
        asked = len(server.requests)
        run.collect_once(store, settings, after_ingest=lambda s, st: None)
        attempts_on_bad += sum(1 for p, _ in server.requests[asked:] if p == "/kapot")
        health = _health(store, clock.now, settings)
        if 5 <= minute < 60:
            assert health["kapot"] == "failing", (minute, health)
        if health["kapot"] == "ok":
            healthy_seen.append(minute)
        assert health["goed1"] == health["goed2"] == "ok", (minute, health)

    counts = dict(store.fetchall("select s.name, count(i.id) from sources s left join items i"
                                 " on i.source_id = s.id group by s.name"))
    assert counts["goed1"] == counts["goed2"] == 5 + 120  # nothing missed while the other failed
    assert counts["kapot"] == 3
    assert attempts_on_bad < 120 // 5  # backed off, not hammered every poll
    assert healthy_seen and healthy_seen[0] > 60 and healthy_seen[-1] == 120
    state = store.feed_state(store.source_by_name("kapot").id)
    assert state["consecutive_failures"] == 0 and state["last_error"] is None
    print(f"garbage feed: {attempts_on_bad} attempts in 2 h, healthy again from minute {healthy_seen[0]}")
