"""Saved diagnoses (the phase questionnaire): each assessment kept, never overwritten."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow

_DIAGNOSIS_COLS = ("assessed_at", "author", "answers", "via_third_party", "score_a", "score_b",
                   "score_c", "score_total", "unknown_share", "advice", "extra_advice",
                   "explanation", "note")


class DiagnosisQueries(CoreStore):
    def save_diagnosis(self, incident_id: int, record: dict[str, Any]) -> int:
        """`record` as made by analysis.diagnosis.Diagnosis.as_record()."""
        values = {**record, "answers": json.dumps(record["answers"]),
                  "extra_advice": json.dumps(record["extra_advice"])}
        with self.incident_write(incident_id) as cur:
            new_id = self.returned(
                cur,
                "insert into diagnoses (incident_id, " + ", ".join(_DIAGNOSIS_COLS) + ", created_at)"
                " values (" + ", ".join("?" * (len(_DIAGNOSIS_COLS) + 2)) + ") returning id",
                [incident_id, *(values[c] for c in _DIAGNOSIS_COLS), utcnow()],
            )
        return int(new_id)

    def diagnoses(self, incident_id: int) -> pd.DataFrame:
        frame = self.frame(
            "select id, assessed_at, author, answers, via_third_party, score_a, score_b, score_c,"
            " score_total, unknown_share, advice, extra_advice, explanation, note from diagnoses"
            " where incident_id = ? order by assessed_at, id",
            [incident_id],
        )
        for col in ("answers", "extra_advice"):
            frame[col] = frame[col].map(json.loads)
        return frame
