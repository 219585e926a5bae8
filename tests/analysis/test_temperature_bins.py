"""Stored per-bin temperature aggregates (migration 017) on a real DuckDB file: the bins hold
exactly what the full computation folds, a write to the inputs makes them stale, and the series
is the same either way (also for a replay of the past and for a closed incident)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.phases import temperature_view
from analysis.temperature import build_aggregates
from analysis.temperature_runs import incident_series, inputs_since, rebuild_bins, refresh_all, stored_aggregates
from devtools.bench_dashboard import build_database
from onrust.settings import load_settings
from onrust.store import Store
from onrust.timeutil import utcnow

SETTINGS = load_settings(None)
CFG = SETTINGS.temperature


@pytest.fixture
def bench(tmp_path: Path):
    path = tmp_path / "bins.duckdb"
    build_database(path, 3000, 4, CFG)  # stores the bins, as the pipeline does
    with Store.open(path) as store:
        yield store, store.incidents()[0]


def _from_items(store: Store, incident, as_of) -> pd.DataFrame:
    inputs = store.temperature_inputs(incident.id, inputs_since(incident.opened_at, CFG), as_of, CFG.min_relevance)
    return temperature_view(inputs, incident.opened_at, as_of, CFG)


def _now():
    return pd.Timestamp(utcnow()).floor(f"{CFG.step_minutes}min").to_pydatetime()


def test_bins_equal_the_full_computation(bench):
    store, incident = bench
    as_of = _now()
    stored = stored_aggregates(store, incident, as_of, CFG)
    assert stored is not None
    since = inputs_since(incident.opened_at, CFG)
    items = store.temperature_items(incident.id, since, as_of, CFG.min_relevance)
    tags = store.temperature_tags(incident.id, since, as_of, min_relevance=CFG.min_relevance)
    full = build_aggregates(items, tags, incident.opened_at - timedelta(hours=CFG.lead_hours), as_of, CFG)
    assert (stored.origin, stored.n_bins) == (full.origin, full.n_bins)
    assert stored.new_stories.sum() > 100
    np.testing.assert_array_equal(stored.new_stories, full.new_stories)
    np.testing.assert_array_equal(stored.sums, full.sums)
    np.testing.assert_array_equal(stored.reach, full.reach)
    # Publisher codes differ between the two builds; what the series uses is who was seen together.
    assert sorted(map(tuple, stored.presence.astype(int))) == sorted(map(tuple, full.presence.astype(int)))
    series = incident_series(store, incident, as_of, CFG)
    assert len(series) > 100 and series["temperature"].notna().any()
    pd.testing.assert_frame_equal(series, _from_items(store, incident, as_of))


def test_a_replay_of_the_past_from_the_bins_is_the_same(bench):
    store, incident = bench
    earlier = _now() - timedelta(days=1, minutes=7)  # off the grid, with items fetched after it
    assert stored_aggregates(store, incident, earlier, CFG) is not None
    pd.testing.assert_frame_equal(incident_series(store, incident, earlier, CFG),
                                  _from_items(store, incident, earlier))


def test_a_write_to_the_inputs_makes_the_bins_stale(bench):
    store, incident = bench
    as_of = _now()
    linked = store.frame("select item_id, relevance, reasons from item_incidents where incident_id = ?"
                         " order by item_id limit 50", [incident.id])
    store.replace_item_links(incident.id, linked.assign(relevance=1.0), scope=linked["item_id"])
    assert stored_aggregates(store, incident, as_of, CFG) is None
    stale = incident_series(store, incident, as_of, CFG)  # computed from the items meanwhile
    pd.testing.assert_frame_equal(stale, _from_items(store, incident, as_of))
    rebuild_bins(store, incident, CFG)
    assert stored_aggregates(store, incident, as_of, CFG) is not None
    pd.testing.assert_frame_equal(incident_series(store, incident, as_of, CFG), stale)


def test_a_retag_of_a_linked_item_makes_the_bins_stale(bench):
    store, incident = bench
    item = int(store.scalar("select min(item_id) from item_incidents where incident_id = ?", [incident.id]))
    done = pd.DataFrame({"item_id": [item], "content_hash": ["x"]})
    tags = pd.DataFrame({"item_id": [item], "tag_set": ["dynamiek"], "tag_key": ["geweld"], "matched": ["geweld"],
                         "start_char": [0], "end_char": [6], "score": [1.0]})
    store.save_item_tags("test", "", done, tags)
    assert stored_aggregates(store, incident, _now(), CFG) is None


def test_other_settings_do_not_read_the_bins(bench):
    store, incident = bench
    other = replace(CFG, min_relevance=CFG.min_relevance + 0.1)
    assert stored_aggregates(store, incident, _now(), other) is None


def test_the_pipeline_keeps_bins_for_closed_incidents_too(bench):
    store, incident = bench
    store.execute("delete from temperature_bin_state")
    store.close_incident(incident.id, utcnow())
    refresh_all(store, SETTINGS)
    closed = store.incidents()[0]
    assert closed.status == "gesloten"
    assert stored_aggregates(store, closed, _now(), CFG) is not None
