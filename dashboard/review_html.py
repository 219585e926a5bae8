"""A self-contained HTML page with inline plotly charts, and its PDF through headless Chromium.

Self-contained means the file makes no request at all: plotly.js travels inside it, and a
Content-Security-Policy forbids every fetch. plotly.js is embedded base64-encoded because its
source carries some 180 address strings (SVG namespace names, map-tile defaults of chart types
we never draw); encoded, the file holds no "http://" or "https://" anywhere, which a test can
check strictly for every text we write ourselves. Every untrusted text goes through `esc`.
"""

from __future__ import annotations

import base64
import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from onrust.errors import UserError
from onrust.timeutil import fmt_local

CSP = ("default-src 'none'; script-src 'unsafe-inline' data:; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:")
CHROMIUM = "/usr/bin/chromium"
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d1d1d; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #1f3b73; padding-bottom: .2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eef1f7; } tr.late td { background: #fde2e1; } .muted { color: #666; font-size: .85rem; }
.figure { break-inside: avoid; } .note { background: #fff6d6; padding: .5rem .8rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def neutral(text: str) -> str:
    """Text as shown, never as an address: "://" becomes an entity (no link, no request)."""
    return text.replace("://", ":&#47;&#47;")


def esc(value: Any) -> str:
    """Escape an untrusted value for HTML text or attributes."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return neutral(html.escape(str(value), quote=True))


def fmt_cell(value: Any) -> str:
    """A cell as Dutch text: local times, ja/nee, one decimal, '—' for missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, datetime):
        return fmt_local(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.1f}"
    return esc(value)


def table(frame: pd.DataFrame, headers: Mapping[str, str], *, late: str | None = None,
          fmt: Mapping[str, Callable[[Any], str]] | None = None, empty: str = "Geen gegevens.") -> str:
    """An escaped table of `headers`' columns (column -> Dutch header); rows where `late` is
    true get the 'late' class."""
    if frame.empty:
        return f'<p class="muted">{esc(empty)}</p>'
    fmt = fmt or {}
    head = "".join(f"<th>{esc(h)}</th>" for h in headers.values())
    rows = []
    for row in frame.to_dict("records"):
        cells = "".join(f"<td>{fmt[c](row[c]) if c in fmt else fmt_cell(row[c])}</td>" for c in headers)
        cls = ' class="late"' if late and bool(row.get(late)) else ""
        rows.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def figure(fig: go.Figure, div_id: str) -> str:
    """A chart drawn by the embedded plotly.js from its JSON; "</" and "://" escaped in the JSON
    so no text inside it can close the script or read as an address."""
    spec = fig.to_json().replace("</", "<\\/").replace("://", ":\\u002f\\u002f")
    return (f'<div class="figure" id="{esc(div_id)}"></div><script>(function(){{const s={spec};'
            f'window.reviewCharts.push(Plotly.newPlot("{esc(div_id)}", s.data, s.layout,'
            '{displaylogo: false, responsive: true}));})();</script>')


@cache
def _plotly_js() -> str:
    return base64.b64encode(get_plotlyjs().encode("utf-8")).decode("ascii")


def page(title: str, body: str) -> str:
    """The whole document; `body` is HTML built with esc/table/figure. `document.body.dataset.ready`
    is set once every chart has drawn (the PDF and the browser test wait for it)."""
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{esc(title)}</title><style>{STYLE}</style>"
        f'<script src="data:text/javascript;base64,{_plotly_js()}"></script>'
        "<script>window.reviewCharts = [];</script></head><body>"
        f"{body}<script>Promise.all(window.reviewCharts).then(function(){{document.body.dataset.ready = '1';}});"
        "</script></body></html>"
    )


def chromium_path() -> str | None:
    """Debian's chromium (or BROWSER_PATH); None when absent."""
    wanted = os.environ.get("BROWSER_PATH") or CHROMIUM
    return wanted if Path(wanted).is_file() else shutil.which("chromium")


def pdf_bytes(document: str, *, timeout: float = 120) -> bytes:
    """Print the document with headless Chromium; a clear Dutch error when it is not installed."""
    browser = chromium_path()
    if browser is None:
        raise UserError("Voor een PDF is Chromium nodig (`apt-get install chromium`, of zet BROWSER_PATH); "
                        "het HTML-rapport werkt zonder.")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rapport.html"
        source.write_text(document, encoding="utf-8")
        target = Path(tmp) / "rapport.pdf"
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--virtual-time-budget=15000", f"--print-to-pdf={target}", source.as_uri()],
            capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0 or not target.is_file():
            raise UserError(f"Chromium kon de PDF niet maken (code {done.returncode}): {done.stderr[-300:]}")
        return target.read_bytes()


def html_to_pdf(document: str, pdf: Path) -> None:
    pdf.write_bytes(pdf_bytes(document))
