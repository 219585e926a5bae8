"""The key for names of people involved, shared by the tables that hold such names.

The key is given to the store by whoever opens it (`use_name_key`: the CLI, the server and the
dashboard from ONRUST_KEY or privacy.key_file), never kept in the database. Rows written before
migration 013 hold plain names until a key is given, which seals them in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet

from onrust.crypto import NameKeyMissing, decrypt_name, encrypt_name, load_key
from onrust.store.core import CoreStore


class NameKeyQueries(CoreStore):
    _name_key: Fernet | None = None

    def use_name_key(self, key: Fernet | None) -> int:
        """Use `key` for names and seal the plain ones left from before encryption (a read-only
        file keeps them as they are). Returns how many rows were sealed."""
        self._name_key = key
        if key is None or self.read_only:
            return 0
        return self._seal_plain_names(key)

    def _seal_plain_names(self, key: Fernet) -> int:
        # Not audited: the names do not change, and an audit row would keep them in clear text.
        with self.transaction() as cur:
            people = cur.execute(
                "select id, name from incident_persons where not coalesce(sealed, false)").fetchall()
            for person_id, name in people:
                cur.execute("update incident_persons set name = ?, sealed = true where id = ?",
                            [encrypt_name(key, name), person_id]).fetchall()
            profiles = cur.execute("select incident_id, involved from watch_profiles"
                                   " where not coalesce(involved_sealed, false)").fetchall()
            for incident_id, involved in profiles:
                cur.execute("update watch_profiles set involved = ?, involved_sealed = true where incident_id = ?",
                            [[encrypt_name(key, n) for n in involved or []], incident_id]).fetchall()
        return len(people) + len(profiles)

    def name_key(self) -> Fernet | None:
        """The key given to this store, else ONRUST_KEY (tests, a process started with it)."""
        return self._name_key if self._name_key is not None else load_key(None)

    def seal_names(self, names: Sequence[str]) -> list[str]:
        """Tokens for `names`; NameKeyMissing without a key (nothing is stored in clear)."""
        if not names:
            return []
        key = self.name_key()
        if key is None:
            raise NameKeyMissing()
        return [encrypt_name(key, name) for name in names]

    def open_names(self, stored: Sequence[str], sealed: bool) -> list[str]:
        """The names back from what a row holds; plain rows (before a key was given) as they are."""
        if not sealed or not stored:
            return list(stored)
        key = self.name_key()
        if key is None:
            raise NameKeyMissing()
        return [decrypt_name(key, token) for token in stored]
