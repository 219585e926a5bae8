"""Feed bytes to normalised Items: pure, so it is tested with bytes, never with a network."""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import lxml.etree
import lxml.html
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from onrust.models import Item

# Dates further ahead than this are clock or timezone errors of the source.
MAX_FUTURE = timedelta(hours=2)
# Dates before the web existed are epoch-zero bugs (1970-01-01), not news.
MIN_PLAUSIBLE = datetime(1991, 1, 1, tzinfo=UTC)
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "at_", "ns_", "itm_")
_TRACKING_KEYS = {
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "ocid", "cmpid", "xtor", "ref", "ref_src",
    "_ga", "yclid", "s_cid", "wt.mc_id", "soc_src", "soc_trk", "mkt_tok",
}
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
# A web page served where a feed was expected (moved feed, login wall, error page).
_HTML_ROOT = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


@dataclass(frozen=True)
class ParsedFeed:
    items: list[Item]
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when nothing usable could be read


def canonical_url(url: str | None) -> str | None:
    """Same article, same key: drop fragments and tracking parameters, normalise host case."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    netloc = parts.netloc.lower()
    if netloc.endswith(_DEFAULT_PORTS[scheme]):
        netloc = netloc[: -len(_DEFAULT_PORTS[scheme])]
    query = ""
    if parts.query:
        kept = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
        ]
        query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _bs4_text(value: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(value, "html.parser").get_text(" ")


def html_to_text(value: str | None) -> str:
    """Feed summaries are HTML fragments; we keep plain text only (never rendered as HTML).

    lxml does it in ~20 µs where BeautifulSoup needs ~90 µs, which matters at 100,000 items;
    BeautifulSoup remains the fallback for fragments lxml refuses.
    """
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
        for bad in root.iter("script", "style"):
            bad.drop_tree()
        text = " ".join(root.itertext())
    except (lxml.etree.ParserError, ValueError):
        text = _bs4_text(value)
    return " ".join(text.split())


def _entry_date(entry: dict, fetched_at: datetime) -> tuple[datetime, str | None]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, TypeError):
                continue
            return check_date(when, fetched_at)
    if any(entry.get(k) for k in ("published", "updated", "created")):
        return fetched_at, "onleesbaar"
    return fetched_at, "ontbreekt"


def check_date(when: datetime | None, fetched_at: datetime) -> tuple[datetime, str | None]:
    """A source date we can use, else fetched_at with the reason it was not used."""
    if when is None:
        return fetched_at, "ontbreekt"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when > fetched_at + MAX_FUTURE:
        return fetched_at, "toekomst"
    if when < MIN_PLAUSIBLE:
        return fetched_at, "onwaarschijnlijk"
    return when, None


def content_hash(title: str, summary: str) -> str:
    return hashlib.blake2b(f"{title}\x1f{summary}".encode(), digest_size=16).hexdigest()


def _language(value: str | None) -> str | None:
    """'nl-NL' and 'NL' both mean Dutch to analysis: keep the primary subtag, lower case."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary or None


def make_item(
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    summary: str | None,
    author: str | None,
    language: str | None,
    published: datetime | None,
    fetched_at: datetime,
    flag: str | None = None,
) -> Item | None:
    """The one place an Item is normalised, whatever kind of source it came from."""
    title = html_to_text(title)
    summary = html_to_text(summary)
    url = canonical_url(link)
    guid = (guid or "").strip() or None
    key = guid or url
    if not key or not (title or summary):
        return None
    if flag is None:
        published_at, flag = check_date(published, fetched_at)
    else:
        published_at = fetched_at
    return Item(
        item_key=key,
        guid=guid,
        url=url,
        title=title or summary[:120],
        summary=summary,
        author=html_to_text(author) or None,
        language=_language(language),
        published_at=published_at,
        published_at_flag=flag,
        fetched_at=fetched_at,
        content_hash=content_hash(title, summary),
    )


def entry_to_item(entry: dict, fetched_at: datetime, feed_language: str | None) -> Item | None:
    published_at, flag = _entry_date(entry, fetched_at)
    detail = entry.get("title_detail") or {}
    author = entry.get("author") or (entry.get("source") or {}).get("title")
    item = make_item(
        guid=entry.get("id"),
        link=entry.get("link"),
        title=entry.get("title"),
        summary=entry.get("summary") or entry.get("description"),
        author=author,
        language=detail.get("language") or feed_language,
        published=published_at if flag is None else None,
        fetched_at=fetched_at,
        flag=flag,
    )
    return item


def parse_feed(raw: bytes, fetched_at: datetime, *, content_type: str | None = None) -> ParsedFeed:
    """Parse RSS/Atom/RDF bytes; malformed feeds keep what feedparser recovered."""
    if not raw.strip():
        return ParsedFeed([], error="lege respons (geen feed)")
    if _HTML_ROOT.match(raw[:2048]):
        return ParsedFeed([], error="HTML-pagina in plaats van een feed (verkeerd adres?)")
    headers = {"content-type": content_type} if content_type else None
    # A stream, never bytes or str: feedparser would open() a byte string that names a path.
    try:
        parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers)
    except Exception as exc:  # feedparser is robust, but a crash here must not stop a batch
        return ParsedFeed([], error=f"feed onleesbaar: {type(exc).__name__}: {exc}")
    notes: list[str] = []
    if parsed.bozo:
        notes.append(f"feed niet helemaal geldig: {parsed.get('bozo_exception')}")
    language = parsed.feed.get("language")
    items = [i for i in (entry_to_item(e, fetched_at, language) for e in parsed.entries) if i]
    skipped = len(parsed.entries) - len(items)
    if skipped:
        notes.append(f"{skipped} items zonder titel/link overgeslagen")
    if not items and not parsed.version:
        return ParsedFeed([], error="geen RSS/Atom-feed herkend", warnings=notes)
    return ParsedFeed(items, title=parsed.feed.get("title"), warnings=notes)
