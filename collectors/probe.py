"""Test fetch: does this address give items? Nothing is stored (Bronnen page, `sources check`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from collectors.fetch import FetchError, fetch
from collectors.kinds import parse_source, request_url
from onrust.models import Source
from onrust.settings import Settings
from onrust.timeutil import utcnow


@dataclass(frozen=True)
class ProbeResult:
    url: str
    error: str | None = None
    items: int = 0
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    sample: list[str] = field(default_factory=list)  # first titles, as plain text


def probe(url: str, kind: str, settings: Settings, config: dict[str, Any] | None = None) -> ProbeResult:
    source = Source(0, "test", kind, url, "regionaal", None, True, config or {})
    try:
        fetched = fetch(url, settings=settings)
    except FetchError as exc:
        return ProbeResult(url, error=str(exc))
    parsed = parse_source(source, fetched.body, utcnow(), content_type=fetched.content_type)
    return ProbeResult(fetched.url, parsed.error, len(parsed.items), parsed.title, list(parsed.warnings),
                       [i.title for i in parsed.items[:5]])


def probe_source(source: Source, settings: Settings) -> ProbeResult:
    try:
        url = request_url(source)
    except ValueError as exc:
        return ProbeResult("", error=str(exc))
    if not url:
        return ProbeResult("", error="geen adres of zoektermen")
    return probe(url, source.kind, settings, source.config)
