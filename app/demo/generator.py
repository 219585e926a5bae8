"""Writes the fictional demo incident's feed snapshots and README into data/demo/.

The story is data (data/demo/story.toml, the sources in incident.toml); this module only renders
it. Run `python -m app.demo.generator` after editing the story. A seeded random generator gives
background news its time of day and draws social-media posts from the story's pools, so the same
seed always gives byte-identical files. Every feed says it is fictional.
"""

from __future__ import annotations

import random
import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from onrust.paths import DATA_DIR
from onrust.timeutil import AMSTERDAM, local

DEMO_DIR = DATA_DIR / "demo"
STORY_FILE = "story.toml"
FICTIEF = "FICTIEF — demonstratiedata van Onrustmonitor"
SNAPSHOT_CLOCK = time(23, 55)  # each feed is "collected" once a day, plus just before a correction
FEED_WINDOW = timedelta(hours=48)  # a feed shows what it published in the last two days...
FEED_MAX_ITEMS = 40  # ...but never more than this many entries, like real feeds
BACKGROUND_HOURS = (7, 20)  # background news appears at a plausible hour of its day

# The fields of each kind of story entry and their TOML types; the rest are optional.
FIELDS: dict[str, dict[str, type]] = {
    "article": {"source": str, "at": datetime, "title": str, "body": str},
    "correction": {"at": datetime, "title": str, "body": str},
    "wire": {"at": datetime, "author": str, "body": str, "copy": list},
    "copy": {"source": str, "title": str, "minutes_after": int},
    "background": {"source": str, "day": date, "title": str, "body": str},
    "plan": {"day": date, "pool": str, "posts": int, "from_hour": int, "until_hour": int},
}
OPTIONAL: dict[str, dict[str, type]] = {"article": {"author": str, "correction": dict}}


@dataclass(frozen=True)
class Correction:
    """A later version under the same guid: the outlet fixed its own earlier report."""

    at: datetime
    title: str
    body: str


@dataclass(frozen=True)
class Article:
    source: str  # key of a [[source]] in incident.toml
    at: datetime
    title: str
    body: str
    author: str | None = None
    correction: Correction | None = None
    slug: str = ""  # set by `with_slugs`; part of the guid and URL


def load_config(folder: Path = DEMO_DIR) -> dict[str, Any]:
    with (folder / "incident.toml").open("rb") as fh:
        return tomllib.load(fh)


def load_story(folder: Path = DEMO_DIR) -> dict[str, Any]:
    with (folder / STORY_FILE).open("rb") as fh:
        return tomllib.load(fh)


# -- the story as articles ---------------------------------------------------------------------

