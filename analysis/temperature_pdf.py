"""The one-page PDF for the driehoek meeting (fpdf2): where we stand, why, and what is being done.

Page 1 is what the mayor, the officier and the police chief read before the meeting: the
official phase as the headline with the indicator beside it, the temperature chart (the page's
own plotly figure, exported by the caller; without a browser a simple drawn curve), the rumours
with their status, the communication status, decisions and open actions. The formula and its
version stamp are on page 2, with the components: the explanation, not the headline.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.temperature_summary import TemperatureSummary
from onrust.models import Incident
from onrust.timeutil import fmt_local

_LATIN1 = str.maketrans({"≥": ">=", "≤": "<=", "×": "x", "—": "-", "–": "-", "“": '"', "”": '"',
                         "‘": "'", "’": "'", "…": "...", "·": "-", "•": "-"})
MAX_LINE = 160  # characters of one rumour, decision or action on page 1: it must stay one page


@dataclass(frozen=True, slots=True)
class BriefRumour:
    text: str
    status: str  # onbevestigd / bevestigd / ontkracht
    at: datetime | None  # when it was last confirmed, refuted or reported


@dataclass(frozen=True, slots=True)
class BriefComms:
    checklist_done: int
    checklist_applicable: int
    releases: tuple[tuple[str, str], ...]  # (kop, status label)
    overdue: tuple[str, ...]  # doelgroepen informed too late


@dataclass(frozen=True, slots=True)
class BriefLine:
    at: datetime | None
    text: str
    who: str = ""


@dataclass(frozen=True, slots=True)
class DriehoekBrief:
    """Everything page 1 shows, gathered by the caller from the store and the stages."""

    incident: Incident
    summary: TemperatureSummary
    phase_names: dict[int, str]
    series: pd.DataFrame  # for the drawn curve when `chart_png` is None
    chart_png: bytes | None
    rumours: tuple[BriefRumour, ...]
    comms: BriefComms
    decisions: tuple[BriefLine, ...]
    open_actions: tuple[BriefLine, ...]


def _pdf_text(text: str) -> str:
    """The PDF core fonts are Latin-1: keep Dutch accents, spell out the few symbols we use."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_LINE else text[: MAX_LINE - 3].rsplit(" ", 1)[0] + "..."


def summary_pdf(brief: DriehoekBrief) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    _front(pdf, brief)
    pdf.add_page()
    _why(pdf, brief.summary)
    return bytes(pdf.output())


def _heading(pdf: Any, text: str, size: int = 10) -> None:
    pdf.set_font("Helvetica", "B", size)
    pdf.cell(0, 6, _pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8.5)


