"""The omgevingsbeeld snapshot: sections, question detection, masking, renderings, versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from analysis import omgevingsbeeld as ob
from analysis import omgevingsbeeld_text as text
from analysis.omgevingsbeeld_export import to_docx, to_markdown
from analysis.relevance import item_text
from onrust.docx import read_docx_text

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)  # 21:00 in Amsterdam
CFG = ob.load_config()
ITEM_COLS = ["id", "title", "summary", "url", "published_at", "fetched_at", "story_id", "original_publisher",
             "source", "publisher", "reach", "relevance", "reasons", "story", "origin", "copy_of"]
TAG_COLS = ["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score", "value", "ref"]
SIGNAL_COLS = ["id", "kind", "verification", "severity", "reliability", "credibility", "neighbourhood",
               "occurred_at", "reported_at", "text"]

ROWS = [
    # id, title, summary, hours after T0, publisher, reach, story, copy_of
    (1, "Is het waar dat de school in de Meerwijk dicht gaat?",
     "Ouders zijn boos. De gemeente had moeten ingrijpen, zegt Mark de Vries.", 0, "Lokaal Nieuws", "lokaal", 10, None),
    (2, "School in Meerwijk mogelijk dicht", "Waarom wordt er niets gezegd over de school?", 2, "NOS", "landelijk", 10,
     "Lokaal Nieuws"),
    (3, "Oproep: zaterdag samen naar het gemeentehuis", "Kom allemaal! is het waar dat de school dicht gaat?",
     3, "@buurtgroep", "sociaal", 11, None),
    (4, "Gemeente: school blijft open", "De gemeente ontkent het gerucht.", 5, "Regio Dagblad", "regionaal", 12, None),
]


def _items() -> pd.DataFrame:
    rows = []
    for i, title, summary, hours, publisher, reach, story, copy_of in ROWS:
        when = T0 + timedelta(hours=hours)
        rows.append((i, title, summary, f"https://example.nl/{i}", when, when, story, None, publisher, publisher,
                     reach, 0.8, "", story, publisher, copy_of))
    return pd.DataFrame(rows, columns=ITEM_COLS).sort_values("published_at", ascending=False).reset_index(drop=True)


def _tag(item_id: int, tag_set: str, key: str, word: str) -> tuple:
    title, summary = next((r[1], r[2]) for r in ROWS if r[0] == item_id)
    start = item_text(title, summary).index(word)
    return (item_id, tag_set, key, word, start, start + len(word), 1.0, None, None)


TAGS = pd.DataFrame([
    _tag(1, "emotion", "woede", "boos"),
    _tag(1, "actor", "gemeente", "gemeente"),
    _tag(1, "person", "persoon", "Mark de Vries"),
    _tag(1, "place", "Meerwijk", "Meerwijk"),
    _tag(2, "claim", "gerucht", "mogelijk"),
    _tag(3, "dynamiek", "mobilisatie", "Oproep")[:7] + ("2026-11-21", None),
    _tag(3, "emotion", "woede", "Kom allemaal"),
    _tag(4, "claim", "feit", "ontkent"),
    _tag(4, "actor", "gemeente", "gemeente"),
], columns=TAG_COLS)
SIGNALS = pd.DataFrame([
    (1, "gerucht", "onbevestigd", 3, "C", 3, "Meerwijk", T0, T0, "Klopt het dat de directeur is opgepakt"),
    (2, "gerucht", "ontkracht", 2, "B", 2, None, T0, T0, "Er zou een brand zijn geweest."),
    (3, "melding", "bevestigd", 1, "A", 1, None, T0, T0, "Buurtbewoners zijn ongerust."),
], columns=SIGNAL_COLS)


@pytest.fixture(scope="module")
def beeld() -> ob.Omgevingsbeeld:
    return ob.build(_items(), TAGS, SIGNALS, incident="Schoolsluiting Meerwijk", municipality="Uithoorn",
                    period=(T0 - timedelta(days=1), T0 + timedelta(days=1)), generated_at=T0 + timedelta(hours=6),
                    involved=("Mark de Vries",), cfg=CFG)


@pytest.mark.parametrize("sentence, expected", [
    ("Is het waar dat de school dicht gaat", True),
    ("klopt het dat de directeur is opgepakt", True),
    ("Hoe kan het dat niemand ingreep", True),
    ("Wanneer gaat de school weer open", True),
    ("Gaat de school dicht?", True),
    ("Waarom wordt er niets gezegd", True),  # question word + finite verb
    ("Waarom?", False),  # too short to answer
    ("De man, wie het ook was, vluchtte", False),  # 'wie' mid-sentence is not a question
    ("Wie zich daar ophoudt, kan worden aangehouden.", False),  # 'wie' + no finite verb
    ("Hoe een gerucht uitmondde in een belegering", False),  # explanatory headline
    ("Ouders zijn boos.", False),
])
def test_question_detection(sentence, expected):
    assert text.is_question(sentence, CFG.questions) is expected


def test_informatiebehoefte_counts_questions_across_items_and_signals(beeld):
    assert [(q.text, q.count, q.sources) for q in beeld.questions] == [
        ("is het waar dat de school dicht gaat?", 1, ("@buurtgroep",)),
        ("Waarom wordt er niets gezegd over de school?", 1, ("NOS",)),
        ("Is het waar dat de school in de Meerwijk dicht gaat?", 1, ("Lokaal Nieuws",)),
        ("Klopt het dat de directeur is opgepakt", 1, ("signaal (gerucht)",)),
    ]
    assert beeld.question_total == 4


def test_same_question_from_several_items_counts_once_per_item():
    items = _items()
    items.loc[items["id"] == 4, "summary"] = "Is het waar dat de school dicht gaat?"
    questions, total = ob.detect_questions(items, SIGNALS.iloc[0:0], CFG)
    assert (questions[0].text, questions[0].count, questions[0].sources) == (
        "Is het waar dat de school dicht gaat?", 2, ("Regio Dagblad", "@buurtgroep"))
    assert total == 3


def test_blame_goes_to_the_actor_nearest_the_cue():
    title = "Een oud-politiechef vond dat de burgemeester eerder had moeten ingrijpen."
    items = _items().iloc[0:1].assign(title=title, summary="")
    tags = pd.DataFrame([
        (int(items["id"].iloc[0]), "actor", key, word, title.index(word), title.index(word) + len(word),
         1.0, None, None)
        for key, word in (("politie", "politiechef"), ("burgemeester", "burgemeester"))
    ], columns=TAG_COLS)
    assert ob.blamed_actors(items, tags, CFG) == (ob.Count("burgemeester", 1, title),)


def test_betekenisgeving(beeld):
    assert beeld.emotions == (ob.Count("woede", 2),)
    assert beeld.meanings == (ob.Count("dynamiek: mobilisatie", 1),)
    # the name of the person involved is masked in the example sentence
    assert beeld.blamed == (ob.Count("gemeente", 1, "De gemeente had moeten ingrijpen, zegt [betrokkene]."),)


def test_schadebeperking_puts_rumours_beside_facts(beeld):
    assert [(r.item_id, r.title, r.note) for r in beeld.rumours] == [
        (2, "School in Meerwijk mogelijk dicht", "kopie van Lokaal Nieuws"),
        (None, "Klopt het dat de directeur is opgepakt", "onbevestigd, ernst 3"),
    ]
    assert [(r.item_id, r.title, r.note) for r in beeld.facts] == [
        (4, "Gemeente: school blijft open", ""),
        (None, "Er zou een brand zijn geweest.", "ontkracht, ernst 2"),
    ]
    assert [(r.item_id, r.note) for r in beeld.calls] == [(3, "datum genoemd: 2026-11-21")]


def test_a_denied_rumour_is_a_fact_and_eigenrichting_calls_only_on_social_media():
    items = _items()
    items.loc[items["id"] == 2, "summary"] = "Het OM noemt het gerucht onjuist."
    tags = pd.concat([TAGS, pd.DataFrame([
        (1, "dynamiek", "eigenrichting", "x", 0, 1, 1.0, None, None),  # lokaal news item
        (3, "dynamiek", "eigenrichting", "x", 0, 1, 1.0, None, None),  # social media post
    ], columns=TAG_COLS)])
    rumours, facts, calls = ob.classify(items, tags, CFG)
    assert (rumours, facts, calls) == (set(), {2, 4}, {3})


def test_volume_and_spread(beeld):
    assert beeld.totals == ob.ReachRow("totaal", 4, 3, 4, T0)
    assert [(r.reach, r.items, r.stories, r.first_at) for r in beeld.by_reach] == [
        ("lokaal", 1, 1, T0), ("regionaal", 1, 1, T0 + timedelta(hours=5)),
        ("landelijk", 1, 1, T0 + timedelta(hours=2)), ("sociaal", 1, 1, T0 + timedelta(hours=3)),
    ]
    assert beeld.peak == "za 14-11-2026 21:00–22:00 (1 bericht)"
    assert beeld.signals == 3


def test_notable_items_one_per_story(beeld):
    # NOS: landelijk 3 + 1 copy + rumour 2 = 6; @buurtgroep: sociaal 2 + call 2 = 4; regio 2; lokaal 1 + 1 copy
    assert [(r.item_id, r.note) for r in beeld.notable] == [(2, "1 kopie"), (3, ""), (4, "")]


def test_volume_over_time_counts_items_stories_and_publishers():
    items = _items()
    items["published_at"] = T0  # all in one hour
    volume = ob.volume_over_time(items, "h")
    per = volume.groupby("maat")["aantal"].sum().to_dict()
    assert per == {"berichten": 4, "verhalen": 4, "uitgevers": 4}  # one per reach in that bucket
    one_reach = items.assign(reach="lokaal")
    per = ob.volume_over_time(one_reach, "h").set_index("maat")["aantal"].to_dict()
    assert per == {"berichten": 4, "uitgevers": 4, "verhalen": 3}
    assert str(volume["bucket"].iloc[0]) == "2026-11-14 21:00:00+01:00"


def test_markdown_escapes_feed_text_and_keeps_conclusions(beeld):
    items = _items()
    items.loc[items["id"] == 4, "title"] = "Klik [hier](javascript:alert(1)) <b>nu</b>"
    built = ob.build(items, TAGS, SIGNALS, incident="X", municipality="Uithoorn",
                     period=(T0, T0 + timedelta(days=1)), generated_at=T0, cfg=CFG)
    md = to_markdown(built, "**Advies**: feiten delen.", version=3)
    assert md.startswith("# Omgevingsbeeld X (versie 3)\n")
    assert "Klik \\[hier\\](javascript\\:alert(1)) \\<b\\>nu\\</b\\>" in md  # ":alert" would be a directive
    assert "\n**Advies**: feiten delen.\n" in md
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Conclusies van de omgevingsanalist", "## 1. Informatiebehoefte",
                        "## 2. Betekenisgeving", "## 3. Schadebeperking", "## 4. Volume en verspreiding",
                        "## 5. Opvallende berichten"]
    assert "Mark de Vries" not in to_markdown(beeld)


def test_docx_has_the_sections_in_order(beeld):
    lines = read_docx_text(to_docx(beeld, "Accent op informatievoorziening.", version=1)).split("\n")
    assert lines[:3] == ["Omgevingsbeeld Schoolsluiting Meerwijk (versie 1)",
                         "Gemeente Uithoorn, 15 november 2026, 03:00",
                         "Gemeente Uithoorn · periode vr 13-11-2026 21:00 tot zo 15-11-2026 21:00 · "
                         "opgesteld zo 15-11-2026 03:00"]
    assert lines[3:5] == ["Conclusies van de omgevingsanalist", "Accent op informatievoorziening."]
    assert [line for line in lines if line[:2] in ("1.", "2.", "3.", "4.", "5.")] == [
        "1. Informatiebehoefte", "2. Betekenisgeving", "3. Schadebeperking", "4. Volume en verspreiding",
        "5. Opvallende berichten"]
    assert "Gemeente: school blijft open — Regio Dagblad, regionaal — zo 15-11-2026 02:00" in lines


def test_docx_of_feed_text_with_control_characters_is_built(beeld):
    """A NUL or control character from a feed used to stop the Word export (XML cannot hold it)."""
    items = _items()
    items.loc[items["id"] == 4, "title"] = "Gemeente:\x00 school\x0b blijft\x1f open\ud800"
    built = ob.build(items, TAGS, SIGNALS, incident="X\x00", municipality="Uithoorn",
                     period=(T0, T0 + timedelta(days=1)), generated_at=T0, cfg=CFG)
    lines = read_docx_text(to_docx(built, "Conclusie\x00.")).split("\n")
    assert lines[0] == "Omgevingsbeeld X" and "Conclusie." in lines
    assert any(line.startswith("Gemeente: school blijft open — Regio Dagblad") for line in lines)


def test_round_trip_through_json_and_store(store, beeld):
    assert ob.Omgevingsbeeld.from_dict(beeld.to_dict()) == beeld
    period = (beeld.period_start, beeld.period_end)
    assert store.save_omgevingsbeeld(5, beeld.to_dict(), "eerste", "Anna", *period) == 1
    assert store.save_omgevingsbeeld(5, beeld.to_dict(), "", "Bram", *period) == 2
    assert store.save_omgevingsbeeld(6, beeld.to_dict(), "", "Bram", *period) == 1
    versions = store.omgevingsbeeld_versions(5)
    assert versions[["version", "author", "has_conclusions"]].values.tolist() == [[2, "Bram", False], [1, "Anna", True]]
    first = store.omgevingsbeeld_version(5, 1)
    assert (first["conclusions"], ob.Omgevingsbeeld.from_dict(first["content"])) == ("eerste", beeld)
    assert store.omgevingsbeeld_version(5)["version"] == 2
    assert store.omgevingsbeeld_version(7) is None


def test_filter_items():
    items = _items()
    assert ob.filter_items(items, TAGS, ob.ItemFilter(reaches=("lokaal", "sociaal")), CFG)["id"].tolist() == [3, 1]
    assert ob.filter_items(items, TAGS, ob.ItemFilter(tags=("emotion:woede",)), CFG)["id"].tolist() == [3, 1]
    assert ob.filter_items(items, TAGS, ob.ItemFilter(rumours_only=True), CFG)["id"].tolist() == [2]
    since = ob.ItemFilter(only_new_since=T0 + timedelta(hours=2, minutes=30))
    assert ob.filter_items(items, TAGS, since, CFG)["id"].tolist() == [4, 3]
    assert ob.tag_options(TAGS)[:2] == ["actor:gemeente", "emotion:woede"]
    assert "person:persoon" not in ob.tag_options(TAGS)


def test_empty_period():
    empty = ob.build(_items().iloc[0:0], TAGS.iloc[0:0], SIGNALS.iloc[0:0], incident="X", municipality="Y",
                     period=(T0, T0 + timedelta(days=10)), generated_at=T0, cfg=CFG)
    assert (empty.totals.items, empty.questions, empty.peak, empty.notable) == (0, (), "geen berichten", ())
    assert "Geen vragen gevonden" in to_markdown(empty)


def test_masking_involved_and_full_person_names_only():
    tags = pd.DataFrame([
        (1, "person", "persoon", "Meerwijk", 0, 8, 1.0, None, None),  # a place, not a person
        (1, "place", "Meerwijk", "Meerwijk", 0, 8, 1.0, "wijk", None),
        (1, "person", "persoon", "Is", 0, 2, 1.0, None, None),  # no first name: left alone
        (1, "person", "persoon", "Jan Smit", 10, 18, 1.0, None, None),
        (1, "person", "betrokkene", "M. de Vries", 20, 31, 1.0, None, None),
    ], columns=TAG_COLS)
    mask = text.sensitive_names(tags, ("Mark de Vries",))
    sentence = "Is het waar dat Jan  Smit, Mark de Vries en M. de Vries in de Meerwijk wonen?"
    assert mask(sentence) == "Is het waar dat [naam], [betrokkene] en [betrokkene] in de Meerwijk wonen?"
    assert text.mask_names("mark de vries", ["Mark de Vries"]) == "[betrokkene]"
    assert text.masker()("Jan Smit") == "Jan Smit"


def test_cli_export_markdown_docx_and_saved_versions(db_path, tmp_path, capsys):
    from app.cli import main
    from onrust.models import Item, WatchProfile
    from onrust.store import Store

    with Store.open(db_path) as s:
        s.migrate()
        incident = s.create_incident("Schoolsluiting", "Uithoorn", T0)
        sid = s.add_source("Lokaal Nieuws", reach="lokaal")
        s.save_items(sid, [Item("a", "a", None, "Waarom gaat de school in Uithoorn dicht?", "", None, "nl",
                                T0, None, T0, "a")])
        # saved but never linked (no collector ran): the export links first
        s.save_watch_profile(WatchProfile(incident, terms=("school",), places=("Uithoorn",)), "Anna")
    db = ["--db", str(db_path)]
    conclusions = tmp_path / "c.md"
    conclusions.write_text("Accent op **informatievoorziening**.", encoding="utf-8")
    assert main(["omgevingsbeeld", "--incident", str(incident), "--from", "2026-11-14T00:00",
                 "--until", "2026-11-15T00:00", "--conclusions", str(conclusions), "--save", *db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Omgevingsbeeld Schoolsluiting (versie 1)\n")
    assert "- Waarom gaat de school in Uithoorn dicht? (1×; Lokaal Nieuws)" in out
    assert "Accent op **informatievoorziening**." in out
    target = tmp_path / "beeld.docx"
    assert main(["omgevingsbeeld", "--incident", str(incident), "--version", "1", "--out", str(target), *db]) == 0
    lines = read_docx_text(target.read_bytes()).split("\n")
    assert lines[0] == "Omgevingsbeeld Schoolsluiting (versie 1)"
    assert "Accent op **informatievoorziening**." in lines
    assert main(["omgevingsbeeld", "--incident", str(incident), "--out", str(tmp_path / "x.pdf"), *db]) == 2
    assert main(["omgevingsbeeld", "--incident", str(incident), "--version", "9", *db]) == 2
    assert "Versie 9 van het omgevingsbeeld bestaat niet." in capsys.readouterr().err


def test_hourly_buckets_keep_the_two_hours_of_the_autumn_dst_change_apart():
    times = [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)]
    items = pd.DataFrame({"id": [1, 2], "published_at": times, "reach": "lokaal", "story": [1, 2], "origin": "a"})
    volume = ob.volume_over_time(items, "h")
    assert volume[volume["maat"] == "berichten"]["bucket"].astype(str).tolist() == [
        "2026-10-25 02:00:00+02:00", "2026-10-25 02:00:00+01:00"]


def test_item_sentences_end_at_the_headline_and_point_into_the_tagged_text():
    title, summary = "Burgemeester greep te laat in", "Dat zeggen ouders. Is het waar?"
    spans = text.item_sentences(title, summary)
    assert [s for _, _, s in spans] == ["Burgemeester greep te laat in", "Dat zeggen ouders.", "Is het waar?"]
    tagged = item_text(title, summary)
    assert [tagged[a:b].strip() for a, b, _ in spans] == [s for _, _, s in spans]


def test_store_item_frame_copies_search_and_period(store):
    from onrust.models import Item

    incident = store.create_incident("X", "Uithoorn", T0)
    ids = {}
    for key, source, title, hours in (("a", "Lokaal Nieuws", "Brand in 100% zeker", 0), ("b", "NOS", "Brand_x", 1),
                                      ("c", "Regio", "Later", 30)):
        sid = store.add_source(source, reach="lokaal")
        when = T0 + timedelta(hours=hours)
        store.save_items(sid, [Item(key, key, None, title, "", None, "nl", when, None, when, key)])
        ids[key] = store.scalar("select id from items where item_key = ?", [key])
    store.execute("update items set story_id = 5, original_publisher = null where item_key in ('a', 'b')")
    store.execute("update items set original_publisher = 'ANP' where item_key = 'c'")
    links = pd.DataFrame({"item_id": list(ids.values()), "relevance": [0.9, 0.8, 0.7], "reasons": ["", "", ""]})
    store.replace_item_links(incident, links)
    period = (T0 - timedelta(hours=1), T0 + timedelta(days=2))
    frame = store.incident_items_frame(incident, *period)
    assert frame[["title", "copy_of", "origin"]].values.tolist() == [
        ["Later", "ANP", "ANP"], ["Brand_x", "Lokaal Nieuws", "Lokaal Nieuws"],
        ["Brand in 100% zeker", None, "Lokaal Nieuws"]]
    assert store.incident_items_frame(incident, *period, search="100%")["title"].tolist() == ["Brand in 100% zeker"]
    assert store.incident_items_frame(incident, *period, search="d_x")["title"].tolist() == ["Brand_x"]
    assert store.incident_items_frame(incident, *period, search="_")["title"].tolist() == ["Brand_x"]
    first_hour = store.incident_items_frame(incident, T0, T0 + timedelta(hours=1))
    assert first_hour["title"].tolist() == ["Brand in 100% zeker"]
