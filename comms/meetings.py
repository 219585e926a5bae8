"""Meetings of the Coördinatieteam / kernteam (000 Bijlage 3, 4, 5): the standard agenda, pre-filled
from the incident's current state, and the filled-in meeting that is stored with its decisions.

The agenda's texts come from data/meetings.toml; this module only adds what the product knows
now under the points that ask for it (`fill`), so the team starts from the picture instead of a
blank sheet. Everything here is internal: roster names appear, the document is not outward.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comms.tasks import TaskProtocol, evaluated_at, task_rows
from onrust.errors import UserError
from onrust.models import Incident, LogEntry, MeetingKind, MeetingRecord, RosterMember, Situation
from onrust.paths import DATA_DIR
from onrust.timeutil import fmt_local, to_utc

if TYPE_CHECKING:
    from onrust.store import Store

MEETINGS_FILE = DATA_DIR / "meetings.toml"
KIND_LABELS: dict[MeetingKind, str] = {"eerste": "1e overleg", "vervolg": "2e overleg en verder"}
# On every meeting and handover document: they carry team names and signal texts.
INTERNAL = "Intern document van het kernteam: bevat namen en signalen; niet verspreiden."
_LIST_MAX = 8  # items and signals listed by title under "changes"; the count covers the rest


@dataclass(frozen=True, slots=True)
class PointSpec:
    number: int
    title: str
    bullets: tuple[str, ...]
    fill: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgendaSpec:
    kind: MeetingKind
    ref: str
    title: str
    points: tuple[PointSpec, ...]


@dataclass(frozen=True, slots=True)
class HandoverLine:
    text: str
    fill: str


@dataclass(frozen=True, slots=True)
class MeetingData:
    agendas: dict[MeetingKind, AgendaSpec]
    states: dict[str, str]            # bollenschema key -> label (the three states)
    states_ref: str
    themes: tuple[str, ...]           # Bijlage 5, ten themes
    themes_ref: str
    handover_ref: str
    handover_title: str
    handover_intro: str
    handover_inputs: tuple[HandoverLine, ...]   # 000 §2.3, 3 inputs
    handover_points: tuple[HandoverLine, ...]   # 000 §2.3, 9 aandachtspunten


@cache
def load_meeting_data(path: Path = MEETINGS_FILE) -> MeetingData:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    agendas: dict[MeetingKind, AgendaSpec] = {}
    sections: tuple[tuple[MeetingKind, str], ...] = (("eerste", "first"), ("vervolg", "later"))
    for kind, key in sections:
        part = raw[key]
        points = tuple(PointSpec(n, p["title"], tuple(p["bullets"]), tuple(p["fill"]))
                       for n, p in enumerate(part["points"], start=1))
        agendas[kind] = AgendaSpec(kind, part["ref"], part["title"], points)
    hand = raw["handover"]
    return MeetingData(
        agendas=agendas,
        states={s["key"]: s["label"] for s in raw["bollenschema"]["states"]},
        states_ref=raw["bollenschema"]["ref"],
        themes=tuple(raw["themes"]["items"]), themes_ref=raw["themes"]["ref"],
        handover_ref=hand["ref"], handover_title=hand["title"], handover_intro=hand["intro"],
        handover_inputs=tuple(HandoverLine(x["text"], x["fill"]) for x in hand["inputs"]),
        handover_points=tuple(HandoverLine(x["text"], x["fill"]) for x in hand["points"]),
    )


@dataclass(frozen=True, slots=True)
class OpenTask:
    """A task not done yet, as the agenda and the handover read it. The task lists (another
    module) map their records to this; `due_at` None is a task without a time box."""

    title: str
    due_at: datetime | None = None
    owner: str = ""
    ref: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.due_at is not None and to_utc(self.due_at) < to_utc(now)


def open_tasks(store: Store, incident: Incident, protocol: TaskProtocol, now: datetime) -> list[OpenTask]:
    """The tasks of the incident's list (the protocol the municipality follows) not done by `now`,
    so an agenda generated for an earlier moment (the demo, a replay) lists what was open then."""
    at = evaluated_at(incident.closed_at, now)
    rows = task_rows(protocol, incident.opened_at, store.task_states(incident.id), at)
    return [OpenTask(row.task.title, row.due_at, ref=row.task.ref) for row in rows
            if row.done_at is None or to_utc(row.done_at) > to_utc(at)]


@dataclass(frozen=True, slots=True)
class Changes:
    """What came in since the last meeting (or since the incident opened, before the first)."""

    since: datetime
    item_count: int
    items: tuple[str, ...]
    signal_count: int
    signals: tuple[str, ...]
    decisions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgendaPoint:
    number: int
    title: str
    bullets: tuple[str, ...]
    prefill: tuple[str, ...]
    themes: bool = False              # the bollenschema is filled in under this point
    decisions: bool = False           # the decisions are recorded under this point
    next_meeting: bool = False


@dataclass(frozen=True, slots=True)
class Agenda:
    """A generated agenda: the seed's points with what the product filled in under them."""

    kind: MeetingKind
    ref: str
    title: str
    incident: str
    municipality: str
    generated_at: datetime
    since: datetime
    points: tuple[AgendaPoint, ...]
    themes: tuple[str, ...]
    previous_themes: dict[str, str] = field(default_factory=dict)
    to_decide: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["generated_at"] = to_utc(self.generated_at).isoformat()
        data["since"] = to_utc(self.since).isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Agenda:
        points = tuple(AgendaPoint(p["number"], p["title"], tuple(p["bullets"]), tuple(p["prefill"]),
                                   p["themes"], p["decisions"], p["next_meeting"]) for p in data["points"])
        return cls(data["kind"], data["ref"], data["title"], data["incident"], data["municipality"],
                   datetime.fromisoformat(data["generated_at"]), datetime.fromisoformat(data["since"]),
                   points, tuple(data["themes"]), dict(data["previous_themes"]), tuple(data["to_decide"]))