def _lines(pdf: Any, lines: Sequence[str], empty: str) -> None:
    for line in lines or [empty]:
        pdf.multi_cell(0, 4.2, _pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _front(pdf: Any, brief: DriehoekBrief) -> None:
    s, incident = brief.summary, brief.incident
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 7, _pdf_text(f"Driehoekoverleg - {incident.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, _pdf_text(f"Gemeente {incident.municipality} - stand per {s.at_local}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    off = s.official_phase
    pdf.set_font("Helvetica", "B", 16)
    headline = (f"Officiële fase {off.phase}: {brief.phase_names.get(off.phase, '')}" if off
                else "Officiële fase: nog niet vastgesteld")
    pdf.cell(0, 9, _pdf_text(headline), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    if off:
        pdf.multi_cell(0, 4.6, _pdf_text(f"Vastgesteld {fmt_local(off.at)} door {off.author}: {_short(off.reason)}"),
                       new_x="LMARGIN", new_y="NEXT")
    temp = "geen gegevens" if s.temperature is None else f"{s.temperature:.0f}"
    trend = "" if s.trend_6h is None else f", trend {s.trend_6h:+.0f} in 6 uur".replace("+0 ", "gelijk ")
    pdf.multi_cell(0, 4.6, _pdf_text(f"Indicator: fase {s.phase} ({s.phase_name}), temperatuur {temp}{trend}. "
                                     f"{_short(s.phase_reason)}".rstrip()), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    if brief.chart_png is not None:
        y = pdf.get_y()
        pdf.image(io.BytesIO(brief.chart_png), x=pdf.l_margin, y=y, w=190, h=74)
        pdf.set_y(y + 75)
    else:
        _pdf_curve(pdf, brief.series, s.thresholds)
    _heading(pdf, "Geruchten")
    _lines(pdf, [f"[{r.status}] {_short(r.text)}" + (f" ({fmt_local(r.at)})" if r.at else "")
                 for r in brief.rumours[:5]], "Geen geruchten geregistreerd.")
    c = brief.comms
    _heading(pdf, "Communicatie")
    comms = [f"Checklist: {c.checklist_done} van {c.checklist_applicable} punten gedaan."]
    comms.append("Persberichten: " + ("; ".join(f"'{_short(t)}' ({st})" for t, st in c.releases[-4:])
                                      if c.releases else "nog geen."))
    comms.append("Te laat geïnformeerd: " + (", ".join(c.overdue) if c.overdue else "geen doelgroep."))
    _lines(pdf, comms, "")
    _heading(pdf, "Besluiten")
    _lines(pdf, [f"{fmt_local(d.at)} - {_short(d.text)}" + (f" ({d.who})" if d.who else "")
                 for d in brief.decisions[-6:]], "Nog geen besluiten in het logboek.")
    _heading(pdf, "Open acties")
    _lines(pdf, [(f"uiterlijk {fmt_local(a.at)} - " if a.at else "") + _short(a.text)
                 for a in brief.open_actions[:6]], "Geen open acties.")


def _why(pdf: Any, s: TemperatureSummary) -> None:
    _heading(pdf, "Waarom: de componenten van de temperatuur", 12)
    pdf.multi_cell(0, 4.6, _pdf_text(s.formula), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, _pdf_text(f"Formuleversie {s.formula_version}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(col_widths=(28, 14, 148), text_align=("LEFT", "RIGHT", "LEFT")) as table:
        table.row(["Component", "Waarde", "Toelichting"])
        for comp in s.components:
            value = "-" if comp.value is None else f"{comp.value:.0f}"
            table.row([comp.label, value, _pdf_text(comp.explanation)])
    diagnosis = s.diagnosis
    if diagnosis is not None:
        pdf.ln(2)
        _heading(pdf, f"Laatste crisisdiagnose ({fmt_local(diagnosis.at)}, {diagnosis.author})")
        _lines(pdf, list(diagnosis.lines), "")


def _pdf_curve(pdf: Any, series: pd.DataFrame, thresholds: Sequence[float]) -> None:
    """A small temperature curve drawn with lines, for a machine without a browser to export the chart."""
    x0, y0, w, h = pdf.l_margin, pdf.get_y(), 190.0, 40.0
    pdf.set_draw_color(180, 180, 180)
    pdf.rect(x0, y0, w, h)
    for level in thresholds:
        y = y0 + h - h * level / 100
        pdf.line(x0, y, x0 + w, y)
    known = series.dropna(subset=["temperature"])
    if len(known) >= 2:
        t = (known["at"] - series["at"].iloc[0]) / (series["at"].iloc[-1] - series["at"].iloc[0])
        ys = y0 + h - h * known["temperature"].to_numpy() / 100
        pts = list(zip(x0 + w * t.to_numpy(), ys, strict=True))
        pdf.set_draw_color(179, 38, 30)
        for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
            pdf.line(xa, ya, xb, yb)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_xy(x0, y0 + h)
    if len(series):
        pdf.cell(0, 4, _pdf_text(f"Temperatuur {fmt_local(series['at'].iloc[0].to_pydatetime())} - "
                                 f"{fmt_local(series['at'].iloc[-1].to_pydatetime())}; lijnen: drempels "
                                 "fase 2, 3, 4 (eenvoudige grafiek: geen browser voor de volledige)"),
                 new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2)
