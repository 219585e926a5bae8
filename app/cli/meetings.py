"""`onrust meeting agenda` and `onrust handover`: the Coördinatieteam/kernteam agenda (000 Bijlage
3, 4, 5) and the overdrachtsdocument (000 §2.3) as Word or PDF."""

from __future__ import annotations

from pathlib import Path

from analysis.situation import current_situation, situation_moment
from app.cli.context import Cli, Context
from comms.handover import handover_docx, handover_for, handover_pdf
from comms.meeting_export import agenda_docx, agenda_pdf
from comms.meetings import Agenda, OpenTask, agenda_for
from onrust.errors import UserError
from onrust.models import Incident, MeetingRecord, Situation
from onrust.store import Store
from onrust.timeutil import utcnow

_SUFFIXES = (".docx", ".pdf")
# The task lists (issue 10, time-boxed tasks) are built on another branch; until they are wired
# in, the agenda and the handover say "Geen open taken".
OPEN_TASKS: tuple[OpenTask, ...] = ()


def _out(path: str) -> Path:
    out = Path(path)
    if out.suffix.lower() not in _SUFFIXES:
        raise UserError(f"Kies een .docx- of .pdf-bestand, niet '{out.name}'.")
    return out


def _write(out: Path, content: bytes) -> None:
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise UserError(f"Kan {out} niet schrijven: {exc.strerror}") from exc


def _incident(ctx: Context, store: Store) -> Incident:
    incident = store.incident(ctx.args.incident)
    if incident is None:
        raise UserError(f"Incident {ctx.args.incident} bestaat niet.")
    return incident


def _situation(ctx: Context, store: Store, incident: Incident) -> Situation:
    """As the Overleg page computes it: stored inputs up to the last temperature step, nothing written."""
    at = situation_moment(incident, utcnow(), ctx.settings.temperature.step_minutes)
    return current_situation(store, incident.id, at, ctx.settings)


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
        agenda = (Agenda.from_dict(meeting.agenda) if meeting is not None  # as it was held
                  else agenda_for(store, incident, _situation(ctx, store, incident), open_tasks=OPEN_TASKS,
                                  now=utcnow(), kind=ctx.args.kind))
    now = utcnow()
    _write(out, (agenda_pdf if out.suffix.lower() == ".pdf" else agenda_docx)(agenda, meeting, now))
    ctx.emit({"path": str(out), "kind": agenda.kind, "points": len(agenda.points),
              "meeting": ctx.args.meeting},
             f"Agenda ({agenda.title}, {len(agenda.points)} punten) geschreven naar {out}.")
    return 0


def _handover(ctx: Context) -> int:
    out = _out(ctx.args.out)
    with ctx.open_store(reads_only=True) as store:
        incident = _incident(ctx, store)
        doc = handover_for(store, incident, _situation(ctx, store, incident), open_tasks=OPEN_TASKS, now=utcnow())
    _write(out, handover_pdf(doc) if out.suffix.lower() == ".pdf" else handover_docx(doc))
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
