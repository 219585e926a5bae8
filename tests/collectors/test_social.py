"""Social posts are stored as posts, never as per-account histories: no author, address or
@-handle is stored unless privacy.show_account_handles allows it, account timelines are refused,
and no query or view groups items by account."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime

import pytest

from collectors.catalog import plan_source
from collectors.ingest import store_parsed
from collectors.kinds import parse_source
from collectors.social import mask_handles
from onrust.paths import ROOT
from onrust.settings import load_settings

FETCHED = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
TOOT = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>#veldwijk</title>'
        b"<link>https://mastodon.example/tags/veldwijk</link>"
        b'<item><guid isPermaLink="true">https://mastodon.example/@buurman/113000000000000001</guid>'
        b"<link>https://mastodon.example/@buurman/113000000000000001</link><author>buurman</author>"
        b"<pubDate>Sun, 15 Nov 2026 08:30:00 +0000</pubDate>"
        b"<description>Morgen 19:00 bij het stadhuis, zegt @wijkmoeder@social.example #veldwijk</description>"
        b"</item></channel></rss>")


def _stored(store, settings):
    source = store.source_by_id(store.add_source("Mastodon #veldwijk", kind="mastodon", reach="sociaal",
                                                 url="https://mastodon.example/tags/veldwijk.rss"))
    report = store_parsed(store, source, parse_source(source, TOOT, FETCHED), settings=settings)
    return source, report, store.fetchall("select item_key, guid, url, author, title, summary from items")


def test_a_post_is_stored_without_its_account(store):
    source, report, [row] = _stored(store, load_settings())
    assert report.new == 1
    assert not any("buurman" in str(v) or "wijkmoeder" in str(v) for v in row)
    assert row[1:4] == (None, None, None)
    assert row[5] == "Morgen 19:00 bij het stadhuis, zegt @[account] #veldwijk"
    again = store_parsed(store, source, parse_source(source, TOOT, FETCHED), settings=load_settings())
    assert (again.new, again.duplicates) == (0, 1)  # the hashed key still recognises the post


def test_handles_are_kept_only_when_the_setting_allows(store, tmp_path):
    config = tmp_path / "onrust.toml"
    config.write_text("[privacy]\nshow_account_handles = true\n", encoding="utf-8")
    _, _, [row] = _stored(store, load_settings(config))
    assert row[2] == "https://mastodon.example/@buurman/113000000000000001"
    assert "@wijkmoeder@social.example" in row[5]


@pytest.mark.parametrize("url", ["https://mastodon.social/@politie.rss", "https://mastodon.social/@politie@x.nl",
                                 "https://mastodon.social/users/politie.rss"])
def test_an_account_timeline_is_refused_unless_allowed(url):
    with pytest.raises(ValueError, match="accounttijdlijn volgt één persoon"):
        plan_source("mastodon", url)
    assert plan_source("mastodon", url, allow_accounts=True)[1] == url
    assert plan_source("mastodon", "https://mastodon.social/tags/veldwijk.rss")[1].endswith("/tags/veldwijk.rss")


@pytest.mark.parametrize("text, masked", [
    ("@buurman zegt", "@[account] zegt"), ("cc @a_b@mastodon.social.", "cc @[account]."),
    ("mail info@gemeente.nl", "mail info@gemeente.nl"),  # an e-mail address is no handle
])
def test_mask_handles(text, masked):
    assert mask_handles(text) == masked


_BY_AUTHOR = re.compile(r"group\s+by[^;\"']*\bauthor\b|partition\s+by[^;\"']*\bauthor\b", re.IGNORECASE)


def test_no_query_or_view_groups_items_by_account():
    """Audit of the code: no SQL groups or partitions by an author, no frame is grouped on it."""
    found = []
    for folder in ("onrust", "collectors", "analysis", "comms", "dashboard", "app"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and _BY_AUTHOR.search(node.value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"groupby", "value_counts"}
                        and any(isinstance(a, ast.Constant) and a.value == "author" for a in ast.walk(node))):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
