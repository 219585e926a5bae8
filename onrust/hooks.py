"""Callables the composition root hands to code that may not import it.

The dashboard's pages run inside `onrust serve` but must never import `app`; a page that
collects on demand still has to run the analysis pipeline afterwards. The server registers the
pipeline and its settings here when it starts (tests register the pipeline in their fixtures),
and the page asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onrust.settings import Settings
    from onrust.store import Store

# What runs after stored items changed (app.pipeline.after_ingest): tagging, linking, scoring.
AfterIngest = Callable[["Store", "Settings"], object]

_after_ingest: AfterIngest | None = None
_settings: Settings | None = None


def set_after_ingest(step: AfterIngest | None) -> None:
    """Register the post-ingest pipeline for this process (None: unregister)."""
    global _after_ingest
    _after_ingest = step


def after_ingest() -> AfterIngest:
    """The registered pipeline; collecting without it would leave new items unanalysed."""
    if _after_ingest is None:
        raise LookupError("geen analysepijplijn geregistreerd: start het dashboard met `onrust serve`")
    return _after_ingest


def set_settings(settings: Settings | None) -> None:
    """Register the settings the server runs with, so a page's own collection ("Nu ophalen") uses
    the same ones (None: pages read the settings file again, as under AppTest)."""
    global _settings
    _settings = settings


def settings() -> Settings | None:
    return _settings
