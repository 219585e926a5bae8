"""Task state, risk moments and the triage decision of an incident (migration 010).

Every write is an incident write (refused for a closed incident) and appends its logbook line in
the same transaction: a task done or a note is an 'actie', a triage outcome a 'besluit', a dated
risk moment a 'gebeurtenis'. The Dutch texts come from the caller (comms.tasks).
"""

from __future__ import annotations

from datetime import datetime

from onrust.models import RiskMoment, TaskState, TriageDecision
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import to_utc, utcnow

_TASK_COLS = "incident_id, task_id, done_at, done_by, note, updated_at, updated_by"
_MOMENT_COLS = "incident_id, moment_key, expected_at, note, updated_at, updated_by"
TRIAGE = "triage"  # logbook data 'soort' of a triage decision
TASK = "taak"      # logbook data 'soort' of a task change


class TaskQueries(CoreStore):
    def task_states(self, incident_id: int) -> list[TaskState]:
        rows = self.fetchall(f"select {_TASK_COLS} from incident_tasks where incident_id = ? order by task_id",
                             [incident_id])
        return [TaskState(*row) for row in rows]

    def set_task_done(self, incident_id: int, task_id: str, done_at: datetime | None, author: str,
                      log_text: str, *, logged_at: datetime | None = None) -> None:
        """Done at `done_at` by `author`, or open again with None; logged as an 'actie' (at
        `logged_at`, the moment it was recorded: now unless an import replays a history)."""
        now = logged_at or utcnow()
        with self.incident_write(incident_id) as cur:
            cur.execute(
                "insert into incident_tasks (incident_id, task_id, done_at, done_by, updated_at, updated_by)"
                " values (?, ?, ?, ?, ?, ?) on conflict (incident_id, task_id) do update set"
                " done_at = excluded.done_at, done_by = excluded.done_by, updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by",
                [incident_id, task_id, to_utc(done_at) if done_at else None, author if done_at else None,
                 now, author],
            ).fetchall()
            append_entry(cur, incident_id, "actie", log_text, author, logged_at=now,
                         data={"soort": TASK, "taak": task_id, "gedaan": done_at is not None})

    def set_task_note(self, incident_id: int, task_id: str, note: str, author: str, log_text: str,
                      *, logged_at: datetime | None = None) -> None:
        """The task's note (the latest one is kept here; every note is on the logbook)."""
        now = logged_at or utcnow()
        with self.incident_write(incident_id) as cur:
            cur.execute(
                "insert into incident_tasks (incident_id, task_id, note, updated_at, updated_by)"
                " values (?, ?, ?, ?, ?) on conflict (incident_id, task_id) do update set"
                " note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                [incident_id, task_id, note, now, author],
            ).fetchall()
            append_entry(cur, incident_id, "actie", log_text, author, logged_at=now,
                         data={"soort": TASK, "taak": task_id})

    # -- risk moments ----------------------------------------------------------------------
    def risk_moments(self, incident_id: int) -> list[RiskMoment]:
        rows = self.fetchall(
            f"select {_MOMENT_COLS} from incident_risk_moments where incident_id = ? order by expected_at, moment_key",
            [incident_id])
        return [RiskMoment(*row) for row in rows]

    def set_risk_moment(self, incident_id: int, moment_key: str, expected_at: datetime | None, note: str,
                        author: str, log_text: str, *, logged_at: datetime | None = None) -> None:
        """Dated (or, with None, no longer expected); logged as a 'gebeurtenis'."""
        now = logged_at or utcnow()
        with self.incident_write(incident_id) as cur:
            if expected_at is None:
                cur.execute("delete from incident_risk_moments where incident_id = ? and moment_key = ?",
                            [incident_id, moment_key]).fetchall()
            else:
                cur.execute(
                    "insert into incident_risk_moments (incident_id, moment_key, expected_at, note, updated_at,"
                    " updated_by) values (?, ?, ?, ?, ?, ?) on conflict (incident_id, moment_key) do update set"
                    " expected_at = excluded.expected_at, note = excluded.note,"
                    " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                    [incident_id, moment_key, to_utc(expected_at), note, now, author],
                ).fetchall()
            append_entry(cur, incident_id, "gebeurtenis", log_text, author, logged_at=now,
                         data={"soort": "risicomoment", "moment": moment_key,
                               "verwacht": to_utc(expected_at).isoformat() if expected_at else None})

    # -- triage ----------------------------------------------------------------------------
    def record_triage(self, incident_id: int, outcome: str, author: str, log_text: str,
                      *, decided_at: datetime | None = None) -> int:
        with self.incident_write(incident_id) as cur:
            return append_entry(cur, incident_id, "besluit", log_text, author, logged_at=decided_at,
                                data={"soort": TRIAGE, "uitkomst": outcome})

    def triage(self, incident_id: int) -> TriageDecision | None:
        """The latest triage decision; a later one (a re-assessment) replaces the earlier."""
        row = self.fetchone(
            "select json_extract_string(data, '$.uitkomst'), logged_at, author, id from logbook"
            " where incident_id = ? and kind = 'besluit' and json_extract_string(data, '$.soort') = ?"
            " order by logged_at desc, id desc limit 1",
            [incident_id, TRIAGE])
        return TriageDecision(*row) if row else None
