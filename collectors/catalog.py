"""The shipped list of real Dutch sources (data/sources.toml), installed disabled."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from collectors.fetch import ALLOWED_SCHEMES
from collectors.kinds import KINDS, gdelt_url, search_feed_url
from onrust.models import REACHES
from onrust.paths import DATA_DIR

# Mastodon account timelines: /@name.rss, /@name@server.rss, /users/name.rss (hashtags are /tags/...).
_ACCOUNT_FEED = re.compile(r"^/(@[^/]+|users/[^/]+)(\.rss|\.atom)?/?$")

DEFAULT_SOURCES = DATA_DIR / "sources.toml"


def default_sources(path: Path = DEFAULT_SOURCES) -> list[dict[str, Any]]:
    """The entries of the shipped list, checked so a typo fails loudly instead of silently."""
    with path.open("rb") as fh:
        entries = tomllib.load(fh).get("source", [])
    for entry in entries:
        bad_url = "url" in entry and urlsplit(entry["url"]).scheme not in ALLOWED_SCHEMES
        if entry.get("kind", "rss") not in KINDS or entry.get("reach", "regionaal") not in REACHES or bad_url:
            raise ValueError(f"{path}: ongeldige bron {entry.get('name')!r}")
    return entries


def install_defaults(store, *, enable: bool = False, path: Path = DEFAULT_SOURCES) -> list[str]:
    """Add every shipped source not yet present (by name); existing ones are left alone."""
    added = []
    for entry in default_sources(path):
        if store.source_by_name(entry["name"]) is not None:
            continue
        store.add_source(entry["name"], kind=entry.get("kind", "rss"), url=entry.get("url"),
                         reach=entry.get("reach", "regionaal"), publisher=entry.get("publisher"),
                         enabled=enable, config=entry.get("config") or None)
        added.append(entry["name"])
    return added


def shipped_mapping(spec: str) -> dict[str, Any]:
    """A JSON field mapping: inline JSON, or the name of a shipped source whose mapping to reuse
    (e.g. 'Politie nieuws' for another politie.nl area)."""
    spec = spec.strip()
    if spec.startswith("{"):
        mapping = json.loads(spec)
    else:
        found = [e for e in default_sources() if e["name"].lower() == spec.lower()]
        mapping = found[0].get("config", {}).get("mapping") if found else None
        if not mapping:
            raise ValueError(f"geen veldkoppeling gevonden voor {spec!r}")
    if not isinstance(mapping, dict) or not isinstance(mapping.get("fields"), dict) \
            or not {"title", "url"} & set(mapping["fields"]):
        raise ValueError("een veldkoppeling heeft 'fields' met minstens 'title' of 'url'")
    return mapping


def plan_source(kind: str, url: str | None, terms: list[str] | None = None,
                mapping: str | None = None, *, allow_accounts: bool = False) -> tuple[str, str | None, dict[str, Any]]:
    """For a source a user adds: (URL to test-fetch, URL to store, config).

    Search and GDELT sources without an address store their terms and build the URL at each
    fetch; JSON sources need a field mapping (default: the shipped politie.nl one). A Mastodon
    account timeline is one person's history: refused unless `allow_accounts`
    (privacy.show_account_handles). Raises ValueError with a Dutch message.
    """
    url = (url or "").strip()
    if kind == "mastodon" and not allow_accounts and _ACCOUNT_FEED.match(urlsplit(url).path):
        raise ValueError("Een Mastodon-accounttijdlijn volgt één persoon; dat mag niet (geen profielen van "
                         "burgers). Volg een hashtag (https://server/tags/naam.rss), of zet "
                         "privacy.show_account_handles aan als de DPIA dat toestaat (officiële accounts).")
    config: dict[str, Any] = {}
    if kind in ("search", "gdelt") and not url:
        terms = [t.strip() for t in terms or [] if t.strip()]
        if not terms:
            raise ValueError("Geef zoektermen of een adres voor een zoekbron.")
        config["terms"] = terms
        target, stored = (search_feed_url(terms) if kind == "search" else gdelt_url(terms)), None
    elif not url:
        raise ValueError("Geef het adres (URL) van de bron.")
    else:
        target = stored = url
    if kind == "json":
        config["mapping"] = shipped_mapping(mapping or "Politie nieuws")
    return target, stored, config
