"""Saved omgevingsbeeld versions: never overwritten, so the kernteam can see what was known when."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.store.core import CoreStore
from onrust.timeutil import utcnow


class OmgevingsbeeldQueries(CoreStore):
    def save_omgevingsbeeld(
        self, incident_id: int, content: dict[str, Any], conclusions: str, author: str,
        period_start: datetime, period_end: datetime, *, created_at: datetime | None = None,
    ) -> int:
        """Append a version (1, 2, ...) with the generated content and the analist's conclusions.

        `created_at` (default now) dates a version made earlier, such as the demo's history.
        """
        with self.incident_write(incident_id) as cur:
            version = int(self.returned(
                cur,
                "select coalesce(max(version), 0) + 1 from omgevingsbeeld_versions where incident_id = ?",
                [incident_id],
            ))
            cur.execute(
                "insert into omgevingsbeeld_versions (incident_id, version, created_at, author,"
                " period_start, period_end, content, conclusions) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [incident_id, version, created_at or utcnow(), author, period_start, period_end,
                 json.dumps(content, ensure_ascii=False, default=str), conclusions],
            ).fetchall()
        return version

    def omgevingsbeeld_versions(self, incident_id: int) -> pd.DataFrame:
        return self.frame(
            "select version, created_at, author, period_start, period_end,"
            " length(conclusions) > 0 as has_conclusions"
            " from omgevingsbeeld_versions where incident_id = ? order by version desc",
            [incident_id],
        )

    def omgevingsbeeld_version(self, incident_id: int, version: int | None = None) -> dict[str, Any] | None:
        """One version (default: the newest) with its content decoded."""
        row = self.fetchone(
            "select version, created_at, author, period_start, period_end, content, conclusions"
            " from omgevingsbeeld_versions where incident_id = ? and (? is null or version = ?)"
            " order by version desc limit 1",
            [incident_id, version, version],
        )
        if row is None:
            return None
        keys = ("version", "created_at", "author", "period_start", "period_end", "content", "conclusions")
        found = dict(zip(keys, row, strict=True))
        found["content"] = json.loads(found["content"])
        return found

    def press_omgevingsbeeld(self, incident_id: int) -> dict[str, Any] | None:
        """Content of the newest saved omgevingsbeeld, for the press checks' open questions."""
        if not self.table_exists("omgevingsbeeld_versions"):
            return None
        row = self.fetchone(
            "select version, content from omgevingsbeeld_versions where incident_id = ?"
            " order by version desc limit 1",
            [incident_id],
        )
        return {"version": row[0], "content": json.loads(row[1])} if row else None
