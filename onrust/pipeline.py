"""What happens to stored items after every ingestion: tagging, linking, scoring.

Collection (live or demo) calls `after_ingest`; each capability registers one step here so the
dashboard never waits for analysis. A step takes (store, settings) and processes whatever is
not yet processed, so running it twice does nothing the second time.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from onrust.settings import Settings

log = logging.getLogger("onrust.pipeline")

# "module:function" per step, in order.
STEPS: tuple[str, ...] = (
    "analysis.jobs:tag_and_link",  # tags, then links items to incidents by watch profile
    "analysis.temperature_commands:refresh_all",  # new temperature points and alerts
)


def _resolve(spec: str) -> Callable:
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


def after_ingest(store, settings: Settings) -> dict[str, object]:
    """Run every step; a failing step is reported and the others still run."""
    report: dict[str, object] = {}
    for spec in STEPS:
        try:
            report[spec] = _resolve(spec)(store, settings)
        except Exception as exc:  # analysis must never lose collected data
            log.exception("pipeline step %s failed", spec)
            report[spec] = f"fout: {exc}"
    return report
