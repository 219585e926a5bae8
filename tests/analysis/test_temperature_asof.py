"""As of: a replay through the store gives exactly the values that were computed live."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from analysis.temperature import COMPONENTS, formula_version
from analysis.temperature_runs import incident_series, refresh_incident
from analysis.timelines import Frames, flash_riots, generate
from onrust.settings import load_settings


def _until(frames: Frames, lo: pd.Timestamp | None, hi: pd.Timestamp) -> Frames:
    def cut(frame: pd.DataFrame, col: str) -> pd.Series:
        t = frame[col]
        return (t <= hi) & (t > lo) if lo is not None else t <= hi

    items = frames.items[cut(frames.items, "fetched_at")]
    return Frames(items, frames.tags[frames.tags["item_id"].isin(items["item_id"])],
                  frames.signals[cut(frames.signals, "entered_at")],
                  frames.coverage[cut(frames.coverage, "finished_at")])


def test_replay_gives_exactly_the_values_shown_live(store):
    settings = load_settings()
    cfg = settings.temperature
    scenario = flash_riots()
    frames = generate(scenario)
    # A rumour that happened before the riots but was only entered two days later.
    late = frames.signals.iloc[:1].assign(
        signal_id=99, kind="gerucht", occurred_at=scenario.opened + timedelta(hours=2),
        entered_at=scenario.opened + timedelta(days=2), text="laat ingevoerd")
    frames = Frames(frames.items, frames.tags, pd.concat([frames.signals, late], ignore_index=True),
                    frames.coverage)
    incident_id = store.create_incident("Flits", "Veldwijk", scenario.opened)
    incident = store.incident(incident_id)
    moments = [pd.Timestamp(scenario.opened) + timedelta(hours=h) for h in (3, 5, 30)]
    previous = None
    for moment in moments:  # data arrives in batches; each time the live refresh runs
        chunk = _until(frames, previous, moment)
        store.load_timeline(incident_id, chunk.items, chunk.tags, chunk.signals, chunk.coverage)
        refresh_incident(store, incident, settings, now=moment)
        previous = moment
    rest = _until(frames, previous, pd.Timestamp(scenario.end))
    store.load_timeline(incident_id, rest.items, rest.tags, rest.signals, rest.coverage)

    live = store.temperature_points(incident_id).set_index("at")
    replay = incident_series(store, incident, moments[-1] + timedelta(days=3), cfg).set_index("at")
    shared = live.index[live.index <= moments[-1]]
    assert len(shared) == len(live) and len(shared) > 70
    for column in (*COMPONENTS, "temperature"):
        np.testing.assert_array_equal(replay.loc[shared, column].to_numpy(dtype=float),
                                      live.loc[shared, column].to_numpy(dtype=float))
    assert (replay.loc[shared, "phase"].to_numpy() == live.loc[shared, "phase"].to_numpy()).all()
    assert (live["formula_version"] == formula_version(cfg)).all()
    # the late rumour does count after it was entered
    entered = pd.Timestamp(late["entered_at"].iloc[0])
    after = replay[replay.index > entered].iloc[0]
    assert after["n_signals"] >= 1


def test_a_stored_point_is_never_rewritten(store):
    settings = load_settings()
    scenario = flash_riots()
    frames = _until(generate(scenario), None, pd.Timestamp(scenario.opened) + timedelta(hours=2))
    incident_id = store.create_incident("Flits", "Veldwijk", scenario.opened)
    store.load_timeline(incident_id, frames.items, frames.tags, frames.signals, frames.coverage)
    now = pd.Timestamp(scenario.opened) + timedelta(hours=2)
    series, _ = refresh_incident(store, store.incident(incident_id), settings, now=now)
    before = store.temperature_points(incident_id)
    changed = series.assign(temperature=series["temperature"] + 1)
    assert store.save_temperature_points(incident_id, changed) == 0
    pd.testing.assert_frame_equal(store.temperature_points(incident_id), before)


def test_chart_events_hold_signals_and_logbook_entries(store):
    scenario = flash_riots()
    frames = generate(scenario)
    incident_id = store.create_incident("Flits", "Veldwijk", scenario.opened)
    store.load_timeline(incident_id, frames.items.iloc[:0], frames.tags.iloc[:0], frames.signals,
                        frames.coverage.iloc[:0])
    store.record_official_phase(incident_id, 3, "onrust in de wijk", "burgemeester",
                                decided_at=scenario.opened + timedelta(hours=1))
    events = store.temperature_events(incident_id, scenario.opened - timedelta(hours=1),
                                      scenario.opened + timedelta(days=1))
    assert events["kind"].tolist() == ["signaal", "besluit", "signaal"]
    assert events["label"].iloc[0] == "melding (ernst 4, bevestigd)"
    assert events["label"].iloc[1] == "Officiële fase vastgesteld: 3. onrust in de wijk"
    official = store.official_phases(incident_id)
    assert official[["phase", "reason", "author"]].values.tolist() == [[3, "onrust in de wijk", "burgemeester"]]
    assert store.official_phases(incident_id, as_of=scenario.opened).empty


def test_inputs_as_of_a_moment_with_the_source_as_fallback_publisher(store):
    scenario = flash_riots()
    frames = generate(scenario)
    items = frames.items.head(6).assign(publisher=["ANP", None, "ANP", None, "NOS", "NOS"],
                                        reach=["landelijk", "sociaal"] * 3)
    incident_id = store.create_incident("Flits", "Veldwijk", scenario.opened)
    store.load_timeline(incident_id, items, frames.tags.iloc[:0], frames.signals, frames.coverage.head(3))
    cut = items["fetched_at"].iloc[3]
    got = store.temperature_inputs(incident_id, frames.coverage["finished_at"].min(), cut)
    assert got["items"]["item_id"].tolist() == items.loc[items["fetched_at"] <= cut, "item_id"].tolist()
    assert got["items"]["publisher"].astype(str).tolist()[:4] == ["ANP", "Scenario sociaal", "ANP", "Scenario sociaal"]
    assert str(got["items"]["publisher"].dtype) == "category"
    assert got["signals"].empty  # both signals were entered after the cut
    assert len(got["coverage"]) == (frames.coverage.head(3)["finished_at"] <= cut).sum()
