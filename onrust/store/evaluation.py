"""Evaluation answers per incident (data/evaluation.toml's questions)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from onrust.errors import UserError
from onrust.store.core import CoreStore
from onrust.timeutil import to_utc, utcnow


class EvaluationQueries(CoreStore):
    def save_evaluation_answers(self, incident_id: int, answers: Mapping[str, str], author: str, *,
                                at: datetime | None = None) -> int:
        """Store the given answers (question id -> text) as the current ones.

        Not through incident_write: the evaluation is done after the incident is closed (003 fase 3
        "binnen 2 maanden", 004 §3.4 "nazorg en evaluatie" once the situation is beheersbaar), so a
        closed incident must still take its answers. Closing freezes the crisis work, not the review
        of it; the answers change nothing that was recorded during the incident.
        """
        when = to_utc(at) if at else utcnow()
        with self.transaction() as cur:
            if not self.returned(cur, "select count(*) from incidents where id = ?", [incident_id]):
                raise UserError(f"Incident {incident_id} bestaat niet.")
            for question_id, answer in answers.items():
                cur.execute(
                    "insert into evaluation_answers (incident_id, question_id, answer, answered_by, answered_at)"
                    " values (?, ?, ?, ?, ?) on conflict (incident_id, question_id) do update set"
                    " answer = excluded.answer, answered_by = excluded.answered_by,"
                    " answered_at = excluded.answered_at",
                    [incident_id, question_id, answer, author, when]).fetchall()
        return len(answers)

    def evaluation_answers(self, incident_id: int) -> dict[str, tuple[str, str, datetime]]:
        """question id -> (answer, by, at)."""
        rows = self.fetchall("select question_id, answer, answered_by, answered_at from evaluation_answers"
                             " where incident_id = ?", [incident_id])
        return {r[0]: (r[1], r[2], r[3]) for r in rows}
