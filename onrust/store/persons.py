"""Names of people involved in an incident (comms.involved checks them before they come here).

The names are stored as Fernet tokens (store/names.py holds the key handling).
"""

from __future__ import annotations

from datetime import datetime

from onrust.models import InvolvedPerson
from onrust.store.audit import SYSTEM, audited
from onrust.store.names import NameKeyQueries
from onrust.text import fold
from onrust.timeutil import to_utc, utcnow


class PersonQueries(NameKeyQueries):
    def add_incident_person(
        self, incident_id: int, name: str, role: str, added_by: str, *, at: datetime | None = None
    ) -> int:
        """Store the name encrypted; the table's check refuses an unknown role."""
        [token] = self.seal_names([name])
        with self.incident_write(incident_id) as cur, audited(cur, added_by, "incident_persons") as change:
            person_id = self.returned(
                cur,
                "insert into incident_persons (incident_id, name, role, added_by, added_at, sealed)"
                " values (?, ?, ?, ?, ?, true) returning id",
                [incident_id, token, role, added_by, to_utc(at) if at else utcnow()],
            )
            change.added(person_id)
        return int(person_id)

    def remove_incident_person(self, person_id: int, *, actor: str = SYSTEM) -> None:
        with self.transaction() as cur, audited(cur, actor, "incident_persons", person_id):
            owner = cur.execute(
                "select incident_id from incident_persons where id = ?", [person_id]
            ).fetchall()
            self.require_open(cur, [r[0] for r in owner])
            cur.execute("delete from incident_persons where id = ?", [person_id]).fetchall()

    def incident_persons(self, incident_id: int) -> list[InvolvedPerson]:
        """Decrypted; NameKeyMissing when names are sealed and no key is at hand."""
        rows = self.fetchall(
            "select name, role, id, added_by, added_at, coalesce(sealed, false) from incident_persons"
            " where incident_id = ? order by added_at, id",
            [incident_id],
        )
        return [InvolvedPerson(self.open_names([row[0]], row[5])[0], *row[1:5]) for row in rows]

    def names_to_protect(self, incident_id: int) -> list[InvolvedPerson]:
        """Registered names plus the watch profile's `involved` names (tagging, migration 004)."""
        people = self.incident_persons(incident_id)
        if self.table_exists("watch_profiles"):
            row = self.fetchone("select involved, coalesce(involved_sealed, false) from watch_profiles"
                                " where incident_id = ?", [incident_id])
            known = {fold(p.name).text.casefold() for p in people}
            for name in (self.open_names(row[0], row[1]) if row and row[0] else []):
                if name.strip() and fold(name).text.casefold() not in known:
                    people.append(InvolvedPerson(name.strip(), "betrokkene", added_by="volgprofiel"))
                    known.add(fold(name).text.casefold())
        return people
