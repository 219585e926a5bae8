"""Untrusted text as a careless or hostile feed sends it, and a database whose OPEN incident holds it:
markup, script, javascript links, remote images (to a pixel server the tests watch), control
characters, NUL bytes, RTL overrides, a 100 kB title and spreadsheet formulas. Shared by the
browser test and the export test."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from onrust.models import WatchProfile
from onrust.store import Store
from tests.resilience import procs

# Every title carries the profile term "onrust", so every item is linked to the incident.
TERM = "onrust"
ORIGIN = "https://omroep.example.nl/h"  # the items' links: a guid that is a permalink keys the item by it
FORMULAS = ('=HYPERLINK("http://evil.example/x","klik")', "+1+1", "-2+3", "@SUM(A1)")


def items(pixel: str, place: str) -> list[tuple[str, str]]:
    """(title, body) pairs."""
    lead = f"Onrust in {place}"
    return [
        (f"{lead} <script>alert(1)</script>", "<script>alert('body')</script> Bewoners zijn boos."),
        (f"{lead} <img src=x onerror=alert(2)>", "<img src=x onerror=alert(3)> boos"),
        (f"{lead} [x](javascript:alert(4))", "[klik](javascript:alert(5)) boos"),
        (f"{lead} ![x]({pixel})", f"![pixel]({pixel}) <img src=\"{pixel}\"> boos"),
        (f"{lead} \u202egnalaat\u202c \x07\x1b[31m", "besturing\x0b\x0c\x1f\x7f en \x00NUL boos"),
        (f"{lead} " + "lang " * 20_000, "boos"),
        *((f"{formula} {lead}", f"{formula} boos") for formula in FORMULAS),
    ]


def rss(pairs: list[tuple[str, str]]) -> bytes:
    # Raw, as a careless server sends it: XML-escaped but with the control characters left in.
    body = "".join(f"<item><title>{escape(t)}</title><guid>hostile-{n}</guid>"
                   f"<link>{ORIGIN}{n}</link><description>{escape(b)}</description>"
                   f"<pubDate>Mon, 12 Oct 2026 10:{n:02d}:00 +0000</pubDate></item>"
                   for n, (t, b) in enumerate(pairs))
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>H</title>'
    return f"{head}{body}</channel></rss>".encode()


def open_incident_with(db: Path, place: str, pixel: str, folder: Path) -> tuple[int, int]:
    """Open an incident in `place` watching TERM, ingest the hostile feed with a real `onrust
    ingest`; returns (incident id, items linked to it)."""
    with Store.open(db) as store:
        opened = datetime(2026, 10, 12, 9, tzinfo=UTC)
        incident = store.create_incident(f"Onrust {place} (vijandige feed)", place, opened)
        store.save_watch_profile(WatchProfile(incident, terms=(TERM,), places=(place,),
                                              period_start=datetime(2026, 10, 10, tzinfo=UTC)), "analist")
    feed = folder / "vijandig.xml"
    feed.write_bytes(rss(items(pixel, place)))
    done = procs.onrust("ingest", str(feed), "--db", str(db), "--reach", "lokaal", "--backfill")
    assert done.returncode == 0, (done.stdout, done.stderr)
    with Store.open(db, read_only=True) as store:
        linked = store.scalar("select count(*) from item_incidents l join items i on i.id = l.item_id"
                              " where starts_with(i.item_key, ?) and l.incident_id = ?", [ORIGIN, incident])
    return incident, int(linked)
