"""Benchmark for `onrust bench omgevingsbeeld`: the pipeline step and the page's work on N items.

Generated regional-news items (devtools.bench_tag) go into a throw-away database; each stage is
timed in CPU seconds of this process, so a busy machine does not make the figures lie.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from analysis import omgevingsbeeld as ob
from analysis.jobs import relink, settings_tagger, tag_and_link
from analysis.omgevingsbeeld_export import to_docx, to_markdown
from devtools.bench_tag import make_items
from onrust.models import REACHES, Item, WatchProfile
from onrust.settings import Settings

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _timed(func: Callable[[], Any]) -> tuple[Any, float]:
    cpu = time.process_time()
    result = func()
    return result, time.process_time() - cpu


@dataclass(frozen=True, slots=True)
class OmgevingsbeeldBench:
    """CPU seconds per stage (the names are the JSON keys `onrust bench omgevingsbeeld` prints)."""

    items: int
    gekoppeld: int
    tag_and_link_s: float
    items_per_s: float
    tweede_run_s: float
    opnieuw_koppelen_s: float
    frames_lezen_s: float
    omgevingsbeeld_bouwen_s: float
    markdown_docx_s: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def run_bench(count: int, settings: Settings) -> OmgevingsbeeldBench:
    """Seconds per stage for `count` items spread over three days and four reaches."""
    from onrust.store import Store

    rng = random.Random(7)
    texts = make_items(count)
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "bench.duckdb") as store:
        store.migrate()
        incident = store.create_incident("Bench", "Enschede", T0)
        store.save_watch_profile(WatchProfile(incident, terms=("onrust", "brand*"), places=("Enschede", "Hengelo"),
                                              neighbourhoods=("Deppenbroek",), actors=("politie",),
                                              period_start=T0 - timedelta(days=1)), "bench")
        for n, reach in enumerate(REACHES):
            sid = store.add_source(f"bron {reach}", reach=reach)
            batch = []
            for i, text in enumerate(texts[n::len(REACHES)]):
                title, _, summary = text.partition(". ")
                when = T0 + timedelta(minutes=rng.randint(0, 3 * 24 * 60))
                key = f"{reach}-{i}"
                batch.append(Item(key, key, None, title, summary, None, "nl", when, None, when, key))
            store.save_items(sid, batch)
        tagger = settings_tagger(settings)
        report, step = _timed(lambda: tag_and_link(store, settings, tagger=tagger))
        _, again = _timed(lambda: tag_and_link(store, settings, tagger=tagger))
        _, linking = _timed(lambda: relink(store, settings, incident))
        start, end = T0 - timedelta(days=1), T0 + timedelta(days=4)
        frames, reading = _timed(lambda: (store.incident_items_frame(incident, start, end),
                                          store.incident_tags_frame(incident, start, end),
                                          store.incident_signals_frame(incident, start, end)))
        beeld, building = _timed(lambda: ob.build(*frames, incident="Bench", municipality="Enschede",
                                                  period=(start, end), generated_at=T0))
        _, exporting = _timed(lambda: (to_markdown(beeld), to_docx(beeld)))
    return OmgevingsbeeldBench(
        items=count,
        gekoppeld=report["gekoppeld"][incident],
        tag_and_link_s=round(step, 3),
        items_per_s=round(count / step, 1) if step else 0.0,
        tweede_run_s=round(again, 3),
        opnieuw_koppelen_s=round(linking, 3),
        frames_lezen_s=round(reading, 3),
        omgevingsbeeld_bouwen_s=round(building, 3),
        markdown_docx_s=round(exporting, 3),
    )
