"""The demo's live replay through the real parts: the loopback feed server publishes part of the
story in fast replay time, the server's own collection loop fetches it (httpx through the SSRF
guard, feedparser, the store, the pipeline) and the replay ends by itself."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pandas as pd
import pytest

from app.demo.build import snapshots
from app.demo.generator import FEED_WINDOW, item_guid, load_config, load_story
from app.demo.live import LIVE_PREFIX, LiveReplay, ReplayClock, live_settings, load_script, settle, start_live
from app.pipeline import after_ingest
from app.server import _collect_loop, prepare_store
from collectors.fetch import UnsafeURL, check_url
from collectors.ingest import ingest_file
from onrust.models import WatchProfile
from onrust.settings import load_settings
from onrust.store import Store
from onrust.store.shared import close_shared, shared_store
from onrust.timeutil import set_clock, to_utc
from tests.pages.apptest import open_page

# Monday 00:00 to Thursday 00:00 as written in the story: the ANP story, the informatieavond, the
# false release rumour, the riot and the noodbevel; at 0.25 s per hour the run takes 18 s, six or
# more collection passes (each takes a few seconds of fetching, tagging and scoring).
START, END = datetime(2026, 10, 12, 0, 0), datetime(2026, 10, 15, 0, 0)
SECONDS_PER_HOUR = 0.25


@dataclass(frozen=True)
class Run:
    db: Path
    store: Store
    replay: LiveReplay
    closed_id: int


def _closed_twin(store: Store, settings) -> int:
    """A closed incident watching the same story, with the demo's own Buurtpraat snapshots
    ingested from their files, as the closed demo beside the live one has them (a social post's
    guid has no date in it: the live copies were once taken for these and never stored)."""
    config = load_config()
    source = store.source_by_id(store.add_source("buurtpraat", kind="file", reach="sociaal", enabled=False))
    assert source is not None
    for shot in snapshots():
        if shot.source_key == "buurtpraat" and to_utc(START) - FEED_WINDOW <= shot.at <= to_utc(END):
            assert not ingest_file(store, shot.path, source, fetched_at=shot.at, backfill=True,
                                   settings=settings).error
    watch = config["watch"]
    incident_id = store.create_incident("Gesloten tweeling (FICTIEF)", "Loosterveen",
                                        to_utc(datetime(2026, 10, 8, 17, 45)))
    store.save_watch_profile(WatchProfile(incident_id, terms=tuple(watch["terms"]), places=tuple(watch["places"]),
                                          period_start=watch["period_start"]), "test")
    store.close_incident(incident_id, to_utc(datetime(2026, 10, 21, 17)))
    return incident_id


async def _serve_until_finished(db: Path, replay: LiveReplay, settings) -> None:
    """What the server's lifespan runs: the collection loop and the replay beside it."""
    loop = asyncio.create_task(_collect_loop(db, settings))
    try:
        await asyncio.wait_for(replay.run(db, settings), timeout=60)
    except TimeoutError:
        store = shared_store(db)
        states = [store.feed_state(sid) for sid in replay.source_ids]
        pytest.fail(f"not finished; final feeds {sorted(replay.final)}, states "
                    + "; ".join(f"{s['source_id']}: {s['last_success_at']} {s['last_error']}" for s in states))
    finally:
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Iterator[Run]:
    db = tmp_path_factory.mktemp("live") / "live.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ONRUST_DB", str(db))
        mp.delenv("ONRUST_CONFIG", raising=False)
        settings = live_settings(load_settings())
        store = prepare_store(db, settings)
        closed_id = _closed_twin(store, settings)
        after_ingest(store, settings)  # loads the language model, as the demo build has done before
        replay = start_live(store, settings, seconds_per_hour=SECONDS_PER_HOUR, start=START, end=END)
        try:
            asyncio.run(_serve_until_finished(db, replay, settings))
            yield Run(db, store, replay, closed_id)
        finally:
            set_clock(None)
            close_shared(db)


def _live_runs(run: Run) -> pd.DataFrame:
    runs = run.store.collection_runs()
    return runs[runs["source_id"].isin(run.replay.source_ids)]


def test_items_arrive_over_several_polls(run):
    runs = _live_runs(run)
    passes = runs[runs["new_items"] > 0].groupby("source_id")["started_at"].nunique()
    assert passes.max() >= 3  # the busiest source brought new items in at least three polls
    assert set(runs["status"]) <= {"ok", "ongewijzigd", "waarschuwing"}  # never "fout"
    assert (runs["status"] == "ongewijzigd").any()  # the feed server answers 304 to unchanged feeds
    assert run.store.linked_item_count(run.replay.incident_id) >= 30


def test_temperature_and_phase_move(run):
    points = run.store.temperature_points(run.replay.incident_id, since=run.replay.script.start)
    scored = points.dropna(subset=["temperature"])
    assert scored["temperature"].max() - scored["temperature"].min() >= 20
    assert scored["phase"].nunique() >= 3


def test_notices_fire_in_the_header_sources(run):
    alerts = run.store.alerts(run.replay.incident_id, limit=200)
    assert {"signaal", "doelgroep"} <= set(alerts["kind"])  # severe signals entered, deadlines passed
    assert set(alerts["kind"]) & {"fase", "piek"}  # and the temperature's own: a phase rise or a spike
    assert alerts["message"].str.startswith(LIVE_PREFIX).all()