# -- what the agenda is filled from -------------------------------------------------------------


def changes_since(store: Store, incident_id: int, since: datetime, until: datetime, *,
                  previous: int | None = None) -> Changes:
    """Items, signals and decisions in [since, until]; the decisions of meeting `previous` (logged
    at its start) are that meeting's own, not news since it."""
    items = store.incident_items_frame(incident_id, since, until)
    signals = store.incident_signals_frame(incident_id, since, until)
    decisions = [e for e in store.log_entries(incident_id, decisions_only=True)
                 if to_utc(since) <= to_utc(e.logged_at) <= to_utc(until)
                 and (previous is None or (e.data or {}).get("overleg") != previous)]
    return Changes(
        since=since, item_count=len(items),
        items=tuple(f"{fmt_local(r.published_at)} {r.publisher}: {r.title}"
                    for r in items.head(_LIST_MAX).itertuples()),
        signal_count=len(signals),
        signals=tuple(f"{fmt_local(r.occurred_at)} {r.kind} ({r.verification}, ernst {r.severity}): "
                      f"{' '.join(str(r.text).split())}" for r in signals.head(_LIST_MAX).itertuples()),
        decisions=tuple(decision_line(e) for e in decisions),
    )


def decision_line(entry: LogEntry) -> str:
    return f"{fmt_local(entry.logged_at)} {entry.author}: {' '.join(entry.text.split())}"


def decisions_to_take(sit: Situation, strategy: Mapping[str, Any]) -> list[str]:
    """Decisions the state asks for: the official phase behind or ahead of the indicator, a
    diagnosis advice after the last phase decision, no decision yet on woordvoering."""
    todo: list[str] = []
    if sit.phase is not None and sit.phase != sit.official_phase:
        official = "nog niet vastgesteld" if sit.official_phase is None else f"fase {sit.official_phase}"
        todo.append(f"Officiële fase vaststellen: de indicator staat op fase {sit.phase} ({sit.phase_name}), "
                    f"officieel {official}.")
    if sit.diagnosis_advice:
        todo.append(f"Advies van de laatste crisisdiagnose ({fmt_local(sit.diagnosis_at)}) bespreken: "
                    f"{sit.diagnosis_advice}")
    if "woordvoering" not in strategy:
        todo.append("Besluiten wie het woord voert (woordvoering, 004 §2.2.1: regievoering "
                    "communicatie/woordvoering).")
    return todo


