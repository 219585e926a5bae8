"""`onrust bench ingest`: feedparser alone versus the whole ingestion, on the same bytes.

N generated Dutch-looking items are served as RSS feeds from a loopback HTTP server. The raw
figure is `feedparser.parse` over those bytes; the end-to-end figure is scheduled collection
into a fresh database (fetch, parse, normalise, dedupe, stories, store; the analysis pipeline
is not part of ingestion and is left out). Their ratio shows what our own code costs.
"""

from __future__ import annotations

import io
import random
import resource
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser

from onrust.settings import Settings

_WORDS = (
    "gemeente wijk bewoners politie brandweer onrust demonstratie burgemeester raad wethouder "
    "school zorg jongeren vuurwerk rellen opvang azc woningen straat plein buurt incident "
    "verdachte aanhouding getuigen onderzoek avond nacht zaterdag zondag ongeluk brand "
    "explosie protest bijeenkomst oproep sociale media berichten geruchten spanningen "
    "veiligheid handhaving noodverordening camera toezicht slachtoffer familie verdriet "
    "herdenking stille tocht bloemen kaarsen ambulance ziekenhuis gewond schade ruiten "
    "auto scooter fiets station centrum haven markt kerk moskee sporthal bibliotheek"
).split()
_TOWNS = ("Enschede", "Haarlem", "Uithoorn", "Hengelo", "Almelo", "Zwolle", "Deventer", "Oss")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize()


def generate_feeds(n_items: int, per_feed: int, *, seed: int = 14) -> list[bytes]:
    """RSS 2.0 feeds of realistic shape: HTML descriptions, tracking links, some wire copy."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 14, 8, 0, tzinfo=UTC)
    n_feeds = max(1, -(-n_items // per_feed))
    items: list[list[str]] = [[] for _ in range(n_feeds)]
    wire: list[tuple[str, str]] = []
    for i in range(n_items):
        feed = i % n_feeds
        when = format_datetime(start + timedelta(seconds=i * 7))
        if wire and rng.random() < 0.1:  # ANP copy carried by another outlet
            title, body = rng.choice(wire)
        else:
            title = f"{_sentence(rng, 7)} in {rng.choice(_TOWNS)}"
            body = f"{rng.choice(_TOWNS).upper()} (ANP) - " if rng.random() < 0.2 else ""
            body += ". ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(3)) + "."
            if body.startswith(tuple(t.upper() for t in _TOWNS)) and len(wire) < 5000:
                wire.append((title, body))
        desc = escape(f"<p>{body}</p><p><a href='https://example.nl/x'>Lees meer</a></p>")
        items[feed].append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://nieuws{feed}.example.nl/artikel/{i}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<guid isPermaLink='false'>bench-{i}</guid><description>{desc}</description>"
            f"<pubDate>{when}</pubDate></item>"
        )
    return [
        ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
         f"<title>Bench {k}</title><link>https://nieuws{k}.example.nl/</link><language>nl-NL</language>"
         + "".join(entries) + "</channel></rss>").encode()
        for k, entries in enumerate(items)
    ]


class _Handler(BaseHTTPRequestHandler):
    feeds: list[bytes] = []

    def do_GET(self) -> None:
        try:
            body = self.feeds[int(self.path.strip("/").split(".")[0])]
        except (ValueError, IndexError):
            self.send_error(404)
            return
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@dataclass(frozen=True, slots=True)
class IngestBench:
    """Throughput of feedparser alone and of the whole ingestion, and what the ingestion stored."""

    items: int
    feeds: int
    bytes: int
    feedparser_items_per_s: int
    end_to_end_items_per_s: int
    ratio: float
    errors: int
    stored_items: int
    stories: int
    original_publishers: int
    second_pass_new: int  # a second pass must find nothing new: the feeds answer 304
    second_pass_not_modified: int
    peak_rss_mb_after_feedparser: int
    peak_rss_mb: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def run_bench(n_items: int, *, per_feed: int, settings: Settings) -> IngestBench:
    from collectors.run import collect_sources
    from onrust.store import Store

    feeds = generate_feeds(n_items, per_feed)
    t0 = time.perf_counter()
    raw_items = sum(len(feedparser.parse(io.BytesIO(body)).entries) for body in feeds)
    raw_s = time.perf_counter() - t0
    peak_raw = _peak_mb()

    handler = type("Handler", (_Handler,), {"feeds": feeds})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bench_settings = replace(settings, collect=replace(settings.collect, allow_private_networks=True))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "bench.duckdb")
            store.migrate()
            host, port = server.socket.getsockname()[:2]
            for k in range(len(feeds)):
                store.add_source(f"bench-{k}", url=f"http://{host}:{port}/{k}.xml", reach="regionaal",
                                 publisher=f"Omroep {k}")
            sources = store.sources()
            t0 = time.perf_counter()
            reports = collect_sources(store, bench_settings, sources, force=True, after_ingest=None)
            e2e_s = time.perf_counter() - t0
            counts = store.coverage_counts()
            again = collect_sources(store, bench_settings, sources, force=True, after_ingest=None)
            store.close()
    finally:
        server.shutdown()
        server.server_close()
    raw_rate = raw_items / raw_s
    e2e_rate = n_items / e2e_s
    return IngestBench(
        items=n_items,
        feeds=len(feeds),
        bytes=sum(len(b) for b in feeds),
        feedparser_items_per_s=round(raw_rate),
        end_to_end_items_per_s=round(e2e_rate),
        ratio=round(e2e_rate / raw_rate, 3),
        errors=sum(1 for r in reports if r.error),
        stored_items=counts["items"],
        stories=counts["stories"],
        original_publishers=counts["original_publishers"],
        second_pass_new=sum(r.new for r in again),
        second_pass_not_modified=sum(1 for r in again if r.not_modified),
        peak_rss_mb_after_feedparser=round(peak_raw),
        peak_rss_mb=round(_peak_mb()),
    )
