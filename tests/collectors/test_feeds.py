"""Parsing and normalising feed bytes: pure, fed with recorded fixture bytes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collectors.feeds import canonical_url, html_to_text, parse_feed
from tests.collectors.conftest import fixture_bytes

FETCHED = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)


def test_rss2_items_are_normalised():
    parsed = parse_feed(fixture_bytes("rss2.xml"), FETCHED)
    assert parsed.error is None and parsed.title == "Omroep Veldwijk"
    first, second, undated, future = parsed.items
    assert first.item_key == first.url and first.guid == "omroep-1001"  # bare guid: URL is the key
    assert first.url == "https://omroep.example.nl/nieuws/brand-zuid?id=7"
    assert first.title == "Brand in flat Zuid: veertig bewoners geëvacueerd"
    assert first.summary == "Bij een brand in een flat in Zuid zijn zaterdagavond veertig bewoners geëvacueerd."
    assert first.author == "Redactie"          # the name, never the e-mail address
    assert first.language == "nl"
    assert first.published_at == datetime(2026, 11, 14, 20, 5, tzinfo=UTC)
    assert first.published_at_flag is None and first.fetched_at == FETCHED
    assert second.summary == "De gemeente vangt de bewoners op in sporthal De Veld."
    assert (undated.published_at, undated.published_at_flag) == (FETCHED, "onleesbaar")
    assert (future.published_at, future.published_at_flag) == (FETCHED, "toekomst")


def test_atom_and_rdf_feeds():
    atom = parse_feed(fixture_bytes("atom.xml"), FETCHED)
    assert [i.item_key for i in atom.items] == ["urn:uuid:3f1c0e4e-0001", "urn:uuid:3f1c0e4e-0002"]
    assert atom.items[0].url == "https://stadsblad.example.nl/a/1"
    assert atom.items[0].author == "Anne de Vries" and atom.items[0].language == "nl"
    assert atom.items[1].published_at == datetime(2026, 11, 14, 22, 0, tzinfo=UTC)
    rdf = parse_feed(fixture_bytes("rdf.xml"), FETCHED)
    assert [(i.title, i.url) for i in rdf.items] == [("Wijkagent houdt spreekuur", "https://wijkkrant.example.nl/1")]
    assert rdf.items[0].published_at == datetime(2026, 11, 13, 9, 0, tzinfo=UTC)


def test_malformed_feed_keeps_what_was_recovered_with_a_warning():
    parsed = parse_feed(fixture_bytes("malformed.xml"), FETCHED)
    assert parsed.error is None
    assert parsed.items[0].title == "Eerste bericht blijft leesbaar"
    assert any("niet helemaal geldig" in w for w in parsed.warnings)


def test_wrong_charset_is_read_with_a_warning():
    parsed = parse_feed(fixture_bytes("wrong_charset.xml"), FETCHED)
    assert parsed.error is None
    assert parsed.items[0].title == "Café in Zuid gesloten na onrust"
    assert parsed.warnings


@pytest.mark.parametrize("raw, error", [
    (b"", "lege respons (geen feed)"),
    (b"   \n", "lege respons (geen feed)"),
    (fixture_bytes("page.html"), "HTML-pagina in plaats van een feed (verkeerd adres?)"),
    (b"\x00\x01binary garbage \xff\xfe", "geen RSS/Atom-feed herkend"),
    (b'{"json": true}', "geen RSS/Atom-feed herkend"),
])
def test_unusable_input_is_a_feed_error_not_a_crash(raw, error):
    parsed = parse_feed(raw, FETCHED)
    assert parsed.items == [] and parsed.error == error


@pytest.mark.parametrize("url, expected", [
    ("https://Nos.NL:443/artikel/1?utm_source=rss&utm_medium=x#frag", "https://nos.nl/artikel/1"),
    ("http://example.nl:80/a?id=3&fbclid=zz&gclid=1", "http://example.nl/a?id=3"),
    ("https://example.nl", "https://example.nl/"),
    ("https://example.nl/a?b=2&a=1", "https://example.nl/a?b=2&a=1"),   # order kept: it may matter
    ("mailto:redactie@example.nl", "mailto:redactie@example.nl"),
    (None, None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize("html, text", [
    ("<p>Eerste</p><p>Tweede</p>", "Eerste Tweede"),
    ("Bewoners zijn <b>ongerust</b>.", "Bewoners zijn ongerust."),
    ("<script>alert('x')</script>Veilig", "Veilig"),
    ("a &amp; b &lt;i&gt;", "a & b <i>"),        # plain text: the '<i>' is text, never markup
    ("regel<br>regel", "regel regel"),
    ("", ""),
])
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize("text, expected", [
    ("14 november 2026 21:05", datetime(2026, 11, 14, 20, 5, tzinfo=UTC)),      # Dutch, local time
    ("za 14 nov. 2026 om 21:05 uur", datetime(2026, 11, 14, 20, 5, tzinfo=UTC)),
    ("2026-07-14 21:05:00", datetime(2026, 7, 14, 19, 5, tzinfo=UTC)),          # summer time
    ("14-11-2026", datetime(2026, 11, 13, 23, 0, tzinfo=UTC)),                  # day first
    ("maart 2026", None),                                                        # no day: unusable
    ("gisteravond laat", None),
])
def test_loose_dates(text, expected):
    from collectors.feeds import loose_date

    assert loose_date(text) == expected


def test_dutch_pubdate_in_a_feed_is_read_not_flagged():
    raw = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>Iets</title>"
           b"<link>https://e.example.nl/1</link><pubDate>zaterdag 14 november 2026 om 21:05 uur</pubDate>"
           b"</item></channel></rss>")
    [item] = parse_feed(raw, FETCHED).items
    assert (item.published_at, item.published_at_flag) == (datetime(2026, 11, 14, 20, 5, tzinfo=UTC), None)


def test_external_entities_are_never_resolved():
    raw = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           b'<rss version="2.0"><channel><title>t</title><item><title>Bericht &xxe;</title>'
           b'<link>https://e.example.nl/1</link><description>&xxe;</description></item></channel></rss>')
    items = parse_feed(raw, FETCHED).items
    assert all("root:" not in i.title + i.summary for i in items)


def test_entity_expansion_bomb_is_stopped_with_a_warning():
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 8))
    raw = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{levels}]><rss version="2.0"><channel>'
           f'<title>&l7;</title><item><title>Gewoon bericht</title><link>https://e.example.nl/1</link>'
           f'</item></channel></rss>').encode()
    parsed = parse_feed(raw, FETCHED)
    assert "amplification" in parsed.warnings[0]
    assert [i.title for i in parsed.items] == ["Gewoon bericht"]


def test_text_only_in_content_encoded_is_kept():
    raw = (b'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           b'<channel><title>T</title><item><title>Iets</title><link>https://e.example.nl/1</link>'
           b'<content:encoded><![CDATA[<p>Alleen hier staat de tekst.</p>]]></content:encoded></item></channel></rss>')
    assert parse_feed(raw, FETCHED).items[0].summary == "Alleen hier staat de tekst."
