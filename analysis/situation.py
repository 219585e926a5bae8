"""The temperature summary as the plain Situation record that meeting agendas and the handover read."""

from __future__ import annotations

from analysis.temperature_summary import TemperatureSummary
from onrust.models import Situation


def situation(summary: TemperatureSummary | None) -> Situation:
    """None (no temperature yet: the incident has no series) gives an empty picture, not an error:
    a first meeting is often held before anything was measured."""
    if summary is None:
        return Situation(None, None, None, None, "", "", None, "", ())
    off, diag = summary.official_phase, summary.diagnosis
    return Situation(
        at=summary.at, temperature=summary.temperature, trend_6h=summary.trend_6h, phase=summary.phase,
        phase_name=summary.phase_name, phase_reason=summary.phase_reason,
        official_phase=off.phase if off else None, official_reason=off.reason if off else "",
        reasons=tuple(f"{c.label}: {c.explanation}" for c in summary.components if c.value),
        diagnosis_at=diag.at if diag else None, diagnosis_author=diag.author if diag else "",
        diagnosis_advice=diag.advice if diag else "", diagnosis=diag.lines if diag else (),
    )
