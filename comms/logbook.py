"""The logbook and besluitenlijst of an incident (003 fase 1.5 "logboek gebeurtenissen en
acties"; 000 §2.3: the overdrachtsdocument is written from the "besluitenlijst van het bestuur").

Entries are appended, never edited: a correction is a new entry naming the one it corrects, so
the record shows what was known and decided when. A closed incident is read-only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from onrust.docx import Block, Heading, Paragraph, Table, write_docx
from onrust.errors import UserError
from onrust.models import LOG_KINDS, Incident, LinkTarget, LogEntry, LogKind, LogLink
from onrust.text import excel_safe
from onrust.timeutil import fmt_local

if TYPE_CHECKING:
    from onrust.store import Store

KIND_LABELS: dict[str, str] = {
    "gebeurtenis": "Gebeurtenis", "actie": "Actie", "besluit": "Besluit", "informatie gedeeld": "Informatie gedeeld",
}
# What a link is called on the command line and in the page; the Dutch words are accepted too.
LINK_NAMES: dict[str, LinkTarget] = {
    "item": "item", "bericht": "item", "signal": "signal", "signaal": "signal",
    "press_release": "press_release", "persbericht": "press_release",
    "diagnosis": "diagnosis", "diagnose": "diagnosis",
}
LINK_LABELS: dict[str, str] = {
    "item": "bericht", "signal": "signaal", "press_release": "persbericht", "diagnosis": "diagnose",
}
MAX_TEXT = 10_000  # an entry is a note, not a document; longer input is a paste error
CSV_COLUMNS = ("nummer", "tijd", "soort", "tekst", "door", "corrigeert", "koppelingen")
CLOSED = "Het incident is afgesloten; het logboek is alleen te lezen. Heropen het incident om aan te vullen."


def parse_link(text: str) -> LogLink:
    """'item:12', 'signaal:3', 'persbericht:2', 'diagnose:1'."""
    name, _, number = text.strip().partition(":")
    target = LINK_NAMES.get(name.strip().lower())
    if target is None or not number.strip().isdigit():
        raise UserError(f"Onbekende koppeling '{text}'; gebruik bijv. item:12, signaal:3, persbericht:2 of diagnose:1.")
    return LogLink(target, int(number))


def format_link(link: LogLink) -> str:
    return f"{LINK_LABELS[link.target]} {link.id}"


def entry_problems(kind: str, text: str, author: str) -> list[str]:
    """One Dutch message per bad field."""
    problems = []
    if kind not in LOG_KINDS:
        problems.append(f"Onbekende soort '{kind}'; kies uit: {', '.join(LOG_KINDS)}.")
    if not text.strip():
        problems.append("Vul de tekst van de logboekregel in.")
    elif len(text) > MAX_TEXT:
        problems.append(f"De tekst is langer dan {MAX_TEXT} tekens.")
    if not author.strip():
        problems.append("Vul in wie de regel schrijft.")
    return problems


def add_entry(
    store: Store, incident_id: int, kind: str, text: str, author: str, *,
    corrects: int | None = None, links: Sequence[LogLink] = (), logged_at: datetime | None = None,
) -> LogEntry:
    """Append an entry a person writes (or a correction of an earlier one); UserError explains a refusal."""
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet.")
    problems = entry_problems(kind, text, author)
    if corrects is not None:
        old = store.log_entry(corrects)
        if old is None or old.incident_id != incident_id:
            problems.append(f"Logboekregel {corrects} hoort niet bij dit incident.")
    problems.extend(f"Koppeling {format_link(link)} bestaat niet bij dit incident."
                    for link in dict.fromkeys(links) if not store.link_exists(link, incident_id))
    if incident.status == "gesloten":
        problems = [CLOSED]
    if problems:
        raise UserError("\n".join(problems))
    # A close that races between this check and the write is refused by the store (IncidentClosed).
    entry_id = store.add_log_entry(incident_id, kind, text.strip(), author.strip(), corrects=corrects,
                                   links=tuple(dict.fromkeys(links)), logged_at=logged_at)
    entry = store.log_entry(entry_id)
    assert entry is not None
    return entry


def correct_entry(store: Store, entry_id: int, text: str, author: str, *, kind: LogKind | None = None) -> LogEntry:
    """A correction: a new entry of the same kind (unless changed) and links, naming the old one."""
    old = store.log_entry(entry_id)
    if old is None:
        raise UserError(f"Logboekregel {entry_id} bestaat niet.")
    return add_entry(store, old.incident_id, kind or old.kind, text, author, corrects=old.id, links=old.links)


def corrected_ids(entries: Iterable[LogEntry]) -> set[int]:
    """Entries a later entry corrects: shown struck through, never hidden."""
    return {e.corrects for e in entries if e.corrects is not None}


def _row(entry: LogEntry) -> tuple[str, ...]:
    return (str(entry.id), fmt_local(entry.logged_at), KIND_LABELS.get(entry.kind, entry.kind), entry.text,
            entry.author, str(entry.corrects or ""), ", ".join(format_link(link) for link in entry.links))


def export_csv(entries: Sequence[LogEntry]) -> bytes:
    """UTF-8 with BOM and ';' (what Dutch Excel opens directly); no cell can start a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([excel_safe(cell) for cell in _row(entry)] for entry in entries)
    return out.getvalue().encode("utf-8-sig")


def export_docx(incident: Incident, entries: Sequence[LogEntry], when: datetime, *, decisions_only: bool) -> bytes:
    title = f"{'Besluitenlijst' if decisions_only else 'Logboek'} {incident.name}"
    corrected = corrected_ids(entries)
    blocks: list[Block] = [
        Paragraph(f"Incident geopend {fmt_local(incident.opened_at)}"
                  + (f", afgesloten {fmt_local(incident.closed_at)}" if incident.closed_at else "") + "."),
        Heading("Regels", 1),
        Table(CSV_COLUMNS, tuple(_row(e) for e in entries)),
    ]
    if corrected:
        blocks.append(Paragraph(f"Gecorrigeerd door een latere regel: {', '.join(map(str, sorted(corrected)))}.",
                                italic=True))
    return write_docx(title, incident.municipality, when, blocks)
