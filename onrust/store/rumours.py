"""The analist's rumour verdicts: appended, never changed; each one is logged in the logbook."""

from __future__ import annotations

from datetime import datetime

from onrust.errors import UserError
from onrust.models import RUMOUR_STATUSES, RumourStatus, RumourVerdict
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import utcnow


class RumourQueries(CoreStore):
    def set_rumour_status(
        self, incident_id: int, rumour_key: str, status: RumourStatus, author: str, *, text: str,
        evidence: str | None = None, note: str = "", at: datetime | None = None,
    ) -> None:
        """Record the analist's status and its logbook line in one transaction (refused on a closed
        incident). `text` is the rumour as the tracker shows it, for the logbook reader."""
        if status not in RUMOUR_STATUSES:
            raise UserError(f"Onbekende status '{status}': kies onbevestigd, bevestigd of ontkracht.")
        if not author.strip():
            raise UserError("Vul in wie de status vastlegt.")
        when = at or utcnow()
        with self.incident_write(incident_id) as cur:
            cur.execute(
                "insert into rumour_statuses (incident_id, rumour_key, status, evidence, note, set_at, set_by)"
                " values (?, ?, ?, ?, ?, ?, ?)",
                [incident_id, rumour_key, status, evidence, note.strip(), when, author.strip()],
            ).fetchall()
            line = f"Gerucht {status}: {text}" + (f" ({note.strip()})" if note.strip() else "")
            append_entry(cur, incident_id, "gebeurtenis", line, author.strip(), logged_at=when,
                         data={"rumour": rumour_key, "status": status, "evidence": evidence})

    def rumour_verdicts(self, incident_id: int, until: datetime | None = None) -> list[RumourVerdict]:
        """The newest verdict per rumour (set up to `until`, for a past period)."""
        rows = self.fetchall(
            "select r.rumour_key, r.status, r.set_at, r.set_by, r.evidence, r.note,"
            " coalesce(i.title, g.text, ''), coalesce(s.publisher, s.name, case when g.id is not null"
            "  then 'signaal (' || g.kind || ')' end, '')"
            " from rumour_statuses r"
            " left join items i on r.evidence = 'item:' || i.id"
            " left join sources s on s.id = i.source_id"
            " left join signals g on r.evidence = 'signal:' || g.id"
            " where r.incident_id = ? and (? is null or r.set_at <= ?)"
            " qualify row_number() over (partition by r.rumour_key order by r.set_at desc, r.id desc) = 1"
            " order by r.set_at",
            [incident_id, until, until],
        )
        return [RumourVerdict(*r) for r in rows]

    def signal_verdicts(self, incident_id: int) -> dict[int, datetime]:
        """When each signal of the incident got its current verification (its last change)."""
        rows = self.fetchall(
            "select r.signal_id, max(r.changed_at) from signal_revisions r join signals s on s.id = r.signal_id"
            " where s.incident_id = ? and r.field = 'verification' group by r.signal_id",
            [incident_id],
        )
        return {int(r[0]): r[1] for r in rows}
