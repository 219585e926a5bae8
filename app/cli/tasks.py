"""`onrust task list|done|note|moment`: the Taken page on the command line: the time-boxed task list
of the protocol in the settings (tasks.protocol), with the same rules and logbook lines."""

from __future__ import annotations

import getpass
from typing import Any

from app.cli.context import Cli, Context, time_arg
from comms.tasks import (
    TaskRow,
    complete_task,
    due_text,
    evaluated_at,
    load_protocol,
    moment_kinds,
    note_task,
    set_moment,
    task_rows,
    triage_outcomes,
    upcoming,
)
from onrust.errors import UserError
from onrust.timeutil import fmt_local, to_utc, utcnow

_MARK = {"open": "[ ]", "te laat": "[!]", "gedaan": "[x]", "te laat gedaan": "[x]"}


def _iso(value: Any) -> str | None:
    return to_utc(value).isoformat() if value else None


def _row_dict(row: TaskRow) -> dict[str, Any]:
    t = row.task
    return {"id": t.id, "phase": t.phase, "step": t.step, "text": t.text, "ref": t.ref, "within": t.within,
            "due_at": _iso(row.due_at), "status": row.status, "done_at": _iso(row.done_at),
            "done_by": row.done_by, "note": row.note}


def _row_line(row: TaskRow) -> str:
    done = f" — gedaan {fmt_local(row.done_at)} door {row.done_by}" if row.done_at else ""
    note = f"\n      notitie: {' '.join(row.note.split())}" if row.note else ""
    late = " TE LAAT" if row.status in ("te laat", "te laat gedaan") else ""
    return f"  {_MARK[row.status]} {row.task.id:<11} {row.task.text}\n      uiterlijk {due_text(row)}{late}{done}{note}"


def _list(ctx: Context) -> int:
    protocol = load_protocol(ctx.settings.tasks.protocol)
    now = utcnow()
    with ctx.open_store(reads_only=True) as store:
        incident = store.incident(ctx.args.incident)
        if incident is None:
            raise UserError(f"Incident {ctx.args.incident} bestaat niet.")
        rows = task_rows(protocol, incident.opened_at, store.task_states(incident.id),
                         evaluated_at(incident.closed_at, now))
        moments, triage = store.risk_moments(incident.id), store.triage(incident.id)
    outcome = triage_outcomes().get(triage.outcome) if triage else None
    lines = [f"Takenlijst {protocol.reference} ({protocol.title}), vanaf {fmt_local(incident.opened_at)}",
             f"Triage: {outcome.text} ({fmt_local(triage.decided_at)}, {triage.author})" if outcome and triage
             else "Triage: nog niet vastgelegd",
             *[f"Risicomoment {line}" for line in upcoming(moments, now)]]
    phase = None
    for row in rows:
        if row.task.phase != phase:
            phase = row.task.phase
            lines.append(f"{phase} ({row.task.within or 'geen termijn'})")
        lines.append(_row_line(row))
    late = sum(r.overdue for r in rows)
    lines.append(f"{sum(r.done_at is not None for r in rows)} van {len(rows)} gedaan, {late} te laat.")
    ctx.emit({"protocol": protocol.key, "triage": triage.outcome if triage else None,
              "risk_moments": [{"moment": m.moment_key, "expected_at": _iso(m.expected_at), "note": m.note}
                               for m in moments],
              "tasks": [_row_dict(r) for r in rows]}, "\n".join(lines))
    return 0


def _done(ctx: Context) -> int:
    protocol = load_protocol(ctx.settings.tasks.protocol)
    now = utcnow()
    with ctx.open_store() as store:
        task = complete_task(store, protocol, ctx.args.incident, ctx.args.task, ctx.args.by,
                             time_arg(ctx.args.at) or now, now=now)
    ctx.emit({"task": task.id, "done": True}, f"Taak {task.id} afgerond (actie in het logboek).")
    return 0


def _note(ctx: Context) -> int:
    protocol = load_protocol(ctx.settings.tasks.protocol)
    with ctx.open_store() as store:
        task = note_task(store, protocol, ctx.args.incident, ctx.args.task, ctx.args.text, ctx.args.by)
    ctx.emit({"task": task.id, "note": ctx.args.text.strip()},
             f"Notitie bij taak {task.id} opgeslagen (actie in het logboek).")
    return 0


def _moment(ctx: Context) -> int:
    expected = None if ctx.args.clear else time_arg(ctx.args.at)
    if expected is None and not ctx.args.clear:
        raise UserError("Geef --at (wanneer het moment verwacht wordt) of --clear.")
    with ctx.open_store() as store:
        set_moment(store, ctx.args.incident, ctx.args.moment, expected, ctx.args.by, ctx.args.note)
    when = f"verwacht op {fmt_local(expected)}" if expected else "niet meer verwacht"
    ctx.emit({"moment": ctx.args.moment, "expected_at": _iso(expected)}, f"Risicomoment {ctx.args.moment} {when}.")
    return 0


def register(cli: Cli) -> None:
    by = getpass.getuser()
    p = cli.command("task list", "De takenlijst van een incident: termijnen, gedaan, te laat, risicomomenten", _list)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p = cli.command("task done", "Meld een taak afgerond (actie in het logboek)", _done)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--task", required=True, help="taaknummer uit `onrust task list`, bijv. 003-1.1-1")
    p.add_argument("--at", help="gedaan op (standaard: nu)")
    p.add_argument("--by", default=by, help=f"wie de taak deed (standaard {by})")
    p.add_argument("--json", action="store_true")
    p = cli.command("task note", "Schrijf een notitie bij een taak (actie in het logboek)", _note)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--task", required=True, help="taaknummer uit `onrust task list`")
    p.add_argument("--text", required=True)
    p.add_argument("--by", default=by, help=f"wie de notitie schrijft (standaard {by})")
    p.add_argument("--json", action="store_true")
    p = cli.command("task moment", "Leg de datum van een risicomoment vast (000 Bijlage 7)", _moment)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--moment", required=True, help="een van: " + ", ".join(moment_kinds()))
    p.add_argument("--at", help="wanneer het moment verwacht wordt, bijv. '12-10-2026 09:00'")
    p.add_argument("--clear", action="store_true", help="het moment wordt niet meer verwacht")
    p.add_argument("--note", default="", help="toelichting")
    p.add_argument("--by", default=by, help=f"wie het vastlegt (standaard {by})")
    p.add_argument("--json", action="store_true")
