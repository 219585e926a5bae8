"""`onrust meeting agenda` and `onrust handover`: the Coördinatieteam/kernteam agenda (000 Bijlage
3, 4, 5) and the overdrachtsdocument (000 §2.3) as Word or PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from analysis.situation import current_situation, situation_moment
from app.cli.context import Cli, Context, write_output
from comms.handover import handover_docx, handover_for, handover_pdf
from comms.meeting_export import agenda_docx, agenda_pdf
from comms.meetings import Agenda, OpenTask, agenda_for, open_tasks
from comms.tasks import load_protocol
from onrust.errors import UserError
from onrust.models import Incident, MeetingRecord, Situation
from onrust.store import Store
from onrust.timeutil import utcnow

_SUFFIXES = (".docx", ".pdf")


def _out(path: str) -> Path:
    out = Path(path)
    if out.suffix.lower() not in _SUFFIXES:
        raise UserError(f"Kies een .docx- of .pdf-bestand, niet '{out.name}'.")
    return out


def _incident(ctx: Context, store: Store) -> Incident:
    incident = store.incident(ctx.args.incident)
    if incident is None:
        raise UserError(f"Incident {ctx.args.incident} bestaat niet.")
    return incident


def _state(ctx: Context, store: Store, incident: Incident) -> tuple[datetime, Situation, list[OpenTask]]:
    """As the Overleg page computes it: the moment read (now, or the close), the situation from the
    stored inputs (nothing written) and the open tasks of the municipality's task list."""
    at = situation_moment(incident, utcnow(), ctx.settings.temperature.step_minutes)
    tasks = open_tasks(store, incident, load_protocol(ctx.settings.tasks.protocol), at)
    return at, current_situation(store, incident.id, at, ctx.settings), tasks


def _stored(store: Store, incident: Incident, meeting_id: int) -> MeetingRecord:
    meeting = store.meeting(meeting_id)
    if meeting is None or meeting.incident_id != incident.id:
        raise UserError(f"Overleg {meeting_id} bestaat niet bij incident {incident.id}.")
    return meeting


def _agenda(ctx: Context) -> int:
    out = _out(ctx.args.out)
    with ctx.open_store(reads_only=True) as store:
        incident = _incident(ctx, store)
        meeting = None if ctx.args.meeting is None else _stored(store, incident, ctx.args.meeting)
        if meeting is not None:
            agenda = Agenda.from_dict(meeting.agenda)  # as it was held
        else:
            at, sit, tasks = _state(ctx, store, incident)
            agenda = agenda_for(store, incident, sit, open_tasks=tasks, now=at, kind=ctx.args.kind)
    now = utcnow()
    write_output(out, (agenda_pdf if out.suffix.lower() == ".pdf" else agenda_docx)(agenda, meeting, now))
    ctx.emit({"path": str(out), "kind": agenda.kind, "points": len(agenda.points),
              "meeting": ctx.args.meeting},
             f"Agenda ({agenda.title}, {len(agenda.points)} punten) geschreven naar {out}.")
    return 0


def _handover(ctx: Context) -> int:
    out = _out(ctx.args.out)
    with ctx.open_store(reads_only=True) as store:
        incident = _incident(ctx, store)
        at, sit, tasks = _state(ctx, store, incident)
        doc = handover_for(store, incident, sit, open_tasks=tasks, now=at)
    write_output(out, handover_pdf(doc) if out.suffix.lower() == ".pdf" else handover_docx(doc))
    ctx.emit({"path": str(out), "inputs": len(doc.inputs), "points": len(doc.points)},
             f"Overdrachtsdocument geschreven naar {out}.")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("meeting agenda", "Agenda van het overleg (000 bijlage 3/4), ingevuld uit de huidige "
                    "stand, als Word of PDF", _agenda)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--out", required=True, help="FILE.docx of FILE.pdf")
    p.add_argument("--kind", choices=("eerste", "vervolg"),
                   help="1e overleg of vervolgoverleg (standaard: eerste zolang er geen overleg is vastgelegd)")
    p.add_argument("--meeting", type=int, help="een vastgelegd overleg (nummer) in plaats van een nieuwe agenda")
    p.add_argument("--json", action="store_true")
    p = cli.command("handover", "Overdrachtsdocument (000 §2.3) als Word of PDF", _handover)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--out", required=True, help="FILE.docx of FILE.pdf")
    p.add_argument("--json", action="store_true")
