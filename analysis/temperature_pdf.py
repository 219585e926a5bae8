"""The one-page PDF summary of the temperature for the driehoek meeting (fpdf2, pure Python)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.temperature_summary import TemperatureSummary
from onrust.models import Incident
from onrust.pdf import pdf_text as _pdf_text
from onrust.timeutil import fmt_local


def summary_pdf(incident: Incident, s: TemperatureSummary, series: pd.DataFrame) -> bytes:
    """One page for the driehoek meeting: phase, temperature, why, the curve, the diagnosis."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, _pdf_text(f"Temperatuur - {incident.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, _pdf_text(f"Stand per {s.at_local} - formule {s.formula_version}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, _pdf_text(f"Fase {s.phase}: {s.phase_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    temp = "geen gegevens" if s.temperature is None else f"{s.temperature:.0f}"
    trend_txt = "" if s.trend_6h is None else f" (trend {s.trend_6h:+.0f} in 6 uur)"
    off = s.official_phase
    for line in (f"Temperatuur: {temp}{trend_txt}",
                 f"Reden fase: {s.phase_reason or '-'}",
                 "Officiële fase: " + (f"{off.phase} - {off.reason} ({off.author})" if off
                                       else "nog niet vastgesteld"),
                 s.formula):
        pdf.multi_cell(0, 5, _pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pdf_curve(pdf, series[series["at"] > series["at"].iloc[-1] - pd.Timedelta(days=14)], s.thresholds)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Waarom (componenten)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(col_widths=(28, 14, 148), text_align=("LEFT", "RIGHT", "LEFT")) as table:
        table.row(["Component", "Waarde", "Toelichting"])
        for comp in s.components:
            value = "-" if comp.value is None else f"{comp.value:.0f}"
            table.row([comp.label, value, _pdf_text(comp.explanation)])
    diagnosis = s.diagnosis
    if diagnosis is not None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _pdf_text(f"Laatste crisisdiagnose ({fmt_local(diagnosis.at)}, {diagnosis.author})"),
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        for line in diagnosis.lines:
            pdf.multi_cell(0, 5, _pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_curve(pdf: Any, series: pd.DataFrame, thresholds: Sequence[float]) -> None:
    """A small temperature curve drawn with lines: no browser or image library needed."""
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
    pdf.cell(0, 4, _pdf_text(f"Temperatuur {fmt_local(series['at'].iloc[0].to_pydatetime())} - "
                             f"{fmt_local(series['at'].iloc[-1].to_pydatetime())}; lijnen: drempels "
                             "fase 2, 3, 4"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2)
