"""Ingestion shell: read or fetch source bytes, parse them, store the items (one transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from collectors.dedupe import plan_stories
from collectors.feeds import ParsedFeed
from collectors.fetch import FetchError, check_url, fetch
from collectors.kinds import parse_source
from collectors.social import as_post, is_social
from onrust.hooks import AfterIngest
from onrust.models import IngestResult, Source
from onrust.settings import Settings
from onrust.store import StorageFull
from onrust.timeutil import utcnow

if TYPE_CHECKING:
    from onrust.store import Store

# Aggregators name the outlet per item (Google News <source>, GDELT domain): that outlet,
# not the aggregator, is the publisher.
AGGREGATOR_KINDS = ("search", "gdelt")


@dataclass
class FeedReport:
    source: str
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    not_modified: bool = False   # 304: the source says nothing changed
    read: int = 0                # items recognised in the response

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def run_status(self) -> str:
        """How collection_runs records the attempt: 'not collecting' must differ from 'quiet'."""
        if self.error:
            return "fout"
        if self.warnings:
            return "waarschuwing"
        if self.new or self.updated:
            return "ok"
        return "ongewijzigd"


def record_run(store: Store, source_id: int, started_at: datetime, finished_at: datetime,
               report: FeedReport) -> None:
    """Every attempt is recorded so analysis can tell 'not collecting' from 'quiet'."""
    store.record_collection_run(
        source_id, started_at, finished_at, status=report.run_status, new=report.new,
        updated=report.updated, duplicates=report.duplicates,
        message=report.error or "; ".join(report.warnings) or None,
    )


def store_parsed(
    store: Store, source: Source, parsed: ParsedFeed, *, settings: Settings | None = None
) -> FeedReport:
    """Save one parsed feed in one transaction; a parse error stores nothing and is reported."""
    report = FeedReport(source.name, warnings=list(parsed.warnings), error=parsed.error,
                        read=len(parsed.items))
    if parsed.error:
        return report
    if is_social(source) and not (settings is not None and settings.privacy.show_account_handles):
        parsed = replace(parsed, items=[as_post(item) for item in parsed.items])
    window = float(settings.collect.story_window_hours) if settings is not None else 72.0
    stories = partial(
        plan_stories, publisher=source.publisher or source.name,
        publisher_from_author=source.kind in AGGREGATOR_KINDS, window=timedelta(hours=window),
    )
    result: IngestResult = store.save_items(source.id, parsed.items, stories=stories)
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
    store: Store,
    path: Path,
    source: Source,
    *,
    fetched_at: datetime | None = None,
    backfill: bool = False,
    settings: Settings | None = None,
) -> FeedReport:
    """A local file the user named on the command line (no network involved)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FeedReport(source.name, error=f"kan {path} niet lezen: {exc.strerror}")
    parsed = parse_source(source, raw, fetched_at or utcnow())
    return store_parsed(store, source, backfilled(parsed) if backfill else parsed, settings=settings)


def ingest_url(
    store: Store, url: str, source: Source, *, settings: Settings, backfill: bool = False
) -> FeedReport:
    """One URL fetched through the network seam (same checks as scheduled collection)."""
    try:
        fetched = fetch(url, settings=settings)
    except FetchError as exc:
        return FeedReport(source.name, error=str(exc))
    parsed = parse_source(source, fetched.body, utcnow(), content_type=fetched.content_type)
    return store_parsed(store, source, backfilled(parsed) if backfill else parsed, settings=settings)


def is_url(target: str) -> bool:
    return "://" in target


def refusals(targets: Sequence[str], settings: Settings) -> dict[str, str]:
    """Why targets cannot be read at all (missing file, refused URL), by target; checked before
    anything is stored, so a command given only unreadable targets changes nothing."""
    refused = {}
    for target in targets:
        if is_url(target):
            try:
                check_url(target, settings)
            except FetchError as exc:
                refused[target] = str(exc)
        elif not Path(target).is_file():
            refused[target] = f"Bestand niet gevonden: {target}"
    return refused


def ingest_targets(store, targets: Sequence[str], *, settings: Settings, after_ingest: AfterIngest,
                   refused: Mapping[str, str], source_name: str | None = None, reach: str,
                   backfill: bool = False) -> list[FeedReport]:
    """Files and URLs named by hand, each into the source of its name (the host or file name unless
    given); one report per target, then the pipeline once, also when everything was a duplicate
    (a rerun after a crash catches up what was stored but not analysed). One unreadable input
    never stops the others."""
    reports = []
    for target in targets:
        url = target if is_url(target) else None
        name = source_name or (urlsplit(target).hostname if url else Path(target).stem)
        if target in refused:
            reports.append(FeedReport(name or target, error=refused[target]))
            continue
        source = store.source_by_name(name)
        if source is None:
            # A URL named once on the command line is not a scheduled source: added disabled.
            sid = store.add_source(name, kind="rss" if url else "file", url=url, reach=reach, enabled=False)
            source = store.source_by_id(sid)
        try:
            if url:
                report = ingest_url(store, url, source, settings=settings, backfill=backfill)
            else:
                report = ingest_file(store, Path(target), source, backfill=backfill, settings=settings)
        except StorageFull:
            raise  # a full disk refuses the other inputs too: stop, said once, in Dutch
        except Exception as exc:  # one unreadable input never stops the others
            report = FeedReport(source.name, error=f"{type(exc).__name__}: {exc}")
        reports.append(report)
    after_ingest(store, settings)
    return reports
