"""The fictional demo incident: generated files are current, deterministic and written from the
story data, and `build_demo` turns them into a database through the product's own ingestion."""

from __future__ import annotations

import json
import shutil
import tomllib
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from app.demo.build import build_demo, snapshots
from app.demo.generator import DEMO_DIR, FICTIEF, STORY_FILE, load_config, load_story, render, write
from comms.press import fields_from_dict
from comms.rules import check_release, has_blocking
from onrust.settings import load_settings
from onrust.store import Store
from onrust.timeutil import to_utc

# Written by hand; the generator writes everything else in data/demo/.
HANDWRITTEN = {"incident.toml", STORY_FILE, load_config()["signals"]["file"], "locations.csv"}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _copy_handwritten(folder: Path) -> None:
    for name in HANDWRITTEN:
        shutil.copy(DEMO_DIR / name, folder / name)


def test_generator_is_deterministic_and_committed_files_are_current():
    files = render(load_config(), load_story())
    assert render(load_config(), load_story()) == files
    on_disk = {name: data for name, data in _tree(DEMO_DIR).items() if name not in HANDWRITTEN}
    assert sorted(on_disk) == sorted(files), "run `python -m app.demo.generator`"
    changed = [name for name, data in files.items() if on_disk[name] != data]
    assert changed == [], "run `python -m app.demo.generator`"


def test_regenerating_into_a_folder_writes_the_same_bytes(tmp_path):
    _copy_handwritten(tmp_path)
    (tmp_path / "feeds" / "stale").mkdir(parents=True)  # an old snapshot folder disappears
    count = write(tmp_path)
    committed = _tree(DEMO_DIR)
    assert _tree(tmp_path) == committed and count == len(committed) - len(HANDWRITTEN)


ADDED_ARTICLE = """
[[article]]
source = "gemeente-loosterveen"
at = 2026-10-20 10:00:00
title = "College laat aanpak onrust evalueren"
body = "Een extern bureau kijkt mee."
"""


def test_the_feeds_are_written_from_the_story_data(tmp_path):
    """Editing story.toml (as a non-programmer would) changes exactly the feeds it should."""
    _copy_handwritten(tmp_path)
    story = tmp_path / STORY_FILE
    text, old = story.read_text(encoding="utf-8"), 'title = "Noodbevel Molenbroek ingetrokken"'
    assert old in text
    story.write_text(text.replace(old, 'title = "Noodbevel opgeheven"') + ADDED_ARTICLE, encoding="utf-8")
    write(tmp_path)
    before, after = _tree(DEMO_DIR), _tree(tmp_path)
    changed = sorted(name for name in after if after[name] != before.get(name))
    # The renamed item's day, a new snapshot for the added one, the source counts, the edited story.
    assert changed == ["README.md", "feeds/gemeente-loosterveen/20261016T2155Z.xml",
                       "feeds/gemeente-loosterveen/20261020T2155Z.xml", STORY_FILE]
    feed = after["feeds/gemeente-loosterveen/20261020T2155Z.xml"].decode()
    assert "<title>College laat aanpak onrust evalueren</title>" in feed
    assert "/2026/10/20/college-laat-aanpak-onrust-evalueren</link>" in feed
    assert b"Noodbevel opgeheven" in after["feeds/gemeente-loosterveen/20261016T2155Z.xml"]
    assert not any(b"Noodbevel Molenbroek ingetrokken" in data for data in after.values())
    assert "Gemeente Loosterveen — nieuws (lokaal, rss): nieuwsberichten van de gemeente; 10 berichten" \
        in after["README.md"].decode()


def test_a_mistake_in_the_story_names_the_entry():
    text = (DEMO_DIR / STORY_FILE).read_text(encoding="utf-8")
    typo = text.replace('title = "Politie doet onderzoek bij sportpark Kolkhoek"',
                        'titel = "Politie doet onderzoek bij sportpark Kolkhoek"')
    with pytest.raises(ValueError, match=r"article nr\. 2 .*ontbreekt \['title'\], onbekend \['titel'\]"):
        render(load_config(), tomllib.loads(typo))
    empty_pool = tomllib.loads(text)
    empty_pool["social"]["pools"]["oproep"] = empty_pool["social"]["pools"]["oproep"][:7]
    with pytest.raises(ValueError, match="pool oproep heeft te weinig teksten voor 2026-10-14"):
        render(load_config(), empty_pool)


