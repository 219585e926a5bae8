"""Story grouping and wire attribution: pure functions over Series, literal expectations."""

from __future__ import annotations

import pandas as pd

from collectors.dedupe import group_rows, story_keys, wire_agency

LEAD = ("Bij een brand in een flat in de wijk Zuid zijn zaterdagavond veertig bewoners geëvacueerd. "
        "De brandweer was met groot materieel aanwezig en niemand raakte gewond.")


def test_wire_agency_from_marker_dateline_or_author():
    title = pd.Series(["Brand in Zuid", "Brand in Zuid", "Brand", "Kapotte AP-kabel", "Brand"])
    summary = pd.Series(["ENSCHEDE (ANP) - Tekst", "Tekst. Bron: Reuters", "Tekst", "Over een apparaat", "x"])
    author = pd.Series([None, None, "ANP", None, "Redactie"])
    assert wire_agency(title, summary, author).tolist() == ["ANP", "Reuters", "ANP", None, None]


def test_copies_with_small_edits_share_a_story_and_unrelated_items_do_not():
    title = pd.Series([
        "Veertig bewoners geëvacueerd bij flatbrand in Zuid",
        "Flatbrand Zuid: veertig bewoners uit huis",                 # other title, same body
        "Veertig bewoners geëvacueerd bij flatbrand in Zuid (ANP)",  # same title, wire marker
        "Gemeenteraad stemt in met begroting voor volgend jaar",
        "Het weer",                                                   # too short for a title key
    ])
    summary = pd.Series([
        "ENSCHEDE (ANP) - " + LEAD,
        LEAD + " Dat meldt de veiligheidsregio.",
        "Korte versie.",
        "De raad stemde donderdagavond na een lang debat in met de begroting van het college.",
        "Zonnig.",
    ])
    keys = story_keys(title, summary)
    groups = group_rows(5, keys, {})
    g = groups.group.tolist()
    assert g[0] == g[1] == g[2] and len({g[0], g[3], g[4]}) == 3
    assert not keys[keys["row"] == 4]["key"].str.startswith("t:").any()


def test_stored_stories_are_continued_and_merged_when_an_item_bridges_them():
    title = pd.Series(["Veertig bewoners geëvacueerd bij flatbrand in Zuid"])
    summary = pd.Series([LEAD])
    keys = story_keys(title, summary)
    title_key = keys[keys["key"].str.startswith("t:")]["key"].iloc[0]
    lead_key = keys[keys["key"].str.startswith("l:")]["key"].iloc[0]
    groups = group_rows(1, keys, {title_key: 7, lead_key: 3})
    assert groups.known_story.tolist() == [3] and groups.merges == {7: 3}


def test_keys_are_stable_across_processes():
    # pandas' SipHash with a fixed key: the same text gives the same stored key tomorrow.
    # A process-salted hash (Python's hash()) would make stored keys useless after a restart.
    keys = story_keys(pd.Series(["Veertig bewoners geëvacueerd bij flatbrand"]), pd.Series([""]))
    assert keys["key"].tolist() == ["t:143444b8a5fe8eaa"]
