"""Press releases: versions and review steps, written with guards instead of rules.

comms.workflow decides which step or edit is allowed; the writes here only check, in the same
transaction, that the release is still as the caller read it, and return False when it is not
(someone else saved or stepped first).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.errors import UserError
from onrust.models import Finding, LogLink, PressRelease, PressVersion
from onrust.store.audit import audited
from onrust.store.core import CoreStore
from onrust.store.logbook import append_entry
from onrust.timeutil import to_utc, utcnow


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class PressQueries(CoreStore):
    # -- releases and versions ------------------------------------------------------------
    def create_press_release(
        self, incident_id: int, fields: Mapping[str, Any], author: str, *, at: datetime | None = None
    ) -> int:
        if not author.strip():
            raise UserError("Vul in wie het bericht schrijft.")
        when = to_utc(at) if at else utcnow()
        with self.incident_write(incident_id) as cur, audited(cur, author, "press_releases") as release, \
                audited(cur, author, "press_versions") as version:
            release_id = int(self.returned(
                cur,
                "insert into press_releases (incident_id, status, created_at, created_by, status_at,"
                " status_by) values (?, 'concept', ?, ?, ?, ?) returning id",
                [incident_id, when, author.strip(), when, author.strip()],
            ))
            cur.execute(
                "insert into press_versions (release_id, version, fields, author, created_at)"
                " values (?, 1, ?, ?, ?)",
                [release_id, _json(dict(fields)), author.strip(), when],
            ).fetchall()
            release.added(release_id)
            version.added((release_id, 1))
            cur.execute(
                "insert into press_events (release_id, version, action, from_status, to_status,"
                " actor, event_at) values (?, 1, 'aangemaakt', null, 'concept', ?, ?)",
                [release_id, author.strip(), when],
            ).fetchall()
        return release_id

    def add_press_version(
        self, release_id: int, version: int, fields: Mapping[str, Any], author: str, *,
        expected_status: str, new_status: str, note: str = "", at: datetime | None = None,
    ) -> bool:
        """Append `version` and move the release from `expected_status` to `new_status`.

        False, with nothing written, when the release no longer has that status with
        `version - 1` as its newest version.
        """
        when = to_utc(at) if at else utcnow()
        with self.transaction() as cur:
            current = cur.execute(
                "select r.status, max(v.version), r.incident_id from press_releases r join press_versions v"
                " on v.release_id = r.id where r.id = ? group by r.status, r.incident_id",
                [release_id],
            ).fetchone()
            if current is None or tuple(current[:2]) != (expected_status, version - 1):
                return False
            self.require_open(cur, [current[2]])
            with audited(cur, author, "press_versions") as change:
                cur.execute(
                    "insert into press_versions (release_id, version, fields, author, created_at, note)"
                    " values (?, ?, ?, ?, ?, ?)",
                    [release_id, version, _json(dict(fields)), author, when, note],
                ).fetchall()
                change.added((release_id, version))
            cur.execute(
                "insert into press_events (release_id, version, action, from_status, to_status,"
                " actor, event_at, comment) values (?, ?, 'bewerkt', ?, ?, ?, ?, ?)",
                [release_id, version, expected_status, new_status, author, when, note],
            ).fetchall()
            if new_status != expected_status:
                with audited(cur, author, "press_releases", release_id):
                    cur.execute(
                        "update press_releases set status = ?, status_at = ?, status_by = ? where id = ?",
                        [new_status, when, author, release_id],
                    ).fetchall()
        return True

    def set_press_status(
        self, release_id: int, expected: str, new: str, *, action: str, actor: str, version: int,
        comment: str = "", warnings: Sequence[Finding] = (), logbook_text: str | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Move the release from `expected` to `new` and record the step (and `logbook_text`
        on the incident's logbook) in one transaction.

        False, with nothing written, when the status is no longer `expected`: someone else
        moved it first (the four-eyes race); and when `actor` would approve ("goedgekeurd") the
        latest version they wrote themselves. The workflow refuses that with a message first; the
        guard here holds whatever path calls, with the logged-in identity as the actor.
        """
        when = to_utc(at) if at else utcnow()
        with self.transaction() as cur:
            owner = cur.execute(
                "select incident_id from press_releases where id = ?", [release_id]
            ).fetchall()
            self.require_open(cur, [r[0] for r in owner])
            with audited(cur, actor, "press_releases", release_id):
                moved = cur.execute(
                    "update press_releases set status = ?, status_at = ?, status_by = ?"
                    " where id = ? and status = ? and not (? = 'goedgekeurd' and exists ("
                    "   select 1 from press_versions v where v.release_id = press_releases.id"
                    "   and v.version = (select max(version) from press_versions where release_id = v.release_id)"
                    "   and lower(trim(v.author)) = lower(trim(?))))"
                    " returning incident_id",
                    [new, when, actor, release_id, expected, new, actor],
                ).fetchall()
            if not moved:
                return False
            cur.execute(
                "insert into press_events (release_id, version, action, from_status, to_status,"
                " actor, event_at, comment, warnings) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [release_id, version, action, expected, new, actor, when, comment,
                 _json([w.to_dict() for w in warnings]) if warnings else None],
            ).fetchall()
            if logbook_text is not None:
                append_entry(cur, moved[0][0], "actie", logbook_text, actor, logged_at=when,
                             data={"press_release": release_id, "version": version, "status": new,
                                   "warnings": len(warnings)},
                             links=(LogLink("press_release", release_id),))
        return True

    def press_versions(self, release_id: int) -> list[PressVersion]:
        rows = self.fetchall(
            "select release_id, version, fields, author, created_at, note from press_versions"
            " where release_id = ? order by version",
            [release_id],
        )
        return [PressVersion(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def _releases(self, incident_id: int | None, release_id: int | None) -> list[PressRelease]:
        rows = self.fetchall(
            "select r.id, r.incident_id, r.status, r.created_at, r.created_by, r.status_at, r.status_by,"
            " v.version, v.fields, v.author, v.created_at, v.note"
            " from press_releases r join press_versions v on v.release_id = r.id"
            " and v.version = (select max(version) from press_versions where release_id = r.id)"
            " where (? is null or r.incident_id = ?) and (? is null or r.id = ?)"
            " order by r.created_at desc, r.id desc",
            [incident_id, incident_id, release_id, release_id],
        )
        return [
            PressRelease(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                         latest=PressVersion(r[0], r[7], json.loads(r[8]), r[9], r[10], r[11]))
            for r in rows
        ]

    def press_releases(self, incident_id: int) -> list[PressRelease]:
        return self._releases(incident_id, None)

    def press_release(self, release_id: int) -> PressRelease | None:
        found = self._releases(None, release_id)
        return found[0] if found else None

    def press_events(self, release_id: int) -> pd.DataFrame:
        frame = self.frame(
            "select event_at, version, action, from_status, to_status, actor, comment, warnings"
            " from press_events where release_id = ? order by event_at, id",
            [release_id],
        )
        frame["warnings"] = [json.loads(w) if isinstance(w, str) else [] for w in frame["warnings"]]
        return frame
