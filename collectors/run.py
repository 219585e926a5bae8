"""Scheduled collection inside `onrust serve`: fetch what is due, store it, run the pipeline.

Fetching and parsing run in a small thread pool so one slow or hanging feed never delays the
others; every database write happens in the calling thread, one transaction per feed. The
pipeline is handed in by the caller (the composition root): collection never imports analysis.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx

from collectors.feeds import ParsedFeed
from collectors.fetch import Fetched, FetchError, fetch, make_client
from collectors.health import backoff_seconds, poll_interval
from collectors.ingest import FeedReport, record_run, store_parsed
from collectors.kinds import parse_source, request_url
from onrust.hooks import AfterIngest
from onrust.models import Source
from onrust.settings import CollectSettings, Settings
from onrust.timeutil import utcnow

log = logging.getLogger("onrust.collect")
NETWORK_KINDS = ("rss", "search", "mastodon", "gdelt", "json")
# Search services truncate long queries; the first terms of a watch profile matter most.
MAX_SEARCH_TERMS = 20
# A feed of at least this many items that are all new since the last fetch may have lost some.
MISSED_MIN_ITEMS = 5


@dataclass(frozen=True)
class _Outcome:
    source: Source
    started: datetime
    fetched: Fetched | None = None
    parsed: ParsedFeed | None = None
    error: FetchError | None = None


def _fetch_and_parse(source: Source, state: dict, settings: Settings, client: httpx.Client) -> _Outcome:
    started = utcnow()
    try:
        url = request_url(source)
        if not url:
            raise FetchError("bron heeft geen adres (URL of zoektermen)")
        fetched = fetch(url, settings=settings, etag=state.get("etag"),
                        last_modified=state.get("last_modified"), client=client)
        if fetched.not_modified:
            return _Outcome(source, started, fetched)
        parsed = parse_source(source, fetched.body, utcnow(), content_type=fetched.content_type)
        return _Outcome(source, started, fetched, parsed)
    except FetchError as exc:
        return _Outcome(source, started, error=exc)
    except ValueError as exc:  # e.g. search terms that build no URL
        return _Outcome(source, started, error=FetchError(str(exc)))
    except Exception as exc:  # unusable input must become a feed error, never stop the batch
        log.exception("onverwachte fout bij %s", source.name)
        return _Outcome(source, started, error=FetchError(f"onverwachte fout: {type(exc).__name__}: {exc}"))


def _fail(store, source: Source, state: dict, now: datetime, message: str, conf: CollectSettings,
          retry_after: float | None = None) -> None:
    failures = int(state.get("consecutive_failures") or 0) + 1
    delay = backoff_seconds(failures, conf, retry_after)
    store.update_feed_state(
        source.id, consecutive_failures=failures, failing_since=state.get("failing_since") or now,
        last_error=message, last_fetch_at=now, next_due_at=now + timedelta(seconds=delay),
        retry_after_until=now + timedelta(seconds=delay) if retry_after is not None else None,
    )


def _settle(store, settings: Settings, outcome: _Outcome, state: dict, incident_open: bool) -> FeedReport:
    """Store one feed's outcome and its new state; never raises for one bad feed."""
    conf = settings.collect
    source, now = outcome.source, utcnow()
    if outcome.error is not None:
        _fail(store, source, state, now, str(outcome.error), conf, outcome.error.retry_after)
        return FeedReport(source.name, error=str(outcome.error))
    fetched = outcome.fetched
    assert fetched is not None  # an outcome without an error carries the response
    if fetched.not_modified:
        report = FeedReport(source.name, not_modified=True)
    else:
        assert outcome.parsed is not None  # a 200 response was parsed
        try:
            report = store_parsed(store, source, outcome.parsed, settings=settings)
        except Exception as exc:  # a store failure for one feed must not stop the batch
            log.exception("opslaan mislukt voor %s", source.name)
            report = FeedReport(source.name, error=f"opslaan mislukt: {exc}")
        if report.error:
            # Validators are not kept: the next fetch must get the full body again.
            _fail(store, source, state, now, report.error, conf)
            return report
    rhythm = store.publication_rhythm(source.id)
    interval = poll_interval(rhythm, conf, incident_open=incident_open)
    if _maybe_missed(report, state):
        # Feeds list only their latest items: all new means older ones may have scrolled off
        # unseen. Say so, and poll as fast as allowed from now on.
        report.warnings.append(f"mogelijk items gemist: alle {report.read} items waren nieuw; "
                               "de bron wordt vaker opgehaald")
        interval = poll_interval(None, conf, incident_open=incident_open)
    fields = dict(
        consecutive_failures=0, failing_since=None, last_error=None, last_fetch_at=now,
        last_success_at=now, next_due_at=now + timedelta(seconds=interval),
        interval_seconds=interval, rhythm_seconds=rhythm, retry_after_until=None,
    )
    if not fetched.not_modified:
        # Every 200 replaces both validators, also with None: stale ones would make the
        # server answer 304 forever for content we never stored.
        fields.update(etag=fetched.etag, last_modified=fetched.last_modified,
                      last_warning="; ".join(report.warnings) or None)
    if report.new:
        fields["last_new_item_at"] = now
    store.update_feed_state(source.id, **fields)
    return report


def _maybe_missed(report: FeedReport, state: dict) -> bool:
    return (state.get("last_success_at") is not None and not report.not_modified
            and report.read >= MISSED_MIN_ITEMS and report.new == report.read)


