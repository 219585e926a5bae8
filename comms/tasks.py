"""Time-boxed task lists (003 Deel II fase 1-3; 000 §2.1), the triage of 003 and the risk moments
of 000 Bijlage 7: the seed lists from data/, their due times from an incident's start, what is
overdue, and the checked writes the page and `onrust task` share.

The due-time logic is pure (the caller passes `now`); the write functions check the input, give
one Dutch message per problem (UserError) and let the store append the logbook line.
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from onrust.errors import UserError
from onrust.models import RiskMoment, TaskState
from onrust.paths import DATA_DIR
from onrust.timeutil import AMSTERDAM, fmt_local, local, to_utc

if TYPE_CHECKING:
    from onrust.store import Store

TASK_DIR = DATA_DIR / "tasks"
TRIAGE_FILE = DATA_DIR / "triage.toml"
MOMENTS_FILE = DATA_DIR / "guidance" / "bijlage7.toml"
MAX_NOTE = 2_000
TaskStatus = Literal["open", "te laat", "gedaan", "te laat gedaan"]


@dataclass(frozen=True, slots=True)
class Due:
    """A time box after the incident's start: "binnen 3 uur", "binnen 2 weken", "binnen 2 maanden"."""

    hours: int = 0
    days: int = 0
    months: int = 0

    def after(self, start: datetime) -> datetime:
        """Hours count on the clock; days and months on the Amsterdam calendar (a time box of a day
        across the DST change still ends at the same wall-clock time), month ends clamped."""
        moment = local(start) + timedelta(hours=self.hours)
        if self.days or self.months:
            wall = moment.replace(tzinfo=None)
            month_index = wall.month - 1 + self.months
            year, month = wall.year + month_index // 12, month_index % 12 + 1
            day = min(wall.day, calendar.monthrange(year, month)[1])
            wall = wall.replace(year=year, month=month, day=day) + timedelta(days=self.days)
            moment = wall.replace(tzinfo=AMSTERDAM)
        return to_utc(moment)


@dataclass(frozen=True, slots=True)
class TaskTemplate:
    """One task of a protocol's list: a point under a step, or a step without points."""

    id: str             # "003-1.1-2": for `onrust task` and the store, never shown on a page
    number: str         # "1.1 punt 2", "stap 3.4", "Fase I punt 1": as the seed numbers it
    phase: str          # "Fase 1: Organisatie"
    step: str           # "1.1 Afdelingshoofd"; "" when the seed has no steps (000 §2.1)
    text: str
    ref: str
    within: str         # the seed's time box, "Binnen 3 uur"; "" when the seed gives none
    due: Due | None

    @property
    def title(self) -> str:
        """The task in one line for agendas and exports, by its seed step ("stap 1.2: secretaris"):
        a point alone ("secretaris") does not say what is to be done."""
        number = self.step.split(" ", 1)[0] if self.step else ""
        return f"stap {number}: {self.text}" if number else self.text


@dataclass(frozen=True, slots=True)
class TaskProtocol:
    key: str
    title: str
    reference: str
    tasks: tuple[TaskTemplate, ...]

    def task(self, task_id: str) -> TaskTemplate:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise UserError(f"Onbekende taak '{task_id}' in de takenlijst van {self.reference}; "
                        "zie `onrust task list` voor de nummers.")


def _due(raw: Mapping[str, Any], where: str) -> Due | None:
    units = {k: int(v) for k, v in raw.items() if k in ("due_hours", "due_days", "due_months")}
    if len(units) > 1:
        raise ValueError(f"{where}: geef één termijn (due_hours, due_days of due_months), niet {sorted(units)}")
    if not units:
        return None
    (unit, value), = units.items()
    return Due(**{unit.removeprefix("due_"): value})


def parse_protocol(data: Mapping, source: str) -> TaskProtocol:
    """The task list of a data/tasks file; ValueError names the file and the step when inconsistent."""
    tasks: list[TaskTemplate] = []
    for phase in data["phase"]:
        phase_due = _due(phase, f"{source}: {phase['name']}")
        for step in phase["step"]:
            where = f"{source}: stap {step['number'] or phase['name']}"
            due, within = _due(step, where) or phase_due, step.get("within", phase["within"])
            label = f"{step['number']} {step['title']}".strip()
            ref = f"{phase['ref']}, {step['number']}" if step["number"] else phase["ref"]
            base = f"{data['key']}-{step['number'] or phase['key']}"
            points = step["points"] or [step["title"]]  # a step without points is a task itself
            if not all(isinstance(p, str) and p.strip() for p in points):
                raise ValueError(f"{where}: lege taak")
            where_in = step["number"] or f"Fase {phase['key']}"
            tasks += [TaskTemplate(base if not step["points"] else f"{base}-{n}",
                                   f"stap {where_in}" if not step["points"] else f"{where_in} punt {n}",
                                   phase["name"], label, text, ref, within, due) for n, text in enumerate(points, 1)]
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{source}: dubbele taaknummers")
    return TaskProtocol(data["key"], data["title"], data["reference"], tuple(tasks))


