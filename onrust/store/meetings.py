"""Stored meetings of the Coördinatieteam / kernteam; their decisions are logbook entries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from onrust.models import MeetingKind, MeetingRecord
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import to_utc, utcnow

_COLS = ("id, incident_id, kind, held_at, chair, author, agenda, notes, themes, decisions, next_meeting,"
         " created_at")
MEETING = "overleg"  # logbook data 'soort' of a meeting's entries


def _meeting(row: tuple[Any, ...]) -> MeetingRecord:
    return MeetingRecord(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]),
                         json.loads(row[7]), json.loads(row[8]), tuple(json.loads(row[9])), row[10], row[11])


class MeetingQueries(CoreStore):
    def save_meeting(
        self, incident_id: int, kind: MeetingKind, held_at: datetime, *, chair: str, author: str,
        agenda: dict[str, Any], notes: dict[str, str], themes: dict[str, str], decisions: Sequence[str],
        next_meeting: datetime | None, summary: str,
    ) -> int:
        """The meeting, a logbook line that it was held (`summary`) and one 'besluit' line per
        decision, in one transaction: the besluitenlijst and the meeting never disagree."""
        with self.incident_write(incident_id) as cur:
            meeting_id = int(self.returned(
                cur,
                "insert into meetings (incident_id, kind, held_at, chair, author, agenda, notes, themes,"
                " decisions, next_meeting, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
                [incident_id, kind, to_utc(held_at), chair, author, json.dumps(agenda, ensure_ascii=False),
                 json.dumps(notes, ensure_ascii=False), json.dumps(themes, ensure_ascii=False),
                 json.dumps(list(decisions), ensure_ascii=False),
                 to_utc(next_meeting) if next_meeting else None, utcnow()]))
            data = {"soort": MEETING, "overleg": meeting_id}
            append_entry(cur, incident_id, "gebeurtenis", summary, author, logged_at=held_at, data=data)
            for text in decisions:
                append_entry(cur, incident_id, "besluit", text, author, logged_at=held_at, data=data)
        return meeting_id

    def meetings(self, incident_id: int) -> list[MeetingRecord]:
        """Oldest first."""
        rows = self.fetchall(f"select {_COLS} from meetings where incident_id = ? order by held_at, id",
                             [incident_id])
        return [_meeting(row) for row in rows]

    def meeting(self, meeting_id: int) -> MeetingRecord | None:
        row = self.fetchone(f"select {_COLS} from meetings where id = ?", [meeting_id])
        return _meeting(row) if row else None
