"""The Omgevingsbeeld page's picture, trustworthy: rumour tracker with the analist's verdict, places
linked for, one resolved chip set per item, spread per story and rumour, and the offline map."""

from __future__ import annotations

import re
from datetime import timedelta

from analysis.jobs import relink, tag_rows
from analysis.relevance import item_text
from analysis.tagging import load_tagger
from onrust.models import Item, SignalInput, WatchProfile
from onrust.settings import load_settings
from onrust.timeutil import utcnow
from tests.pages.apptest import open_page, rendered_markdown

T0 = utcnow().replace(microsecond=0) - timedelta(hours=8)
PAYLOAD = "**vet** [klik](javascript:alert(1)) <img src=x onerror=alert(1)>"
ITEMS = [
    # key, source, reach, title, summary, hours after T0
    ("a", "Buurtpraat", "sociaal", "Volgens omstanders zou de verdachte zijn vrijgelaten",
     "Hij zou weer thuis zijn in de Meerwijk.", 0),
    ("b", "Omroep West", "regionaal", "OM: gerucht over vrijlating was onjuist",
     "De verdachte zit nog vast, zegt een woordvoerder.", 2),
    ("c", "Buurtpraat", "sociaal", "Politie: verdachte zit nog vast.", "Stop met die geruchten en blijf thuis.", 3),
    ("d", "Lokaal Nieuws", "lokaal", "Na de rellen van woensdag keert de rust terug in de Meerwijk.",
     "Bewoners zijn blij en opgelucht, maar boos over de schade.", 4),
]


def _signal(incident: int, kind: str, text: str, wijk: str | None, hours: int) -> SignalInput:
    when = T0 + timedelta(hours=hours)
    return SignalInput(kind=kind, source_type="sociale media", reliability="C", credibility=3,
                       verification="onbevestigd", severity=3, municipality="Uithoorn", neighbourhood=wijk,
                       occurred_at=when, reported_at=when, entered_at=when, incident_id=incident, text=text,
                       entered_by="Anna")


def _seed(store) -> tuple[int, dict[str, int]]:
    incident = store.create_incident("Onrust Meerwijk", "Uithoorn", T0 - timedelta(hours=1))
    ids: dict[str, int] = {}
    for key, source, reach, title, summary, hours in ITEMS:
        sid = store.add_source(source, reach=reach)
        when = T0 + timedelta(hours=hours)
        store.save_items(sid, [Item(key, key, f"https://example.nl/{key}", title, summary, None, "nl", when, None,
                                    when, key)])
        ids[key] = int(store.scalar("select id from items where item_key = ?", [key]))
    # tagged before the wijk was in the profile, as in the demo: no place tag for the Meerwijk
    tagger = load_tagger()
    texts = [item_text(t, s) for _, _, _, t, s, _ in ITEMS]
    store.save_item_tags(tagger.version, "", _done(ids), tag_rows(list(ids.values()), tagger.tag_many(texts)))
    store.save_watch_profile(WatchProfile(incident, terms=("verdachte", "rellen", "geruchten"), places=("Uithoorn",),
                                          neighbourhoods=("Meerwijk",), period_start=T0 - timedelta(days=1)), "test")
    assert relink(store, load_settings(), incident) == 4
    store.add_signal(_signal(incident, "gerucht", f"Gerucht dat de verdachte is vrijgelaten {PAYLOAD}", "Meerwijk", 1))
    store.add_signal(_signal(incident, "melding", "Veel politie op straat.", None, 5))
    return incident, ids


def _done(ids: dict[str, int]):
    import pandas as pd

    return pd.DataFrame({"item_id": list(ids.values()), "content_hash": list(ids)})


# The rumour's wording: the sentences that carry its claim markers, here the title and the hedged lead.
WORDING = "Volgens omstanders zou de verdachte zijn vrijgelaten Hij zou weer thuis zijn in de Meerwijk."
FIRST_COLUMN = {"ob_rumour_table": "Status", "ob_spread": "Verhaal of gerucht", "ob_unplaced": "Plaats"}


