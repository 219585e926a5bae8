"""Names of people involved in an incident (comms.involved checks them before they come here)."""

from __future__ import annotations

from datetime import datetime

from onrust.models import InvolvedPerson
from onrust.store.core import CoreStore
from onrust.text import fold
from onrust.timeutil import to_utc, utcnow


class PersonQueries(CoreStore):
    def add_incident_person(
        self, incident_id: int, name: str, role: str, added_by: str, *, at: datetime | None = None
    ) -> int:
        """Store the name as given; the table's check refuses an unknown role."""
        with self.incident_write(incident_id) as cur:
            person_id = self.returned(
                cur,
                "insert into incident_persons (incident_id, name, role, added_by, added_at)"
                " values (?, ?, ?, ?, ?) returning id",
                [incident_id, name, role, added_by, to_utc(at) if at else utcnow()],
            )
        return int(person_id)

    def remove_incident_person(self, person_id: int) -> None:
        with self.transaction() as cur:
            owner = cur.execute(
                "select incident_id from incident_persons where id = ?", [person_id]
            ).fetchall()
            self.require_open(cur, [r[0] for r in owner])
            cur.execute("delete from incident_persons where id = ?", [person_id]).fetchall()

    def incident_persons(self, incident_id: int) -> list[InvolvedPerson]:
        rows = self.fetchall(
            "select name, role, id, added_by, added_at from incident_persons"
            " where incident_id = ? order by added_at, id",
            [incident_id],
        )
        return [InvolvedPerson(*row) for row in rows]

    def names_to_protect(self, incident_id: int) -> list[InvolvedPerson]:
        """Registered names plus the watch profile's `involved` names (tagging, migration 004)."""
        people = self.incident_persons(incident_id)
        if self.table_exists("watch_profiles"):
            row = self.fetchone("select involved from watch_profiles where incident_id = ?", [incident_id])
            known = {fold(p.name).text.casefold() for p in people}
            for name in (row[0] if row and row[0] else []):
                if name.strip() and fold(name).text.casefold() not in known:
                    people.append(InvolvedPerson(name.strip(), "betrokkene", added_by="volgprofiel"))
                    known.add(fold(name).text.casefold())
        return people
