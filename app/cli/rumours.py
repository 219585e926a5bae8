"""CLI: `rumours show` (the rumour tracker of an incident) and `rumours set` (the analist's status)."""

from __future__ import annotations

from dataclasses import asdict

from analysis.omgevingsbeeld_data import default_period, snapshot
from analysis.rumours import Rumour
from app.cli.context import Cli, Context
from onrust.errors import UserError
from onrust.models import RUMOUR_STATUSES, Incident
from onrust.timeutil import fmt_local, utcnow


def _tracker(store, incident_id: int, lead_days: int) -> tuple[Incident, tuple[Rumour, ...]]:
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet (zie het dashboard of `onrust demo`).")
    start, end = default_period(incident, lead_days, utcnow())
    return incident, snapshot(store, incident, start, end, utcnow()).tracker


def _line(r: Rumour) -> str:
    line = f"{r.key:<12} {r.status:<12} {r.mentions:>3}×  {r.text}"
    if r.evidence is not None:
        line += f"\n{'':<12} {r.status} door {r.evidence.title or r.evidence.ref or '—'}, " \
                f"{fmt_local(r.evidence.at)}; {r.evidence.how}"
    return line


def _show(ctx: Context) -> int:
    store = ctx.open_store()
    try:
        _, tracker = _tracker(store, ctx.args.incident, ctx.settings.relevance.lead_days)
    finally:
        store.close()
    ctx.emit([asdict(r) for r in tracker], "\n".join(_line(r) for r in tracker) or "Geen geruchten gevonden.")
    return 0


def _set(ctx: Context) -> int:
    args = ctx.args
    store = ctx.open_store()
    try:
        incident, tracker = _tracker(store, args.incident, ctx.settings.relevance.lead_days)
        rumour = next((r for r in tracker if r.key == args.rumour), None)
        if rumour is None:
            raise UserError(f"Gerucht '{args.rumour}' staat niet in de geruchtentracker van dit incident "
                            "(zie `onrust rumours show`).")
        store.set_rumour_status(incident.id, rumour.key, args.status, args.author, text=rumour.text,
                                evidence=args.evidence, note=args.note)
        _, tracker = _tracker(store, incident.id, ctx.settings.relevance.lead_days)
    finally:
        store.close()
    now = next(r for r in tracker if r.key == args.rumour)
    ctx.emit(asdict(now), _line(now))
    return 0


def register(cli: Cli) -> None:
    p = cli.command("rumours show", "geruchtentracker: elk gerucht met status en wat het bevestigde of ontkrachtte",
                    _show)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p = cli.command("rumours set", "status van een gerucht vastleggen (komt in het logboek)", _set)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--rumour", required=True, help="sleutel uit `rumours show`, bijv. signal:4 of item:12")
    p.add_argument("--status", required=True, choices=RUMOUR_STATUSES)
    p.add_argument("--evidence", help="wat het bevestigde of ontkrachtte: item:ID of signal:ID")
    p.add_argument("--note", default="", help="toelichting")
    p.add_argument("--author", default="omgevingsanalist")
    p.add_argument("--json", action="store_true")
