"""`onrust temperature`: phase, temperature and why, now or as known at a past moment."""

from __future__ import annotations

from analysis.temperature_summary import TemperatureSummary, incident_summary
from app.cli.context import Cli, Context, time_arg
from onrust.errors import UserError
from onrust.models import Incident
from onrust.timeutil import fmt_local


def _pick_incident(store, wanted: int | None) -> Incident:
    if wanted is not None:
        incident = store.incident(wanted)
        if incident is None:
            raise UserError(f"Incident {wanted} bestaat niet.")
        return incident
    candidates = [i for i in store.incidents() if i.status == "open"] or store.incidents()
    if not candidates:
        raise UserError("Er is nog geen incident. Maak er een aan of start de demo (`onrust demo`).")
    return candidates[0]


def _text(s: TemperatureSummary, incident: Incident) -> str:
    temp = "geen gegevens" if s.temperature is None else f"{s.temperature:.0f}"
    trend_txt = "" if s.trend_6h is None else f" (trend {s.trend_6h:+.0f} in 6 uur)"
    off = s.official_phase
    lines = [
        f"{incident.name} (#{incident.id}) — stand per {s.at_local}",
        f"Fase {s.phase}: {s.phase_name}" + (f" — {s.phase_reason}" if s.phase_reason else ""),
        "Officiële fase: " + (f"{off.phase} ({off.reason}; {off.author})" if off
                               else "nog niet vastgesteld"),
        f"Temperatuur: {temp}{trend_txt}",
        f"  {s.formula}",
        "Waarom:",
    ]
    for comp in s.components:
        value = "—" if comp.value is None else f"{comp.value:.0f}"
        lines.append(f"  {comp.label:<13} {value:>4}  {comp.explanation}")
    lines.append(f"Formuleversie: {s.formula_version}")
    if s.diagnosis:
        lines.append(f"Crisisdiagnose {fmt_local(s.diagnosis.at)} ({s.diagnosis.author}):\n  "
                     + "\n  ".join(s.diagnosis.lines))
    return "\n".join(lines)


def _temperature(ctx: Context) -> int:
    at = time_arg(ctx.args.at)
    with ctx.open_store() as store:
        incident = _pick_incident(store, ctx.args.incident)
        s = incident_summary(store, incident, ctx.settings, at)
    if s is None:
        raise UserError("Nog geen temperatuur: het tijdstip ligt voor het begin van het incident.")
    ctx.emit({"incident": incident.id, **s.as_dict()}, _text(s, incident))
    return 0


def register(cli: Cli) -> None:
    p = cli.command("temperature", "Temperatuur, fase en onderbouwing van een incident", _temperature)
    p.add_argument("--incident", type=int, help="incident-id (anders het nieuwste open incident)")
    p.add_argument("--at", help="tijdstip (ISO, lokale tijd): toon wat toen bekend was")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
