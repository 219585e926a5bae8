"""Scheduled collection inside `onrust serve`: fetch what is due, store it, run the pipeline."""

from __future__ import annotations

from collectors.fetch import FetchError, fetch
from collectors.feeds import parse_feed
from collectors.ingest import FeedReport, store_parsed
from onrust.pipeline import after_ingest
from onrust.settings import Settings
from onrust.timeutil import utcnow


def collect_once(store, settings: Settings) -> list[FeedReport]:
    """One pass over enabled network sources; one failing feed never stops the others."""
    reports = []
    for source in store.sources(enabled_only=True):
        if not source.url or source.kind == "file":
            continue
        started = utcnow()
        try:
            fetched = fetch(source.url, settings=settings)
            report = store_parsed(store, source, parse_feed(fetched.body, utcnow(), content_type=fetched.content_type))
        except FetchError as exc:
            report = FeedReport(source.name, error=str(exc))
        store.record_collection_run(source.id, started, utcnow(), report)
        reports.append(report)
    if any(r.new or r.updated for r in reports):
        after_ingest(store, settings)
    return reports


def collect_due(store, settings: Settings) -> float:
    """Collect now and say how many seconds until the next pass."""
    collect_once(store, settings)
    return float(settings["collect"]["min_interval_seconds"])
