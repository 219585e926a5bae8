"""Last visits per viewer, incident and page: what "nieuw sinds uw vorige bezoek" compares with."""

from __future__ import annotations

from datetime import datetime

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow


class VisitQueries(CoreStore):
    def last_visit(self, viewer: str, incident_id: int, page: str) -> datetime | None:
        return self.scalar(
            "select visited_at from page_visits where viewer = ? and incident_id = ? and page = ?",
            [viewer, incident_id, page],
        )

    def record_visit(self, viewer: str, incident_id: int, page: str, when: datetime | None = None) -> None:
        """Bookkeeping (every first view of a session): last_visit is read uncached."""
        self.execute(
            "insert into page_visits values (?, ?, ?, ?) on conflict (viewer, incident_id, page)"
            " do update set visited_at = excluded.visited_at",
            [viewer, incident_id, page, when or utcnow()], bookkeeping=True)