def protocol_keys(folder: Path = TASK_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in folder.glob("*.toml")))


@cache
def load_protocol(key: str) -> TaskProtocol:
    path = TASK_DIR / f"{key}.toml"
    if not path.is_file():
        raise UserError(f"Geen takenlijst '{key}'; kies uit: {', '.join(protocol_keys())}.")
    with path.open("rb") as fh:
        return parse_protocol(tomllib.load(fh), path.name)


# -- due times and status ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task of one incident as the list shows it."""

    task: TaskTemplate
    due_at: datetime | None
    status: TaskStatus
    done_at: datetime | None
    done_by: str | None
    note: str

    @property
    def overdue(self) -> bool:
        return self.status == "te laat"


def task_status(due_at: datetime | None, done_at: datetime | None, now: datetime) -> TaskStatus:
    """Overdue once the due moment has passed while open; done after it is "te laat gedaan"."""
    if done_at is not None:
        return "te laat gedaan" if due_at is not None and to_utc(done_at) > to_utc(due_at) else "gedaan"
    return "te laat" if due_at is not None and to_utc(now) > to_utc(due_at) else "open"


def task_rows(protocol: TaskProtocol, opened_at: datetime, states: Iterable[TaskState], now: datetime) -> list[TaskRow]:
    """Every task of the list in seed order with its due time from the incident's start."""
    by_id = {s.task_id: s for s in states}
    rows = []
    for task in protocol.tasks:
        state = by_id.get(task.id)
        due_at = task.due.after(opened_at) if task.due else None
        done_at = state.done_at if state else None
        rows.append(TaskRow(task, due_at, task_status(due_at, done_at, now), done_at,
                            state.done_by if state else None, state.note if state else ""))
    return rows


def evaluated_at(closed_at: datetime | None, now: datetime) -> datetime:
    """The moment a task list is judged at: a closed incident's list as it stood at the close
    (a task due after it was not late), an open one now."""
    return min(to_utc(closed_at), to_utc(now)) if closed_at else now


def due_text(row: TaskRow) -> str:
    if row.due_at is None:
        return "geen termijn"
    return f"{fmt_local(row.due_at)} ({row.task.within.lower()})"


# -- checked writes ------------------------------------------------------------------------------


def _open_incident_time(store: Store, incident_id: int) -> datetime:
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet.")
    return incident.opened_at


def complete_task(store: Store, protocol: TaskProtocol, incident_id: int, task_id: str, author: str,
                  done_at: datetime, *, now: datetime, logged_at: datetime | None = None) -> TaskTemplate:
    """Mark done (who and when); the logbook gets "Taak afgerond" as an actie (at `logged_at`:
    now, unless the demo replays its history)."""
    opened_at = _open_incident_time(store, incident_id)
    task = protocol.task(task_id)
    problems = [] if author.strip() else ["Vul in wie de taak heeft gedaan."]
    if to_utc(done_at) > to_utc(now) + timedelta(minutes=5):
        problems.append("Het tijdstip 'gedaan op' ligt in de toekomst.")
    if to_utc(done_at) < to_utc(opened_at):
        problems.append(f"Het tijdstip 'gedaan op' ligt vóór het begin van het incident ({fmt_local(opened_at)}).")
    if problems:
        raise UserError("\n".join(problems))
    store.set_task_done(incident_id, task.id, done_at, author.strip(),
                        f"Taak afgerond ({task.ref}): {task.text}", logged_at=logged_at)
    return task


def reopen_task(store: Store, protocol: TaskProtocol, incident_id: int, task_id: str, author: str) -> TaskTemplate:
    _open_incident_time(store, incident_id)
    task = protocol.task(task_id)
    if not author.strip():
        raise UserError("Vul in wie de taak weer openzet.")
    store.set_task_done(incident_id, task.id, None, author.strip(), f"Taak weer open ({task.ref}): {task.text}")
    return task


def note_task(store: Store, protocol: TaskProtocol, incident_id: int, task_id: str, note: str,
              author: str, *, logged_at: datetime | None = None) -> TaskTemplate:
    """A note on a task; the task keeps the latest, the logbook every one."""
    _open_incident_time(store, incident_id)
    task = protocol.task(task_id)
    problems = [] if note.strip() else ["Vul de notitie in."]
    problems += [f"De notitie is langer dan {MAX_NOTE} tekens."] if len(note) > MAX_NOTE else []
    problems += [] if author.strip() else ["Vul in wie de notitie schrijft."]
    if problems:
        raise UserError("\n".join(problems))
    store.set_task_note(incident_id, task.id, note.strip(), author.strip(),
                        f"Notitie bij taak {task.number} ({task.ref}): {note.strip()}", logged_at=logged_at)
    return task


