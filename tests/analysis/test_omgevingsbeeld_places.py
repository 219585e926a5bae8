"""Places, spread and the map of the omgevingsbeeld: from tags and from why items were linked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from analysis import geo
from analysis import omgevingsbeeld as ob
from analysis.omgevingsbeeld_export import to_markdown

T0 = datetime(2026, 10, 14, 10, 0, tzinfo=UTC)
ITEM_COLS = ["id", "title", "summary", "url", "published_at", "fetched_at", "story_id", "original_publisher",
             "source", "publisher", "reach", "relevance", "reasons", "story", "origin", "copy_of"]
TAG_COLS = ["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score", "value", "ref"]
SIGNAL_COLS = ["id", "kind", "verification", "severity", "reliability", "credibility", "neighbourhood",
               "occurred_at", "reported_at", "text"]


def _items() -> pd.DataFrame:
    rows = [
        # id, title, hours, publisher, reach, story, reasons
        (1, "Onrust in de Meerwijk", 0, "Lokaal Nieuws", "lokaal", 1, "plaats: Meerwijk; term: onrust"),
        (2, "Onrust in Uithoorn", 3, "Regio Dagblad", "regionaal", 1, "plaats: Meerwijk; plaats: Uithoorn"),
        (3, "Onrust in Uithoorn landelijk", 5, "NOS", "landelijk", 1, "plaats: Uithoorn"),
        (4, "Iets anders", 6, "NOS", "landelijk", 2, "term: onrust"),
    ]
    out = [(i, t, "", None, T0 + timedelta(hours=h), T0 + timedelta(hours=h), s, None, p, p, r, 0.8, why, s, p, None)
           for i, t, h, p, r, s, why in rows]
    return pd.DataFrame(out, columns=ITEM_COLS).sort_values("published_at", ascending=False).reset_index(drop=True)


NO_TAGS = pd.DataFrame(columns=TAG_COLS)
SIGNALS = pd.DataFrame([(1, "melding", "bevestigd", 2, "A", 1, "Meerwijk", T0, T0, "Veel politie."),
                        (2, "melding", "bevestigd", 2, "A", 1, None, T0, T0, "Ongerust.")], columns=SIGNAL_COLS)


def _beeld(tags: pd.DataFrame = NO_TAGS) -> ob.Omgevingsbeeld:
    return ob.build(_items(), tags, SIGNALS, incident="Onrust", municipality="Uithoorn",
                    period=(T0 - timedelta(days=1), T0 + timedelta(days=1)), generated_at=T0)


def test_places_linked_for_count_without_place_tags():
    """The bug: items linked because of the incident's place, and still "Geen plaatsen herkend"."""
    assert _beeld().places == (ob.Count("Meerwijk", 2), ob.Count("Uithoorn", 2))
    assert "Geen plaatsen herkend." not in to_markdown(_beeld())


def test_a_tagged_place_and_a_linked_place_count_an_item_once():
    tags = pd.DataFrame([(1, "place", "Uithoorn", "Uithoorn", 0, 8, 1.0, "Noord-Holland", None),
                         (2, "place", "Uithoorn", "Uithoorn", 10, 18, 1.0, "Noord-Holland", None)], columns=TAG_COLS)
    assert dict((c.label, c.count) for c in _beeld(tags).places) == {"Uithoorn": 3, "Meerwijk": 2}


def test_spread_per_story_in_order_of_reach():
    (spread,) = _beeld().spread
    assert spread.title == "Onrust in de Meerwijk"
    assert [(s.reach, s.at, s.publisher) for s in spread.steps] == [
        ("lokaal", T0, "Lokaal Nieuws"), ("regionaal", T0 + timedelta(hours=3), "Regio Dagblad"),
        ("landelijk", T0 + timedelta(hours=5), "NOS")]
    assert "Onrust in de Meerwijk: lokaal wo 14-10-2026 12:00 (Lokaal Nieuws) → regionaal" in to_markdown(_beeld())


def test_map_points_with_coordinates_and_the_rest_beside_them():
    locations = geo.load_locations()
    assert locations["uithoorn"] == (52.2375, 4.8264)
    points, unplaced = geo.map_points(_items(), NO_TAGS, SIGNALS, locations, "Uithoorn")
    assert points.values.tolist() == [["Uithoorn", 52.2375, 4.8264, 2, 1]]  # the signal without a wijk
    assert unplaced.values.tolist() == [["Meerwijk", 2, 1]]  # a wijk without coordinates stays listed


def test_the_demo_places_are_only_in_the_demo_file():
    assert "kolkhoek" not in geo.load_locations()
    assert "kolkhoek" in geo.load_locations((geo.LOCATIONS, geo.DEMO_LOCATIONS))
