"""Source kinds other than a plain feed: request URLs and parsers, all ending in ParsedFeed.

Every kind goes through the same fetch, dedupe and store path; only the URL that is requested
and the way its bytes become Items differ. Pure functions: tested with recorded-shape bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from collectors.feeds import ParsedFeed, content_hash, loose_date, make_item, parse_feed
from onrust.models import Item, Source
from onrust.timeutil import AMSTERDAM

FEED_KINDS = ("rss", "search", "mastodon")  # answered with RSS/Atom
KINDS = (*FEED_KINDS, "gdelt", "json")

# Google News search feed in the Dutch edition: hl/gl/ceid select language, country, edition.
SEARCH_FEED_BASE = "https://news.google.com/rss/search"
GDELT_DOC_API = "https://api.gdeltproject.org/api/v2/doc/doc"
# GDELT names languages in English; analysis wants ISO 639-1.
_GDELT_LANG = {"dutch": "nl", "english": "en", "german": "de", "french": "fr", "turkish": "tr",
               "arabic": "ar", "polish": "pl", "spanish": "es"}

def _query_terms(terms: Iterable[str]) -> list[str]:
    """Multi-word terms as exact phrases; empty terms dropped."""
    out = []
    for term in terms:
        term = " ".join(term.split()).replace('"', "")
        if term:
            out.append(f'"{term}"' if " " in term else term)
    return out


def search_feed_url(terms: Sequence[str], *, base: str = SEARCH_FEED_BASE) -> str:
    """A news-search RSS URL for an incident's watch terms, Dutch locale."""
    parts = _query_terms(terms)
    if not parts:
        raise ValueError("zoekfeed zonder zoektermen")
    query = " OR ".join(parts)
    return f"{base}?{urlencode({'q': query, 'hl': 'nl', 'gl': 'NL', 'ceid': 'NL:nl'})}"


def gdelt_url(
    terms: Sequence[str], *, timespan: str = "1d", max_records: int = 250, base: str = GDELT_DOC_API
) -> str:
    """GDELT DOC 2.0 article list, Dutch-language sources only, newest first."""
    parts = _query_terms(terms)
    if not parts:
        raise ValueError("GDELT-bron zonder zoektermen")
    query = parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
    params = {"query": f"{query} sourcelang:dutch", "mode": "artlist", "format": "json",
              "maxrecords": str(max_records), "sort": "datedesc", "timespan": timespan}
    return f"{base}?{urlencode(params, quote_via=quote)}"


def mastodon_url(instance: str, *, hashtag: str | None = None, account: str | None = None) -> str:
    """Mastodon publishes RSS for hashtag and account timelines; no API key needed."""
    host = instance.removeprefix("https://").removeprefix("http://").strip("/")
    if hashtag:
        return f"https://{host}/tags/{quote(hashtag.lstrip('#'))}.rss"
    if account:
        return f"https://{host}/@{quote(account.lstrip('@').split('@')[0])}.rss"
    raise ValueError("geef een hashtag of een account")


def request_url(source: Source) -> str | None:
    """The URL to fetch for a source: stored URL, else built from its config (terms)."""
    if source.url:
        return source.url
    terms = source.config.get("terms") or []
    if source.kind == "search" and terms:
        return search_feed_url(terms)
    if source.kind == "gdelt" and terms:
        return gdelt_url(terms, timespan=source.config.get("timespan", "1d"))
    return None


