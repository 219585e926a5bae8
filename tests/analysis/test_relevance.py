"""Relevance of items to an incident's watch profile: literal scores and reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from analysis.relevance import default_profile, links, phrase_pattern, score_items, union
from onrust.models import WatchProfile
from onrust.settings import load_settings

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
CFG = load_settings().relevance
PROFILE = WatchProfile(
    incident_id=1,
    terms=("brand*", "zorginstelling De Linde"),
    places=("Uithoorn",),
    neighbourhoods=("Meerwijk",),
    actors=("politie",),
    involved=("Mark de Vries",),
    period_start=T0 - timedelta(days=2),
)


def _items(*rows: tuple[int, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(i, title, summary, T0) for i, title, summary in rows],
        columns=["id", "title", "summary", "published_at"],
    )


NO_TAGS = pd.DataFrame(columns=["item_id", "tag_set", "tag_key", "matched"])


@pytest.mark.parametrize(
    "title, summary, relevance, reasons",
    [
        # a term in the title counts twice: full term evidence (0.6)
        ("Brandstichting bij woning", "", 0.6, "term: brand*"),
        # a place alone stays below the threshold (0.35)
        ("Nieuwe bibliotheek in Uithoorn", "", 0.35, "plaats: Uithoorn"),
        # accents and case do not matter; the neighbourhood counts as a place
        ("Feest", "In de MEERWIJK is het rustig", 0.35, "plaats: Meerwijk"),
        # one term in the body (0.3) with a place (0.35): 1 - 0.7 * 0.65
        ("Onrust", "Een brand in Uithoorn", 0.545, "plaats: Uithoorn; term: brand*"),
        # the name of someone involved is never shown in the reasons
        ("Bericht", "Mark de Vries is aangehouden", 0.5, "betrokkene genoemd"),
        # multi-word term across a line break; actor evidence is half per actor
        ("Zorginstelling\nDe Linde", "politie", 1 - 0.4 * 0.9, "actor: politie; term: zorginstelling De Linde"),
        # hard negative: nothing of the profile
        ("Niets", "Kerstmarkt op het plein", 0.0, ""),
    ],
)
def test_scores_and_reasons(title, summary, relevance, reasons):
    scores = score_items(_items((7, title, summary)), NO_TAGS, PROFILE, CFG)
    assert scores["item_id"].tolist() == [7]
    assert scores["relevance"].iloc[0] == pytest.approx(relevance, abs=1e-4)
    assert scores["reasons"].iloc[0] == reasons


def test_tags_add_places_actors_involved_and_unrest():
    items = _items((1, "Iets in de wijk", ""), (2, "Ander bericht", ""))
    tags = pd.DataFrame(
        [
            (1, "place", "Uithoorn", "Uithoorn"),
            (1, "dynamiek", "mobilisatie", "oproep"),
            (2, "person", "betrokkene", "M. de Vries"),
            (2, "actor", "politie", "agenten"),
        ],
        columns=["item_id", "tag_set", "tag_key", "matched"],
    )
    scores = score_items(items, tags, PROFILE, CFG).set_index("item_id")
    assert scores.loc[1, "relevance"] == pytest.approx(1 - 0.65 * 0.85)
    assert scores.loc[1, "reasons"] == "onrustkenmerken; plaats: Uithoorn"
    assert scores.loc[2, "relevance"] == pytest.approx(1 - 0.5 * 0.9)
    assert scores.loc[2, "reasons"] == "actor: politie; betrokkene genoemd"
    assert links(score_items(items, tags, PROFILE, CFG), CFG)["item_id"].tolist() == [1, 2]


def test_items_outside_the_period_score_zero():
    items = pd.DataFrame(
        [(1, "Brand in Uithoorn", "", T0 - timedelta(days=3)), (2, "Brand in Uithoorn", "", T0)],
        columns=["id", "title", "summary", "published_at"],
    )
    profile = PROFILE.edited(period_end=T0 - timedelta(hours=1))
    scores = score_items(items, NO_TAGS, profile, CFG)
    assert scores["relevance"].tolist() == [0.0, 0.0]
    assert scores["reasons"].tolist() == ["buiten de periode", "buiten de periode"]
    assert score_items(items, NO_TAGS, PROFILE, CFG)["relevance"].tolist() == [0.0, pytest.approx(0.74)]


def test_phrase_pattern_words_and_prefixes():
    import re

    assert re.search(phrase_pattern("brand*"), "de brandweer kwam") is not None
    assert re.search(phrase_pattern("brand"), "de brandweer kwam") is None
    assert re.search(phrase_pattern("De Linde"), "zorg van de   linde.") is not None
    assert re.search(phrase_pattern("a.b"), "axb") is None  # regex characters are literal


def test_edited_cleans_lists_and_union_merges_profiles():
    edited = PROFILE.edited(terms=[" rellen ", "Rellen", "", "onrust"], neighbourhoods=["Meerwijk", "meerwijk"])
    assert edited.terms == ("rellen", "onrust")
    assert edited.all_places == ("Uithoorn", "Meerwijk")
    other = WatchProfile(2, places=("Haarlem", "uithoorn"), involved=("J. Jansen",))
    assert union([edited, other]).places == ("Uithoorn", "Meerwijk", "Haarlem")
    assert union([edited, other]).involved == ("Mark de Vries", "J. Jansen")


def test_default_profile_and_settings():
    profile = default_profile(3, "Enschede", T0, None, lead_days=2)
    assert (profile.places, profile.period_start, profile.period_end) == (("Enschede",), T0 - timedelta(days=2), None)
    # The numbers the module docstring explains linking with (a place alone 0.35 stays below 0.4).
    assert (CFG.threshold, CFG.weight_terms, CFG.weight_places, CFG.weight_actors, CFG.weight_involved,
            CFG.weight_unrest, CFG.term_saturation, CFG.lead_days) == (0.4, 0.6, 0.35, 0.2, 0.5, 0.15, 2, 2)
    assert CFG.unrest_tag_sets == ("phase", "dynamiek", "claim", "emotion")


def test_empty_frame():
    scores = score_items(_items(), NO_TAGS, PROFILE, CFG)
    assert scores.empty and list(scores.columns) == ["item_id", "relevance", "reasons"]


def test_acronyms_match_only_in_capitals():
    profile = WatchProfile(1, actors=("ME", "OM"), terms=("GGD*",))
    items = _items((1, "ME grijpt in", "Het OM vervolgt"), (2, "Dat deed me goed", "om negen uur"))
    scores = score_items(items, NO_TAGS, profile, CFG)
    assert scores["reasons"].tolist() == ["actor: ME; actor: OM", ""]
