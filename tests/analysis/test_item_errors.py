"""No item can stop the pipeline: the tagger or the scoring failing on one item keeps that item
with its error (Bronnen page, `onrust sources list`), tags and links the rest, and does not try
the item again until the tagger version changes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from analysis.jobs import link_profile, open_profiles, tag_and_link
from analysis.relevance import score_items
from analysis.tagging import Tagger, load_tagger
from app.cli import main
from app.pipeline import after_ingest
from collectors.ingest import ingest_targets
from onrust.settings import load_settings
from onrust.store import Store
from onrust.timeutil import utcnow
from tests.feeds import rss

SETTINGS = load_settings()
START = (utcnow() - timedelta(days=1)).replace(microsecond=0)
MARKER = "KAPOTTEKST"
# Markdown in a title is shown as the characters it is, never rendered.
BAD_TITLE = f"Onrust in Uithoorn **{MARKER}** [klik](https://example.nl)"


class BreaksOn(Tagger):
    """The real tagger, raising on every text with MARKER as a broken rule or model would."""

    def __init__(self, real: Tagger, version: str | None = None) -> None:
        self.__dict__.update(vars(real))  # shares the compiled matchers: no rebuild
        self.version = version or real.version
        self.tried: list[str] = []

    def tag_many(self, texts, **kwargs):  # type: ignore[no-untyped-def, override]
        texts = list(texts)
        if any(MARKER in t for t in texts):
            raise ValueError("regel 12 van het lexicon past niet")
        return super().tag_many(texts, **kwargs)

    def tag(self, text, **kwargs):  # type: ignore[no-untyped-def, override]
        self.tried.append(text)
        if MARKER in text:
            raise ValueError("regel 12 van het lexicon past niet")
        return super().tag(text, **kwargs)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def _feed(path: Path) -> Path:
    items = [(f"g{n}", f"Onrust in Uithoorn na brand {n}", "Bewoners zijn boos.") for n in range(5)]
    items.insert(2, ("kapot", BAD_TITLE, "Bewoners zijn boos."))
    path.write_bytes(rss(items, START))
    return path


def _no_pipeline(store: Store, settings: object) -> None:
    """Only store; the test runs the step itself."""


def _tagged_items(store: Store) -> int:
    return store.scalar("select count(distinct item_id) from item_tags")


def test_one_item_the_tagger_fails_on_keeps_its_error_and_the_rest_is_tagged(store, tagger, tmp_path):
    incident = store.create_incident("Onrust", "Uithoorn", START - timedelta(hours=1))
    ingest_targets(store, [str(_feed(tmp_path / "omroep.xml"))], settings=SETTINGS, after_ingest=_no_pipeline,
                   refused={}, reach="lokaal")
    breaking = BreaksOn(tagger)
    report = tag_and_link(store, SETTINGS, tagger=breaking)
    assert report["getagd"] == 6
    assert _tagged_items(store) == 5
    assert store.linked_item_count(incident) == 5
    [error] = store.item_errors().to_dict("records")
    assert (error["bron"], error["titel"], error["stap"]) == ("omroep", BAD_TITLE, "taggen")
    assert error["fout"] == "ValueError: regel 12 van het lexicon past niet"
    assert store.source_overview().set_index("name").loc["omroep", "item_errors"] == 1

    breaking.tried.clear()
    assert tag_and_link(store, SETTINGS, tagger=breaking)["getagd"] == 0  # not tried again and again
    assert breaking.tried == []
    newer = BreaksOn(tagger, version="tagger-nieuw")
    assert tag_and_link(store, SETTINGS, tagger=newer)["getagd"] == 6  # a new version tries again
    assert sum(MARKER in t for t in newer.tried) == 1
    assert len(store.item_errors()) == 1
    tag_and_link(store, SETTINGS, tagger=tagger)  # the fixed tagger (another version) tags it
    assert store.item_errors().empty and _tagged_items(store) == 6


def test_one_item_scoring_fails_on_keeps_its_error_and_the_rest_is_linked(store, tagger, tmp_path):
    incident = store.create_incident("Onrust", "Uithoorn", START - timedelta(hours=1))
    ingest_targets(store, [str(_feed(tmp_path / "omroep.xml"))], settings=SETTINGS, after_ingest=_no_pipeline,
                   refused={}, reach="lokaal")
    tag_and_link(store, SETTINGS, tagger=BreaksOn(tagger, version="zonder-kapot"))
    store.reset_link_state(incident)
    store.execute("delete from item_incidents")

    def score(items: pd.DataFrame, tags: pd.DataFrame, profile, cfg) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        if items["title"].str.contains(MARKER).any():
            raise KeyError("reasons")
        return score_items(items, tags, profile, cfg)

    [profile] = open_profiles(store, SETTINGS.relevance)
    assert link_profile(store, profile, SETTINGS.relevance, score=score) == 5
    errors = store.item_errors()
    assert sorted(errors["stap"]) == ["koppelen aan incident 1", "taggen"]
    assert errors.set_index("stap").loc["koppelen aan incident 1", "fout"] == "KeyError: 'reasons'"
    assert link_profile(store, profile, SETTINGS.relevance, score=score) == 0  # kept, not retried


def test_ingest_of_a_feed_with_an_item_the_tagger_fails_on(tmp_path, tagger, monkeypatch, capsys):
    db = tmp_path / "t.duckdb"
    feed = _feed(tmp_path / "omroep.xml")
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    monkeypatch.setattr("analysis.jobs.settings_tagger", lambda settings: BreaksOn(tagger))
    assert main(["ingest", str(feed), "--db", str(db)]) == 0
    assert "omroep: 6 nieuw" in capsys.readouterr().out
    with Store.open(db) as store:
        assert store.item_count() == 6 and _tagged_items(store) == 5
        assert store.scalar("select count(*) from item_tag_state where error is null") == 5
    assert main(["sources", "list", "--db", str(db), "--json"]) == 0
    [source] = json.loads(capsys.readouterr().out)
    assert (source["name"], source["items"], source["item_errors"]) == ("omroep", 6, 1)
    assert main(["sources", "list", "--db", str(db)]) == 0
    assert "6 items · 1 item met een fout" in capsys.readouterr().out


def test_pipeline_report_of_a_clean_run_names_no_errors(store, tagger, tmp_path):
    ingest_targets(store, [str(_feed(tmp_path / "omroep.xml"))], settings=SETTINGS, after_ingest=after_ingest,
                   refused={}, reach="lokaal")
    assert store.item_errors().empty
    assert store.source_overview()["item_errors"].tolist() == [0]