def _seendate(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _load_json(raw: bytes) -> tuple[Any, str | None]:
    if not raw.strip():
        return None, "lege respons (geen JSON)"
    try:
        return json.loads(raw), None
    except (ValueError, UnicodeDecodeError) as exc:
        snippet = raw[:80].decode("utf-8", "replace").strip()
        return None, f"geen geldige JSON ({exc.__class__.__name__}): {snippet!r}"


def parse_gdelt(raw: bytes, fetched_at: datetime) -> ParsedFeed:
    """GDELT answers errors as plain text with status 200; that becomes a feed error."""
    data, error = _load_json(raw)
    if error:
        return ParsedFeed([], error=f"GDELT: {error}")
    if not isinstance(data, dict):
        return ParsedFeed([], error="GDELT: onverwacht antwoord")
    articles = data.get("articles") or []
    items = [
        make_item(
            guid=None, link=a.get("url"), title=a.get("title"), summary=None,
            author=a.get("domain"), language=_GDELT_LANG.get(str(a.get("language", "")).lower()),
            published=_seendate(a.get("seendate")), fetched_at=fetched_at,
        )
        for a in articles if isinstance(a, dict)
    ]
    kept = [i for i in items if i]
    notes = [f"{len(items) - len(kept)} artikelen zonder titel/url overgeslagen"] if len(kept) < len(items) else []
    return ParsedFeed(kept, title="GDELT", warnings=notes)


def _path(data: Any, path: str) -> Any:
    for part in [p for p in path.split(".") if p]:
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _local_date(value: Any, tz_name: str) -> datetime | None:
    """Naive source times are local (politie.nl gives '2022-04-02 20:46:00' Dutch time)."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # epoch s or ms
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
        except (ValueError, OverflowError, OSError):
            return None
    return loose_date(str(value), ZoneInfo(tz_name) if tz_name else AMSTERDAM)


def parse_json_source(raw: bytes, fetched_at: datetime, mapping: Mapping[str, Any]) -> ParsedFeed:
    """A JSON news API read through a field mapping (data/sources.toml ships politie.nl's)."""
    data, error = _load_json(raw)
    if error:
        return ParsedFeed([], error=error)
    records = _path(data, mapping.get("items_path", ""))
    if not isinstance(records, list):
        return ParsedFeed([], error=f"geen lijst op pad '{mapping.get('items_path', '')}'")
    fields = mapping.get("fields", {})
    tz_name = mapping.get("timezone", "Europe/Amsterdam")
    items: list[Item] = []
    unparsable = 0
    for rec in records:
        if not isinstance(rec, Mapping):
            continue
        raw_date = _path(rec, fields["published"]) if "published" in fields else None
        when = _local_date(raw_date, tz_name)
        unparsable += raw_date not in (None, "") and when is None
        item = make_item(
            guid=str(_path(rec, fields["guid"]) or "") if "guid" in fields else None,
            link=_path(rec, fields["url"]) if "url" in fields else None,
            title=_path(rec, fields["title"]) if "title" in fields else None,
            summary=_path(rec, fields["summary"]) if "summary" in fields else None,
            author=_path(rec, fields["author"]) if "author" in fields else None,
            language=mapping.get("language"),
            published=when, fetched_at=fetched_at,
            flag="onleesbaar" if raw_date not in (None, "") and when is None else None,
        )
        if item:
            items.append(item)
    notes = []
    if len(items) < len(records):
        notes.append(f"{len(records) - len(items)} records zonder titel/url overgeslagen")
    return ParsedFeed(items, title=mapping.get("title"), warnings=notes)


def _strip_outlet(item: Item) -> Item:
    """Search feeds append ' - NOS' to titles; without it the title matches the outlet's own
    item, so both land in one story."""
    suffix = f" - {item.author}" if item.author else None
    if suffix and item.title.endswith(suffix):
        title = item.title[: -len(suffix)]
        return replace(item, title=title, content_hash=content_hash(title, item.summary))
    return item


def parse_source(
    source: Source, raw: bytes, fetched_at: datetime, *, content_type: str | None = None
) -> ParsedFeed:
    """Bytes of any kind of source to a ParsedFeed; unknown kinds are a feed error."""
    if source.kind == "search":
        parsed = parse_feed(raw, fetched_at, content_type=content_type)
        return replace(parsed, items=[_strip_outlet(i) for i in parsed.items])
    if source.kind in FEED_KINDS or source.kind == "file":
        return parse_feed(raw, fetched_at, content_type=content_type)
    if source.kind == "gdelt":
        return parse_gdelt(raw, fetched_at)
    if source.kind == "json":
        mapping = source.config.get("mapping")
        if not mapping:
            return ParsedFeed([], error="JSON-bron zonder veldkoppeling (config.mapping)")
        return parse_json_source(raw, fetched_at, mapping)
    return ParsedFeed([], error=f"onbekend soort bron: {source.kind}")