def watch_terms(store, source: Source) -> Source:
    """Search and GDELT sources follow an incident's watch profile unless they have own terms.

    Only terms and places are sent to the search service: names of those involved are
    sensitive (DOMAIN privacy) and never leave the municipality.
    """
    if source.kind not in ("search", "gdelt") or source.url or source.config.get("terms"):
        return source
    wanted = source.config.get("incident_id")
    ids = [wanted] if wanted else [i.id for i in store.incidents() if i.status == "open"]
    terms: list[str] = []
    for incident_id in ids:
        profile = store.watch_profile(incident_id)
        if profile is not None:
            terms += [t for t in (*profile.terms, *profile.places) if t not in terms]
    if not terms:
        return source
    return replace(source, config={**source.config, "terms": terms[:MAX_SEARCH_TERMS]})


def _due_at(state: dict, conf: CollectSettings, incident_open: bool) -> datetime | None:
    """When a feed is due; an incident opened since its last fetch brings that forward
    (but never cuts short a back-off or a server's Retry-After)."""
    due = state.get("next_due_at")
    last = state.get("last_fetch_at")
    if due is None or not incident_open or last is None or state.get("consecutive_failures"):
        return due
    sooner = last + timedelta(seconds=poll_interval(state.get("rhythm_seconds"), conf, incident_open=True))
    return min(due, sooner)


def collect_sources(store, settings: Settings, sources: Iterable[Source], *, after_ingest: AfterIngest | None,
                    force: bool = False,
                    progress: Callable[[float, str], None] | None = None) -> list[FeedReport]:
    """Collect the given network sources (due ones, or all with `force`); one report each.
    `after_ingest` runs on every call, also when nothing was collected (None only to measure
    ingestion alone): it works from what is not yet analysed, so work a crashed run left behind
    is caught up by the next cycle, and it costs a few queries when nothing is due.
    `progress(fraction, message)` hears of every source stored (the dashboard's status bar)."""
    now = utcnow()
    conf = settings.collect
    incident_open = store.open_incident_count() > 0
    todo = []
    for source in sources:
        if source.kind not in NETWORK_KINDS:
            continue
        state = store.feed_state(source.id)
        due = _due_at(state, conf, incident_open)
        if force or due is None or due <= now:
            todo.append((watch_terms(store, source), state))
    reports = _collect_todo(store, settings, todo, incident_open, progress) if todo else []
    if after_ingest is not None:
        if progress is not None and any(r.new or r.updated for r in reports):
            progress(1.0, "Nieuwe items taggen en koppelen")
        after_ingest(store, settings)
    return reports


def _collect_todo(store, settings: Settings, todo: list[tuple[Source, dict]], incident_open: bool,
                  progress: Callable[[float, str], None] | None) -> list[FeedReport]:
    """Fetch in the pool, store here: one report per source."""
    reports: list[FeedReport] = []
    workers = max(1, min(settings.collect.parallel_fetches, len(todo)))
    states = {s.id: st for s, st in todo}
    queue = iter(todo)
    with make_client(settings) as client, ThreadPoolExecutor(workers, thread_name_prefix="fetch") as pool:
        # At most two responses per worker wait for the database: memory stays bounded
        # however many feeds there are, and finished futures are dropped as soon as stored.
        pending = {pool.submit(_fetch_and_parse, s, st, settings, client)
                   for s, st in itertools.islice(queue, 2 * workers)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()
                try:
                    report = _settle(store, settings, outcome, states[outcome.source.id], incident_open)
                    record_run(store, outcome.source.id, outcome.started, utcnow(), report)
                except Exception as exc:  # e.g. a write conflict with a page: the next pass retries
                    log.exception("bijwerken van %s mislukt", outcome.source.name)
                    report = FeedReport(outcome.source.name, error=f"opslaan mislukt: {exc}")
                reports.append(report)
                if progress is not None:
                    progress(len(reports) / len(todo), f"{len(reports)} van {len(todo)} bronnen opgehaald")
                pending |= {pool.submit(_fetch_and_parse, s, st, settings, client)
                            for s, st in itertools.islice(queue, 1)}
    return reports


def collect_once(store, settings: Settings, *, after_ingest: AfterIngest,
                 force: bool = False) -> list[FeedReport]:
    """One pass over enabled network sources; one failing feed never stops the others."""
    return collect_sources(store, settings, store.sources(enabled_only=True), after_ingest=after_ingest,
                           force=force)


def seconds_until_due(store, settings: Settings) -> float:
    """Until the first enabled source is due, within [1 s, max interval]."""
    conf = settings.collect
    now = utcnow()
    incident_open = store.open_incident_count() > 0
    waits = []
    for source in store.sources(enabled_only=True):
        if source.kind not in NETWORK_KINDS:
            continue
        due = _due_at(store.feed_state(source.id), conf, incident_open)
        waits.append(0.0 if due is None else (due - now).total_seconds())
    if not waits:
        return float(conf.min_interval_seconds)
    return min(float(conf.max_interval_seconds), max(1.0, min(waits)))


def collect_due(store, settings: Settings, *, after_ingest: AfterIngest) -> float:
    """Collect what is due and say how many seconds until the next source is due."""
    collect_once(store, settings, after_ingest=after_ingest)
    return seconds_until_due(store, settings)
