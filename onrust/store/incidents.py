"""Incidents, their close and reopen, and the official phase decisions (logbook entries)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from onrust.models import Incident
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import to_utc, utcnow

_INCIDENT_COLS = "id, name, municipality, scenario, description, opened_at, closed_at, status, is_demo"
OFFICIAL_PHASE = "officiele_fase"


class IncidentQueries(CoreStore):
    def create_incident(
        self,
        name: str,
        municipality: str,
        opened_at: datetime,
        *,
        scenario: str | None = None,
        description: str = "",
        is_demo: bool = False,
    ) -> int:
        with self.transaction() as cur:
            new_id = self.returned(
                cur,
                "insert into incidents (name, municipality, scenario, description, opened_at,"
                " is_demo, created_at) values (?, ?, ?, ?, ?, ?, ?) returning id",
                [name, municipality, scenario, description, opened_at, is_demo, utcnow()],
            )
        return int(new_id)

    def incidents(self) -> list[Incident]:
        rows = self.fetchall(f"select {_INCIDENT_COLS} from incidents order by opened_at desc, id")
        return [Incident(*row) for row in rows]

    def incident(self, incident_id: int) -> Incident | None:
        row = self.fetchone(f"select {_INCIDENT_COLS} from incidents where id = ?", [incident_id])
        return Incident(*row) if row else None

    def open_incident_count(self) -> int:
        return int(self.scalar("select count(*) from incidents where status = 'open'"))

    def close_incident(self, incident_id: int, closed_at: datetime, *, author: str | None = None) -> None:
        """Close; with an author the decision is also logged, so the evaluator sees who and when."""
        with self.transaction() as cur:
            cur.execute(
                "update incidents set closed_at = ?, status = 'gesloten' where id = ?",
                [closed_at, incident_id],
            ).fetchall()
            if author:
                append_entry(cur, incident_id, "besluit", "Incident afgesloten", author)

    def reopen_incident(self, incident_id: int, *, author: str) -> None:
        with self.transaction() as cur:
            cur.execute(
                "update incidents set closed_at = null, status = 'open' where id = ?", [incident_id]
            ).fetchall()
            append_entry(cur, incident_id, "besluit", "Incident heropend", author)

    def set_incident_scenario(self, incident_id: int, scenario: str | None, author: str, log_text: str) -> None:
        """A changed scenario (004 Bijlage 2) is a decision: it changes the guidance the team follows."""
        with self.incident_write(incident_id) as cur:
            cur.execute("update incidents set scenario = ? where id = ?", [scenario, incident_id]).fetchall()
            append_entry(cur, incident_id, "besluit", log_text, author,
                         data={"soort": "scenario", "scenario": scenario})

    # -- official phase (logbook decisions) ------------------------------------------------
    def record_official_phase(self, incident_id: int, phase: int, reason: str, author: str,
                              *, decided_at: datetime | None = None, text: str = "") -> int:
        data = {"soort": OFFICIAL_PHASE, "fase": int(phase), "reden": reason}
        with self.incident_write(incident_id) as cur:
            new_id = append_entry(cur, incident_id, "besluit", text or f"Officiële fase vastgesteld: {phase}. {reason}",
                                  author, logged_at=decided_at, data=data)
        return new_id

    def official_phases(self, incident_id: int, as_of: datetime | None = None) -> pd.DataFrame:
        return self.frame(
            "select id, logged_at, cast(json_extract(data, '$.fase') as integer) as phase,"
            " json_extract_string(data, '$.reden') as reason, author from logbook"
            " where incident_id = ? and kind = 'besluit'"
            " and json_extract_string(data, '$.soort') = ? and logged_at <= coalesce(?, logged_at)"
            " order by logged_at, id",
            [incident_id, OFFICIAL_PHASE, to_utc(as_of) if as_of else None],
        )
