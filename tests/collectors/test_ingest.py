"""Storing parsed items: idempotency, corrections with history, dedupe, stories, atomicity."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

import duckdb
import pytest

from collectors.dedupe import plan_stories
from collectors.feeds import make_item, parse_feed
from collectors.ingest import ingest_file, store_parsed
from tests.collectors.conftest import FIXTURES, fixture_bytes

T0 = datetime(2026, 11, 14, 21, 0, tzinfo=UTC)
BODY = ("Bij een brand in een flat in de wijk Zuid zijn zaterdagavond veertig bewoners geëvacueerd. "
        "De brandweer was met groot materieel aanwezig en niemand raakte gewond, aldus de veiligheidsregio.")


def _item(key: str, title: str, summary: str = BODY, *, author: str | None = None, minutes: int = 0):
    return make_item(guid=f"urn:x:{key}", link=f"https://{key}.example.nl/artikel", title=title,
                     summary=summary, author=author, language="nl",
                     published=T0 + timedelta(minutes=minutes), fetched_at=T0 + timedelta(hours=1))


def test_ingesting_the_same_file_twice_adds_nothing(store):
    source = store.source_by_id(store.add_source("Omroep", kind="file"))
    first = ingest_file(store, FIXTURES / "rss2.xml", source)
    second = ingest_file(store, FIXTURES / "rss2.xml", source)
    assert (first.new, first.duplicates) == (4, 0)
    assert (second.new, second.updated, second.duplicates) == (0, 0, 4)
    assert store.item_count() == 4


def test_same_url_under_another_guid_is_a_duplicate(store):
    a = store.source_by_id(store.add_source("Algemeen"))
    b = store.source_by_id(store.add_source("Binnenland"))
    item = _item("nos", "Veertig bewoners geëvacueerd bij flatbrand in Zuid")
    store_parsed(store, a, parse_result([item]))
    other = replace(item, item_key="urn:other:1", guid="urn:other:1")
    report = store_parsed(store, b, parse_result([other]))
    assert (report.new, report.duplicates) == (0, 1) and store.item_count() == 1


def test_correction_updates_the_item_and_keeps_the_earlier_version(store):
    source = store.source_by_id(store.add_source("Omroep"))
    original = _item("omroep", "Brand in flat: twintig bewoners geëvacueerd")
    store_parsed(store, source, parse_result([original]))
    fixed = make_item(guid=original.guid, link=original.url, title="Brand in flat: veertig bewoners geëvacueerd",
                      summary=BODY, author=None, language="nl", published=original.published_at,
                      fetched_at=T0 + timedelta(hours=2))
    report = store_parsed(store, source, parse_result([fixed]))
    assert (report.new, report.updated) == (0, 1) and store.item_count() == 1
    row = store.item_by_key(original.item_key)
    assert row["title"] == "Brand in flat: veertig bewoners geëvacueerd"
    history = store.item_revisions(int(row["id"]))
    assert history["title"].tolist() == ["Brand in flat: twintig bewoners geëvacueerd"]
    assert history["replaced_at"].iloc[0] == T0 + timedelta(hours=2)
    again = store_parsed(store, source, parse_result([fixed]))
    assert (again.updated, again.duplicates) == (0, 1)
    assert len(store.item_revisions(int(row["id"]))) == 1


def test_bare_cms_guids_of_two_outlets_do_not_collide(store):
    a = store.source_by_id(store.add_source("A"))
    b = store.source_by_id(store.add_source("B"))
    one = make_item(guid="1234", link="https://a.example.nl/1234", title="Bericht van A over iets",
                    summary="x", author=None, language="nl", published=T0, fetched_at=T0)
    two = make_item(guid="1234", link="https://b.example.nl/1234", title="Bericht van B over iets anders",
                    summary="y", author=None, language="nl", published=T0, fetched_at=T0)
    assert store_parsed(store, a, parse_result([one])).new == 1
    assert store_parsed(store, b, parse_result([two])).new == 1


def test_wire_copy_in_several_outlets_is_one_story_from_anp(store):
    nos = store.source_by_id(store.add_source("NOS", publisher="NOS"))
    oost = store.source_by_id(store.add_source("RTV Oost", publisher="RTV Oost"))
    blad = store.source_by_id(store.add_source("Stadsblad", publisher="Stadsblad"))
    own = store.source_by_id(store.add_source("Wijkkrant", publisher="Wijkkrant"))
    title = "Veertig bewoners geëvacueerd bij flatbrand in Zuid"
    store_parsed(store, nos, parse_result([_item("nos", title, "ENSCHEDE (ANP) - " + BODY)]))
    store_parsed(store, oost, parse_result([_item("oost", title, BODY + " (ANP)", minutes=5)]))
    store_parsed(store, blad, parse_result([_item("blad", "Flatbrand Zuid: veertig bewoners geëvacueerd", BODY,
                                                  minutes=9)]))
    store_parsed(store, own, parse_result([_item("wijk", "Buurthuis open voor koffie en kaarten",
                                                  "Elke woensdag is het buurthuis open voor ouderen uit de wijk, "
                                                  "met koffie, kaarten en een praatje met de wijkagent.")]))
    rows = store.frame("select source_id, story_id, original_publisher from items order by source_id")
    stories = rows["story_id"].tolist()
    assert stories[0] == stories[1] == stories[2] != stories[3]
    assert rows["original_publisher"].tolist() == ["ANP", "ANP", "ANP", "Wijkkrant"]
    assert store.coverage_counts() == {"items": 4, "stories": 2, "original_publishers": 2, "sources": 4}


def test_identical_body_without_wire_marker_is_attributed_to_the_first_publisher(store):
    first = store.source_by_id(store.add_source("Omroep Veldwijk", publisher="Omroep Veldwijk"))
    copier = store.source_by_id(store.add_source("Nieuwssite", publisher="Nieuwssite"))
    store_parsed(store, first, parse_result([_item("omroep", "Brand in flat Zuid")]))
    store_parsed(store, copier, parse_result([_item("site", "Flat in Zuid in brand", minutes=30)]))
    pubs = store.frame("select original_publisher from items order by id")["original_publisher"].tolist()
    assert pubs == ["Omroep Veldwijk", "Omroep Veldwijk"]
    assert store.coverage_counts()["stories"] == 1


def test_recurring_headline_after_the_window_starts_a_new_story(store):
    source = store.source_by_id(store.add_source("Omroep"))
    title = "Het weer voor morgen in de regio Twente"
    store_parsed(store, source, parse_result([_item("a", title, "Zonnig en droog.")]))
    later = replace(_item("b", title, "Regen en wind."), fetched_at=T0 + timedelta(days=10))
    store_parsed(store, source, parse_result([later]), settings=None)
    assert store.coverage_counts()["stories"] == 2


def test_a_failure_in_the_middle_of_a_batch_leaves_no_partial_batch(store):
    source = store.source_by_id(store.add_source("Omroep"))
    good = [_item(f"ok{i}", f"Goed bericht nummer {i} over de wijk") for i in range(3)]
    broken = replace(_item("kapot", "Kapot bericht zonder titel"), title=None)  # NOT NULL violated
    with pytest.raises(duckdb.Error):
        stories = partial(plan_stories, publisher="Omroep", publisher_from_author=False,
                          window=timedelta(hours=72))
        store.save_items(source.id, [*good[:2], broken, good[2]], stories=stories)
    assert store.item_count() == 0
    assert store.scalar("select count(*) from story_keys") == 0


def test_story_and_publisher_counts_per_period(store):
    source = store.source_by_id(store.add_source("Omroep", publisher="Omroep"))
    store_parsed(store, source, parse_feed(fixture_bytes("rss2.xml"), T0))
    counts = store.coverage_counts(since=T0 - timedelta(hours=2), until=T0 + timedelta(hours=2))
    # published 21:05 and 22:10 local = 20:05 and 21:10 UTC; the undated ones have fetched_at T0
    assert counts == {"items": 4, "stories": 4, "original_publishers": 1, "sources": 1}
    stories = store.stories()
    assert stories["items"].sum() == 4 and set(stories.columns) >= {"story_id", "titel", "oorspronkelijk"}


def parse_result(items):
    from collectors.feeds import ParsedFeed

    return ParsedFeed(items)
