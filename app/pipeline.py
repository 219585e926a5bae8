"""What happens to stored items after every ingestion: tagging, linking, scoring.

Collection (live or demo) calls `after_ingest`; each capability adds one step here so the
dashboard never waits for analysis. A step takes (store, settings) and processes whatever is
not yet processed, so running it twice does nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from analysis.jobs import tag_and_link
from analysis.temperature_runs import refresh_all
from comms.notices import notify_all
from onrust.settings import Settings
from onrust.store import Store
from onrust.store.lake import publish

log = logging.getLogger("onrust.pipeline")

Step = Callable[[Store, Settings], object]


def publish_shared(store: Store, settings: Settings) -> object:
    """The region's collector (scale.mode = "publish") hands the dashboards a new snapshot."""
    if settings.scale.mode != "publish":
        return "niet van toepassing (scale.mode)"
    return publish(store, settings.shared_path, keep_seconds=settings.scale.keep_seconds).as_dict()


STEPS: tuple[Step, ...] = (
    tag_and_link,  # tags, then links items to incidents by watch profile
    refresh_all,  # new temperature points and alerts
    notify_all,  # severe signals, overdue doelgroepen, persberichten waiting for approval
    publish_shared,  # last: the snapshot holds what the steps before it wrote
)


def step_name(step: Step) -> str:
    """How a step is named in the report and the log: where to find its code."""
    return f"{step.__module__}:{step.__qualname__}"


def after_ingest(store: Store, settings: Settings) -> dict[str, object]:
    """Run every step; a failing step is reported and the others still run."""
    report: dict[str, object] = {}
    for step in STEPS:
        name = step_name(step)
        try:
            report[name] = step(store, settings)
        except Exception as exc:  # analysis must never lose collected data
            log.exception("pipeline step %s failed", name)
            report[name] = f"fout: {exc}"
    return report
