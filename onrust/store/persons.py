"""Names of people involved in an incident (comms.involved checks them before they come here).

The names are stored as Fernet tokens (onrust.crypto): the key is given to the store by whoever
opens it (`use_name_key`, from ONRUST_KEY or the key file), never kept in the database. Rows
written before migration 013 hold the plain name until a key is given, which seals them.
"""

from __future__ import annotations

from datetime import datetime

from cryptography.fernet import Fernet

from onrust.crypto import NameKeyMissing, decrypt_name, encrypt_name, load_key
from onrust.models import InvolvedPerson
from onrust.store.audit import SYSTEM, audited
from onrust.store.core import CoreStore
from onrust.text import fold
from onrust.timeutil import to_utc, utcnow


class PersonQueries(CoreStore):
    _name_key: Fernet | None = None

    def use_name_key(self, key: Fernet | None) -> int:
        """Use `key` for the names and seal the plain names left from before encryption (in one
        transaction; a read-only file keeps them as they are). Returns how many were sealed."""
        self._name_key = key
        if key is None or self.read_only:
            return 0
        return self._seal_plain_names(key)

    def _seal_plain_names(self, key: Fernet) -> int:
        # Not audited: the name does not change, and an audit row would keep the plain text.
        with self.transaction() as cur:
            plain = cur.execute(
                "select id, name from incident_persons where not coalesce(sealed, false)").fetchall()
            for person_id, name in plain:
                cur.execute("update incident_persons set name = ?, sealed = true where id = ?",
                            [encrypt_name(key, name), person_id]).fetchall()
        return len(plain)

    def name_key(self) -> Fernet | None:
        """The key given to this store, else ONRUST_KEY (tests, a server started with it)."""
        return self._name_key if self._name_key is not None else load_key(None)

    def add_incident_person(
        self, incident_id: int, name: str, role: str, added_by: str, *, at: datetime | None = None
    ) -> int:
        """Store the name encrypted; the table's check refuses an unknown role."""
        key = self.name_key()
        if key is None:
            raise NameKeyMissing()
        with self.incident_write(incident_id) as cur, audited(cur, added_by, "incident_persons") as change:
            person_id = self.returned(
                cur,
                "insert into incident_persons (incident_id, name, role, added_by, added_at, sealed)"
                " values (?, ?, ?, ?, ?, true) returning id",
                [incident_id, encrypt_name(key, name), role, added_by, to_utc(at) if at else utcnow()],
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
        key = self.name_key() if any(row[5] for row in rows) else None
        if key is None and any(row[5] for row in rows):
            raise NameKeyMissing()
        return [InvolvedPerson(decrypt_name(key, row[0]) if key and row[5] else row[0], *row[1:5])
                for row in rows]

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
