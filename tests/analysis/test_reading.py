"""The resolved reading of one item: one tone, one claim status, one phase."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.reading import Reading, net_tone, resolve


def _tags(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(s, k, sc, v) for s, k, sc, v in rows], columns=["tag_set", "tag_key", "score", "value"])


@pytest.mark.parametrize("rows, expected", [
    # toon positief + negatief: the stronger side wins, or 'gemengd' when neither does
    ([("polarity", "positief", 0.4, None), ("polarity", "negatief", 1.0, None)],
     Reading("negatief", None, None, ("toon",))),
    ([("polarity", "positief", 0.5, None), ("polarity", "negatief", 0.5, None)],
     Reading("gemengd", None, None, ("toon",))),
    ([("polarity", "positief", 0.2, None)], Reading(None, None, None)),  # too weak to call
    # feit + gerucht: an official confirmation that names a rumour, or hearsay beside a weak marker
    ([("claim", "feit", 1.0, None), ("claim", "gerucht", 0.8, None)],
     Reading(None, "feit, noemt gerucht", None, ("claim",))),
    ([("claim", "feit", 0.6, None), ("claim", "gerucht", 1.0, None)], Reading(None, "gerucht", None, ("claim",))),
    ([("claim", "feit", 1.0, "ontkracht"), ("claim", "gerucht", 1.0, "ontkracht")],
     Reading(None, "ontkracht", None, ("claim",))),
    # terugkeer + escalatie: the return to calm is what the item reports
    ([("phase", "escalatie", 1.0, None), ("phase", "terugkeer", 1.0, None)],
     Reading(None, None, "terugkeer", ("fase",))),
    ([("phase", "onrust", 1.0, None), ("phase", "escalatie", 1.0, None)], Reading(None, None, "escalatie", ("fase",))),
    ([("emotion", "woede", 1.0, None)], Reading(None, None, None)),
])
def test_resolve(rows, expected):
    assert resolve(_tags(*rows)) == expected


def test_chips_are_one_per_question():
    reading = resolve(_tags(("phase", "escalatie", 1.0, None), ("phase", "terugkeer", 1.0, None),
                            ("polarity", "negatief", 0.9, None), ("claim", "gerucht", 1.0, None)))
    assert reading.chips() == (("phase", "terugkeer"), ("polarity", "negatief"), ("claim", "gerucht"))


def test_a_debunk_the_tagger_left_open_reads_as_refuted():
    """"Stop met die geruchten": no official fact marker, so the tagger leaves the rumour open."""
    assert resolve(_tags(("claim", "gerucht", 1.0, None)), refuted=True).claim == "ontkracht"
    assert resolve(_tags(("emotion", "woede", 1.0, None)), refuted=True).claim is None


def test_net_tone_is_the_taggers_rule():
    assert net_tone([("negatief", 0.3)]) == "negatief"
    assert net_tone([("positief", 0.29)]) is None