def _frame(at, key):
    """AppTest does not expose a dataframe's key: find it by its first column."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == FIRST_COLUMN[key])


def test_rumour_tracker_shows_the_refuted_rumour_and_never_a_debunk_as_rumour(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    assert not at.exception
    tracker = _frame(at, "ob_rumour_table")
    (row,) = tracker[tracker["Gerucht"] == WORDING].to_dict("records")
    assert row["Status"] == "ontkracht"
    # the wording holds the lead too, so the first item is named by its title and source
    assert row["Eerst in"] == "Volgens omstanders zou de verdachte zijn vrijgelaten (Buurtpraat)"
    assert row["Vermeldingen"] == 4  # the signal, the rumour item, the OM debunk, "stop met die geruchten"
    assert row["Bevestigd of ontkracht door"] == "OM: gerucht over vrijlating was onjuist"
    at.button(key="ob_generate").click().run()
    (draft,) = [m.value for m in at.markdown if "### Geruchtentracker" in m.value]
    sections = {part.split("\n", 1)[0]: part for part in draft.split("### ")[1:]}
    for heading in ("Geruchten", "Oproepen tot actie"):  # the debunks are neither
        assert "OM: gerucht" not in sections[heading] and "Stop met die geruchten" not in sections[heading]
    assert "OM: gerucht over vrijlating was onjuist" in sections["Feiten en ontkrachte geruchten"]
    assert f"- ontkracht: {WORDING} (4 vermeldingen" in sections[
        "Geruchtentracker"]
    for body in rendered_markdown(at):  # the signal's text is escaped wherever it is Markdown
        assert "[klik](" not in body and "**vet**" not in body and not re.search(r"(?<!\\)<img", body), body


def test_the_analist_sets_a_status_and_it_is_logged(oidc_mode, app_store):
    incident, ids = _seed(app_store)
    at = open_page("omgevingsbeeld.py", user="Anna")  # the status is set by the login, not a typed name
    tracker = _frame(at, "ob_rumour_table")
    assert len(tracker) == 1
    key = at.selectbox(key="ob_rumour_key").value  # the one rumour, preselected
    at.radio(key="ob_rumour_status").set_value("bevestigd")
    at.selectbox(key="ob_rumour_evidence").set_value(f"item:{ids['d']}")
    at.text_input(key="ob_rumour_note").input("toch vrijgelaten")
    at.button(key=f"FormSubmitter:ob_rumour_{incident}-Status vastleggen").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Status 'bevestigd' vastgelegd en in het logboek gezet."]
    (verdict,) = app_store.rumour_verdicts(incident)
    assert (verdict.status, verdict.set_by, verdict.evidence) == ("bevestigd", "Anna", f"item:{ids['d']}")
    logged = app_store.logbook(incident)["text"].iloc[-1]
    assert logged == f"Gerucht bevestigd: {WORDING} (toch vrijgelaten)"
    row = _frame(at, "ob_rumour_table").iloc[0]
    assert (row["Status"], row["Hoe"]) == ("bevestigd", "handmatig door Anna (toch vrijgelaten)")
    assert row["Bevestigd of ontkracht door"].startswith("Na de rellen van woensdag")
    assert verdict.rumour_key == key


def test_places_linked_for_are_shown(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    places = [d.value for d in at.dataframe if "" in d.value.columns and "Meerwijk" in d.value[""].tolist()]
    assert places and places[0].values.tolist()[0] == ["Meerwijk", 2]
    assert "Geen plaatsen herkend." not in [c.value for c in at.caption]


def test_one_resolved_chip_set_per_item_with_the_raw_matches_behind_it(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    chips = [m.value for m in at.markdown if "fase:" in m.value]
    assert len(chips) == 1
    assert chips[0].count("fase:") == 1 and "fase: terugkeer" in chips[0] and "escalatie" not in chips[0]
    assert chips[0].count("toon:") == 1 and "toon: gemengd" in chips[0]
    debunk = [m.value for m in at.markdown if "claim: gerucht ontkracht" in m.value]
    assert len(debunk) == 2  # the OM's denial and "stop met die geruchten" (no fact marker in it)
    assert not any("claim: feit" in d or "claim: gerucht]" in d for d in debunk)  # one claim each
    expanders = [e.label for e in at.expander if e.label.startswith("Herkenningen")]
    assert "Herkenningen (toon, fase tegenstrijdig)" in expanders


def test_spread_and_map_are_on_the_page(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    spread = _frame(at, "ob_spread")
    rumour = spread[spread["Verhaal of gerucht"].str.startswith("Gerucht: Volgens omstanders")].iloc[0]
    assert rumour["Volgorde"] == "sociale media → regionaal"
    assert rumour["regionaal"].endswith("(Omroep West)") and rumour["lokaal"] == "—"
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # volume and the map (points on axes: no tile server)
    unplaced = _frame(at, "ob_unplaced")
    assert unplaced.values.tolist() == [["Meerwijk", 2, 1]]


def test_the_map_is_offline_unless_a_tile_address_is_set(tmp_path):
    import pandas as pd
    import pytest

    from dashboard.charts import place_map
    from onrust.settings import SettingsError

    points = pd.DataFrame([["<b>Meerwijk</b>", 52.2, 4.8, 2, 1]], columns=["plaats", "lat", "lon", "berichten",
                                                                        "signalen"])
    offline = place_map(points)
    assert offline.data[0].type == "scatter" and not offline.layout.map.layers
    assert offline.data[0].text == ("&lt;b&gt;Meerwijk&lt;/b&gt;",)  # plotly reads tags in text
    tiles = place_map(points, "https://tiles.example.nl/{z}/{x}/{y}.png", "© gemeente")
    assert tiles.data[0].type == "scattermap"
    assert tiles.layout.map.layers[0].source == ("https://tiles.example.nl/{z}/{x}/{y}.png",)
    assert load_settings().map.tile_url == ""  # offline is the default
    user = tmp_path / "mijn.toml"
    user.write_text('[map]\ntile_url = "http://tiles.example.nl/kaart.png"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="https-adres met {z}, {x} en {y}"):
        load_settings(user)


def test_the_rumour_form_empties_after_a_status_is_saved(oidc_mode, app_store):
    """Found in the browser walk: after "Status vastleggen" the form kept the evidence and the note
    (a second click would record them again) and the rumour still read "(onbevestigd)"."""
    incident, ids = _seed(app_store)
    at = open_page("omgevingsbeeld.py", user="Anna")
    at.radio(key="ob_rumour_status").set_value("ontkracht")
    at.selectbox(key="ob_rumour_evidence").set_value(f"item:{ids['d']}")
    at.text_input(key="ob_rumour_note").input("OM: onjuist")
    at.button(key=f"FormSubmitter:ob_rumour_{incident}-Status vastleggen").click().run()
    assert not at.exception and at.success
    assert at.text_input(key="ob_rumour_note").value == ""
    assert at.selectbox(key="ob_rumour_evidence").value is None
    assert at.radio(key="ob_rumour_status").value == "onbevestigd"
    assert at.selectbox(key="ob_rumour_key").options[0].endswith("(ontkracht)")
