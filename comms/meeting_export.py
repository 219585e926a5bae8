"""The agenda and the filled-in meeting as Word and PDF (one set of blocks for both)."""

from __future__ import annotations

from datetime import datetime

from comms.meetings import INTERNAL, Agenda, load_meeting_data
from onrust.docx import Block, Bullets, Heading, Paragraph, Table, write_docx
from onrust.models import MeetingRecord
from onrust.pdf import write_pdf
from onrust.timeutil import fmt_local

_MARK, _OPEN = "[x]", "[ ]"


def _themes_table(agenda: Agenda, chosen: dict[str, str]) -> Table:
    """The bollenschema: one row per theme, a mark under its state (empty boxes on a blank agenda)."""
    states = load_meeting_data().states
    rows = tuple((theme, *(_MARK if chosen.get(theme) == key else _OPEN for key in states))
                 for theme in agenda.themes)
    return Table(("Thema", *states.values()), rows)


def agenda_blocks(agenda: Agenda, meeting: MeetingRecord | None = None) -> list[Block]:
    """The seed's points in order; under each what the product filled in ("Uit de huidige stand")
    and, for a held meeting, what was noted, marked and decided."""
    blocks: list[Block] = [Paragraph(INTERNAL, bold=True),
                           Paragraph(f"{agenda.title} ({agenda.ref}). Incident: {agenda.incident}. "
                                     f"Stand per {fmt_local(agenda.generated_at)}.", italic=True)]
    if meeting is not None:
        blocks.append(Paragraph(f"Gehouden {fmt_local(meeting.held_at)}; voorzitter {meeting.chair}; "
                                f"verslag {meeting.author}."))
    themes = meeting.themes if meeting else agenda.previous_themes
    for point in agenda.points:
        blocks.append(Heading(f"{point.number}. {point.title}", 2))
        if point.bullets:
            blocks.append(Bullets(point.bullets))
        if point.prefill:
            blocks.append(Paragraph("Uit de huidige stand:", bold=True))
            blocks.append(Bullets(point.prefill))
        if point.themes:
            blocks.append(_themes_table(agenda, dict(themes)))
        note = meeting.notes.get(str(point.number), "") if meeting else ""
        if note:
            blocks.append(Paragraph("Besproken:", bold=True))
            blocks.append(Paragraph(note))
        if point.decisions and meeting is not None:
            blocks.append(Paragraph("Besluiten:", bold=True))
            blocks.append(Bullets(meeting.decisions or ("Geen besluiten.",)))
        if point.next_meeting and meeting is not None:
            blocks.append(Paragraph("Volgend overleg: " + (fmt_local(meeting.next_meeting) if meeting.next_meeting
                                                           else "niet gepland")))
    return blocks


def _title(agenda: Agenda) -> str:
    return f"Agenda {agenda.title}"


def agenda_docx(agenda: Agenda, meeting: MeetingRecord | None, when: datetime) -> bytes:
    return write_docx(_title(agenda), agenda.municipality, when, agenda_blocks(agenda, meeting))


def agenda_pdf(agenda: Agenda, meeting: MeetingRecord | None, when: datetime) -> bytes:
    return write_pdf(_title(agenda), agenda.municipality, when, agenda_blocks(agenda, meeting))
