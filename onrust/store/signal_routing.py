"""Who a signal was passed on to (004 §3.1): the own member of the driehoek, and who received it.

Rows are only added; the hand-over is also written to the incident's logbook (kind 'informatie
gedeeld') in the same transaction, so the logboek and the signal agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from onrust.errors import UserError
from onrust.models import LogLink, SignalRouting
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import to_utc, utcnow


class SignalRoutingQueries(CoreStore):
    def route_signal(self, routing: SignalRouting, *, log_text: str) -> int:
        """Record one hand-over; IncidentClosed when the signal's incident is closed."""
        with self.transaction() as cur:
            row = cur.execute("select incident_id from signals where id = ?", [routing.signal_id]).fetchone()
            if row is None:
                raise UserError(f"Signaal #{routing.signal_id} bestaat niet.")
            incident_id = row[0]
            self.require_open(cur, [incident_id])
            routing_id = self.returned(
                cur,
                "insert into signal_routing (signal_id, member, received_by, routed_at, recorded_by, recorded_at)"
                " values (?, ?, ?, ?, ?, ?) returning id",
                [routing.signal_id, routing.member, routing.received_by, to_utc(routing.routed_at),
                 routing.recorded_by, utcnow()],
            )
            if incident_id is not None:
                append_entry(cur, int(incident_id), "informatie gedeeld", log_text, routing.recorded_by,
                             logged_at=routing.routed_at, links=[LogLink("signal", routing.signal_id)],
                             data={"driehoekslid": routing.member, "ontvangen_door": routing.received_by})
        return int(routing_id)

    def signal_routings(self, signal_ids: Sequence[int]) -> pd.DataFrame:
        """Every hand-over of these signals, oldest first."""
        return self.frame(
            "select signal_id, member, received_by, routed_at, recorded_by, recorded_at from signal_routing"
            " where list_contains(?, signal_id) order by routed_at, id",
            [[int(i) for i in signal_ids]],
        )

    def unrouted_signals(self, incident_id: int) -> list[int]:
        """The incident's signals that no driehoek member has received yet."""
        rows = self.fetchall(
            "select s.id from signals s where s.incident_id = ? and not exists"
            " (select 1 from signal_routing r where r.signal_id = s.id) order by s.id",
            [incident_id],
        )
        return [int(r[0]) for r in rows]
