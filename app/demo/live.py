"""The demo's live replay: the demo story published again, in accelerated time, by a loopback feed
server, and collected by the real scheduler into an open incident beside the closed one.

Time runs on a replay clock. The temperature, its phases, alert cooldowns, polling intervals and
"laatst opgehaald" all count in hours; squeezing an incident's items into minutes of real time
would put the whole story inside one 12-hour temperature window and the phase would never move
as it did. So the demo process reads a clock (`onrust.timeutil.set_clock`) that runs
`3600 / seconds_per_hour` times faster than the wall clock from the script's start to its end,
and at normal speed after it. Every timestamp the product writes (fetched_at, collection runs,
temperature points, notices, visits) is on that clock, so the live incident develops over its
own hours exactly as a real one would, only faster to watch.

The story is moved forward by whole weeks (weekday and clock time stay as written) so that its
end falls just before the real moment the replay ends: every item is dated in the past, and
after the end the clock simply goes on at normal speed, at most a week behind the calendar.
The feed server shows each source's feed as it stood at the clock's moment (the generator's own
window and renderers), frozen at the end of the script. The team's work (signals, logbook entries with
the official phase decisions, "geïnformeerd" marks; app.demo.team) is done again when the clock
reaches its moment. When every live source has been fetched after the end, the sources are
switched off and the logbook says the replay is over.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.demo.feed_server import FeedServer
from app.demo.generator import DEMO_DIR, Article, all_articles, atom_bytes, load_config, load_story, rss_bytes, visible
from app.demo.team import Step, team_steps
from app.server import in_thread
from comms.involved import add_incident_person
from onrust.models import WatchProfile
from onrust.settings import Settings
from onrust.store import Store
from onrust.store.shared import shared_store
from onrust.timeutil import AMSTERDAM, fmt_local, set_clock, to_utc, utcnow

log = logging.getLogger("onrust.demo.live")
WEEK = timedelta(days=7)
ACTOR = "demo"
LIVE_PREFIX = "Live-replay: "
LIVE_SUFFIX = " (live)"
# The only address the demo's collector may reach beyond the public internet: its own feed server.
LOOPBACK = "127.0.0.1/32"
# The clock keeps its pace this long past the end, so every source is polled once more at the
# replay's rhythm (incident polling is at most every 15 minutes) before it slows to normal speed,
# and at least this many real seconds: a collection pass takes a second or two whatever the pace.
SETTLE = timedelta(hours=1)
SETTLE_REAL_SECONDS = 10.0
# A live source that cannot be reached after the end must not keep the replay going for ever.
FINISH_GRACE_SECONDS = 60.0
CHECK_EVERY_SECONDS = 0.5  # real seconds between looks at the clock
CONTENT_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}


@dataclass(frozen=True)
class ReplayClock:
    """Incident time: `factor` times the wall clock from `start` to `end`, then normal speed
    (`end` is the script's end plus its `settle`)."""

    wall_start: datetime
    start: datetime
    end: datetime
    factor: float

    @property
    def wall_end(self) -> datetime:
        return self.wall_start + (self.end - self.start) / self.factor

    def now(self) -> datetime:
        real = datetime.now(UTC)
        if real >= self.wall_end:
            return self.end + (real - self.wall_end)
        return self.start + (real - self.wall_start) * self.factor

    def wall_seconds(self, seconds: float) -> float:
        fast = min(seconds, max(0.0, (self.end - self.now()).total_seconds()))
        return fast / self.factor + (seconds - fast)


@dataclass(frozen=True)
class Script:
    """The demo story as the live feeds publish it: every article moved by `shift`."""

    sources: Mapping[str, dict[str, Any]]
    articles: Mapping[str, tuple[Article, ...]]
    start: datetime  # UTC, on the replay's time line (shifted)
    end: datetime
    shift: timedelta

    def moved(self, moment: datetime) -> datetime:
        """A moment of the story (as written) on the replay's time line, same local clock time."""
        return (to_utc(moment).astimezone(AMSTERDAM) + self.shift).astimezone(UTC)

    def feed(self, key: str, moment: datetime) -> tuple[bytes, str] | None:
        """The source's feed as it stood at `moment` (at most the end: then it stops publishing)."""
        source = self.sources.get(key)
        if source is None:
            return None
        at = min(moment, self.end).astimezone(AMSTERDAM)
        own = self.articles[key]
        # Dated by its newest entry, not by the request: an unchanged feed gives the same bytes,
        # so the collector's validators get a 304 as they would from a newsroom.
        published = [m for a in own for m in (a.at, a.correction.at if a.correction else None)
                     if m is not None and m <= at]
        built = max(published, default=self.start.astimezone(AMSTERDAM))
        writer = atom_bytes if source["format"] == "atom" else rss_bytes
        return writer(source, visible(list(own), at), built), CONTENT_TYPES[source["format"]]


def settle(factor: float) -> timedelta:
    """How far past the script's end the clock keeps its pace."""
    return max(SETTLE, timedelta(seconds=SETTLE_REAL_SECONDS * factor))


def live_site(site: str) -> str:
    """The live copy's own web address: its items' URLs and guids must differ from the closed
    demo's, or the store takes them for the same items (a social post's guid has no date in it,
    and a demo run in the week after the story moves nothing)."""
    parts = urlsplit(site)
    return urlunsplit(parts._replace(netloc="live." + parts.netloc.removeprefix("www.")))


def _shifted(article: Article, shift: timedelta) -> Article:
    fix = article.correction
    return replace(article, at=article.at + shift,
                   correction=replace(fix, at=fix.at + shift) if fix is not None else None)


def load_script(config: dict[str, Any], story: dict[str, Any], *, now: datetime, factor: float,
                start: datetime | None = None, end: datetime | None = None) -> Script:
    """From the incident's opening to its last publication (or `start`..`end`, as written in the
    story), moved by whole weeks so the end lands before the real end of the replay."""
    sources = {s["key"]: {**s, "site": live_site(s["site"])} for s in config["source"]}
    articles = all_articles(story, sources, story["story"]["seed"])
    start = to_utc(start or config["incident"]["opened_at"])
    last = max(m for a in articles for m in (a.at, a.correction.at if a.correction else a.at))
    end = to_utc(end or last)
    if end <= start:
        raise ValueError(f"live-replay: het einde ({fmt_local(end)}) ligt niet na het begin ({fmt_local(start)})")
    real_end = now + (end + settle(factor) - start) / factor
    # An hour to spare: moving by local clock time may add the hour of a DST change.
    shift = WEEK * ((real_end - end - settle(factor) - timedelta(hours=1)) // WEEK)
    moved = [_shifted(a, shift) for a in articles]
    script = Script(sources, {key: tuple(a for a in moved if a.source == key) for key in sources},
                    start, end, shift)
    return replace(script, start=script.moved(start), end=script.moved(end))


def live_settings(settings: Settings) -> Settings:
    """The demo's collector may reach its own loopback feed server (the guard's allowed_networks,
    in this process only), and a fiction never mails or calls the municipality's kernteam."""
    collect = replace(settings.collect, allowed_networks=(*settings.collect.allowed_networks, LOOPBACK))
    alerts = replace(settings.alerts, smtp_host="", webhook_url="")
    return replace(settings, collect=collect, alerts=alerts)


@dataclass
class LiveReplay:
    """What `start_live` set up; `run` is the server companion that ends it."""

    script: Script
    clock: ReplayClock
    server: FeedServer
    incident_id: int
    source_ids: tuple[int, ...]
    steps: tuple[Step, ...] = ()  # the team's work (app.demo.team)
    finished: bool = field(default=False)
    done: int = field(default=0)  # of `steps`
    final: set[str] = field(default_factory=set)  # feeds served as they stand at the end

    def render(self, key: str) -> tuple[bytes, str] | None:
        """The feed server's answer: the feed at the clock's moment, noting who got the last one."""
        moment = self.clock.now()
        if moment >= self.script.end:
            self.final.add(key)
        return self.script.feed(key, moment)

    def do_due_steps(self, store: Store, settings: Settings) -> int:
        """Do the team's work whose moment has come, dated that moment; returns how much."""
        now, count = self.clock.now(), 0
        while self.done < len(self.steps) and self.steps[self.done].due <= now:
            step = self.steps[self.done]
            try:
                step.act(store, settings, self.incident_id, step.due)
            except Exception:  # a mistake in the demo data must not stop the replay
                log.exception("live-replay: %s mislukt", step.label)
            self.done += 1
            count += 1
        return count

    def caught_up(self, store: Store) -> bool:
        """Every live feed served and stored as it stands at the end: nothing is left to collect."""
        done = [store.feed_state(sid).get("last_success_at") for sid in self.source_ids]
        return self.final >= set(self.script.sources) and all(
            at is not None and to_utc(at) >= self.script.end for at in done)

    def finish(self, store: Store) -> None:
        """Switch the live sources off and say so in the incident's logbook."""
        for source_id in self.source_ids:
            store.set_source_enabled(source_id, False, actor=ACTOR)
        store.add_log_entry(self.incident_id, "gebeurtenis",
                            f"Live-replay afgelopen: het verhaal is tot {fmt_local(self.script.end)} "
                            f"gepubliceerd; de {len(self.source_ids)} live bronnen staan uit.", ACTOR)
        self.finished = True
        log.info("live-replay afgelopen; %d bronnen uitgezet", len(self.source_ids))

    async def run(self, db_path: Path, settings: Settings) -> None:
        """Beside the collection loop: wait for the end of the script, then finish; the feed
        server stops with the server."""
        store = shared_store(db_path)
        try:
            while not self.finished:
                await asyncio.sleep(CHECK_EVERY_SECONDS)
                await in_thread(self.do_due_steps, store, settings)
                if self.clock.now() < self.script.end:
                    continue
                late = (datetime.now(UTC) - self.clock.wall_end).total_seconds() > FINISH_GRACE_SECONDS
                if late:
                    log.warning("live-replay: niet elke live bron is na het einde opgehaald; toch afgesloten")
                if late or await in_thread(self.caught_up, store):
                    await in_thread(self.finish, store)
        finally:
            await in_thread(self.server.stop)


def start_live(store: Store, settings: Settings, folder: Path = DEMO_DIR, *, seconds_per_hour: float,
               start: datetime | None = None, end: datetime | None = None) -> LiveReplay:
    """Set the replay clock, start the feed server, open the live incident and add its sources."""
    config, story = load_config(folder), load_story(folder)
    factor = 3600.0 / seconds_per_hour
    script = load_script(config, story, now=datetime.now(UTC), factor=factor, start=start, end=end)
    clock = ReplayClock(datetime.now(UTC), script.start, script.end + settle(factor), factor)
    set_clock(clock)
    server = FeedServer(lambda key: replay.render(key))
    incident_id = _open_incident(store, config, script, seconds_per_hour)
    source_ids = tuple(
        store.add_source(s["name"] + LIVE_SUFFIX, kind="rss", url=f"{server.base_url}/{key}.xml",
                         reach=s["reach"], publisher=s["publisher"], enabled=True, actor=ACTOR,
                         config={"demo_live": True, "format": s["format"]})
        for key, s in script.sources.items()
    )
    steps = team_steps(config, folder, script.moved, script.shift, script.end)
    replay = LiveReplay(script, clock, server, incident_id, source_ids, steps)
    server.start()
    log.info("live-replay: %d feeds op %s, %s s per incidentuur", len(source_ids), server.base_url,
             seconds_per_hour)
    return replay


def _open_incident(store: Store, config: dict[str, Any], script: Script, seconds_per_hour: float) -> int:
    """The demo incident again, open, with the same watch profile and people involved, moved."""
    meta, watch = config["incident"], config["watch"]
    opened = script.moved(meta["opened_at"])
    incident_id = store.create_incident(
        LIVE_PREFIX + meta["name"], meta["municipality"], opened, scenario=meta["scenario"], is_demo=True,
        description=("FICTIEF. Het demo-incident opnieuw, live: een feedserver op deze computer publiceert "
                     f"het verhaal versneld ({seconds_per_hour:g} seconden per incidentuur) en de gewone "
                     "collectie haalt het op. " + meta["description"]),
        actor=ACTOR,
    )
    for person in config["person"]:
        add_incident_person(store, incident_id, person["name"], person["role"], ACTOR, at=opened)
    store.save_watch_profile(WatchProfile(
        incident_id, terms=tuple(watch["terms"]), places=tuple(watch["places"]),
        neighbourhoods=tuple(watch["neighbourhoods"]), actors=tuple(watch["actors"]),
        involved=tuple(p["name"] for p in config["person"]), period_start=script.moved(watch["period_start"]),
    ), ACTOR)
    store.add_log_entry(incident_id, "gebeurtenis",
                        f"Live-replay gestart: {len(script.sources)} bronnen publiceren het verhaal van "
                        f"{fmt_local(script.start)} tot {fmt_local(script.end)}.", ACTOR, logged_at=utcnow())
    return incident_id
