"""Temperature components on small hand-made frames, with expectations worked out by hand."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.temperature import (
    build_aggregates,
    compute_series,
    formula_version,
    item_features,
    poisson_tail_log10,
    series_from_aggregates,
    signal_versions,
)
from analysis.temperature_explain import explain, temperature_explanation, trend
from onrust.settings import load_settings

CFG = load_settings().temperature
T0 = pd.Timestamp("2026-10-05 12:00", tz="UTC")  # a Monday, on the hour


def items(rows: list[tuple]) -> pd.DataFrame:
    """rows: (item_id, story_id | None, publisher, reach, fetched_at, relevance)."""
    frame = pd.DataFrame(rows, columns=["item_id", "story_id", "publisher", "reach", "fetched_at", "relevance"])
    frame["story_id"] = frame["story_id"].astype("Int64")
    frame["fetched_at"] = pd.to_datetime(frame["fetched_at"], utc=True)
    frame["published_at"] = frame["fetched_at"]
    return frame


def tags(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["item_id", "tag_set", "tag_key", "score"])


NO_TAGS = tags([])


def noise(n: int, marks: float = 0.0, stories: float = 0.0) -> float:
    """Marker weight chance can explain among n stories: prior 1 per 50, then history; + 2 sd."""
    expected = (marks + 0.02 * 50) / (stories + 50) * n
    return expected + 2 * math.sqrt(expected)


def point(frame: pd.DataFrame, at: pd.Timestamp) -> pd.Series:
    return frame.set_index("at").loc[at]


def series(it: pd.DataFrame, tg: pd.DataFrame = NO_TAGS, signals: pd.DataFrame | None = None,
           coverage: pd.DataFrame | None = None, end: pd.Timestamp = T0, hours: int = 3) -> pd.DataFrame:
    return compute_series(it, tg, signals, coverage, end - pd.Timedelta(hours=hours), end, CFG)


def test_shipped_settings_keep_the_formula_version():
    # The version of the numbers in data/onrust.toml before the settings became typed sections:
    # a change here means every stored temperature point is recomputed.
    assert formula_version(CFG) == "temperatuur-1+91b69475"
    assert formula_version(CFG).startswith("temperatuur-1+")
    assert formula_version(replace(CFG, window_hours=6)) != formula_version(CFG)
    noisier = replace(CFG, noise=replace(CFG.noise, marker_noise_sigmas=3.0))
    assert formula_version(noisier) != formula_version(CFG)


def test_poisson_tail_matches_the_textbook_sum():
    expected = math.log10(1 - sum(math.exp(-2) * 2**k / math.factorial(k) for k in range(12)))
    got = poisson_tail_log10(np.array([12.0, 2.0, 1.0]), np.array([2.0, 2.0, 2.0]))
    assert got[0] == pytest.approx(expected, rel=1e-9)
    assert list(got[1:]) == [0.0, 0.0]  # at or below what is normal: nothing unusual


def test_volume_counts_stories_once_against_same_window_history():
    rows, n = [], 0
    for day in range(1, 31):  # two stories in the same 12-hour clock window every earlier day
        for minutes in (60, 300):
            n += 1
            rows.append((n, n, "Tubantia", "regionaal", T0 - pd.Timedelta(days=day, minutes=minutes), 0.9))
    quiet = series(items(rows))
    assert point(quiet, T0)["baseline"] == 2.0
    busy_rows = rows + [(1000 + k, 500 + k, "NOS", "landelijk", T0 - pd.Timedelta(minutes=10 + k), 0.9)
                        for k in range(12)]
    busy_rows += [(2000 + k, 500, "AD", "landelijk", T0 - pd.Timedelta(minutes=5), 0.9) for k in range(5)]
    busy_rows += [(3000, 999, "AD", "lokaal", T0 - pd.Timedelta(minutes=5), 0.1)]  # not relevant
    row = point(series(items(busy_rows)), T0)
    assert row["n_stories"] == 12  # five copies of story 500 and an irrelevant item add nothing
    p = 1 - sum(math.exp(-2) * 2**k / math.factorial(k) for k in range(12))
    assert row["volume"] == pytest.approx(-math.log10(p) / 6 * 100, rel=1e-6)
    assert point(quiet, T0)["volume"] == 0.0
    assert "12 nieuwe unieke verhalen in 12 uur, normaal rond 2,0" in explain(row, CFG)["volume"]


def test_volume_floor_without_history():
    row = point(series(items([(1, None, "NOS", "landelijk", T0 - pd.Timedelta(hours=1), 0.8)])), T0)
    assert row["baseline"] == CFG.volume_floor and row["volume"] == 0.0


def test_spread_counts_a_wire_story_once_but_sees_every_reach():
    rows = [(k, 7, "ANP", reach, T0 - pd.Timedelta(hours=1, minutes=k), 0.9)
            for k, reach in enumerate(["lokaal", "regionaal", "landelijk", "sociaal"] * 3)]
    row = point(series(items(rows)), T0)
    assert row["n_publishers"] == 1
    assert row["spread"] == pytest.approx(0.5 * 100 * math.log(2) / math.log(21) + 0.5 * 100)
    two = point(series(items(rows + [(99, None, "Tubantia", "regionaal", T0 - pd.Timedelta(hours=2), 0.9)])), T0)
    assert two["n_publishers"] == 2


def test_tone_is_the_mean_strongest_emotion_shrunk_by_three_calm_stories():
    it = items([(1, 1, "A", "lokaal", T0 - pd.Timedelta(hours=1), 0.9),
                (2, 2, "B", "lokaal", T0 - pd.Timedelta(hours=1), 0.9),
                (3, 3, "C", "lokaal", T0 - pd.Timedelta(hours=1), 0.9)])
    tg = tags([(1, "emotion", "woede", 0.9), (1, "emotion", "angst", 0.5),
               (2, "emotion", "angst", 0.6), (3, "emotion", "verdriet", 0.9)])
    row = point(series(it, tg), T0)
    assert row["tone"] == pytest.approx(100 * (0.9 + 0.6) / (3 + 3))
    assert "vooral angst" in explain(row, CFG)["tone"]  # angst 0,5 + 0,6 outweighs woede 0,9


def test_escalation_counts_markers_per_story_not_per_copy():
    it = items([(1, 5, "NOS", "landelijk", T0 - pd.Timedelta(hours=2), 0.9),
                (2, 5, "AD", "landelijk", T0 - pd.Timedelta(hours=2, minutes=-10), 0.9),
                (3, 6, "X", "sociaal", T0 - pd.Timedelta(hours=1), 0.9)])
    tg = tags([(1, "phase", "escalatie", 1.0), (2, "phase", "escalatie", 1.0),
               (3, "phase", "dreigend", 1.0)])
    row = point(series(it, tg), T0)
    assert row["esc_sum"] == 1.0
    assert row["escalation"] == pytest.approx(100 * (1 - math.exp(-(1.0 - noise(2)) / 1.5)))
    assert explain(row, CFG)["escalation"] == (
        "Escalatiekenmerken (gewogen): escalatie (1,0); bij dit aantal verhalen kan tot 0,4 "
        "toeval zijn (ruis van de herkenning in gewoon nieuws), dus 0,6 telt mee.")


def test_markers_count_above_the_taggers_everyday_noise():
    rows, marks, n = [], [], 0
    for day in range(1, 31):  # every earlier day: 4 stories in this clock window, 1 with "onrust"
        for k in range(4):
            n += 1
            rows.append((n, n, f"P{k}", "regionaal", T0 - pd.Timedelta(days=day, hours=k + 1), 0.9))
        marks.append((n, "phase", "onrust", 1.0))
    for k in range(8):  # now: 8 stories, 2 with "onrust": exactly the everyday rate
        n += 1
        rows.append((n, n, f"P{k}", "regionaal", T0 - pd.Timedelta(hours=k + 1), 0.9))
    marks += [(n, "phase", "onrust", 1.0), (n - 1, "phase", "onrust", 1.0)]
    row = point(series(items(rows), tags(marks)), T0)
    assert row["esc_sum"] == pytest.approx(1.2)  # 2 x weight 0.6
    # 11 history windows (7 daily, 4 weekly) of 4 stories with 0.6 marker weight each
    assert row["esc_noise"] == pytest.approx(noise(8, marks=11 * 0.6, stories=11 * 4))
    assert row["escalation"] == pytest.approx(0.0, abs=1e-9)
    riot = marks + [(n - k, "phase", "escalatie", 1.0) for k in (2, 3, 4)]
    row = point(series(items(rows), tags(riot)), T0)
    excess = 4.2 - noise(8, marks=11 * 0.6, stories=11 * 4)
    assert row["escalation"] == pytest.approx(100 * (1 - math.exp(-excess / 1.5)))


def test_politicisation():
    it = items([(1, 1, "NOS", "landelijk", T0 - pd.Timedelta(hours=1), 0.9)])
    row = point(series(it, tags([(1, "dynamiek", "politisering", 0.5)])), T0)
    assert row["politicisation"] == pytest.approx(100 * (1 - math.exp(-(0.5 - noise(1)) / 2.0)))


def signals_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"kind": "melding", "reliability": "A", "credibility": 1, "verification": "bevestigd",
            "severity": 5, "text": "x"}
    frame = pd.DataFrame([{**base, "signal_id": i + 1, **r} for i, r in enumerate(rows)])
    for col in ("occurred_at", "entered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def test_signals_count_from_entry_decay_from_occurrence_and_drop_when_refuted():
    sig = signals_frame([{"occurred_at": T0 - pd.Timedelta(hours=3), "entered_at": T0 - pd.Timedelta(hours=1)},
                         {"occurred_at": T0 - pd.Timedelta(hours=3), "entered_at": T0 - pd.Timedelta(hours=1),
                          "verification": "ontkracht"},
                         {"occurred_at": T0, "entered_at": T0 + pd.Timedelta(hours=5)}])
    s = series(items([]), signals=sig)
    at_t0 = point(s, T0)
    weight = 0.5 ** (3 / 24)
    assert at_t0["signals"] == pytest.approx(100 * (1 - math.exp(-weight)))
    assert at_t0["n_signals"] == 1  # the refuted one counts zero; the third was not known yet
    assert point(s, T0 - pd.Timedelta(hours=1))["signals"] == 0.0  # entered at, not before
    assert at_t0["lift"] == 4  # confirmed severity 5 lifts to escalation


def test_signal_revision_counts_from_the_moment_of_the_edit():
    sig = signals_frame([{"occurred_at": T0 - pd.Timedelta(hours=3), "entered_at": T0 - pd.Timedelta(hours=3),
                          "verification": "bevestigd"}])
    revisions = pd.DataFrame({"signal_id": [1], "changed_at": [T0 - pd.Timedelta(hours=1)],
                              "field": ["verification"], "old": ["onbevestigd"], "new": ["bevestigd"]})
    versions = signal_versions(sig, revisions)
    assert list(versions["verification"]) == ["bevestigd", "onbevestigd"]
    s = series(items([]), signals=versions)
    before = point(s, T0 - pd.Timedelta(hours=2))
    after = point(s, T0)
    assert before["sig_sum"] == pytest.approx(0.6 * 0.5 ** (1 / 24))
    assert after["sig_sum"] == pytest.approx(0.5 ** (3 / 24))
    assert before["lift"] == 1 and after["lift"] == 4


def test_collection_outage_is_no_data_not_calm():
    runs = pd.date_range(T0 - pd.Timedelta(days=2), T0, freq="15min", tz="UTC")
    ok = ~((runs > T0 - pd.Timedelta(hours=5)) & (runs <= T0 - pd.Timedelta(hours=1)))
    coverage = pd.DataFrame({"finished_at": runs, "status": np.where(ok, "ok", "fout")})
    s = series(items([(1, 1, "NOS", "landelijk", T0 - pd.Timedelta(hours=8), 0.9)]), coverage=coverage,
               hours=10)
    by_at = s.set_index("at")
    assert by_at.loc[T0 - pd.Timedelta(hours=2), "has_data"] == False  # noqa: E712
    assert np.isnan(by_at.loc[T0 - pd.Timedelta(hours=2), "temperature"])
    assert by_at.loc[T0, "has_data"] == True  # noqa: E712  (a run in the last two hours)
    assert by_at.loc[T0 - pd.Timedelta(hours=6), "has_data"] == True  # noqa: E712
    row = by_at.loc[T0 - pd.Timedelta(hours=2)]
    assert explain(row, CFG)["volume"].startswith("geen gegevens")
    assert temperature_explanation(row, CFG).startswith("Geen gegevens")
    # no runs recorded at all: health is not tracked, so nothing is hidden
    assert series(items([]), coverage=coverage.iloc[:0])["has_data"].all()


def test_temperature_is_the_documented_weighted_mean():
    it = items([(1, 1, "NOS", "landelijk", T0 - pd.Timedelta(hours=1), 0.9)])
    row = point(series(it, tags([(1, "phase", "escalatie", 1.0)])), T0)
    parts = {k: row[k] for k in CFG.weights}
    assert row["temperature"] == pytest.approx(sum(parts[k] * w for k, w in CFG.weights.items()))
    assert row["formula_version"] == formula_version(CFG)
    assert "escalatie 37 × 0,25" in temperature_explanation(row, CFG)  # 1 - noise(1) = 0,70


def test_incremental_update_equals_a_full_recomputation():
    rng = np.random.default_rng(3)
    n = 3000
    fetched = T0 - pd.to_timedelta(rng.uniform(0, 40 * 86400, n), unit="s")
    it = items([(i + 1, int(rng.integers(1, 800)) if i % 4 else None, f"P{rng.integers(0, 30)}",
                 ["lokaal", "regionaal", "landelijk", "sociaal"][i % 4], fetched[i], float(rng.uniform()))
                for i in range(n)]).sort_values("fetched_at").reset_index(drop=True)
    tg = tags([(int(i), s, k, float(rng.uniform())) for i, (s, k) in zip(
        rng.integers(1, n + 1, 900), [("emotion", "woede"), ("phase", "escalatie"),
                                      ("dynamiek", "politisering")] * 300, strict=True)])
    start, end = T0 - pd.Timedelta(days=5), T0
    full = series_from_aggregates(build_aggregates(it, tg, start, end, CFG), None, None, start, end, CFG)
    first, batch = it.iloc[:2500], it.iloc[2500:]
    agg = build_aggregates(first, tg, start, end, CFG)
    agg.add(item_features(batch, tg, CFG))
    again = series_from_aggregates(agg, None, None, start, end, CFG)
    numeric = list(full.select_dtypes(include=["number", "bool"]).columns)
    assert len(numeric) > 25
    np.testing.assert_allclose(again[numeric].to_numpy(dtype=float), full[numeric].to_numpy(dtype=float),
                               rtol=1e-9, atol=1e-9)


def test_trend_needs_data_at_both_ends():
    at = pd.date_range(T0, periods=8, freq="h")
    frame = pd.DataFrame({"at": at, "temperature": [10.0, 12, 14, 16, 18, 20, 22.4, 30]})
    assert trend(frame, 6) == 18.0  # 30 now against 12 six hours earlier
    assert trend(frame.assign(temperature=frame["temperature"].where(at != at[-1])), 6) is None
    assert trend(frame.assign(temperature=frame["temperature"].where(at != at[1])), 6) is None
    assert trend(frame.iloc[:3], 6) is None


def test_long_series_count_publishers_across_chunks():
    it = items([(1, 1, "NOS", "landelijk", T0 - pd.Timedelta(hours=2), 0.9),
                (2, 2, "AD", "landelijk", T0 - pd.Timedelta(days=50), 0.9)])
    s = compute_series(it, NO_TAGS, None, None, T0 - pd.Timedelta(days=60), T0, CFG).set_index("at")
    assert len(s) > 4096  # more than one chunk of points
    assert s.loc[T0, "n_publishers"] == 1
    assert s.loc[T0 - pd.Timedelta(days=50) + pd.Timedelta(hours=1), "n_publishers"] == 1
    assert s.loc[T0 - pd.Timedelta(days=25), "n_publishers"] == 0
