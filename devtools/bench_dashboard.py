"""`onrust bench dashboard`: every page rendered end to end from a 1,000,000-item DuckDB file.

The database is built once per size (reused when it exists): a realistic mix over 90 days from
analysis.timelines.bulk_frames (four reaches, 450 publishers, stories, tags, signals, collection
runs) with Dutch titles, linked to one open incident. Each page then runs in Streamlit's AppTest
through the real shell (navigation, sidebar, header) against that file: a first render with
empty caches, as the first user after a restart sees it, and a second one, as every later view.
The temperature series is also timed alone, including its load from DuckDB: as the pages get it
(the stored per-bin aggregates, migration 017) and from the items, as while those are stale.

Beside the wall clock each figure has this process's CPU time (DuckDB's threads included) and
the machine's load average: on a shared machine the wall clock also counts other processes.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from analysis.phases import temperature_view
from analysis.temperature_runs import incident_series, inputs_since, rebuild_bins, stored_aggregates
from analysis.timelines import bulk_frames
from onrust.settings import Settings, TemperatureSettings, load_settings
from onrust.store import Store
from onrust.timeutil import utcnow

_TITLES = (
    "Onrust in {wijk} na aanhouding", "Bewoners {wijk} ongerust over {onderwerp}", "Brand in woning aan de {straat}",
    "Politie zet extra agenten in bij {wijk}", "Gemeente organiseert informatieavond over {onderwerp}",
    "Raadsvragen over {onderwerp}", "Burgemeester: 'Blijf rustig, laat het onderzoek zijn werk doen'",
    "Groep jongeren bij woning in {wijk}, ME paraat", "Geruchten over {onderwerp} gaan rond op sociale media",
    "Ouders boos na brief over {onderwerp}", "Noodbevel voor {wijk} ingetrokken", "Rust keert terug in {wijk}",
    "Wethouder bezoekt school in {wijk}", "Verdachte voorgeleid, OM doet onderzoek",
    "Buurtbewoners houden stille tocht door {wijk}", "Verkeershinder op de {straat} door werkzaamheden",
)
_WORDS = {"wijk": ("Molenbroek", "Kolkhoek", "De Hoven", "Veldwijk", "Centrum", "Noord"),
          "onderwerp": ("de zedenzaak", "de sportclub", "de brand", "de aanhouding", "de veiligheid", "de school"),
          "straat": ("Esdoornhof", "Dorpsstraat", "Kerkplein", "Julianaweg", "Lindelaan", "Brink")}


def _titles(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    filled = np.array([t.format(**{k: v[i % len(v)] for k, v in _WORDS.items()})
                       for t in _TITLES for i in range(6)])
    return filled[rng.integers(0, len(filled), n)]


@dataclass(frozen=True, slots=True)
class PageTime:
    page: str
    first_ms: float
    warm_ms: float
    error: str = ""
    first_cpu_ms: float = 0.0
    warm_cpu_ms: float = 0.0

    def meets(self, target_ms: float) -> bool:
        """Both the first render (empty caches) and a later one within the target."""
        return not self.error and max(self.first_ms, self.warm_ms) <= target_ms


@dataclass(frozen=True, slots=True)
class DashboardBench:
    TARGET_PAGE_MS: ClassVar[int] = 2000
    TARGET_SERIES_MS: ClassVar[int] = 200

    items: int
    days: int
    build_seconds: float  # 0 when the database was reused
    database_mb: float
    series_ms: float  # temperature inputs loaded from DuckDB + series computed (median)
    pages: tuple[PageTime, ...] = field(default_factory=tuple)
    series_cpu_ms: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after the pages
    series_items_ms: float = 0.0  # the same series from the items (stale bins), median
    series_items_cpu_ms: float = 0.0

    @property
    def series_meets(self) -> bool:
        return self.series_ms <= self.TARGET_SERIES_MS

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "days": self.days, "build_seconds": self.build_seconds,
                "database_mb": self.database_mb, "series_ms": self.series_ms, "series_cpu_ms": self.series_cpu_ms,
                "series_from_items_ms": self.series_items_ms, "series_from_items_cpu_ms": self.series_items_cpu_ms,
                "series_meets_target": self.series_meets, "load_average": list(self.load),
                "pages": [{"page": p.page, "first_ms": p.first_ms, "warm_ms": p.warm_ms, "error": p.error,
                           "first_cpu_ms": p.first_cpu_ms, "warm_cpu_ms": p.warm_cpu_ms,
                           "meets_target": p.meets(self.TARGET_PAGE_MS)} for p in self.pages],
                "targets_ms": {"page": self.TARGET_PAGE_MS, "series": self.TARGET_SERIES_MS}}


def build_database(path: Path, n: int, days: int, cfg: TemperatureSettings | None = None) -> float:
    """A fresh database of `n` items, with the temperature bins the pipeline would have stored
    for `cfg` (default: the default settings'); returns the seconds it took."""
    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    end = utcnow().replace(microsecond=0)
    frames = bulk_frames(n, days, end=end)
    items = frames.items.assign(title=_titles(n, 7))
    with Store.open(path) as store:
        store.migrate()
        incident = store.create_incident("Onrust Molenbroek", "Veldwijk", end - timedelta(days=10))
        store.load_timeline(incident, items, frames.tags, frames.signals, frames.coverage, municipality="Veldwijk")
        rebuild_bins(store, store.incidents()[0], cfg or load_settings(None).temperature)
    return time.perf_counter() - t0


def _series_ms(store: Store, settings: Settings, repeat: int, *, from_items: bool = False) -> tuple[float, float]:
    """Median wall and CPU milliseconds of loading the inputs and computing the series as the
    pages do (incident_series: the stored bins while current); `from_items`: from the items and
    tags themselves, what a page pays while the bins are stale."""
    incident = store.incidents()[0]
    cfg = settings.temperature
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        as_of = pd.Timestamp(utcnow()).floor(f"{cfg.step_minutes}min")
        if from_items:
            inputs = store.temperature_inputs(incident.id, inputs_since(incident.opened_at, cfg), as_of,
                                              cfg.min_relevance)
            temperature_view(inputs, incident.opened_at, as_of, cfg)
        else:
            incident_series(store, incident, as_of, cfg)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return round(statistics.median(times), 1), round(statistics.median(cpu), 1)


def _current_bins(path: Path, settings: Settings) -> None:
    """A database built before migration 017, or with other settings: migrate it and store the
    bins, as the pipeline's next pass would."""
    cfg = settings.temperature
    with Store.open(path) as store:
        store.migrate()
        for incident in store.incidents():
            if stored_aggregates(store, incident, utcnow(), cfg) is None:
                rebuild_bins(store, incident, cfg)


def _page_times(path: Path, pages: Sequence[tuple[str, str]], render: Callable[[str], None]) -> tuple[PageTime, ...]:
    """`pages`: (file, title) as the shell lists them; `render(file)` runs the shell on that page
    (an AppTest script function, given by the composition root: devtools knows no dashboard)."""
    from streamlit.testing.v1 import AppTest

    from onrust.store.shared import close_shared

    os.environ["ONRUST_DB"] = str(path)
    out = []
    try:
        for file, title in pages:
            times, cpu, error = [], [], ""
            at = AppTest.from_function(render, args=(file,), default_timeout=600)
            for _ in range(2):
                t0, c0 = time.perf_counter(), time.process_time()
                at.run()
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                if at.exception:
                    error = str(at.exception[0].message)[:200]
            out.append(PageTime(title, round(times[0]), round(times[1]), error, round(cpu[0]), round(cpu[1])))
    finally:
        close_shared(path)
    return tuple(out)


def run_bench(settings: Settings, path: Path, n: int, days: int, *, pages: Sequence[tuple[str, str]],
              render: Callable[[str], None], rebuild: bool, repeat: int = 3) -> DashboardBench:
    built = 0.0
    if rebuild or not path.exists():
        built = build_database(path, n, days, settings.temperature)
    else:
        _current_bins(path, settings)
    before = os.getloadavg()[0]
    with Store.open(path, read_only=True) as store:
        count = int(store.scalar("select count(*) from items"))
        series, series_cpu = _series_ms(store, settings, repeat)
        full, full_cpu = _series_ms(store, settings, repeat, from_items=True)
    times = _page_times(path, pages, render)
    return DashboardBench(count, days, round(built, 1), round(path.stat().st_size / 1e6, 1), series, times,
                          series_cpu, (round(before, 2), round(os.getloadavg()[0], 2)), full, full_cpu)
