"""The rumour tracker: texts tagged by the real tagger, grouped, settled by debunks, confirmations,
signal verdicts and the analist; and the omgevingsbeeld never lists a debunk as rumour or call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from analysis import omgevingsbeeld as ob
from analysis.jobs import tag_rows
from analysis.omgevingsbeeld_export import to_docx, to_markdown
from analysis.relevance import item_text
from analysis.rumours import stem, track
from analysis.tagging import load_tagger
from onrust.docx import read_docx_text
from onrust.models import RumourVerdict

T0 = datetime(2026, 10, 14, 10, 0, tzinfo=UTC)
CFG = ob.load_config()
ITEM_COLS = ["id", "title", "summary", "url", "published_at", "fetched_at", "story_id", "original_publisher",
             "source", "publisher", "reach", "relevance", "reasons", "story", "origin", "copy_of"]
SIGNAL_COLS = ["id", "kind", "verification", "severity", "reliability", "credibility", "neighbourhood",
               "occurred_at", "reported_at", "text"]
ROWS = [
    # id, title, summary, hours after T0, publisher, reach, story
    (1, "Buurtgroep deelt bericht over vrijlating", "Volgens omstanders zou de verdachte zijn vrijgelaten.",
     1, "@buurt", "sociaal", 1),
    (2, "OM: gerucht over vrijlating was onjuist", "De verdachte zit nog vast, zegt een woordvoerder.",
     4, "Omroep Veenland", "regionaal", 2),
    (3, "Politie: verdachte zit nog vast.", "Stop met die geruchten en blijf thuis.", 6, "@politie", "sociaal", 3),
    (4, "Naar verluidt sluit de sporthal aan de Esdoornlaan", "Dat zou de gemeente hebben besloten.",
     2, "Lokaal Nieuws", "lokaal", 4),
    (5, "Gemeente bevestigt: sporthal Esdoornlaan sluit", "De gemeente bevestigt dat de sporthal aan de "
     "Esdoornlaan vanaf maandag dicht is.", 8, "Regio Dagblad", "regionaal", 5),
    (6, "ME ingezet na onrust", "Tientallen jongeren kwamen samen. Kom vanavond allemaal naar het plein!",
     3, "Landelijk Nieuws", "landelijk", 6),
]


def _items(rows=ROWS) -> pd.DataFrame:
    out = []
    for i, title, summary, hours, publisher, reach, story in rows:
        when = T0 + timedelta(hours=hours)
        out.append((i, title, summary, f"https://example.nl/{i}", when, when, story, None, publisher, publisher,
                    reach, 0.8, "", story, publisher, None))
    return pd.DataFrame(out, columns=ITEM_COLS).sort_values("published_at", ascending=False).reset_index(drop=True)


@pytest.fixture(scope="module")
def tags() -> pd.DataFrame:
    tagger = load_tagger()
    ids = [r[0] for r in ROWS]
    return tag_rows(ids, tagger.tag_many([item_text(r[1], r[2]) for r in ROWS]))


def _signals(verification: str = "onbevestigd") -> pd.DataFrame:
    return pd.DataFrame([
        (7, "gerucht", verification, 4, "F", 5, "Molenbroek", T0, T0 + timedelta(minutes=30),
         "Gerucht dat de verdachte is vrijgelaten en weer thuis is."),
    ], columns=SIGNAL_COLS)


def _by_ref(tracker, ref):
    return next(r for r in tracker if ref in r.refs)


def test_stems_match_a_rumour_across_its_wordings():
    assert stem("vrijgelaten") == stem("vrijlating") == "vrijlat"
    assert stem("verdachte") == stem("verdacht")


def test_the_tagger_marks_debunks_that_the_tracker_counts_as_refutations(tags):
    claims = tags[tags["tag_set"] == "claim"]
    assert "ontkracht" in set(claims.loc[claims["item_id"] == 2, "value"])  # the tagger's own mark
    assert "gerucht" in set(claims.loc[claims["item_id"] == 3, "tag_key"])  # "stop met die geruchten"


def test_a_debunk_is_no_rumour_and_no_call(tags):
    rumours, facts, calls = ob.classify(_items(), tags, CFG)
    assert {2, 3} <= facts
    assert not {2, 3} & rumours
    assert not {2, 3} & calls


def test_rumour_mentions_group_and_a_debunk_refutes_them_with_its_time(tags):
    tracker = track(_items(), tags, _signals(), CFG.rumours)
    rumour = _by_ref(tracker, "signal:7")
    assert set(rumour.refs) >= {"signal:7", "item:1", "item:2", "item:3"}
    assert rumour.key == "signal:7"  # the first mention
    assert rumour.status == "ontkracht"
    assert rumour.text == "Gerucht dat de verdachte is vrijgelaten en weer thuis is."
    assert rumour.evidence is not None
    assert (rumour.evidence.ref, rumour.evidence.at) == ("item:2", T0 + timedelta(hours=4))
    assert "vrijlat" in rumour.evidence.how


def test_an_official_confirmation_with_the_rumours_terms_confirms_it(tags):
    tracker = track(_items(), tags, _signals(), CFG.rumours)
    hall = _by_ref(tracker, "item:4")
    assert hall.status == "bevestigd"
    assert hall.evidence is not None and hall.evidence.ref == "item:5"
    assert hall.evidence.at == T0 + timedelta(hours=8)


def test_a_rumour_without_settling_evidence_stays_open_and_comes_first(tags):
    rows = [r for r in ROWS if r[0] in (1, 4)]
    tracker = track(_items(rows), tags[tags["item_id"].isin([1, 4])], _signals().iloc[0:0], CFG.rumours)
    assert [r.status for r in tracker] == ["onbevestigd", "onbevestigd"]
    assert [r.key for r in tracker] == ["item:4", "item:1"]  # newest first


def test_a_signal_verdict_settles_its_rumour_at_the_verdict_time(tags):
    verdict_at = T0 + timedelta(hours=2)
    rows = [r for r in ROWS if r[0] == 1]
    tracker = track(_items(rows), tags[tags["item_id"] == 1], _signals("bevestigd"), CFG.rumours,
                    signal_verdict_at={7: verdict_at})
    rumour = _by_ref(tracker, "signal:7")
    assert rumour.status == "bevestigd"
    assert rumour.evidence is not None and (rumour.evidence.ref, rumour.evidence.at) == ("signal:7", verdict_at)


def test_a_past_period_shows_the_status_it_had_then(tags):
    rows = [r for r in ROWS if r[0] == 1]
    later = T0 + timedelta(hours=5)
    tracker = track(_items(rows), tags[tags["item_id"] == 1], _signals("ontkracht"), CFG.rumours,
                    signal_verdict_at={7: later}, until=later - timedelta(hours=1))
    assert _by_ref(tracker, "signal:7").status == "onbevestigd"  # judged only after the period's end


def test_the_analists_verdict_overrides_the_automatic_status(tags):
    at = T0 + timedelta(hours=9)
    verdict = RumourVerdict("signal:7", "bevestigd", at, "Anna", "item:6", "toch waar", "ME ingezet na onrust",
                            "Landelijk Nieuws")
    tracker = track(_items(), tags, _signals(), CFG.rumours, verdicts=[verdict])
    rumour = _by_ref(tracker, "signal:7")
    assert (rumour.status, rumour.manual, rumour.note) == ("bevestigd", True, "toch waar")
    assert rumour.evidence is not None
    assert (rumour.evidence.title, rumour.evidence.source, rumour.evidence.at, rumour.evidence.how) == (
        "ME ingezet na onrust", "Landelijk Nieuws", at, "handmatig door Anna")


def test_the_snapshot_and_its_renderings_carry_the_tracker(tags):
    beeld = ob.build(_items(), tags, _signals(), incident="Onrust", municipality="Uithoorn",
                     period=(T0 - timedelta(days=1), T0 + timedelta(days=1)), generated_at=T0 + timedelta(hours=10),
                     cfg=CFG)
    assert {r.status for r in beeld.tracker} == {"ontkracht", "bevestigd"}
    assert ob.Omgevingsbeeld.from_dict(beeld.to_dict()) == beeld
    assert all(not r.title.startswith(("OM: gerucht", "Politie: verdachte")) for r in beeld.rumours + beeld.calls)
    assert 1 not in {r.item_id for r in beeld.rumours}  # its rumour is refuted: the lists agree with the tracker
    assert 4 not in {r.item_id for r in beeld.rumours}  # confirmed
    assert _by_ref(beeld.tracker, "item:4").origin == "Lokaal Nieuws"  # its title is the rumour's wording
    assert _by_ref(beeld.tracker, "signal:7").origin == "signaal (gerucht)"
    md = to_markdown(beeld)
    assert "### Geruchtentracker" in md
    assert "- ontkracht: Gerucht dat de verdachte is vrijgelaten en weer thuis is. (4 vermeldingen" in md
    assert "ontkracht door OM: gerucht over vrijlating was onjuist (Omroep Veenland), wo 14-10-2026 16:00" in md
    docx = read_docx_text(to_docx(beeld))
    assert "Geruchtentracker" in docx and "bevestigd door Gemeente bevestigt: sporthal Esdoornlaan sluit" in docx
