"""Press releases: involved names, versions, review steps and what the press checks read from others."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from comms.rules import ROLES, Finding, InvolvedPerson, fold
from comms.workflow import PressRelease, PressVersion, WorkflowError, status_after_edit, transition
from onrust.errors import UserError
from onrust.timeutil import to_utc, utcnow

_LOGGED = {"goedgekeurd": "goedgekeurd", "verstuurd": "verstuurd"}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class PressQueries:
    def _table_exists(self, name: str) -> bool:
        return bool(
            self.scalar(
                "select count(*) from information_schema.tables where table_schema = 'main'"
                " and table_name = ?",
                [name],
            )
        )

    # -- names of people involved ---------------------------------------------------------
    def add_incident_person(
        self, incident_id: int, name: str, role: str, added_by: str, *, at: datetime | None = None
    ) -> int:
        if not name.strip():
            raise UserError("Vul een naam in.")
        if role not in ROLES:
            raise UserError(f"Onbekende rol '{role}'; kies uit {', '.join(ROLES)}.")
        if not added_by.strip():
            raise UserError("Vul in wie de naam registreert.")
        with self.transaction() as cur:
            row = cur.execute(
                "insert into incident_persons (incident_id, name, role, added_by, added_at)"
                " values (?, ?, ?, ?, ?) returning id",
                [incident_id, " ".join(name.split()), role, added_by.strip(), to_utc(at) if at else utcnow()],
            ).fetchone()
        return row[0]

    def remove_incident_person(self, person_id: int) -> None:
        self.execute("delete from incident_persons where id = ?", [person_id])

    def incident_persons(self, incident_id: int) -> list[InvolvedPerson]:
        rows = self.fetchall(
            "select name, role, id, added_by, added_at from incident_persons"
            " where incident_id = ? order by added_at, id",
            [incident_id],
        )
        return [InvolvedPerson(*row) for row in rows]

    def names_to_protect(self, incident_id: int) -> list[InvolvedPerson]:
        """Registered names plus the watch profile's `involved` names (tagging, migration 004)."""
        people = self.incident_persons(incident_id)
        if self._table_exists("watch_profiles"):
            row = self.fetchone("select involved from watch_profiles where incident_id = ?", [incident_id])
            known = {fold(p.name).text.casefold() for p in people}
            for name in (row[0] if row and row[0] else []):
                if name.strip() and fold(name).text.casefold() not in known:
                    people.append(InvolvedPerson(name.strip(), "betrokkene", added_by="volgprofiel"))
                    known.add(fold(name).text.casefold())
        return people

    # -- releases and versions ------------------------------------------------------------
    def create_press_release(
        self, incident_id: int, fields: Mapping[str, Any], author: str, *, at: datetime | None = None
    ) -> int:
        if not author.strip():
            raise UserError("Vul in wie het bericht schrijft.")
        when = to_utc(at) if at else utcnow()
        with self.transaction() as cur:
            release_id = cur.execute(
                "insert into press_releases (incident_id, status, created_at, created_by, status_at,"
                " status_by) values (?, 'concept', ?, ?, ?, ?) returning id",
                [incident_id, when, author.strip(), when, author.strip()],
            ).fetchone()[0]
            cur.execute(
                "insert into press_versions (release_id, version, fields, author, created_at)"
                " values (?, 1, ?, ?, ?)",
                [release_id, _json(dict(fields)), author.strip(), when],
            ).fetchall()
            cur.execute(
                "insert into press_events (release_id, version, action, from_status, to_status,"
                " actor, event_at) values (?, 1, 'aangemaakt', null, 'concept', ?, ?)",
                [release_id, author.strip(), when],
            ).fetchall()
        return release_id

    def save_press_version(
        self, release_id: int, fields: Mapping[str, Any], author: str, *,
        note: str = "", at: datetime | None = None,
    ) -> int:
        """A new version; an edit after submission or approval sends the release back to concept."""
        if not author.strip():
            raise UserError("Vul in wie de wijziging maakt.")
        when = to_utc(at) if at else utcnow()
        with self.transaction() as cur:
            row = cur.execute(
                "select r.status, max(v.version) from press_releases r join press_versions v"
                " on v.release_id = r.id where r.id = ? group by r.status",
                [release_id],
            ).fetchone()
            if row is None:
                raise UserError(f"Persbericht {release_id} bestaat niet.")
            status, version = row[0], row[1] + 1
            new_status = status_after_edit(status)
            cur.execute(
                "insert into press_versions (release_id, version, fields, author, created_at, note)"
                " values (?, ?, ?, ?, ?, ?)",
                [release_id, version, _json(dict(fields)), author.strip(), when, note],
            ).fetchall()
            cur.execute(
                "insert into press_events (release_id, version, action, from_status, to_status,"
                " actor, event_at, comment) values (?, ?, 'bewerkt', ?, ?, ?, ?, ?)",
                [release_id, version, status, new_status, author.strip(), when, note],
            ).fetchall()
            if new_status != status:
                cur.execute(
                    "update press_releases set status = ?, status_at = ?, status_by = ? where id = ?",
                    [new_status, when, author.strip(), release_id],
                ).fetchall()
        return version

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
            PressRelease(*r[:7], latest=PressVersion(r[0], r[7], json.loads(r[8]), r[9], r[10], r[11]))
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

    def press_step(
        self, release_id: int, action: str, actor: str, *, comment: str = "", blocking: int = 0,
        warnings: Sequence[Finding] = (), at: datetime | None = None,
    ) -> str:
        """Move the release one workflow step; the four-eyes rule compares with the latest author."""
        release = self.press_release(release_id)
        if release is None:
            raise UserError(f"Persbericht {release_id} bestaat niet.")
        target = transition(
            release.status, action, actor=actor, author=release.latest.author, blocking=blocking
        )
        when = to_utc(at) if at else utcnow()
        with self.transaction() as cur:
            updated = cur.execute(
                "update press_releases set status = ?, status_at = ?, status_by = ?"
                " where id = ? and status = ? returning id",
                [target, when, actor.strip(), release_id, release.status],
            ).fetchall()
            if not updated:  # someone else moved it in between
                raise WorkflowError("De status is intussen door iemand anders gewijzigd; laad opnieuw.")
            cur.execute(
                "insert into press_events (release_id, version, action, from_status, to_status,"
                " actor, event_at, comment, warnings) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [release_id, release.latest.version, action, release.status, target, actor.strip(),
                 when, comment, _json([w.to_dict() for w in warnings]) if warnings else None],
            ).fetchall()
            if target in _LOGGED:  # the logboek shows when communication went out (003 fase 1.5)
                cur.execute(
                    "insert into logbook (incident_id, logged_at, kind, text, author, data)"
                    " values (?, ?, 'actie', ?, ?, ?)",
                    [release.incident_id, when,
                     f"Persbericht '{release.title}' {_LOGGED[target]} (versie {release.latest.version})",
                     actor.strip(),
                     _json({"press_release": release_id, "version": release.latest.version,
                            "status": target, "warnings": len(warnings)})],
                ).fetchall()
        return target

    # -- what the press checks read from other packages ------------------------------------
    def press_informed(self, incident_id: int) -> list[tuple[str, datetime | None]]:
        """(doelgroep, last informed at) from the information-needs matrix (migration 006), if present."""
        if not self._table_exists("info_matrix"):
            return []
        rows = self.fetchall(
            "select doelgroep, last_informed_at from info_matrix"
            " where incident_id = ? and van_toepassing order by doelgroep",
            [incident_id],
        )
        return [(r[0], r[1]) for r in rows]

    def press_rumours(self, incident_id: int) -> list[tuple[str, str]]:
        """(ref, text) of rumour signals, newest first; the verification state is shown with the text
        because only a rumour found untrue ('ontkracht') may be called untrue."""
        rows = self.fetchall(
            "select id, verification, text from signals where incident_id = ? and kind = 'gerucht'"
            " order by occurred_at desc, id desc",
            [incident_id],
        )
        return [(f"signal:{r[0]}", f"{r[2]} ({r[1]})") for r in rows]

    def press_omgevingsbeeld(self, incident_id: int) -> dict[str, Any] | None:
        """Content of the newest saved omgevingsbeeld (migration 004), for its open questions."""
        if not self._table_exists("omgevingsbeeld_versions"):
            return None
        row = self.fetchone(
            "select version, content from omgevingsbeeld_versions where incident_id = ?"
            " order by version desc limit 1",
            [incident_id],
        )
        return {"version": row[0], "content": json.loads(row[1])} if row else None