def _team_lines(roster: Sequence[RosterMember]) -> list[str]:
    filled = [m for m in roster if m.name]
    if not filled:
        return ["Nog niemand op het rooster ingevuld (Overleg > Team)."]
    return [f"{m.role or m.organisation} ({m.organisation}): {m.name}"
            + (f", {m.reachability}" if m.reachability else "") for m in filled]


def situation_lines(sit: Situation) -> list[str]:
    """The latest picture: temperature and why, phase, official phase, the last diagnosis."""
    if sit.at is None:
        lines = ["Nog geen temperatuur: er is nog niets gemeten voor dit incident."]
    else:
        trend = "" if sit.trend_6h is None else f", trend {sit.trend_6h:+.0f} in 6 uur"
        temp = "geen gegevens" if sit.temperature is None else f"{sit.temperature:.0f}"
        lines = [f"Stand per {fmt_local(sit.at)}: temperatuur {temp}{trend}; fase {sit.phase} "
                 f"({sit.phase_name}) volgens de indicator."]
        if sit.phase_reason:
            lines.append(f"Reden fase: {sit.phase_reason}")
        lines += [f"Waarom: {reason}" for reason in sit.reasons]
    lines.append("Officiële fase: " + (f"{sit.official_phase} ({sit.official_reason})" if sit.official_phase
                                       else "nog niet vastgesteld"))
    if sit.diagnosis_at is not None:
        lines.append(f"Laatste crisisdiagnose ({fmt_local(sit.diagnosis_at)}, {sit.diagnosis_author}): "
                     f"{sit.diagnosis_advice}")
        lines += list(sit.diagnosis)
    else:
        lines.append("Nog geen crisisdiagnose vastgelegd (Temperatuur > diagnose).")
    return lines


def _change_lines(ch: Changes) -> list[str]:
    lines = [f"Sinds {fmt_local(ch.since)}: {ch.item_count} berichten, {ch.signal_count} signalen, "
             f"{len(ch.decisions)} besluiten."]
    lines += [f"Bericht: {t}" for t in ch.items]
    lines += [f"Signaal: {t}" for t in ch.signals]
    return lines


def task_lines(tasks: Sequence[OpenTask], now: datetime) -> list[str]:
    """Overdue tasks first (the soonest past due on top), then the rest by due time."""
    if not tasks:
        return ["Geen open taken."]
    ordered = sorted(tasks, key=lambda t: (not t.overdue(now), t.due_at is None,
                                           to_utc(t.due_at) if t.due_at else now))
    out = []
    for t in ordered:
        due = f"uiterlijk {fmt_local(t.due_at)}" if t.due_at else "zonder termijn"
        who = f", {t.owner}" if t.owner else ""
        out.append(("TE LAAT: " if t.overdue(now) else "Open: ") + f"{t.title} ({due}{who})")
    return out


def _theme_lines(previous: Mapping[str, str], data: MeetingData) -> list[str]:
    if not previous:
        return [f"Per thema invullen: {' / '.join(data.states.values())} ({data.themes_ref})."]
    return [f"Vorig overleg: {theme}: {data.states[state]}" for theme, state in previous.items()
            if state in data.states]