def test_another_seed_gives_other_social_posts():
    assert render(load_config(), load_story(), seed=1) != render(load_config(), load_story())


def test_the_hand_written_story_says_it_is_fictional():
    for name in ("incident.toml", STORY_FILE):
        assert (DEMO_DIR / name).read_text(encoding="utf-8").startswith(f"# {FICTIEF}.")


def test_every_generated_file_says_it_is_fictional():
    files = render(load_config(), load_story())
    feeds = {name: data for name, data in files.items() if name.startswith("feeds/")}
    assert len(feeds) == 102
    assert all(FICTIEF.encode() in data for data in feeds.values())
    assert FICTIEF.encode() in files["README.md"]
    formats = {data.split(b"\n")[1].split(b" ")[0] for data in feeds.values()}
    assert formats == {b"<rss", b"<feed"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    return db, build_demo(db, load_settings())


@pytest.fixture
def demo_store(demo):
    store = Store.open(demo[0], read_only=True)
    yield store
    store.close()


def test_build_creates_the_fictional_incident_with_its_sources(demo, demo_store):
    _, summary = demo
    (incident,) = demo_store.incidents()
    assert incident.is_demo and incident.scenario == "zedenzaak"
    assert incident.status == "gesloten"
    assert to_utc(incident.closed_at).isoformat() == "2026-10-21T15:00:00+00:00"
    assert incident.municipality == "Loosterveen" and "FICTIEF" in incident.name
    sources = demo_store.sources()
    assert len(sources) == summary["sources"] == 11
    assert {s.reach for s in sources} == {"lokaal", "regionaal", "landelijk", "sociaal"}
    # The live collector must never poll a demo file.
    assert all(s.kind == "file" and not s.enabled for s in sources)
    assert summary["snapshots"] == len(snapshots()) == 102


def test_build_ingests_items_with_wire_copies_and_corrections(demo, demo_store):
    _, summary = demo
    assert summary["items"] == demo_store.item_count() == 178
    stories = demo_store.stories()
    wire = stories[stories["oorspronkelijk"].map(lambda pubs: list(pubs) == ["ANP"])
                   & (stories["bronnen"] >= 3)]
    assert len(wire) == 3
    assert summary["stories"] == 178 - 8  # 11 copies of 3 ANP stories
    assert summary["corrections"] == 4
    corrected = demo_store.item_by_key(
        "https://www.omroepveenland.example/artikel/20261010-verdachte-jeugdtrainer-werkte-ook-op-basisschool-de-klimop")
    assert corrected["title"].startswith("Correctie: verdachte jeugdtrainer werkte niet")
    assert to_utc(corrected["updated_at"].to_pydatetime()).isoformat() == "2026-10-11T11:10:00+00:00"
    earlier = demo_store.item_revisions(int(corrected["id"]))
    assert list(earlier["title"]) == ["Verdachte jeugdtrainer werkte ook op basisschool De Klimop"]
    # Summaries arrive as HTML and links with tracking parameters; both are cleaned on the way in.
    assert corrected["summary"].startswith("Correctie: in een eerdere versie")
    local = demo_store.item_by_key(
        "https://www.loosterveennu.example/artikel/20261008-politie-doet-onderzoek-bij-sportpark-kolkhoek")
    assert local["url"] == "https://www.loosterveennu.example/2026/10/08/politie-doet-onderzoek-bij-sportpark-kolkhoek"


def test_build_adds_signals_names_profile_and_decisions(demo, demo_store):
    _, summary = demo
    incident_id = summary["incident_id"]
    signals = demo_store.signals(incident_id=incident_id)
    assert summary["signals"] == len(signals) == 26
    # Each signal is entered shortly after it was reported, so replays see it from then on.
    delays = {(to_utc(e) - to_utc(r)) for e, r in zip(signals["entered_at"], signals["reported_at"], strict=True)}
    assert delays == {timedelta(minutes=10)}
    rumour = signals[signals["text"].str.startswith("Gerucht dat de verdachte is vrijgelaten")].iloc[0]
    assert rumour["verification"] == "ontkracht"
    assert list(demo_store.signal_history(int(rumour["id"]))["new"]) == ["ontkracht"]
    names = {p.name: p.role for p in demo_store.incident_persons(incident_id)}
    assert names["Mark de Vlaming"] == "verdachte" and len(names) == 4
    profile = demo_store.watch_profile(incident_id)
    assert "Molenbroek" in profile.neighbourhoods and "Mark de Vlaming" in profile.involved
    phases = demo_store.official_phases(incident_id)
    assert list(phases["phase"]) == [2, 3, 4, 3, 5]
    # 15 entries of incident.toml, the press release's approval and sending, 5 strategy decisions,
    # and the 26 hand-overs of a signal to its driehoek member (004 §3.1); the triage, 9 tasks
    # done, 4 task notes and 2 dated risk moments; the analist's rumour verdict (the rumour
    # tracker logs each one); the first kernteam meeting (one line that it was held, its two decisions).
    assert len(demo_store.logbook(incident_id)) == summary["log_entries"] == 48 + 1 + 9 + 4 + 2 + 1 + 3
    assert summary["signals_routed"] == 26 and demo_store.unrouted_signals(incident_id) == []
    assert demo_store.current_strategy(incident_id)["persbeleid"]["value"] == "Actief persbeleid"
    done = demo_store.checklist_state(incident_id, "perscommunicatie")
    assert "pers.msg.geen_namen" in set(done["item_id"]) and summary["checklist_items"] == 32
    matrix = demo_store.info_matrix(incident_id).set_index("doelgroep")
    assert summary["informed"] == 16 and len(matrix) == 12
    assert to_utc(matrix.loc["pers", "last_informed_at"].to_pydatetime()).isoformat() == "2026-10-15T09:30:00+00:00"
    assert demo_store.triage(incident_id).outcome == "mo_protocol"
    assert summary["tasks_done"] == len(demo_store.task_states(incident_id)) == 9
    assert [m.moment_key for m in demo_store.risk_moments(incident_id)] == ["breder_uitkomen", "invrijheidstelling"]
    advice = demo_store.diagnoses(incident_id)["advice"]
    assert sorted(advice) == ["acties", "acuut"]
    assert summary["linked_items"] > 50


def test_press_release_history_shows_the_blocked_name_and_the_sent_version(demo, demo_store):
    incident_id = demo[1]["incident_id"]
    (release,) = demo_store.press_releases(incident_id)
    assert release.status == "verstuurd"
    names = demo_store.names_to_protect(incident_id)
    first, *_, sent = demo_store.press_versions(release.id)
    assert has_blocking(check_release(fields_from_dict(first.fields), involved=names))
    assert not has_blocking(check_release(fields_from_dict(sent.fields), involved=names))
    assert list(demo_store.press_events(release.id)["action"]) == [
        "aangemaakt", "bewerkt", "indienen", "goedkeuren", "versturen"]


def test_omgevingsbeeld_versions_are_dated_and_built_as_of_their_moment(demo, demo_store):
    incident_id = demo[1]["incident_id"]
    versions = demo_store.omgevingsbeeld_versions(incident_id)
    assert len(versions) == demo[1]["omgevingsbeelden"] == 2
    first, second = (demo_store.omgevingsbeeld_version(incident_id, v) for v in (1, 2))
    assert to_utc(first["created_at"]).isoformat() == "2026-10-14T20:30:00+00:00"
    assert to_utc(second["created_at"]).isoformat() == "2026-10-19T07:00:00+00:00"
    assert first["period_end"] == first["created_at"] and "Escalatie" in first["conclusions"]
    # Built from what was published by then: the evening of the escalation knows fewer items.
    assert 0 < first["content"]["totals"]["items"] < second["content"]["totals"]["items"]
    latest = max(i["published_at"] for i in first["content"]["notable"])
    assert latest <= "2026-10-14T20:30:00+00:00"


def test_temperature_was_stored_and_alerted_as_if_live(demo, demo_store):
    incident_id = demo[1]["incident_id"]
    points = demo_store.temperature_points(incident_id)
    assert to_utc(points["at"].max().to_pydatetime()).isoformat() == "2026-10-25T23:00:00+00:00"
    alerts = demo_store.alerts(incident_id, limit=100)
    assert len(alerts) == demo[1]["alerts"] > 0
    # Escalation is announced on the evening of the 14th, and never by mail from a demo.
    raised = {to_utc(t.to_pydatetime()).date().isoformat() for t in alerts[alerts["kind"] == "fase"]["raised_at"]}
    assert "2026-10-14" in raised
    assert {json.dumps(json.loads(d)) for d in alerts["delivery"]} == {'{"app": "ok"}'}


def test_collection_runs_cover_the_whole_period(demo, demo_store):
    _, summary = demo
    runs = demo_store.collection_runs()
    assert len(runs) == summary["collection_runs"]
    finished = sorted(to_utc(t.to_pydatetime()) for t in runs["finished_at"])
    largest_gap = max(b - a for a, b in pairwise(finished))
    assert largest_gap < timedelta(hours=1)
    assert runs["new_items"].sum() == summary["items"]
    assert runs["updated_items"].sum() == summary["corrections"]


def test_building_again_gives_the_same_database(demo):
    """Last in this module: it rebuilds the shared demo file in place."""
    db, summary = demo
    # Over the existing file: starts afresh (one incident), with exactly the same content.
    assert build_demo(db, load_settings()) == summary


def test_demo_has_a_roster_a_meeting_and_evaluation_answers(demo, demo_store):
    incident_id = demo[1]["incident_id"]
    roster = demo_store.roster(incident_id)
    # The 23 rows of 004 Bijlage 1 with six filled in, and two roles the list does not have.
    assert len(roster) == demo[1]["roster"] == 25
    filled = {(m.organisation, m.role): m.name for m in roster if m.name}
    assert filled[("Gemeente", "Burgemeester")] == "Annelies Brouwer" and len(filled) == 8
    (meeting,) = demo_store.meetings(incident_id)
    assert demo[1]["meetings"] == 1 and meeting.kind == "eerste" and len(meeting.agenda["points"]) == 7
    assert to_utc(meeting.held_at).isoformat() == "2026-10-09T08:00:00+00:00"
    assert meeting.themes["Ouders informeren"] == "acuut" and len(meeting.themes) == 10
    # The agenda was filled from the state at the meeting: the phase decision of 09:30 is in it.
    beeld = meeting.agenda["points"][1]["prefill"]
    assert any(line.startswith("Stand per vr 09-10-2026 10:00") for line in beeld)
    changed = next(line for line in beeld if line.startswith("Sinds do 08-10-2026 17:45: "))
    assert int(changed.split(": ")[1].split(" ")[0]) > 0 and any(line.startswith("Bericht: ") for line in beeld)
    assert "Officiële fase: 2 (Aanhouding bij een vereniging met veel kinderen; eerste vragen en geruchten " \
           "op sociale media; nog beperkte aandacht in de media.)" in beeld
    decisions = [e.text for e in demo_store.log_entries(incident_id, decisions_only=True)
                 if (e.data or {}).get("overleg") == meeting.id]
    assert decisions == list(meeting.decisions) and len(decisions) == 2
    answers = demo_store.evaluation_answers(incident_id)
    assert len(answers) == demo[1]["evaluation_answers"] == 8
    # Written after the close: evaluation follows the incident.
    assert all(at > demo_store.incident(incident_id).closed_at for _, _, at in answers.values())
    # Roster names are blocked in press texts; the release's own boegbeeld is not.
    names = {p.name for p in demo_store.press_names(incident_id)}
    assert {"Karin Veldkamp", "Annelies Brouwer", "Mark de Vlaming"} <= names
    (release,) = demo_store.press_releases(incident_id)
    sent = fields_from_dict(release.latest.fields)
    assert not has_blocking(check_release(sent, involved=demo_store.press_names(incident_id)))
    leaked = replace(sent, wat=sent.wat + " Adviseur veiligheid Karin Veldkamp coördineert.")
    assert has_blocking(check_release(leaked, involved=demo_store.press_names(incident_id)))


def test_the_demo_shows_a_confirmed_and_a_refuted_rumour(demo, demo_store):
    """The rumour tracker of the demo: the release rumour refuted by the OM, the speculation about
    the trainer confirmed (by the analist's verdict and by a signal verdict)."""
    from datetime import UTC, datetime

    from analysis.omgevingsbeeld_data import default_period, snapshot

    incident = demo_store.incident(demo[1]["incident_id"])
    start, end = default_period(incident, 3, datetime(2026, 10, 22, tzinfo=UTC))
    tracker = {r.key: r for r in snapshot(demo_store, incident, start, end, end).tracker}
    refuted = next(r for r in tracker.values() if r.text.startswith("Gerucht dat de verdachte is vrijgelaten"))
    assert refuted.status == "ontkracht" and refuted.mentions >= 5
    assert refuted.evidence is not None
    assert refuted.evidence.title == (
        "OM: verdachte jeugdtrainer zit nog vast, gerucht over vrijlating onjuist")
    assert to_utc(refuted.evidence.at).isoformat() == "2026-10-14T13:10:00+00:00"
    confirmed = next(r for r in tracker.values() if r.text.startswith("Volgens ingewijden gaat het om"))
    assert (confirmed.status, confirmed.manual) == ("bevestigd", True)
    assert confirmed.evidence is not None
    assert confirmed.evidence.title == "Jeugdtrainer uit Loosterveen aangehouden voor ontucht"
    assert sum(r.status == "bevestigd" for r in tracker.values()) >= 2  # the signal verdict too
    log = demo_store.logbook(incident.id)
    assert log["text"].str.startswith("Gerucht bevestigd: Volgens ingewijden").sum() == 1
    second = demo_store.omgevingsbeeld_version(incident.id, 2)["content"]  # saved versions carry it
    assert {"bevestigd", "ontkracht"} <= {r["status"] for r in second["tracker"]}


def test_the_taken_page_shows_the_demo_work(demo, monkeypatch):
    """`make run` opens this database: the Taken page shows the triage, tasks partly done (late
    ones marked) and the two risk moments."""
    from onrust.store.shared import close_shared
    from tests.pages.apptest import open_page

    monkeypatch.setenv("ONRUST_DB", str(demo[0]))
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    try:
        at = open_page("taken.py")
        assert not at.exception
        assert "afstemmen met team Veiligheid" in at.success[0].value
        tasks, moments = at.dataframe[0].value, at.dataframe[1].value
        status = dict(zip(tasks["Nr"], tasks["Status"], strict=True))
        assert (status["1.1 punt 1"], status["1.1 punt 4"], status["2.7 punt 1"]) == (
            "gedaan", "te laat gedaan", "te laat gedaan")
        assert sum(s.startswith(("gedaan", "te laat gedaan")) for s in status.values()) == 9
        assert status["1.1 punt 2"] == "te laat"
        assert sorted(v for v in moments["Verwacht op"] if v) == ["di 13-10-2026 08:00", "vr 16-10-2026 10:00"]
    finally:
        close_shared(demo[0])


def test_the_driehoek_pdf_of_the_demo_carries_tracker_rumours_and_open_tasks(demo, monkeypatch):
    """The Temperatuur page's meeting PDF, built on the worker from the demo database: rumours come
    from the rumour tracker with their status, open actions from the task list."""
    import io

    from pypdf import PdfReader

    from onrust.store.shared import close_shared
    from tests.pages.apptest import finish_job, open_page

    monkeypatch.setenv("ONRUST_DB", str(demo[0]))
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    try:
        at = open_page("temperatuur.py")
        assert not at.exception
        next(b for b in at.button if b.label == "PDF voor het driehoekoverleg maken").click()
        at.run()
        status = finish_job(at, f"brief_job_{demo[1]['incident_id']}", timeout=240)
        front = PdfReader(io.BytesIO(status.result)).pages[0].extract_text()
        assert front.splitlines()[2].startswith("Officiële fase 5")
        assert "[onbevestigd]" in front or "[bevestigd]" in front
        assert "vermeldingen)" in front  # grouped by the tracker, not one line per signal
        assert "Open acties" in front and "TE LAAT: " in front
    finally:
        close_shared(demo[0])