def test_the_teams_work_is_done_at_its_moment(run):
    """Signals, logbook entries with the official phase decisions and 'geïnformeerd' marks."""
    script, store, iid = run.replay.script, run.store, run.replay.incident_id
    written = [e for e in load_config()["log"] if script.moved(e["at"]) <= script.end]
    book = store.logbook(iid)
    assert {e["text"] for e in written} <= set(book["text"])
    assert sorted(pd.to_datetime(book.loc[book["text"] == written[-1]["text"], "logged_at"])) == [
        pd.Timestamp(script.moved(written[-1]["at"]))]
    assert len(store.signals(incident_id=iid)) == 19  # the rows of signals.csv entered by then


def test_the_replay_stops_by_itself_at_the_end(run):
    replay, store = run.replay, run.store
    assert replay.finished and replay.done == len(replay.steps) > 0  # the team's work, all of it
    assert not any(s.enabled for s in store.sources() if s.id in replay.source_ids)
    assert replay.caught_up(store)  # every source fetched after the end: nothing left behind
    assert store.logbook(replay.incident_id)["text"].iloc[-1].startswith("Live-replay afgelopen")
    with pytest.raises(httpx.ConnectError):  # the feed server stopped with the replay
        httpx.get(replay.server.base_url + "/buurtpraat.xml", timeout=2)


def test_nothing_is_stored_twice(run):
    """One item per article published in the window, each counted new once; a correction
    updates its item under the same key. Only when a poll came so late that a feed had scrolled
    on (the product then warns 'mogelijk items gemist'; a loaded machine) may some be missing."""
    script = run.replay.script
    overview = run.store.source_overview().set_index("source_id")
    runs = _live_runs(run)
    assert int(overview.loc[list(run.replay.source_ids), "items"].sum()) == int(runs["new_items"].sum())
    for source_id, key in zip(run.replay.source_ids, script.sources, strict=True):
        shown = [a for a in script.articles[key] if script.start - FEED_WINDOW < a.at <= script.end]
        stored = int(overview.loc[source_id, "items"])
        own = runs[runs["source_id"] == source_id]
        missed = own["message"].fillna("").str.contains("mogelijk items gemist").any()
        assert stored == len(shown) or (missed and stored < len(shown)), key
    fixed = [(key, a) for key, own in script.articles.items() for a in own
             if a.correction and script.start - FEED_WINDOW < a.at and a.correction.at <= script.end]
    assert len(fixed) == 4  # Omroep's school, Nieuwsblad's 'tientallen', the release rumour, the arrests
    for key, article in fixed:
        item = run.store.item_by_key(item_guid(script.sources[key], article))
        assert item is not None and item["title"] == article.correction.title


def test_the_closed_incident_gets_nothing(run):
    overview = run.store.source_overview()
    assert int(overview.loc[overview["name"] == "buurtpraat", "items"].iloc[0]) == 48  # as ingested
    assert run.store.linked_item_count(run.closed_id) == 0
    assert run.store.temperature_points(run.closed_id).empty
    assert run.store.alerts(run.closed_id).empty


def test_the_page_shows_the_live_incident(run):
    at = open_page("views/omgevingsbeeld.py")
    assert not at.exception
    assert at.sidebar.selectbox[0].value == run.replay.incident_id  # the newest incident comes first
    header = [n.value for n in (*at.warning, *at.info) if LIVE_PREFIX in n.value]
    assert header  # the header shows the live incident's notices (signals, deadlines, phase)
    text = " ".join(str(m.value) for m in at.markdown)
    assert "Esdoornhof" in text  # items of the live feeds on the page


def test_the_guard_lets_the_demo_reach_only_its_loopback(run):
    url = run.replay.server.base_url + "/buurtpraat.xml"
    with pytest.raises(UnsafeURL):
        check_url(url, load_settings())  # everywhere else loopback stays refused
    assert live_settings(load_settings()).collect.allowed_networks == ("127.0.0.1/32",)
    with pytest.raises(UnsafeURL):
        check_url("http://10.0.0.1/feed.xml", live_settings(load_settings()))


def test_the_clock_runs_fast_until_the_end_then_normally():
    real = datetime.now(UTC)
    day = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
    clock = ReplayClock(real, *day, 360.0)  # a day at 10 s per hour
    assert clock.wall_end == real + timedelta(seconds=240)
    assert clock.now() - day[0] < timedelta(minutes=5)
    assert clock.wall_seconds(3600) == pytest.approx(10, rel=0.01)
    done = ReplayClock(real - timedelta(seconds=300), *day, 360.0)  # ended a minute ago
    assert timedelta(seconds=60) <= done.now() - day[1] < timedelta(seconds=70)
    assert done.wall_seconds(60) == 60


def test_the_story_is_moved_by_whole_weeks_and_ends_before_the_real_end():
    now = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    script = load_script(load_config(), load_story(), now=now, factor=360.0)
    assert script.shift.days % 7 == 0 and script.shift.seconds == 0
    real_end = now + (script.end + settle(360.0) - script.start) / 360.0
    assert real_end - timedelta(days=7) < script.end <= real_end
    first = min((a for own in script.articles.values() for a in own), key=lambda a: a.at)
    # Same weekday and clock time as written:
    assert first.at.strftime("%a %H:%M") == (first.at - script.shift).strftime("%a %H:%M")


def test_the_pace_flag_keeps_to_the_settings_range(capsys):
    from app.cli import build_cli

    parser = build_cli().parser
    assert parser.parse_args(["demo", "--seconds-per-hour", "2,5"]).seconds_per_hour == 2.5
    assert parser.parse_args(["demo"]).seconds_per_hour is None  # then demo.replay_seconds_per_hour
    with pytest.raises(SystemExit):
        parser.parse_args(["demo", "--seconds-per-hour", "0"])
    assert "moet tussen 0.01 en 3600 liggen, niet 0.0" in capsys.readouterr().err