def checked(entries: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The entries, or an error naming the entry: the story is edited by hand, often not by a programmer."""
    required, optional = FIELDS[kind], OPTIONAL.get(kind, {})
    for n, entry in enumerate(entries, start=1):
        label = entry.get("title") or entry.get("at") or entry.get("day")
        where = f"{STORY_FILE}: {kind} nr. {n} ({label})"
        missing = required.keys() - entry.keys()
        unknown = entry.keys() - required.keys() - optional.keys()
        if missing or unknown:
            raise ValueError(f"{where}: ontbreekt {sorted(missing)}, onbekend {sorted(unknown)}")
        wrong = [k for k, v in entry.items() if not isinstance(v, (required | optional)[k])]
        if wrong:
            raise ValueError(f"{where}: verkeerd soort waarde bij {wrong}")
    return entries


def on_day(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def written_articles(story: dict[str, Any]) -> list[Article]:
    """The timeline: own reporting with its corrections, and each outlet's copy of a wire story."""
    articles = []
    for entry in checked(story.get("article", []), "article"):
        fix = entry.get("correction")
        correction = None
        if fix is not None:
            (fix,) = checked([fix], "correction")
            correction = Correction(local(fix["at"]), fix["title"], fix["body"])
        articles.append(Article(entry["source"], local(entry["at"]), entry["title"], entry["body"],
                                entry.get("author"), correction))
    for wire in checked(story.get("wire", []), "wire"):
        # Copies keep the "(ANP)" marker in the lead: that is how an outlet shows wire copy.
        articles += [Article(copy["source"], local(wire["at"]) + timedelta(minutes=copy["minutes_after"]),
                             copy["title"], wire["body"], wire["author"])
                     for copy in checked(wire["copy"], "copy")]
    return articles


def background_articles(story: dict[str, Any], rng: random.Random) -> list[Article]:
    """Unrelated news at a plausible hour of its day (the seed picks the time)."""
    first, last = BACKGROUND_HOURS
    return [
        Article(e["source"], on_day(e["day"], rng.randint(first, last), rng.randrange(0, 60, 5)),
                e["title"], e["body"])
        for e in checked(story.get("background", []), "background")
    ]


def social_posts(story: dict[str, Any], sources: dict[str, dict], rng: random.Random) -> list[Article]:
    """Short posts following the plan; each pool is drawn without repeats across the incident."""
    social = story["social"]
    if social["source"] not in sources:
        raise ValueError(f"{STORY_FILE} [social]: bron {social['source']} ontbreekt in incident.toml")
    tag_url = f"{sources[social['source']]['site']}/tags/{social['hashtag']}"
    remaining = {name: list(texts) for name, texts in social["pools"].items()}
    posts = []
    for row in checked(social["plan"], "plan"):
        pool = remaining.get(row["pool"])
        if pool is None or len(pool) < row["posts"]:
            raise ValueError(f"{STORY_FILE} [social]: pool {row['pool']} heeft te weinig teksten voor "
                             f"{row['day']}")
        for _ in range(row["posts"]):
            text = pool.pop(rng.randrange(len(pool)))
            when = on_day(row["day"], rng.randint(row["from_hour"], row["until_hour"] - 1), rng.randrange(60))
            body = f"<p>{text} <a href=\"{tag_url}\">#{social['hashtag']}</a></p>"
            posts.append(Article(social["source"], when, "", body, author=rng.choice(social["handles"])))
    return posts


def all_articles(story: dict[str, Any], sources: dict[str, dict], seed: int) -> list[Article]:
    rng = random.Random(seed)
    return with_slugs(
        written_articles(story) + background_articles(story, rng) + social_posts(story, sources, rng)
    )


# -- writing feeds -----------------------------------------------------------------------------

def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "bericht"


def with_slugs(articles: Iterable[Article]) -> list[Article]:
    """Stable, unique slugs per source; social posts get a numeric id like Mastodon."""
    ordered = sorted(articles, key=lambda a: (a.at, a.source, a.title, a.body))
    seen: set[tuple[str, str]] = set()
    result = []
    for n, article in enumerate(ordered, start=1):
        slug = str(10_900_000 + n * 37) if not article.title else slugify(article.title)
        if (article.source, slug) in seen:
            raise ValueError(f"twee berichten met dezelfde slug: {article.source}/{slug}")
        seen.add((article.source, slug))
        result.append(replace(article, slug=slug))
    return result


def version_at(article: Article, moment: datetime) -> tuple[str, str, datetime]:
    """Title, body and date of the article as the feed showed it at `moment`."""
    fix = article.correction
    if fix is not None and fix.at <= moment:
        # The corrected entry carries the correction's date: updated_at becomes that moment.
        return fix.title, fix.body, fix.at
    return article.title, article.body, article.at


def is_social(source: dict) -> bool:
    """Social media posts live at a permalink under their author, like Mastodon."""
    return source["reach"] == "sociaal"


def item_url(source: dict, article: Article) -> str:
    if is_social(source):
        return f"{source['site']}/{article.author}/{article.slug}"
    path = f"{source['site']}/{article.at:%Y/%m/%d}/{article.slug}"
    return f"{path}?{source['tracking']}" if source.get("tracking") else path


def item_guid(source: dict, article: Article) -> str:
    if is_social(source):
        return item_url(source, article)
    return f"{source['site']}/artikel/{article.at:%Y%m%d}-{article.slug}"


def _strip_html(value: str, keep: bool) -> str:
    return value if keep else re.sub(r"<[^>]+>", "", value)


def _feed_description(source: dict) -> str:
    what = source["what"]
    return f"{FICTIEF}. {what[:1].upper()}{what[1:]}."


def rss_bytes(source: dict, entries: list[Article], moment: datetime) -> bytes:
    ET.register_namespace("dc", "http://purl.org/dc/elements/1.1/")
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = source["name"]
    ET.SubElement(channel, "link").text = source["site"]
    ET.SubElement(channel, "description").text = _feed_description(source)
    ET.SubElement(channel, "language").text = "nl"
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(moment)
    for article in entries:
        title, body, dated = version_at(article, moment)
        item = ET.SubElement(channel, "item")
        if title:
            ET.SubElement(item, "title").text = title
        ET.SubElement(item, "link").text = item_url(source, article)
        ET.SubElement(item, "guid", {"isPermaLink": str(is_social(source)).lower()}).text = \
            item_guid(source, article)
        ET.SubElement(item, "pubDate").text = format_datetime(dated)
        ET.SubElement(item, "description").text = _strip_html(body, source.get("html_summaries", False))
        if article.author:
            ET.SubElement(item, "{http://purl.org/dc/elements/1.1/}creator").text = article.author
    return _serialise(rss)


def atom_bytes(source: dict, entries: list[Article], moment: datetime) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    ET.SubElement(feed, f"{{{ns}}}title").text = source["name"]
    ET.SubElement(feed, f"{{{ns}}}subtitle").text = _feed_description(source)
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{source['site']}/feed"
    ET.SubElement(feed, f"{{{ns}}}link", {"href": source["site"]})
    ET.SubElement(feed, f"{{{ns}}}updated").text = moment.isoformat()
    for article in entries:
        title, body, dated = version_at(article, moment)
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}id").text = item_guid(source, article)
        ET.SubElement(entry, f"{{{ns}}}title").text = title
        ET.SubElement(entry, f"{{{ns}}}link", {"href": item_url(source, article)})
        # Only <updated>: a correction moves it, and the parser then dates the new version.
        ET.SubElement(entry, f"{{{ns}}}updated").text = dated.isoformat()
        if article.author:
            author = ET.SubElement(entry, f"{{{ns}}}author")
            ET.SubElement(author, f"{{{ns}}}name").text = article.author
        summary = ET.SubElement(entry, f"{{{ns}}}summary", {"type": "html"})
        summary.text = body
    return _serialise(feed)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def snapshot_moments(story: dict[str, Any], articles: list[Article]) -> list[datetime]:
    """Daily collection, plus a moment just before each correction so it arrives as an update."""
    first, last = story["story"]["first_day"], story["story"]["last_day"]
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    moments = {datetime.combine(day, SNAPSHOT_CLOCK, tzinfo=AMSTERDAM) for day in days}
    moments |= {a.correction.at - timedelta(minutes=1) for a in articles if a.correction}
    return sorted(moments)


