"""Search feeds, GDELT, JSON by field mapping (politie.nl) and Mastodon: URLs and parsers."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from collectors.catalog import default_sources
from collectors.kinds import gdelt_url, mastodon_url, parse_source, search_feed_url
from onrust.models import Source
from tests.collectors.conftest import fixture_bytes

FETCHED = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)


def _source(kind: str, config: dict | None = None) -> Source:
    return Source(1, "t", kind, "https://example.nl/", "landelijk", "T", True, config or {})


def test_search_feed_url_is_dutch_and_quotes_phrases():
    url = search_feed_url(["Veldwijk", "brand flat", ' "Zuid" '])
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "news.google.com", "/rss/search")
    assert parse_qs(parts.query) == {"q": ['Veldwijk OR "brand flat" OR Zuid'], "hl": ["nl"],
                                     "gl": ["NL"], "ceid": ["NL:nl"]}
    with pytest.raises(ValueError):
        search_feed_url(["  "])


def test_gdelt_url_asks_for_dutch_article_list_as_json():
    query = parse_qs(urlsplit(gdelt_url(["Veldwijk", "onrust Zuid"], timespan="2d")).query)
    assert query["query"] == ['(Veldwijk OR "onrust Zuid") sourcelang:dutch']
    assert (query["mode"], query["format"], query["timespan"], query["sort"]) == (
        ["artlist"], ["json"], ["2d"], ["datedesc"])


def test_gdelt_articles_become_items_with_their_outlet():
    parsed = parse_source(_source("gdelt"), fixture_bytes("gdelt.json"), FETCHED)
    assert parsed.error is None
    first = parsed.items[0]
    assert first.title == "Onrust in Zuid na brand: bewoners boos op gemeente"
    assert first.url == "https://www.tubantia.example/enschede/onrust-in-zuid~a1/"
    assert (first.author, first.language) == ("tubantia.example", "nl")
    assert first.published_at == datetime(2026, 11, 15, 6, 15, tzinfo=UTC)


def test_gdelt_error_text_is_a_feed_error():
    parsed = parse_source(_source("gdelt"), b"Your search contained a phrase that was too short.", FETCHED)
    assert parsed.items == [] and parsed.error.startswith("GDELT: geen geldige JSON")


def test_politie_json_through_the_shipped_mapping():
    politie = next(s for s in default_sources() if s["name"] == "Politie nieuws")
    source = _source("json", politie["config"])
    parsed = parse_source(source, fixture_bytes("politie.json"), FETCHED)
    assert parsed.error is None
    first, second = parsed.items
    assert first.item_key == "b580a45e-226b-4841-8a61-7a8401352158"
    assert first.title == "Drie aanhoudingen na ongeregeldheden in Zuid"
    assert first.summary == "- Na ongeregeldheden in de wijk Zuid heeft de politie drie verdachten aangehouden."
    assert first.author == "Veldwijk" and first.language == "nl"
    # '2026-11-14 23:46:00' is Dutch local time (CET, UTC+1)
    assert first.published_at == datetime(2026, 11, 14, 22, 46, tzinfo=UTC)
    assert (second.published_at, second.published_at_flag) == (FETCHED, "onleesbaar")
    assert parsed.warnings == ["1 records zonder titel/url overgeslagen"]


def test_json_source_without_mapping_or_list_is_an_error():
    assert parse_source(_source("json"), b"{}", FETCHED).error.startswith("JSON-bron zonder veldkoppeling")
    mapping = {"items_path": "data.items", "fields": {"title": "t", "url": "u"}}
    assert parse_source(_source("json", {"mapping": mapping}), b'{"data": {}}', FETCHED).error == (
        "geen lijst op pad 'data.items'")


def test_search_feed_items_name_the_outlet():
    parsed = parse_source(_source("search"), fixture_bytes("google_news.xml"), FETCHED)
    assert [(i.title, i.author) for i in parsed.items] == [
        ("Onrust in Veldwijk na brand", "NOS"), ("Burgemeester Veldwijk roept op tot kalmte", "RTV Oost")]


def test_mastodon_urls_and_toots_without_title():
    assert mastodon_url("https://mastodon.social/", hashtag="#Veldwijk") == "https://mastodon.social/tags/Veldwijk.rss"
    assert mastodon_url("mastodon.social", account="@politie@mastodon.social") == "https://mastodon.social/@politie.rss"
    parsed = parse_source(_source("mastodon"), fixture_bytes("mastodon.xml"), FETCHED)
    toot = parsed.items[0]
    assert toot.title == toot.summary == "Morgen om 19:00 verzamelen bij het stadhuis #veldwijk"
    assert toot.url == "https://mastodon.example/@buurman/113000000000000001"


def test_shipped_source_list_is_real_dutch_http_sources():
    entries = default_sources()
    assert len(entries) >= 15
    assert {"NOS Nieuws algemeen", "Omroep Brabant", "Politie nieuws", "RTV Oost"} <= {e["name"] for e in entries}
    assert all(e["url"].startswith("https://") for e in entries if "url" in e)


def test_a_source_list_with_a_non_http_address_is_refused(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nname = "Lokaal"\nkind = "rss"\nurl = "file:///etc/passwd"\n')
    with pytest.raises(ValueError, match="ongeldige bron 'Lokaal'"):
        default_sources(bad)


def test_plan_source_for_each_kind():
    from collectors.catalog import plan_source

    assert plan_source("rss", " https://e.example.nl/rss ") == (
        "https://e.example.nl/rss", "https://e.example.nl/rss", {})
    target, stored, config = plan_source("search", "", ["Veldwijk", " "])
    assert stored is None and config == {"terms": ["Veldwijk"]} and target.startswith("https://news.google.com/")
    _, _, config = plan_source("json", "https://api.politie.nl/v4/nieuws?lat=52&lon=6&radius=5")
    assert config["mapping"]["fields"]["title"] == "titel"
    _, _, config = plan_source("json", "https://api.example.nl/news",
                               mapping='{"items_path": "data", "fields": {"title": "kop", "url": "link"}}')
    assert config["mapping"]["items_path"] == "data"
    for kind, url, terms, mapping, message in [
        ("rss", "", None, None, "Geef het adres"),
        ("gdelt", None, [], None, "Geef zoektermen"),
        ("json", "https://e.example.nl", None, "Onbekende bron", "geen veldkoppeling gevonden"),
        ("json", "https://e.example.nl", None, '{"fields": {}}', "minstens 'title' of 'url'"),
    ]:
        with pytest.raises(ValueError, match=message):
            plan_source(kind, url, terms, mapping)
