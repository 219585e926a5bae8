"""Static images of the dashboard's own plotly figures, for PDFs and Word documents.

kaleido drives the machine's Chromium (Debian's /usr/bin/chromium here) to render the very
figure the page shows. A missing or broken browser must not stop a meeting document: the caller
gets None and draws its simpler chart.
"""

from __future__ import annotations

import logging

import plotly.graph_objects as go

log = logging.getLogger("onrust.chart_image")


def figure_png(fig: go.Figure, *, width: int = 1400, height: int = 540) -> bytes | None:
    """The figure as PNG, or None when it cannot be exported on this machine (logged why)."""
    try:
        return fig.to_image(format="png", width=width, height=height, scale=1)
    except Exception as exc:  # kaleido/choreographer raise their own types for a missing browser
        log.warning("grafiek niet als afbeelding te maken (%s): %s", type(exc).__name__, exc)
        return None
