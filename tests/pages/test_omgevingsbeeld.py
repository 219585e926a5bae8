"""Omgevingsbeeld page through the real app shell: list, filters, item view, snapshot, profile."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analysis.jobs import relink
from analysis.relevance import item_text
from onrust import worker
from onrust.models import Item, WatchProfile
from onrust.settings import load_settings
from onrust.timeutil import utcnow
from tests.pages.apptest import busy_worker, finish_job, open_page

T0 = utcnow().replace(microsecond=0) - timedelta(hours=6)

ITEMS = [
    # key, source, title, summary, hours after T0
    ("a", "Lokaal Nieuws", "Is het waar dat de school in de Meerwijk dicht gaat?",
     "Ouders zijn boos op de gemeente.", 0),
    ("b", "NOS", "School in Meerwijk mogelijk dicht", "Waarom <script>alert(1)</script> zegt niemand iets?", 1),
    ("c", "Regio Dagblad", "Kerstmarkt in Haarlem", "Gezellig druk.", 2),
]


def _seed(store) -> int:
    incident = store.create_incident("Schoolsluiting Meerwijk", "Uithoorn", T0 - timedelta(hours=1))
    ids = {}
    for key, source, title, summary, hours in ITEMS:
        sid = store.add_source(source, reach={"NOS": "landelijk", "Lokaal Nieuws": "lokaal"}.get(source, "regionaal"))
        when = T0 + timedelta(hours=hours)
        store.save_items(sid, [Item(key, key, f"https://example.nl/{key}", title, summary, None, "nl", when, None,
                                    when, key)])
        ids[key] = store.scalar("select id from items where item_key = ?", [key])
    store.execute("update items set story_id = 1 where item_key in ('a', 'b')")

    def tag(key: str, tag_set: str, tag_key: str, word: str) -> tuple:
        _, _, title, summary, _ = next(i for i in ITEMS if i[0] == key)
        start = item_text(title, summary).index(word)
        return (ids[key], tag_set, tag_key, word, start, start + len(word), 1.0, None, None)

    tags = pd.DataFrame(
        [tag("a", "emotion", "woede", "boos"), tag("a", "actor", "gemeente", "gemeente"),
         tag("b", "claim", "gerucht", "mogelijk")],
        columns=["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score", "value", "ref"],
    )
    done = pd.DataFrame({"item_id": list(ids.values()), "content_hash": list(ids)})
    store.save_item_tags("test-1", "", done, tags)
    store.save_watch_profile(WatchProfile(incident, terms=("school",), places=("Uithoorn",),
                                          neighbourhoods=("Meerwijk",), period_start=T0 - timedelta(days=1)), "test")
    assert relink(store, load_settings(), incident) == 2
    return incident


def test_items_newest_first_with_chips_copy_and_reach(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    assert not at.exception
    assert at.title[0].value == "Omgevingsbeeld"
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Berichten"], metrics["Verhalen"], metrics["Uitgevers"]) == ("2", "1", "1")  # NOS copied
    assert metrics["Nieuw sinds je laatste bezoek"] == "—"  # first visit
    bold = [m.value for m in at.markdown if m.value.startswith("**")]
    assert bold[:2] == ["**School in Meerwijk mogelijk dicht**",
                        "**Is het waar dat de school in de Meerwijk dicht gaat?**"]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("NOS · landelijk · ") and "kopie van Lokaal Nieuws" in c for c in captions)
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips == [":red-badge[claim: gerucht]", ":orange-badge[emotie: woede] :gray-badge[actor: gemeente]"]


def test_picture_tab_volume_chart_top_lists_and_rumours(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    assert len(at.get("plotly_chart")) == 1
    rumours = [m.value for m in at.markdown if m.value.startswith("- School in Meerwijk")]
    assert len(rumours) == 1 and ":gray[NOS · " in rumours[0]
    emotions = [d.value for d in at.dataframe if "berichten" in d.value.columns and "woede" in d.value[""].tolist()]
    assert emotions[0].values.tolist() == [["woede", 1]]
    at.segmented_control(key="ob_measure").set_value("verhalen").run()
    assert not at.exception


def test_filters_search_and_item_view_escape_html(app_db, app_store):
    _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    at.multiselect(key="ob_reach").set_value(["lokaal"]).run()
    assert not at.exception
    assert [m.value for m in at.markdown if m.value.startswith("**")][:1] == [
        "**Is het waar dat de school in de Meerwijk dicht gaat?**"]
    at.multiselect(key="ob_reach").set_value([]).run()
    at.text_input(key="ob_search").set_value("script").run()
    assert any(c.value == "1 van 2 berichten." for c in at.caption)
    at.selectbox(key="ob_item").select_index(0).run()
    assert not at.exception
    html = [e for e in at.main if getattr(e, "type", "") == "html" or e.proto.__class__.__name__ == "Html"]
    body = html[0].proto.body if html else ""
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>" not in body
    assert '<mark title="claim: gerucht">mogelijk</mark>' in body


def test_generate_save_and_export_snapshot(oidc_mode, app_store):
    incident = _seed(app_store)
    at = open_page("omgevingsbeeld.py", user="Anna")
    at.button(key="ob_generate").click().run()
    assert not at.exception
    at.text_area(key=f"ob_conclusions_{incident}").input("Accent op **informatievoorziening**.").run()
    at.button(key="ob_save").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Versie 1 bewaard."]
    stored = app_store.omgevingsbeeld_version(incident, 1)
    assert (stored["author"], stored["conclusions"]) == ("Anna", "Accent op **informatievoorziening**.")
    assert [q["text"] for q in stored["content"]["questions"]] == [
        "Waarom <script>alert(1)</script> zegt niemand iets?",
        "Is het waar dat de school in de Meerwijk dicht gaat?",
    ]
    assert at.selectbox(key="ob_version").value == 1
    # a fresh session: the next draft starts from the last saved conclusions, saved as version 2
    at = open_page("omgevingsbeeld.py", user="Anna")
    at.button(key="ob_generate").click().run()
    assert at.text_area(key=f"ob_conclusions_{incident}").value == "Accent op **informatievoorziening**."
    at.button(key="ob_save").click().run()
    assert [s.value for s in at.success] == ["Versie 2 bewaard."]
    assert app_store.omgevingsbeeld_versions(incident)["version"].tolist() == [2, 1]


def test_new_since_last_visit_and_profile_edit_relinks(oidc_mode, app_store):
    incident = _seed(app_store)
    app_store.record_visit("omgevingsanalist", incident, "omgevingsbeeld", T0 + timedelta(minutes=30))
    at = open_page("omgevingsbeeld.py", user="omgevingsanalist")
    assert {m.label: m.value for m in at.metric}["Nieuw sinds je laatste bezoek"] == "1"
    assert [m.value for m in at.markdown if m.value.startswith(":green-badge[nieuw]")] == [
        ":green-badge[nieuw] **School in Meerwijk mogelijk dicht**"]
    at.text_area(key=f"ob_watch_terms_{incident}").input("school\nkerstmarkt")
    at.text_area(key=f"ob_watch_places_{incident}").input("Uithoorn\nHaarlem")
    with busy_worker():  # re-linking is queued behind another job: the script run does not wait for it
        at.button(key=f"FormSubmitter:ob_watch_{incident}-Opslaan en opnieuw koppelen").click().run()
        assert not at.exception
        job = worker.job(at.session_state[f"ob_relink_job_{incident}"])
        assert (job.kind, job.state, job.label) == (
            "relink", "queued", f"Opnieuw koppelen incident {incident} (revisie 2)")
        assert [(s.label, s.state) for s in at.status] == [
            (f"Opnieuw koppelen incident {incident} (revisie 2): bezig", "running")]
        assert [(b.value, b.text) for b in at.get("progress")] == [(0, "In de wachtrij")]
        assert app_store.watch_profile(incident).terms == ("school", "kerstmarkt")  # saved at once
        assert app_store.linked_item_count(incident) == 2  # not yet re-linked
    finish_job(at, f"ob_relink_job_{incident}")
    assert not at.exception
    assert [s.label for s in at.status] == [f"Opnieuw koppelen incident {incident} (revisie 2): klaar"]
    assert [s.value for s in at.success] == ["Kijkprofiel bewaard; 3 berichten gekoppeld."]
    assert app_store.watch_profile(incident).terms == ("school", "kerstmarkt")
    assert app_store.linked_item_count(incident) == 3


def test_without_incident(app_db):
    at = open_page("omgevingsbeeld.py")
    assert not at.exception
    assert "Kies of maak eerst een incident" in at.info[0].value


def test_incident_without_items(app_db, app_store):
    app_store.create_incident("Stil incident", "Uithoorn", T0)
    at = open_page("omgevingsbeeld.py")
    assert not at.exception
    infos = [i.value for i in at.info]
    assert infos[:2] == ["Nog geen berichten gekoppeld aan dit incident. "
                         "Pas het kijkprofiel aan of wacht op de collectie.",
                         "Geen berichten in deze periode."]
    at.button(key="ob_generate").click().run()
    assert not at.exception
    assert any("Geen vragen gevonden in berichten en signalen." in m.value for m in at.markdown)


def test_highlight_merges_overlaps_and_escapes_every_piece():
    from dashboard.components.items import chips_markdown, highlight_html, highlight_segments

    text = "Rellen <b>in</b> Meerwijk & omgeving"
    spans = [(0, 6, "fase: escalatie"), (0, 3, "toon: negatief"), (17, 25, 'plaats: "Meerwijk"'), (40, 50, "buiten")]
    assert highlight_segments(text, spans) == [
        ("Rellen", "toon: negatief, fase: escalatie"), (" <b>in</b> ", None), ("Meerwijk", 'plaats: "Meerwijk"'),
        (" & omgeving", None)]
    assert highlight_html(text, spans) == (
        '<div style="line-height:1.6"><mark title="toon: negatief, fase: escalatie">Rellen</mark>'
        ' &lt;b&gt;in&lt;/b&gt; <mark title="plaats: &quot;Meerwijk&quot;">Meerwijk</mark> &amp; omgeving</div>')
    tags = pd.DataFrame({"tag_set": ["claim", "person", "person", "emotion", "language"],
                         "tag_key": ["gerucht", "persoon", "betrokkene", "woede [x]", "nl"]})
    assert chips_markdown(tags, frozenset({"claim:gerucht"})) == (
        ":red-badge[claim: gerucht] :gray-badge[betrokkene] :orange-badge[emotie: woede \\[x\\]]")