# -- triage (003 Deel II, "Melding komt binnen") ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class TriageOutcome:
    key: str
    label: str
    text: str
    ref: str


@cache
def triage_outcomes() -> Mapping[str, TriageOutcome]:
    with TRIAGE_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {o["key"]: TriageOutcome(o["key"], o["label"], o["text"], data["reference"]) for o in data["outcome"]}


def triage_problems(outcome: str | None, author: str) -> list[str]:
    """Why a triage outcome cannot be recorded (Dutch); no outcome is "not assessed yet", allowed."""
    if outcome is None:
        return []
    if outcome not in triage_outcomes():
        return [f"Onbekende triage-uitkomst '{outcome}'; kies uit: {', '.join(triage_outcomes())}."]
    return [] if author.strip() else ["Vul in wie de triage heeft gedaan."]


def record_triage(store: Store, incident_id: int, outcome: str, author: str,
                  *, decided_at: datetime | None = None) -> TriageOutcome:
    _open_incident_time(store, incident_id)
    problems = triage_problems(outcome, author)
    if problems:
        raise UserError("\n".join(problems))
    found = triage_outcomes()[outcome]
    store.record_triage(incident_id, outcome, author.strip(), f"Triage ({found.ref}): {found.text}",
                        decided_at=decided_at)
    return found


# -- risk moments (000 Bijlage 7 "momenten van mogelijke onrust") ----------------------------------


@dataclass(frozen=True, slots=True)
class MomentKind:
    key: str
    label: str
    text: str


@cache
def moment_kinds() -> Mapping[str, MomentKind]:
    with MOMENTS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {m["key"]: MomentKind(m["key"], m["label"], m["text"]) for m in data["moment"]}


def set_moment(store: Store, incident_id: int, moment_key: str, expected_at: datetime | None, author: str,
               note: str = "", *, logged_at: datetime | None = None) -> None:
    """Date a risk moment (or clear it with None); the logbook records it as a gebeurtenis."""
    _open_incident_time(store, incident_id)
    kinds = moment_kinds()
    problems = [] if moment_key in kinds else [f"Onbekend risicomoment '{moment_key}'; kies uit: {', '.join(kinds)}."]
    problems += [] if author.strip() else ["Vul in wie het risicomoment vastlegt."]
    problems += [f"De notitie is langer dan {MAX_NOTE} tekens."] if len(note) > MAX_NOTE else []
    if problems:
        raise UserError("\n".join(problems))
    label = kinds[moment_key].label
    text = (f"Risicomoment '{label}' verwacht op {fmt_local(expected_at)} (000 Bijlage 7)" if expected_at
            else f"Risicomoment '{label}' niet meer verwacht (000 Bijlage 7)")
    store.set_risk_moment(incident_id, moment_key, expected_at, note.strip(), author.strip(), text,
                          logged_at=logged_at)


def moments_frame(moments: Sequence[RiskMoment], start: datetime, end: datetime) -> pd.DataFrame:
    """The dated moments inside [start, end] for the temperature chart: `at` (UTC) and `label`."""
    kinds = moment_kinds()
    inside = [m for m in moments if m.moment_key in kinds and to_utc(start) <= to_utc(m.expected_at) <= to_utc(end)]
    return pd.DataFrame({"at": pd.to_datetime([to_utc(m.expected_at) for m in inside], utc=True),
                         "label": [kinds[m.moment_key].label for m in inside]})


def ahead_text(expected_at: datetime, now: datetime) -> str:
    """"over 3 dagen", "morgen", "vandaag om 14:00", "2 dagen geleden": counted in calendar days."""
    days = (local(expected_at).date() - local(now).date()).days
    if days == 0:
        return f"vandaag om {local(expected_at):%H:%M}"
    if days == 1:
        return "morgen"
    if days == -1:
        return "gisteren"
    return f"over {days} dagen" if days > 0 else f"{-days} dagen geleden"


def upcoming(moments: Sequence[RiskMoment], now: datetime) -> list[str]:
    """The risk moments still ahead (from today on), soonest first: "over 3 dagen: uitspraak (…)"."""
    kinds = moment_kinds()
    ahead = [m for m in moments if local(m.expected_at).date() >= local(now).date()]
    return [f"{ahead_text(m.expected_at, now)}: {kinds[m.moment_key].label} ({fmt_local(m.expected_at)})"
            for m in sorted(ahead, key=lambda m: to_utc(m.expected_at)) if m.moment_key in kinds]
