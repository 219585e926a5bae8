"""The dashboard's users: login name, name, roles and when they were first and last seen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow


class UserQueries(CoreStore):
    def record_user(self, user_id: str, name: str, roles: Sequence[str], mode: str,
                    when: datetime | None = None) -> None:
        """Once per browser session: the roles of this login replace the earlier ones. Bookkeeping:
        Store.users is read uncached."""
        at = when or utcnow()
        self.execute(
            "insert into users values (?, ?, ?, ?, ?, ?) on conflict (user_id) do update set"
            " name = excluded.name, roles = excluded.roles, mode = excluded.mode,"
            " last_seen = excluded.last_seen",
            [user_id, name, list(roles), mode, at, at], bookkeeping=True)

    def users(self) -> pd.DataFrame:
        return self.frame(
            "select user_id, name, roles, mode, first_seen, last_seen from users order by last_seen desc"
        )
