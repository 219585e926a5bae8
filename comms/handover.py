"""The overdrachtsdocument of 000 §2.3: from the acute phase to the nazorg (Leider Nazorg with the
adviseur OOV), generated from the same state as the meeting agendas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from comms.meetings import (
    INTERNAL,
    OpenTask,
    decision_line,
    decisions_to_take,
    load_meeting_data,
    situation_lines,
    task_lines,
)
from onrust.docx import Block, Bullets, Heading, Paragraph, write_docx
from onrust.models import Incident, LogEntry, MeetingRecord, PressRelease, RosterMember, Situation
from onrust.pdf import write_pdf
from onrust.timeutil import fmt_local

if TYPE_CHECKING:
    from onrust.store import Store

TO_FILL = "In te vullen door de Leider Nazorg en de adviseur OOV."


@dataclass(frozen=True, slots=True)
class Section:
    text: str           # the seed's line
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Handover:
    incident: str
    municipality: str
    generated_at: datetime
    inputs: tuple[Section, ...]     # the 3 inputs
    points: tuple[Section, ...]     # the 9 aandachtspunten


def _theme_lines(meetings: Sequence[MeetingRecord], states: Mapping[str, str]) -> list[str]:
    if not meetings:
        return ["Nog geen overleg vastgelegd: de thema's zijn nog niet geïnventariseerd."]
    last = meetings[-1]
    marked = [f"{theme}: {states[s]}" for theme, s in last.themes.items() if s in states]
    return [f"Bollenschema van het overleg van {fmt_local(last.held_at)}:", *marked] if marked else [
        f"In het overleg van {fmt_local(last.held_at)} is het bollenschema niet ingevuld."]


def _principles(meetings: Sequence[MeetingRecord], states: Mapping[str, str]) -> list[str]:
    """The themes that play (Bijlage 5 lists them as uitgangspunten / prioriteiten) and what the
    meetings noted under their 'doelen en uitgangspunten' points."""
    lines = []
    if meetings:
        lines += [f"Prioriteit: {theme} ({states[s].lower()})" for theme, s in meetings[-1].themes.items()
                  if s in ("acuut", "niet_acuut")]
    for m in meetings:
        for point in m.agenda["points"]:
            note = m.notes.get(str(point["number"]), "")
            if note and any("uitgangspunten" in text for text in (point["title"], *point["bullets"])):
                lines.append(f"{fmt_local(m.held_at)}: {note}")
    return lines or ["Nog geen bestuurlijke uitgangspunten vastgelegd."]


def _roster_lines(roster: Sequence[RosterMember]) -> list[str]:
    filled = [m for m in roster if m.name or m.reachability]
    return [f"{m.organisation}" + (f", {m.role}" if m.role else "") + (f": {m.name}" if m.name else "")
            + (f" ({m.reachability})" if m.reachability else "") for m in filled] or [
        "Nog geen partners op het rooster ingevuld."]


def _actors(roster: Sequence[RosterMember]) -> list[str]:
    orgs = list(dict.fromkeys(m.organisation for m in roster if m.name))
    return [f"Betrokken in de acute fase: {', '.join(orgs)}."] if orgs else [TO_FILL]


def _strategy_lines(strategy: Mapping[str, Mapping[str, Any]], releases: Sequence[PressRelease]) -> list[str]:
    lines = [f"Besluit {kind}: {row['value']} ({fmt_local(row['decided_at'])})" for kind, row in strategy.items()]
    lines += [f"Persbericht: {r.title} ({r.status.replace('_', ' ')})" for r in releases]
    return lines or ["Nog geen communicatiebesluiten of persberichten."]


def build_handover(
    incident: Incident, sit: Situation, *, meetings: Sequence[MeetingRecord], decisions: Sequence[LogEntry],
    roster: Sequence[RosterMember], strategy: Mapping[str, Mapping[str, Any]], releases: Sequence[PressRelease],
    open_tasks: Sequence[OpenTask], now: datetime,
) -> Handover:
    data = load_meeting_data()
    fills: dict[str, list[str]] = {
        "themes": _theme_lines(meetings, data.states),
        "beeld": situation_lines(sit),
        "decisions": [decision_line(e) for e in decisions] or ["Nog geen besluiten in het logboek."],
        "uitgangspunten": _principles(meetings, data.states),
        "tasks": task_lines(open_tasks, now),
        "roster": _roster_lines(roster),
        "strategy": _strategy_lines(strategy, releases),
        "to_decide": decisions_to_take(sit, strategy) or ["Geen openstaande besluiten uit de huidige stand."],
        "actors": _actors(roster),
        "": [TO_FILL],
    }
    return Handover(incident.name, incident.municipality, now,
                    tuple(Section(x.text, tuple(fills[x.fill])) for x in data.handover_inputs),
                    tuple(Section(x.text, tuple(fills[x.fill])) for x in data.handover_points))


def handover_for(store: Store, incident: Incident, sit: Situation, *, open_tasks: Sequence[OpenTask],
                 now: datetime) -> Handover:
    return build_handover(
        incident, sit, meetings=store.meetings(incident.id),
        decisions=store.log_entries(incident.id, decisions_only=True), roster=store.roster(incident.id),
        strategy=store.current_strategy(incident.id), releases=store.press_releases(incident.id),
        open_tasks=open_tasks, now=now)


def handover_blocks(h: Handover) -> list[Block]:
    data = load_meeting_data()
    blocks: list[Block] = [Paragraph(INTERNAL, bold=True),
                           Paragraph(f"{data.handover_ref}. Incident: {h.incident}. Stand per "
                                     f"{fmt_local(h.generated_at)}.", italic=True),
                           Paragraph(data.handover_intro),
                           Heading("Opgesteld op basis van", 1)]
    for section in h.inputs:
        blocks += [Heading(section.text, 2), Bullets(section.lines)]
    blocks.append(Heading("Aandachtspunten", 1))
    for n, section in enumerate(h.points, start=1):
        blocks += [Heading(f"{n}. {section.text}", 2), Bullets(section.lines)]
    return blocks


def _title(h: Handover) -> str:
    return f"{load_meeting_data().handover_title}: {h.incident}"


def handover_docx(h: Handover) -> bytes:
    return write_docx(_title(h), h.municipality, h.generated_at, handover_blocks(h))


def handover_pdf(h: Handover) -> bytes:
    return write_pdf(_title(h), h.municipality, h.generated_at, handover_blocks(h))