def visible(articles: list[Article], moment: datetime) -> list[Article]:
    shown = [a for a in articles if moment - FEED_WINDOW < a.at <= moment]
    return sorted(shown, key=lambda a: a.at, reverse=True)[:FEED_MAX_ITEMS]


def check_corrections_arrive(own: list[Article], moments: list[datetime]) -> None:
    """A correction only reaches the store as an update if a snapshot shows the original first."""
    for article in own:
        fix = article.correction
        if fix is None:
            continue
        before = max(m for m in moments if m < fix.at)
        after = min(m for m in moments if m >= fix.at)
        if article not in visible(own, before) or article not in visible(own, after):
            raise ValueError(f"correctie van {article.source}/{article.slug} valt buiten het feedvenster")


def snapshot_name(moment: datetime) -> str:
    """UTC in the name so files sort in collection order across sources."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ") + ".xml"


def render(config: dict[str, Any], story: dict[str, Any], seed: int | None = None) -> dict[str, bytes]:
    """Every generated file, relative path -> bytes (pure, so determinism is testable)."""
    sources = {s["key"]: s for s in config["source"]}
    articles = all_articles(story, sources, story["story"]["seed"] if seed is None else seed)
    unknown = {a.source for a in articles} - sources.keys()
    if unknown:
        raise ValueError(f"bronnen ontbreken in incident.toml: {sorted(unknown)}")
    files: dict[str, bytes] = {}
    for key, source in sources.items():
        own = [a for a in articles if a.source == key]
        writer = atom_bytes if source["format"] == "atom" else rss_bytes
        written: list[datetime] = []
        shown_before: set[tuple[str, tuple[str, str, datetime]]] = set()
        for moment in snapshot_moments(story, own):
            entries = visible(own, moment)
            shown = {(a.slug, version_at(a, moment)) for a in entries}
            # A collection that finds nothing new adds nothing to the story: no file for it.
            if shown - shown_before:
                files[f"feeds/{key}/{snapshot_name(moment)}"] = writer(source, entries, moment)
                written.append(moment)
            shown_before = shown
        check_corrections_arrive(own, written)
    files["README.md"] = readme(config, story, articles).encode()
    return files


def readme(config: dict[str, Any], story: dict[str, Any], articles: list[Article]) -> str:
    incident, signals_file = config["incident"], config["signals"]["file"]
    lines = [
        "# Demo-incident (FICTIEF)",
        "",
        f"**{FICTIEF}.** De gemeente {incident['municipality']}, haar wijken, alle "
        "personen, de vereniging, de media en alle gebeurtenissen zijn verzonnen. Elke gelijkenis "
        "met bestaande personen of organisaties berust op toeval; de `.example`-domeinen bestaan niet.",
        "",
        f"Incident: {incident['name']} — scenario `{incident['scenario']}` {story['story']['grounds']}",
        "",
        "Verloop:",
        "",
        *(f"- {line}" for line in story["story"]["course"]),
        "",
        "Bestanden:",
        "",
        f"- `{STORY_FILE}` (met de hand geschreven): het verhaal. Elk bericht van de media, de politie "
        "en de gemeente met bron, tijd, tekst en eventuele correctie; de ANP-berichten en wie ze "
        "overnam; achtergrondnieuws; de berichten op Buurtpraat (teksten per fase, aantallen per dag).",
        "- `incident.toml` (met de hand geschreven): incident, bronnen, volgprofiel, betrokken "
        "personen, latere beoordelingen van signalen en geruchten, logboek met officiële fasebesluiten, "
        "crisisdiagnoses, een persbericht met zijn geschiedenis, communicatiestrategie, "
        "voortgang van de checklists en wie wanneer is geïnformeerd.",
        f"- `{signals_file}` (met de hand geschreven, in de vorm van `data/signals_template.csv`): "
        "handmatige signalen (004 §3.1), met de ernst volgens de ankers van "
        "`data/signal_scales.toml`; latere beoordelingen staan in `incident.toml`.",
        "- `locations.csv` (met de hand geschreven): verzonnen coördinaten van Loosterveen en zijn "
        "wijken, voor de kaart op de Omgevingsbeeld-pagina.",
        "- `feeds/<bron>/<UTC-tijd>.xml`: momentopnamen van elke feed (RSS 2.0 of Atom), in "
        "tijdsvolgorde ingelezen; correcties komen als nieuwe versie onder dezelfde guid.",
        "",
        "Bronnen:",
        "",
    ]
    for source in config["source"]:
        count = sum(1 for a in articles if a.source == source["key"])
        lines.append(f"- {source['name']} ({source['reach']}, {source['format']}): {source['what']}; "
                     f"{count} berichten")
    lines += [
        "",
        f"`feeds/` en dit bestand niet met de hand bewerken: `python -m app.demo.generator` schrijft ze "
        f"opnieuw uit `{STORY_FILE}` en `incident.toml` (seed {story['story']['seed']}); `onrust demo` "
        "bouwt er een demodatabase van via de gewone feedinlezing.",
        "",
    ]
    return "\n".join(lines)


def write(folder: Path = DEMO_DIR, seed: int | None = None) -> int:
    """Replace the generated files in `folder` (the hand-written ones are kept); returns the file count."""
    files = render(load_config(folder), load_story(folder), seed)
    shutil.rmtree(folder / "feeds", ignore_errors=True)
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)


if __name__ == "__main__":
    print(f"{write()} bestanden geschreven naar {DEMO_DIR}")
