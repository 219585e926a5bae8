"""Scheduled collection against a loopback server: state, back-off, health, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from app.pipeline import after_ingest
from collectors.health import backoff_seconds, collection_gaps, feed_health, poll_interval
from collectors.run import collect_due, collect_once, collect_sources
from onrust.timeutil import utcnow
from tests.collectors.conftest import fixture_bytes, make_settings

RSS = fixture_bytes("rss2.xml")
ATOM = fixture_bytes("atom.xml")


def _add(store, name, url, **kw):
    return store.source_by_id(store.add_source(name, url=url, publisher=name, **kw))


def test_one_bad_feed_never_stops_or_delays_the_others(store, server):
    settings = make_settings(total_timeout_seconds=1.0)
    _add(store, "Goed", server.add("/good.xml", body=RSS))
    _add(store, "Traag", server.add("/slow.xml", body=RSS, delay=3))
    _add(store, "Kapot", server.add("/html", body=fixture_bytes("page.html")))
    _add(store, "Atom", server.add("/atom.xml", body=ATOM))
    reports = {r.source: r for r in collect_once(store, settings, after_ingest=after_ingest)}
    assert (reports["Goed"].new, reports["Atom"].new) == (4, 2)
    assert reports["Traag"].error.startswith("Time-out")
    assert reports["Kapot"].error == "HTML-pagina in plaats van een feed (verkeerd adres?)"
    runs = store.collection_runs()
    assert sorted(runs["status"]) == ["fout", "fout", "ok", "ok"]
    assert store.item_count() == 6


def test_conditional_get_and_validators_replaced_on_every_200(store, server, settings):
    source = _add(store, "Omroep", server.add("/feed.xml", body=RSS, etag='"v1"'))
    collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert store.feed_state(source.id)["etag"] == '"v1"'
    [again] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert again.not_modified and server.requests[-1][1]["If-None-Match"] == '"v1"'
    server.add("/feed.xml", body=ATOM, etag='"v2"')          # the feed changed
    [changed] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert changed.new == 2 and store.feed_state(source.id)["etag"] == '"v2"'
    server.add("/feed.xml", body=ATOM, headers={"Last-Modified": "Sun, 15 Nov 2026 08:00:00 GMT"})
    # a 200 without ETag drops the old one
    collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    state = store.feed_state(source.id)
    assert (state["etag"], state["last_modified"]) == (None, "Sun, 15 Nov 2026 08:00:00 GMT")
    assert store.collection_runs()["status"].tolist() == ["ok", "ongewijzigd", "ok", "ongewijzigd"]


def test_retry_after_is_honoured_and_failures_back_off(store, server, settings):
    busy = _add(store, "Druk", server.add("/busy.xml", status=429, headers={"Retry-After": "900"}))
    down = _add(store, "Stuk", server.add("/down.xml", status=500))
    before = utcnow()
    collect_sources(store, settings, [busy, down], after_ingest=after_ingest, force=True)
    state = store.feed_state(busy.id)
    assert 899 <= (state["next_due_at"] - before).total_seconds() <= 905
    assert state["retry_after_until"] == state["next_due_at"]
    collect_sources(store, settings, [down], after_ingest=after_ingest, force=True)
    down_state = store.feed_state(down.id)
    assert down_state["consecutive_failures"] == 2 and down_state["last_error"].startswith("HTTP 500")
    wait = (down_state["next_due_at"] - down_state["last_fetch_at"]).total_seconds()
    assert wait == 600  # 300 s, doubled after the second failure
    assert collect_sources(store, settings, [busy, down], after_ingest=after_ingest) == []  # neither is due


def test_a_failed_parse_keeps_no_validators_so_the_next_fetch_is_full(store, server, settings):
    source = _add(store, "Omroep", server.add("/feed.xml", body=b"", etag='"leeg"'))
    [report] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert report.error == "lege respons (geen feed)"
    assert store.feed_state(source.id)["etag"] is None


def test_collect_due_reports_seconds_until_the_next_feed(store, server, settings):
    _add(store, "Omroep", server.add("/feed.xml", body=RSS))
    wait = collect_due(store, settings, after_ingest=after_ingest)
    # the feed's two dated items are 65 min apart: polled every 32.5 min (half its rhythm)
    assert 1940 <= wait <= 1950
    assert collect_due(store, settings, after_ingest=after_ingest) <= 1950
    assert len(store.collection_runs()) == 1


def test_search_source_follows_the_open_incidents_watch_terms(store, server, settings):
    from onrust.models import WatchProfile

    incident = store.create_incident("Brand Zuid", "Veldwijk", utcnow())
    store.save_watch_profile(WatchProfile(incident, terms=("flatbrand",), places=("Zuid",),
                                          involved=("Jan Jansen",)), "analist")
    from collectors.run import watch_terms

    source = store.source_by_id(store.add_source("Zoek", kind="search", reach="landelijk"))
    terms = watch_terms(store, source).config["terms"]
    assert terms == ["flatbrand", "Zuid"]   # never the names of those involved


def test_poll_interval_and_backoff_rules():
    conf = make_settings().collect
    assert poll_interval(None, conf, incident_open=False) == 300
    assert poll_interval(1200, conf, incident_open=False) == 600
    assert poll_interval(86400, conf, incident_open=False) == 3600
    assert poll_interval(86400, conf, incident_open=True) == 900
    assert poll_interval(60, conf, incident_open=True) == 120
    assert [backoff_seconds(n, conf) for n in (1, 2, 3, 10)] == [300, 600, 1200, 21600]
    assert backoff_seconds(1, conf, retry_after=10 * 86400) == 86400


def test_feed_health_tells_failing_stale_and_not_collecting_apart():
    conf = make_settings().collect
    now = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
    base = {"enabled": True, "last_fetch_at": now - timedelta(minutes=5), "interval_seconds": 300,
            "consecutive_failures": 0, "rhythm_seconds": 1800, "last_new_item_at": now - timedelta(hours=1)}
    assert feed_health(base, now, conf).code == "ok"
    assert feed_health({**base, "last_new_item_at": now - timedelta(hours=4)}, now, conf).code == "stale"
    failing = feed_health({**base, "consecutive_failures": 3, "failing_since": now - timedelta(hours=1),
                           "last_error": "HTTP 500"}, now, conf)
    assert failing.code == "failing" and "3x mislukt" in failing.detail and "HTTP 500" in failing.detail
    assert feed_health({**base, "last_fetch_at": now - timedelta(hours=3)}, now, conf).code == "not_collecting"
    assert feed_health({**base, "last_fetch_at": None}, now, conf).code == "never"
    assert feed_health({**base, "enabled": False}, now, conf).label == "uit"


def test_collection_gaps_are_not_calm():
    t = datetime(2026, 11, 15, 0, 0, tzinfo=UTC)
    finished = [t, t + timedelta(minutes=5), t + timedelta(minutes=10), t + timedelta(hours=3), t,
                t + timedelta(hours=1)]
    runs = pd.DataFrame({
        "source_id": [1, 1, 1, 1, 2, 2], "name": ["A"] * 4 + ["B"] * 2,
        "started_at": finished, "finished_at": finished,
        "status": ["ok", "ongewijzigd", "fout", "ok", "fout", "fout"],
    })
    until = t + timedelta(hours=3, minutes=10)
    gaps = collection_gaps(runs, max_gap=timedelta(minutes=30), until=until)
    assert gaps[["name", "gap_start", "gap_end"]].values.tolist() == [
        ["A", pd.Timestamp(t + timedelta(minutes=5)), pd.Timestamp(t + timedelta(hours=3))],
        ["B", pd.Timestamp(t), pd.Timestamp(until)],   # it only ever failed: no data at all
    ]


@pytest.mark.parametrize("fixture, gz, new, error, warned", [
    ("rss2.xml", False, 4, None, False),
    ("atom.xml", True, 2, None, False),
    ("rdf.xml", False, 1, None, False),
    ("malformed.xml", False, 2, None, True),
    ("wrong_charset.xml", False, 1, None, True),
    ("page.html", False, 0, "HTML-pagina in plaats van een feed (verkeerd adres?)", False),
    (None, False, 0, "lege respons (geen feed)", False),
])
def test_every_fixture_served_over_loopback(store, server, settings, fixture, gz, new, error, warned):
    body = fixture_bytes(fixture) if fixture else b""
    source = _add(store, "Bron", server.add("/f", body=body, gzip=gz))
    [report] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert (report.new, report.error, bool(report.warnings)) == (new, error, warned)
    state = store.feed_state(source.id)
    assert state["consecutive_failures"] == (1 if error else 0)
    assert bool(state["last_warning"]) == warned


def test_health_from_the_overview_frame_of_a_feed_that_only_ever_failed(store, server, settings):
    source = _add(store, "Stuk", server.add("/down.xml", status=500))
    collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    row = store.source_overview().to_dict("records")[0]
    conf = settings.collect
    assert feed_health(row, utcnow(), conf).code == "failing"
    # Nobody collected for a day: that is 'not collecting', whatever the last error was.
    assert feed_health(row, utcnow() + timedelta(days=1), conf).code == "not_collecting"


def test_an_incident_opened_since_the_last_fetch_brings_the_next_fetch_forward(store, server, settings):
    source = _add(store, "Omroep", server.add("/feed.xml", body=RSS))
    collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)  # next fetch in ~32 min
    assert collect_sources(store, settings, [source], after_ingest=after_ingest) == []
    last = store.feed_state(source.id)["last_fetch_at"]
    store.update_feed_state(source.id, last_fetch_at=last - timedelta(minutes=10))
    # 10 min ago: not due normally
    assert collect_sources(store, settings, [source], after_ingest=after_ingest) == []
    store.create_incident("Brand Zuid", "Veldwijk", utcnow())
    # incident: 32.5 min x 0.25 = ~8 min, so a fetch 10 minutes ago is due again
    due = collect_sources(store, settings, [source], after_ingest=after_ingest)
    assert [r.source for r in due] == ["Omroep"]


def _feed(numbers) -> bytes:
    items = "".join(
        f"<item><title>Bericht nummer {n} over iets anders</title><link>https://e.example.nl/{n}</link>"
        f"<pubDate>Sat, 14 Nov 2026 {10 + n % 10}:00:00 +0100</pubDate></item>" for n in numbers)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode()


def test_a_feed_whose_items_are_all_new_may_have_lost_some_and_is_polled_faster(store, server, settings):
    source = _add(store, "Druk", server.add("/f.xml", body=_feed(range(5))))
    [first] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert first.new == 5 and first.warnings == []          # the first fetch: nothing to compare
    server.add("/f.xml", body=_feed(range(3, 8)))
    [overlap] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert overlap.new == 3 and overlap.warnings == []
    server.add("/f.xml", body=_feed(range(20, 25)))
    [gap] = collect_sources(store, settings, [source], after_ingest=after_ingest, force=True)
    assert gap.warnings == ["mogelijk items gemist: alle 5 items waren nieuw; de bron wordt vaker opgehaald"]
    state = store.feed_state(source.id)
    assert state["interval_seconds"] == 300 and state["last_warning"] == gap.warnings[0]
    assert store.collection_runs()["status"].tolist()[-1] == "waarschuwing"


def test_progress_is_reported_per_source_stored_then_for_the_pipeline(store, server, settings):
    sources = [_add(store, "Goed", server.add("/good.xml", body=RSS)),
               _add(store, "Stuk", server.add("/x", status=500))]
    heard: list[tuple[float, str]] = []

    def hear(fraction: float, message: str) -> None:
        heard.append((fraction, message))

    collect_sources(store, settings, sources, after_ingest=after_ingest, force=True, progress=hear)
    assert heard == [(0.5, "1 van 2 bronnen opgehaald"), (1.0, "2 van 2 bronnen opgehaald"),
                     (1.0, "Nieuwe items taggen en koppelen")]
    heard.clear()
    collect_sources(store, settings, sources[1:], after_ingest=after_ingest, force=True, progress=hear)
    assert heard == [(1.0, "1 van 1 bronnen opgehaald")]  # nothing new: the pipeline has nothing to say
