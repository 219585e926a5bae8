"""The pipeline step: tag what is due with the real tagger, link to open incidents, idempotently."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from analysis.jobs import context_key, retag, tag_and_link, tag_pending, tag_rows
from analysis.relevance import ProfileUnion
from analysis.tagging import Tag, load_tagger
from app.cli import main
from app.pipeline import STEPS, after_ingest
from onrust.models import Item, WatchProfile
from onrust.settings import load_settings

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
SETTINGS = load_settings()


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def _add(store, key: str, title: str, summary: str = "", *, hours: float = 0, hash_: str | None = None) -> int:
    sid = store.add_source("Lokaal Nieuws", reach="lokaal")
    when = T0 + timedelta(hours=hours)
    store.save_items(sid, [Item(key, key, f"https://example.nl/{key}", title, summary, None, "nl", when, None, when,
                                hash_ or key)])
    return store.scalar("select id from items where item_key = ?", [key])


def _places(store, item_id: int) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in store.fetchall(
        "select tag_key, matched, coalesce(value, '') from item_tags where item_id = ? and tag_set = 'place'"
        " order by start_char", [item_id])]


def test_step_is_registered():
    assert STEPS[0] is tag_and_link


def test_tags_links_and_is_idempotent(store, tagger):
    incident = store.create_incident("Onrust Meerwijk", "Uithoorn", T0)
    a = _add(store, "a", "Onrust in de Meerwijk in Uithoorn", "Bewoners zijn boos.")
    b = _add(store, "b", "Kerstmarkt in Haarlem", "Gezellig.")
    _add(store, "c", "Oud nieuws uit Uithoorn", hours=-72)  # before the default period
    first = tag_and_link(store, SETTINGS, tagger=tagger)
    assert (first["tagger"], first["getagd"]) == (tagger.version, 3)
    # the default profile (municipality, from two days before) was saved for the open incident
    profile = store.watch_profile(incident)
    assert (profile.places, profile.revision, profile.period_start) == (("Uithoorn",), 1, T0 - timedelta(days=2))
    # the analist's neighbourhood is not known yet: Uithoorn is tagged as a municipality
    assert _places(store, a) == [("Uithoorn", "Uithoorn", "Noord-Holland")]
    assert _places(store, b) == [("Haarlem", "Haarlem", "Noord-Holland")]
    assert store.scalar("select count(distinct tagger_version) from item_tags") == 1
    # a: place (0.35) and a phase marker "onrust" (0.15) reach the threshold; b, c do not
    assert store.frame("select item_id from item_incidents order by item_id")["item_id"].tolist() == [a]

    again = tag_and_link(store, SETTINGS, tagger=tagger)
    assert (again["getagd"], again["gekoppeld"]) == (0, {incident: 0})

    # editing the profile: a term and the neighbourhood; the tagger context changes, so the items
    # of the watch period are tagged again (neighbourhood tags; not c, from before the period)
    # and the links are rebuilt in full
    store.save_watch_profile(profile.edited(terms=("onrust",), neighbourhoods=("Meerwijk",)), "Anna")
    edited = tag_and_link(store, SETTINGS, tagger=tagger)
    assert edited["getagd"] == 2
    assert store.count_due_for_tagging(tagger.version, "nieuwe-context", T0 - timedelta(days=2)) == 2
    assert store.count_due_for_tagging(tagger.version, "nieuwe-context") == 3
    assert _places(store, a) == [("Meerwijk", "Meerwijk", "wijk"), ("Uithoorn", "Uithoorn", "Noord-Holland")]
    links = store.frame("select item_id, relevance, reasons from item_incidents where incident_id = ?", [incident])
    row = links.set_index("item_id").loc[a]
    assert row["reasons"] == "onrustkenmerken; plaats: Meerwijk; plaats: Uithoorn; term: onrust"
    assert row["relevance"] == pytest.approx(1 - 0.4 * 0.65 * 0.85, abs=1e-4)
    assert set(links["item_id"]) == {a}
    assert store.profile_link_state(incident) == (2, 2)


def test_correction_retags_only_that_item_and_relinks_it(store, tagger):
    incident = store.create_incident("Brand", "Uithoorn", T0)
    store.save_watch_profile(WatchProfile(incident, terms=("brand",), places=("Uithoorn",)), "Anna")
    a = _add(store, "a", "Brand in Uithoorn")
    b = _add(store, "b", "Markt in Haarlem")
    assert tag_and_link(store, SETTINGS, tagger=tagger)["gekoppeld"] == {incident: 1}
    _add(store, "b", "Brand in Uithoorn, zegt Haarlem", hash_="b2")  # correction of b
    report = tag_and_link(store, SETTINGS, tagger=tagger)
    assert (report["getagd"], report["gekoppeld"]) == (1, {incident: 1})
    assert store.frame("select item_id from item_incidents order by item_id")["item_id"].tolist() == [a, b]


def test_closed_incidents_are_not_linked_and_due_items_by_version(store, tagger):
    incident = store.create_incident("Gesloten", "Uithoorn", T0)
    store.close_incident(incident, T0 + timedelta(hours=1))
    _add(store, "a", "Onrust in Uithoorn")
    report = tag_and_link(store, SETTINGS, tagger=tagger)
    assert (report["getagd"], report["gekoppeld"]) == (1, {})
    assert store.count_due_for_tagging(tagger.version, "") == 0
    assert store.count_due_for_tagging("tagger-ander", "") == 1
    assert store.reset_tag_state() == 1
    assert store.count_due_for_tagging(tagger.version, "") == 1


def test_after_ingest_runs_the_step(store):
    store.create_incident("Onrust", "Uithoorn", T0)
    _add(store, "a", "Onrust in Uithoorn")
    report = after_ingest(store, SETTINGS)
    assert report["analysis.jobs:tag_and_link"]["getagd"] == 1


def test_tag_rows_and_context_key():
    rows = tag_rows([7, 8], [[Tag("place", "Uithoorn", "Uithoorn", 3, 11, 1.0, "Noord-Holland")], []])
    assert rows.values.tolist() == [[7, "place", "Uithoorn", "Uithoorn", 3, 11, 1.0, "Noord-Holland", None]]
    assert tag_rows([], []).empty
    assert context_key(ProfileUnion()) == ""
    assert context_key(ProfileUnion(("B", "A"), ())) == context_key(ProfileUnion(("A", "B"), ()))
    assert len(context_key(ProfileUnion(("A",), ("Mark",)))) == 12


def test_cli_watch_and_retag(db_path, capsys, tagger):
    from onrust.store import Store

    with Store.open(db_path) as s:
        s.migrate()
        incident = s.create_incident("Onrust", "Uithoorn", T0)
        _add(s, "a", "Rellen bij de Meerwijk")
    db = ["--db", str(db_path)]
    assert main(["retag", "--json", *db]) == 0
    assert json.loads(capsys.readouterr().out)["getagd"] == 1
    assert main(["watch", "set", "--incident", str(incident), "--terms", "rellen, onrust",
                 "--neighbourhoods", "Meerwijk", "--from", "2026-11-13T00:00", *db]) == 0
    out = capsys.readouterr().out
    assert "  termen: rellen, onrust\n" in out and "  wijken: Meerwijk\n" in out and "gekoppelde items: 1" in out
    assert main(["watch", "show", "--incident", str(incident), "--json", *db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["terms"], shown["revision"], shown["linked_items"]) == (["rellen", "onrust"], 2, 1)
    assert shown["period_start"] == "2026-11-12 23:00:00+00:00"
    assert main(["retag", "--all", "--json", *db]) == 0
    assert json.loads(capsys.readouterr().out)["getagd"] == 1
    assert main(["watch", "show", "--incident", "99", *db]) == 2
    assert "Incident 99 bestaat niet" in capsys.readouterr().err
    assert main(["watch", "set", "--incident", str(incident), "--from", "31-02-2026", *db]) == 2


def test_missing_incident_lexicon_folder_is_reported_by_the_pipeline(store, tmp_path):
    config = tmp_path / "eigen.toml"
    config.write_text(f'[tagging]\nextra_lexicon_dir = "{tmp_path / "bestaat-niet"}"\n', encoding="utf-8")
    report = after_ingest(store, load_settings(config))
    missing = tmp_path / "bestaat-niet"
    assert report["analysis.jobs:tag_and_link"] == f"fout: Map met extra lexicons bestaat niet: {missing}"


def test_bench_prints_figures(capsys):
    assert main(["bench", "omgevingsbeeld", "--items", "40", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["items"], sorted(result)) == (40, sorted([
        "items", "gekoppeld", "tag_and_link_s", "items_per_s", "tweede_run_s", "opnieuw_koppelen_s",
        "frames_lezen_s", "omgevingsbeeld_bouwen_s", "markdown_docx_s"]))
    assert main(["bench", "omgevingsbeeld", "--items", "0"]) == 2


def test_names_registered_for_the_press_release_count_as_involved(store, tagger):
    incident = store.create_incident("Zedenzaak", "Uithoorn", T0)
    store.add_incident_person(incident, "Mark de Vries", "verdachte", "Anna")
    a = _add(store, "a", "Mark de Vries opnieuw verhoord")
    report = tag_and_link(store, SETTINGS, tagger=tagger)
    assert report["gekoppeld"] == {incident: 1}
    assert store.fetchall("select item_id, relevance, reasons from item_incidents") == [(a, 0.5, "betrokkene genoemd")]
    assert store.fetchall("select tag_key from item_tags where tag_set = 'person'") == [("betrokkene",)]


def test_progress_per_tagged_batch_and_per_linked_incident(store, tagger):
    for key in "abc":
        _add(store, key, f"Rellen in Uithoorn ({key})")  # an MO marker that needs no context
    heard: list[tuple[float, str]] = []

    def hear(fraction: float, message: str) -> None:
        heard.append((fraction, message))

    tagged = tag_pending(store, tagger, ProfileUnion(), batch_size=2, progress=hear)
    assert len(tagged) == 3
    assert heard == [(pytest.approx(2 / 3), "2 van 3 items getagd"), (1.0, "3 van 3 items getagd")]
    incident = store.create_incident("Onrust", "Uithoorn", T0)
    heard.clear()
    report = retag(store, SETTINGS, everything=True, tagger=tagger, progress=hear)
    assert (report["opnieuw_klaargezet"], report["getagd"], report["gekoppeld"]) == (3, 3, {incident: 3})
    assert heard == [(pytest.approx(0.9), "3 van 3 items getagd"),
                     (pytest.approx(0.9), f"Koppelen aan incident {incident}")]
