"""Crisis-communication work per incident: checklist state, information-needs matrix, strategy decisions.

Every write keeps the current row and appends the same values to a history table, so who
changed what and when stays visible for the evaluation and for Woo requests.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.store.audit import audited
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import to_utc, utcnow

MATRIX_COLUMNS = [
    "doelgroep", "van_toepassing", "informatiebehoefte", "lijn", "prioriteit", "kanaal", "afzender",
    "timing", "eerste_binnen_uren", "herhaal_uren", "last_informed_at", "last_informed_by",
    "last_informed_what", "privacy", "notes",
]
_MATRIX_TEXT = ["informatiebehoefte", "lijn", "prioriteit", "kanaal", "afzender", "timing", "privacy", "notes"]
STRATEGY_KINDS = ("accent", "persbeleid", "woordvoering")
_DECISION_TEXT = {"accent": "Accent communicatiedoelen", "persbeleid": "Persbeleid", "woordvoering": "Woordvoering"}


class CommsQueries(CoreStore):
    # -- checklists ---------------------------------------------------------------------------
    def checklist_state(self, incident_id: int, checklist: str | None = None) -> pd.DataFrame:
        return self.frame(
            "select checklist, item_id, status, owner, note, updated_at, updated_by from checklist_state"
            " where incident_id = ? and (? is null or checklist = ?) order by item_id",
            [incident_id, checklist, checklist],
        )

    def save_checklist_changes(
        self, incident_id: int, checklist: str, changes: pd.DataFrame, author: str,
        *, at: datetime | None = None,
    ) -> int:
        """Upsert item_id/status/owner/note rows and log each in checklist_history."""
        if changes.empty:
            return 0
        if not author.strip():
            raise ValueError("vul in wie de wijziging doet")
        when = to_utc(at) if at else utcnow()
        rows = changes[["item_id", "status", "owner", "note"]].fillna("").astype(str).copy()
        rows.insert(0, "checklist", checklist)
        rows.insert(0, "incident_id", incident_id)
        current = rows.assign(updated_at=when, updated_by=author.strip())
        history = rows.assign(changed_at=when, changed_by=author.strip())
        keys = [(incident_id, item) for item in rows["item_id"]]
        with self.incident_write(incident_id) as cur, audited(cur, author, "checklist_state", *keys):
            self.insert_frame(
                cur, "checklist_state", current,
                on_conflict="on conflict (incident_id, item_id) do update set status = excluded.status,"
                " owner = excluded.owner, note = excluded.note, checklist = excluded.checklist,"
                " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            self.insert_frame(cur, "checklist_history", history)
        return len(rows)

    def checklist_history(self, incident_id: int, item_id: str | None = None) -> pd.DataFrame:
        return self.frame(
            "select checklist, item_id, status, owner, note, changed_at, changed_by from checklist_history"
            " where incident_id = ? and (? is null or item_id = ?) order by changed_at, id",
            [incident_id, item_id, item_id],
        )

    # -- information-needs matrix -------------------------------------------------------------
    def info_matrix(self, incident_id: int) -> pd.DataFrame:
        return self.frame(
            f"select {', '.join(MATRIX_COLUMNS)}, updated_at, updated_by from info_matrix"
            " where incident_id = ? order by doelgroep",
            [incident_id],
        )

    def save_info_matrix(
        self, incident_id: int, rows: pd.DataFrame, author: str, *, at: datetime | None = None,
    ) -> int:
        """Upsert whole matrix rows (keyed by doelgroep) and append them to info_matrix_history."""
        if rows.empty:
            return 0
        if not author.strip():
            raise ValueError("vul in wie de wijziging doet")
        frame = rows.reindex(columns=MATRIX_COLUMNS).copy()
        if frame["doelgroep"].isna().any() or (frame["doelgroep"].astype(str).str.strip() == "").any():
            raise ValueError("elke rij heeft een doelgroep nodig")
        if frame["doelgroep"].duplicated().any():
            raise ValueError("elke doelgroep mag maar één keer voorkomen")
        when = to_utc(at) if at else utcnow()
        frame["doelgroep"] = frame["doelgroep"].astype(str).str.strip()
        frame[_MATRIX_TEXT] = frame[_MATRIX_TEXT].fillna("").astype(str)
        frame["van_toepassing"] = frame["van_toepassing"].fillna(True).astype(bool)
        for col in ("eerste_binnen_uren", "herhaal_uren"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        frame["last_informed_at"] = pd.to_datetime(frame["last_informed_at"], utc=True)
        for col in ("last_informed_by", "last_informed_what"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        frame.insert(0, "incident_id", incident_id)
        current = frame.assign(updated_at=when, updated_by=author.strip())
        history = frame.assign(changed_at=when, changed_by=author.strip())
        update = ", ".join(f"{c} = excluded.{c}" for c in [*MATRIX_COLUMNS[1:], "updated_at", "updated_by"])
        keys = [(incident_id, group) for group in frame["doelgroep"]]
        with self.incident_write(incident_id) as cur, audited(cur, author, "info_matrix", *keys):
            self.insert_frame(
                cur, "info_matrix", current,
                on_conflict=f"on conflict (incident_id, doelgroep) do update set {update}",
            )
            self.insert_frame(cur, "info_matrix_history", history)
        return len(frame)

    def press_informed(self, incident_id: int) -> list[tuple[str, datetime | None]]:
        """(doelgroep, last informed at) of the applicable rows, for the press checks before sending."""
        if not self.table_exists("info_matrix"):
            return []
        rows = self.fetchall(
            "select doelgroep, last_informed_at from info_matrix"
            " where incident_id = ? and van_toepassing order by doelgroep",
            [incident_id],
        )
        return [(r[0], r[1]) for r in rows]

    def info_matrix_history(self, incident_id: int) -> pd.DataFrame:
        return self.frame(
            f"select {', '.join(MATRIX_COLUMNS)}, changed_at, changed_by from info_matrix_history"
            " where incident_id = ? order by changed_at, id",
            [incident_id],
        )

    # -- strategy decisions -------------------------------------------------------------------
    def add_strategy_decision(
        self, incident_id: int, kind: str, value: str, author: str, *,
        phase: int | None = None, details: dict[str, Any] | None = None, note: str = "",
        at: datetime | None = None,
    ) -> int:
        if kind not in STRATEGY_KINDS:
            raise ValueError(f"onbekend soort besluit '{kind}'")
        if not author.strip():
            raise ValueError("vul in wie het besluit vastlegt")
        when = to_utc(at) if at else utcnow()
        with self.incident_write(incident_id) as cur, audited(cur, author, "strategy_decisions") as change:
            new_id = self.returned(
                cur,
                "insert into strategy_decisions (incident_id, kind, phase, value, details, note,"
                " decided_at, decided_by) values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
                [incident_id, kind, phase, value,
                 json.dumps(details, ensure_ascii=False) if details is not None else None,
                 note, when, author.strip()],
            )
            change.added(new_id)
            # Also on the besluitenlijst (logbook), which the kernteam and the evaluation read.
            text = f"{_DECISION_TEXT[kind]}: {value}" + (f" ({note})" if note else "")
            append_entry(cur, incident_id, "besluit", text, author.strip(), logged_at=when,
                         data={"soort": f"communicatie_{kind}", "besluit_id": new_id})
        return int(new_id)

    def strategy_decisions(self, incident_id: int, kind: str | None = None) -> pd.DataFrame:
        """All decisions, newest first; `details` parsed back from JSON."""
        frame = self.frame(
            "select id, kind, phase, value, details, note, decided_at, decided_by from strategy_decisions"
            " where incident_id = ? and (? is null or kind = ?) order by decided_at desc, id desc",
            [incident_id, kind, kind],
        )
        frame["details"] = [json.loads(d) if isinstance(d, str) else d for d in frame["details"]]
        return frame

    def current_strategy(self, incident_id: int) -> dict[str, dict[str, Any]]:
        """The latest decision per kind (accent, persbeleid, woordvoering)."""
        frame = self.strategy_decisions(incident_id)
        latest = frame.drop_duplicates("kind", keep="first")
        return {row["kind"]: row for row in latest.to_dict("records")}
