"""Ingestion shell: read or fetch feed bytes, parse them, store the items, run the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from collectors.feeds import ParsedFeed, parse_feed
from onrust.models import IngestResult, Source
from onrust.timeutil import utcnow


@dataclass
class FeedReport:
    source: str
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def store_parsed(store, source: Source, parsed: ParsedFeed) -> FeedReport:
    """Save one parsed feed in one transaction; a parse error stores nothing and is reported."""
    report = FeedReport(source.name, warnings=list(parsed.warnings), error=parsed.error)
    if parsed.error:
        return report
    result: IngestResult = store.save_items(source.id, parsed.items)
    report.new, report.updated, report.duplicates = result.new, result.updated, result.duplicates
    return report


def backfilled(parsed: ParsedFeed) -> ParsedFeed:
    """For archives imported after the fact: known-at becomes the publication time, so replays
    show the archive as if it had been collected live. Only for items dated by the source."""
    items = [
        replace(i, fetched_at=i.published_at) if i.published_at_flag is None else i
        for i in parsed.items
    ]
    return replace(parsed, items=items)


def ingest_file(
    store, path: Path, source: Source, *, fetched_at: datetime | None = None, backfill: bool = False
) -> FeedReport:
    """A local feed file the user named on the command line (no network involved)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FeedReport(source.name, error=f"kan {path} niet lezen: {exc.strerror}")
    parsed = parse_feed(raw, fetched_at or utcnow())
    return store_parsed(store, source, backfilled(parsed) if backfill else parsed)
