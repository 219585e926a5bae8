"""The phase machine: hysteresis, dwell, confirmed-signal lifts, fase 5 and the behaviour gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from analysis.phases import episodes, load_phases, official_in_period, phase_path
from onrust.settings import load_settings

CFG = load_settings().temperature  # enter 25/45/70, exit 15/35/55, dwell 12 h, calm 72 h, behaviour 40
T0 = pd.Timestamp("2026-10-05 00:00", tz="UTC")


def run(temps: list[float], *, lift: list[int] | None = None, evidence: float = 100.0) -> list[int]:
    n = len(temps)
    frame = pd.DataFrame({
        "at": pd.date_range(T0, periods=n, freq="h"),
        "temperature": np.array(temps, dtype=float),
        "lift": lift or [1] * n,
        "escalation": [evidence] * n,
        "signals": [0.0] * n,
    })
    return phase_path(frame, CFG)["phase"].tolist()


def test_the_five_phases_come_from_the_handreiking():
    phases = load_phases()
    assert [p.naam for p in phases.values()] == [
        "Rust", "Dreigende maatschappelijke onrust", "Maatschappelijke onrust", "Escalatie",
        "Terugkeer naar rust"]
    assert "stemmingmakerij" in phases[3].definitie and "brandstichting" in phases[4].definitie
    assert "Temperatuur meten." in phases[1].doelen
    assert "Herstel openbare orde." in phases[4].doelen
    assert "Stellen en handhaven van tolerantiegrenzen." in phases[3].doelen


def test_rises_at_once_to_the_highest_threshold_passed():
    assert run([10, 30, 50, 75]) == [1, 2, 3, 4]
    assert run([10, 80]) == [1, 4]


def test_hysteresis_holds_a_phase_between_exit_and_enter():
    # 40 is under the enter level of 3 (45) but above its exit level (35): stays 3
    temps = [50] + [40] * 30
    assert run(temps) == [3] * 31


def test_dwell_time_delays_a_fall_but_never_a_rise():
    temps = [50] + [10] * 20
    path = run(temps)
    assert path[:12] == [3] * 12  # 12 hours in phase 3 before it may go down
    assert path[12] == 5  # falling from 3 leads to terugkeer naar rust, not straight to 1


def test_phase_five_returns_to_one_after_sustained_calm_only():
    temps = [50] + [10] * 72  # calm counts from the first hour under 15 (hour 1)
    assert run(temps)[-1] == 5  # 71 hours of calm
    assert run(temps + [10])[-1] == 1  # 72 hours
    # a flare-up in phase 5 to the unrest level goes back to 3
    assert run([50] + [10] * 15 + [46])[-1] == 3
    # lingering unease after unrest (never calm) stays terugkeer naar rust...
    assert run([50] + [28] * 40)[12:] == [5] * 29
    # ...a new rise after calm had returned is a new threat, and its end leads back to 5, not 1
    assert run([50] + [10] * 13 + [30])[-1] == 2
    assert run([50] + [10] * 13 + [30] + [10] * 12)[-1] == 5
    # and a short return above 15 restarts the calm clock
    calm_broken = [50] + [10] * 13 + [20] + [10] * 72
    assert run(calm_broken)[-1] == 5
    assert run(calm_broken + [10])[-1] == 1


def test_phase_two_falls_back_to_one_after_dwell():
    assert run([30] + [5] * 12)[-1] == 1
    assert run([30] + [5] * 10)[-1] == 2


def test_a_confirmed_signal_lifts_at_once_and_holds():
    lift = [1, 4, 4, 4] + [1] * 20
    path = run([5] * 24, lift=lift)
    assert path[1] == 4
    assert path[2:4] == [4, 4]
    # once the lift ends the temperature decides, after the dwell time
    assert path[13] == 5 and path[-1] == 5


def test_lift_does_not_lower_a_higher_phase():
    assert run([80, 80], lift=[1, 3]) == [4, 4]


def test_no_data_holds_the_phase():
    assert run([50, np.nan, np.nan] + [np.nan] * 20) == [3] * 23
    assert run([np.nan, np.nan], lift=[1, 4]) == [1, 4]


def test_attention_without_behaviour_stays_at_two():
    assert run([10, 60, 80], evidence=10.0) == [1, 2, 2]
    frame = pd.DataFrame({"at": pd.date_range(T0, periods=2, freq="h"), "temperature": [10.0, 60.0],
                          "lift": [1, 1], "escalation": [np.nan, np.nan], "signals": [0.0, 45.0]})
    assert phase_path(frame, CFG)["phase"].tolist() == [1, 3]  # a signal is behaviour too


def test_reasons_are_given_on_changes_only():
    frame = pd.DataFrame({"at": pd.date_range(T0, periods=3, freq="h"), "temperature": [10.0, 50.0, 50.0],
                          "lift": [1, 1, 1], "escalation": [50.0] * 3, "signals": [0.0] * 3})
    path = phase_path(frame, CFG)
    assert path["reason"].tolist() == ["", "temperatuur 50 ≥ 45, de drempel voor fase 3", ""]
    assert path["changed"].tolist() == [False, True, False]


def test_episodes_of_phase_three_or_higher():
    frame = pd.DataFrame({"at": pd.date_range(T0, periods=6, freq="h"), "phase": [1, 3, 4, 5, 3, 1]})
    assert episodes(frame) == [(frame["at"][1], frame["at"][3]), (frame["at"][4], frame["at"][5])]


def test_official_phase_of_a_period_is_the_last_decision_up_to_its_end(store):
    t0 = datetime(2026, 11, 14, 20, tzinfo=UTC)
    incident = store.create_incident("Onrust", "Veldwijk", t0)
    store.record_official_phase(incident, 2, "oproepen", "burgemeester", decided_at=t0 + timedelta(hours=1))
    store.record_official_phase(incident, 3, "rellen", "burgemeester", decided_at=t0 + timedelta(hours=5))
    store.record_official_phase(incident, 4, "escalatie", "burgemeester", decided_at=t0 + timedelta(hours=9))
    decisions = store.official_phases(incident)
    past = official_in_period(decisions, t0 + timedelta(hours=5))
    assert list(past.shown["phase"]) == [2, 3] and int(past.current["phase"]) == 3
    assert int(past.later["phase"]) == 4  # the newest of those after the end, not the first
    live = official_in_period(decisions, t0 + timedelta(days=1))
    assert int(live.current["phase"]) == 4 and live.later is None
    before = official_in_period(decisions, t0)
    assert before.current is None and int(before.later["phase"]) == 4
