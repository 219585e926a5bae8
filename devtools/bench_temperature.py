"""`onrust bench temperature`: the temperature series over many items, in full and after a batch.

Works in memory on frames shaped as the store delivers them (analysis.timelines.bulk_frames), so
the figures are the computation's own, without loading from DuckDB.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd

from analysis.temperature import build_aggregates, item_features, series_from_aggregates
from analysis.timelines import bulk_frames
from onrust.settings import TemperatureSettings


@dataclass(frozen=True, slots=True)
class TemperatureBench:
    """Medians over the repeats, in milliseconds (wall clock and CPU time of this process)."""

    TARGETS_MS: ClassVar[dict[str, int]] = {"full": 200, "incremental": 50}

    items: int
    days: int
    points: int
    batch: int
    full_ms: float
    full_cpu_ms: float
    incremental_ms: float
    incremental_cpu_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "days": self.days, "points": self.points, "batch": self.batch,
                "full_ms": self.full_ms, "full_cpu_ms": self.full_cpu_ms,
                "incremental_ms": self.incremental_ms, "incremental_cpu_ms": self.incremental_cpu_ms,
                "targets_ms": dict(self.TARGETS_MS)}


def run_bench(cfg: TemperatureSettings, n: int, days: int, batch_n: int, repeat: int) -> TemperatureBench:
    frames = bulk_frames(n, days)
    end = frames.items["fetched_at"].max() + pd.Timedelta(minutes=1)
    start = end - pd.Timedelta(days=days)
    full, full_cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        agg = build_aggregates(frames.items, frames.tags, start, end, cfg)
        series = series_from_aggregates(agg, frames.signals, frames.coverage, start, end, cfg)
        full.append((time.perf_counter() - t0) * 1000)
        full_cpu.append((time.process_time() - c0) * 1000)
    incremental, incremental_cpu = [], []
    for k in range(repeat):
        later = end + pd.Timedelta(minutes=10 * (k + 1))
        batch = frames.items.tail(batch_n).assign(
            item_id=lambda d, k=k: d["item_id"] + n * (k + 1), fetched_at=later)
        t0, c0 = time.perf_counter(), time.process_time()
        agg.extend(agg.n_bins + 1)
        agg.add(item_features(batch, frames.tags.iloc[:0], cfg))
        series_from_aggregates(agg, frames.signals, frames.coverage, start, later, cfg)
        incremental.append((time.perf_counter() - t0) * 1000)
        incremental_cpu.append((time.process_time() - c0) * 1000)
    med = statistics.median
    return TemperatureBench(n, days, len(series), batch_n, round(med(full), 1), round(med(full_cpu), 1),
                            round(med(incremental), 1), round(med(incremental_cpu), 1))