def build_agenda(
    incident: Incident, sit: Situation, changes: Changes, roster: Sequence[RosterMember], *,
    open_tasks: Sequence[OpenTask], to_decide: Sequence[str], previous: MeetingRecord | None,
    now: datetime, kind: MeetingKind | None = None,
) -> Agenda:
    """The agenda of the first meeting (no meeting stored yet) or of a later one, its points
    pre-filled. `open_tasks` is the task list's open tasks (any order)."""
    data = load_meeting_data()
    kind = kind or ("eerste" if previous is None else "vervolg")
    spec = data.agendas[kind]
    previous_themes = dict(previous.themes) if previous else {}
    planned = (f"Gepland bij het vorige overleg: {fmt_local(previous.next_meeting)}."
               if previous and previous.next_meeting else "In te vullen.")
    fills: dict[str, list[str]] = {
        "team": _team_lines(roster),
        "beeld": situation_lines(sit),
        "changes": _change_lines(changes),
        "tasks": task_lines(open_tasks, now),
        "themes": _theme_lines(previous_themes, data),
        "scenario": [f"Scenario van het incident: {incident.scenario}" if incident.scenario
                     else "Nog geen scenario gekozen voor dit incident."],
        "decisions": [f"Te nemen: {t}" for t in to_decide]
                     + [f"Genomen sinds {fmt_local(changes.since)}: {d}" for d in changes.decisions],
        "next": [planned],
        "feedback": [f"Besluit van het vorige overleg: {d}" for d in previous.decisions] if previous else [],
    }
    points = tuple(
        AgendaPoint(p.number, p.title, p.bullets, tuple(line for key in p.fill for line in fills[key]),
                    themes="themes" in p.fill, decisions="decisions" in p.fill, next_meeting="next" in p.fill)
        for p in spec.points)
    return Agenda(kind, spec.ref, spec.title, incident.name, incident.municipality, now, changes.since,
                  points, data.themes, previous_themes, tuple(to_decide))


def agenda_for(store: Store, incident: Incident, sit: Situation, *, open_tasks: Sequence[OpenTask],
               now: datetime, kind: MeetingKind | None = None) -> Agenda:
    """Read the state from the store and build the agenda (the page, the CLI and the demo)."""
    meetings = store.meetings(incident.id)
    previous = meetings[-1] if meetings else None
    since = previous.held_at if previous else incident.opened_at
    changes = changes_since(store, incident.id, since, now, previous=previous.id if previous else None)
    roster = store.roster(incident.id)
    return build_agenda(incident, sit, changes, roster, open_tasks=open_tasks,
                        to_decide=decisions_to_take(sit, store.current_strategy(incident.id)),
                        previous=previous, now=now, kind=kind)


# -- the filled-in meeting -----------------------------------------------------------------------


def check_meeting(agenda: Agenda, *, held_at: datetime, chair: str, author: str, themes: Mapping[str, str],
                  next_meeting: datetime | None) -> list[str]:
    """Every problem in Dutch, so a form shows them all at once."""
    data = load_meeting_data()
    problems = []
    if not chair.strip():
        problems.append("Vul in wie het overleg voorzit.")
    if not author.strip():
        problems.append("Vul in wie het verslag vastlegt.")
    unknown = [t for t in themes if t not in agenda.themes]
    if unknown:
        problems.append(f"Onbekend thema: {', '.join(unknown)}.")
    wrong = sorted({s for s in themes.values() if s not in data.states})
    if wrong:
        problems.append(f"Onbekende stand in het bollenschema: {', '.join(wrong)}; kies uit "
                        f"{', '.join(data.states)}.")
    if next_meeting is not None and to_utc(next_meeting) <= to_utc(held_at):
        problems.append("Het volgende overleg moet na dit overleg liggen.")
    return problems


def save_meeting(
    store: Store, incident_id: int, agenda: Agenda, *, held_at: datetime, chair: str, author: str,
    notes: Mapping[int, str], themes: Mapping[str, str], decisions: Sequence[str],
    next_meeting: datetime | None,
) -> int:
    """Check and store the filled-in agenda; its decisions go to the logbook as 'besluit'."""
    problems = check_meeting(agenda, held_at=held_at, chair=chair, author=author, themes=themes,
                             next_meeting=next_meeting)
    if problems:
        raise UserError("\n".join(problems))
    kept = [" ".join(d.split()) for d in decisions if d.strip()]
    summary = (f"Overleg Coördinatieteam/kernteam ({KIND_LABELS[agenda.kind]}) gehouden, voorzitter "
               f"{chair.strip()}; {len(kept)} besluit(en)"
               + (f"; volgend overleg {fmt_local(next_meeting)}" if next_meeting else "") + ".")
    return store.save_meeting(
        incident_id, agenda.kind, held_at, chair=chair.strip(), author=author.strip(), agenda=agenda.as_dict(),
        notes={str(k): v.strip() for k, v in notes.items() if v.strip()}, themes=dict(themes),
        decisions=kept, next_meeting=next_meeting, summary=summary)
