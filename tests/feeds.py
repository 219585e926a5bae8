"""RSS files written by tests: many items, some about the incident in Uithoorn, some not."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

# An item with place + unrest marker (0.45) is linked to an incident in Uithoorn; the other not.
RELEVANT = ("Onrust in Uithoorn na brand {n}", "Bewoners zijn boos.")
OTHER = ("Kerstmarkt in Haarlem {n}", "Gezellig.")


def rss(items: list[tuple[str, str, str]], start: datetime) -> bytes:
    """(guid, title, summary) items, one minute apart from `start`."""
    body = "".join(
        f"<item><title>{escape(title)}</title><link>https://omroep.example.nl/{guid}</link>"
        f"<guid isPermaLink=\"false\">{guid}</guid>"
        f"<pubDate>{format_datetime(start + timedelta(minutes=n))}</pubDate>"
        f"<description>{escape(summary)}</description></item>"
        for n, (guid, title, summary) in enumerate(items)
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Omroep</title>'
            f"<link>https://omroep.example.nl/</link>{body}</channel></rss>").encode()


def incident_feed(
    path: Path, count: int, start: datetime, *, relevant_every: int = 3, prefix: str = "item"
) -> int:
    """Write `count` items to `path`, every `relevant_every`-th about Uithoorn; returns how many are."""
    items = []
    for n in range(count):
        title, summary = RELEVANT if n % relevant_every == 0 else OTHER
        items.append((f"{prefix}-{n}", title.format(n=n), summary))
    path.write_bytes(rss(items, start))
    return len(range(0, count, relevant_every))
