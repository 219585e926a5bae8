"""`onrust bench share`: what publishing to the shared folder costs and what reading from it costs.

A fresh database of N items over D days (the `bench dashboard` mix), published once in full, then
again after a new batch of items that just arrived (only today's partitions are rewritten), and
once with nothing changed. A reader then opens the snapshot as a dashboard instance does, and the
temperature series (the Temperatuur page's data, loaded and computed) is timed from the DuckDB
file and from the Parquet snapshot.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.timelines import bulk_frames
from devtools.bench_dashboard import _series_ms, build_database
from onrust.settings import Settings
from onrust.store import Store
from onrust.store.lake import LakeStore, publish
from onrust.timeutil import utcnow


@dataclass(frozen=True, slots=True)
class ShareBench:
    items: int
    days: int
    batch: int
    database_mb: float
    snapshot_mb: float
    full_publish_s: float
    full_partitions: int
    batch_publish_s: float
    batch_partitions_written: int
    batch_partitions_linked: int
    unchanged_publish_s: float
    reader_open_ms: float
    reader_refresh_ms: float
    series_duckdb_ms: float
    series_parquet_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _add_batch(store: Store, n: int, batch: int) -> None:
    """`batch` items fetched in the last ten minutes, with their tags, as one collection cycle adds."""
    frames = bulk_frames(batch, 1, seed=2)
    now = utcnow()
    fetched = pd.Timestamp(now) - pd.to_timedelta(np.random.default_rng(3).uniform(0, 600, batch), unit="s")
    items = frames.items.assign(fetched_at=fetched, published_at=fetched, title="Nieuw bericht")
    incident = store.incidents()[0]
    store.load_timeline(incident.id, items, frames.tags, frames.signals.iloc[0:0], frames.coverage.iloc[0:0],
                        municipality="Veldwijk", id_offset=n)


def run_bench(settings: Settings, folder: Path, n: int, days: int, batch: int, repeat: int = 3) -> ShareBench:
    db, share = folder / "share-bench.duckdb", folder / "share"
    shutil.rmtree(share, ignore_errors=True)
    build_database(db, n, days)
    keep = settings.scale.keep_seconds
    with Store.open(db) as store:
        full = publish(store, share, keep_seconds=keep)
        series_duckdb = _series_ms(store, settings, repeat)
        t0 = time.perf_counter()
        lake = LakeStore.open_shared(share)
        open_ms = (time.perf_counter() - t0) * 1000
        _add_batch(store, n, batch)
        step = publish(store, share, keep_seconds=keep)
        same = publish(store, share, keep_seconds=keep)
    try:
        t0 = time.perf_counter()
        lake.refresh()
        refresh_ms = (time.perf_counter() - t0) * 1000
        series_parquet = _series_ms(lake, settings, repeat)
    finally:
        lake.close()
    return ShareBench(n, days, batch, round(db.stat().st_size / 1e6, 1), round(step.bytes / 1e6, 1),
                      full.seconds, full.partitions_written, step.seconds, step.partitions_written,
                      step.partitions_linked, same.seconds, round(open_ms, 1), round(refresh_ms, 1),
                      series_duckdb, series_parquet)
