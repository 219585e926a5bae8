"""Manual signals and their edit history (004 §3.1): nothing entered is ever silently lost.

Signals are built and validated in collectors.signals; this module only stores what it is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from datetime import datetime
from typing import Any

import pandas as pd

from onrust.errors import UserError
from onrust.models import SignalInput
from onrust.store.audit import audited
from onrust.store.core import CoreStore
from onrust.timeutil import to_utc, utcnow

_COLS = (
    "id", "incident_id", "kind", "source_type", "reliability", "credibility", "verification",
    "severity", "municipality", "neighbourhood", "occurred_at", "reported_at", "entered_at",
    "text", "entered_by", "import_key",
)
# What an edit may change; who entered it, when, and the import key stay as first recorded
# (the key keeps re-imports of the original file idempotent after an edit).
EDITABLE = (
    "incident_id", "kind", "source_type", "reliability", "credibility", "verification",
    "severity", "municipality", "neighbourhood", "occurred_at", "reported_at", "text",
)
_SELECT = "select " + ", ".join(_COLS) + " from signals"


class DuplicateSignal(UserError):
    """The same signal (same key) is already stored; the caller shows which one."""

    def __init__(self, existing_id: int) -> None:
        self.existing_id = existing_id
        super().__init__(f"Dit signaal staat al in de database (signaal #{existing_id}); niets toegevoegd.")


class SignalConflict(UserError):
    """Someone else changed the signal after the editor loaded it; saving would overwrite that."""

    def __init__(self, signal_id: int, fields: list[str]) -> None:
        self.signal_id = signal_id
        self.fields = fields
        super().__init__(
            f"Signaal #{signal_id} is intussen door iemand anders gewijzigd ({', '.join(fields)}); "
            f"laad het opnieuw en voer uw wijziging dan nog eens in."
        )


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_utc(value).isoformat()
    return str(value)


def _values(signal: SignalInput) -> dict[str, Any]:
    return {
        "incident_id": signal.incident_id, "kind": signal.kind, "source_type": signal.source_type,
        "reliability": signal.reliability, "credibility": signal.credibility,
        "verification": signal.verification, "severity": signal.severity,
        "municipality": signal.municipality, "neighbourhood": signal.neighbourhood,
        "occurred_at": to_utc(signal.occurred_at), "reported_at": to_utc(signal.reported_at),
        "entered_at": to_utc(signal.entered_at), "text": signal.text,
        "entered_by": signal.entered_by, "import_key": signal.key,
    }


class SignalQueries(CoreStore):
    def add_signal(self, signal: SignalInput) -> int:
        """Store one signal; a second submit of the same signal raises DuplicateSignal."""
        values = _values(signal)
        with self.incident_write(signal.incident_id) as cur, audited(cur, signal.entered_by, "signals") as change:
            row = cur.execute("select id from signals where import_key = ?", [signal.key]).fetchone()
            if row:
                raise DuplicateSignal(row[0])
            signal_id = self.returned(
                cur,
                "insert into signals (" + ", ".join(values) + ") values ("
                + ", ".join("?" for _ in values) + ") returning id",
                list(values.values()),
            )
            change.added(signal_id)
        return int(signal_id)

    def add_signals(self, signals: Sequence[SignalInput]) -> list[tuple[int, bool]]:
        """All in one transaction: (id, is_new) per input, in order; known keys are not re-added.

        A repeated key inside `signals` gets the id of its first occurrence and is_new False.
        """
        keys = [s.key for s in signals]
        if not keys:
            return []
        with self.incident_write(*{s.incident_id for s in signals}) as cur:
            known = dict(cur.execute(
                "select import_key, id from signals where list_contains(?, import_key)", [keys]
            ).fetchall())
            fresh: dict[str, SignalInput] = {}
            for signal in signals:
                if signal.key not in known:
                    fresh.setdefault(signal.key, signal)
            frame = pd.DataFrame([_values(s) for s in fresh.values()])
            added: dict[str, int] = {}
            if not frame.empty:
                frame["incident_id"] = frame["incident_id"].astype("Int32")
                frame["neighbourhood"] = frame["neighbourhood"].astype("string")
                with ExitStack() as stack:  # one audit actor per person who entered signals
                    changes = {actor: stack.enter_context(audited(cur, actor, "signals"))
                               for actor in dict.fromkeys(s.entered_by for s in fresh.values())}
                    self.insert_frame(cur, "signals", frame)
                    added = dict(cur.execute(
                        "select import_key, id from signals where list_contains(?, import_key)",
                        [list(fresh)],
                    ).fetchall())
                    for key, new_id in added.items():
                        changes[fresh[key].entered_by].added(new_id)
        result, seen = [], set()
        for key in keys:
            is_new = key in added and key not in seen
            seen.add(key)
            result.append((added.get(key) or known[key], is_new))
        return result

    def signal(self, signal_id: int) -> dict[str, Any] | None:
        row = self.fetchone(_SELECT + " where id = ?", [signal_id])
        return dict(zip(_COLS, row, strict=True)) if row else None

    def update_signal(
        self,
        signal_id: int,
        new: SignalInput,
        *,
        changed_by: str,
        expected: Mapping[str, Any] | None = None,
        changed_at: datetime | None = None,
    ) -> list[str]:
        """Apply the edit and record one revision per changed field, in one transaction.

        `expected` is the signal as the editor loaded it: when any editable field differs now,
        somebody else saved in between and SignalConflict is raised instead of overwriting.
        Returns the changed fields (empty: nothing to do, nothing recorded).
        """
        if not changed_by.strip():
            raise UserError("Vul in wie de wijziging maakt.")
        wanted = _values(new)
        with self.transaction() as cur, audited(cur, changed_by, "signals", signal_id):
            row = cur.execute(_SELECT + " where id = ?", [signal_id]).fetchone()
            if row is None:
                raise UserError(f"Signaal #{signal_id} bestaat niet.")
            current = dict(zip(_COLS, row, strict=True))
            self.require_open(cur, [current["incident_id"], wanted["incident_id"]])
            if expected is not None:
                moved = [f for f in EDITABLE if _as_text(current[f]) != _as_text(expected.get(f))]
                if moved:
                    raise SignalConflict(signal_id, moved)
            changes = [f for f in EDITABLE if _as_text(current[f]) != _as_text(wanted[f])]
            if not changes:
                return []
            cur.execute(
                "update signals set " + ", ".join(f"{f} = ?" for f in changes) + " where id = ?",
                [wanted[f] for f in changes] + [signal_id],
            ).fetchall()
            when = to_utc(changed_at) if changed_at else utcnow()
            self.insert_frame(cur, "signal_revisions", pd.DataFrame({
                "signal_id": [signal_id] * len(changes),
                "changed_at": [when] * len(changes),
                "changed_by": [changed_by.strip()] * len(changes),
                "field": changes,
                "old": pd.Series([_as_text(current[f]) for f in changes], dtype="string"),
                "new": pd.Series([_as_text(wanted[f]) for f in changes], dtype="string"),
            }))
        return changes

    def signal_history(self, signal_id: int) -> pd.DataFrame:
        return self.frame(
            "select changed_at, changed_by, field, old, new from signal_revisions"
            " where signal_id = ? order by changed_at, id",
            [signal_id],
        )

    def signals(
        self,
        *,
        incident_id: int | None = None,
        with_unassigned: bool = False,
        start: datetime | None = None,
        end: datetime | None = None,
        kinds: Sequence[str] = (),
        source_types: Sequence[str] = (),
        verification: Sequence[str] = (),
        min_severity: int | None = None,
        search: str | None = None,
        as_of: datetime | None = None,
        newest_first: bool = False,
    ) -> pd.DataFrame:
        """Signals by occurred_at in [start, end), with a `revisions` count per signal.

        `with_unassigned` adds signals not (yet) linked to any incident to an incident's list.
        `as_of` keeps only signals entered by then (replays; values are today's, edits included).
        """
        where: list[str] = ["true"]
        params: list[Any] = []
        if incident_id is not None:
            where.append("(s.incident_id = ? or s.incident_id is null)" if with_unassigned
                         else "s.incident_id = ?")
            params.append(incident_id)
        if start is not None:
            where.append("s.occurred_at >= ?")
            params.append(to_utc(start))
        if end is not None:
            where.append("s.occurred_at < ?")
            params.append(to_utc(end))
        for column, chosen in (("kind", kinds), ("source_type", source_types),
                               ("verification", verification)):
            if chosen:
                where.append(f"list_contains(?, s.{column})")  # column names are literals above
                params.append(list(chosen))
        if as_of is not None:
            where.append("s.entered_at <= ?")
            params.append(to_utc(as_of))
        if min_severity is not None:
            where.append("s.severity >= ?")
            params.append(min_severity)
        if search:
            where.append("(contains(lower(s.text), lower(?))"
                         " or contains(lower(coalesce(s.neighbourhood, '')), lower(?)))")
            params += [search, search]
        order = "desc" if newest_first else "asc"
        return self.frame(
            "select " + ", ".join(f"s.{c}" for c in _COLS) + ", coalesce(r.n, 0) as revisions"
            " from signals s left join (select signal_id, count(*) as n from signal_revisions"
            " group by signal_id) r on r.signal_id = s.id where " + " and ".join(where)
            + f" order by s.occurred_at {order}, s.id {order}",
            params,
        )

    # -- what other pages and checks read --------------------------------------------------
    def incident_signals_frame(self, incident_id: int, start: datetime, end: datetime) -> pd.DataFrame:
        """Entered signals of the incident in the period: rumours and reports beside the media."""
        return self.frame(
            "select id, kind, verification, severity, reliability, credibility, neighbourhood,"
            " occurred_at, reported_at, text from signals"
            " where incident_id = ? and occurred_at >= ? and occurred_at < ?"
            " order by occurred_at desc",
            [incident_id, start, end],
        )


    def press_rumours(self, incident_id: int) -> list[tuple[str, str]]:
        """(ref, text) of rumour signals, newest first; the verification state is shown with the text
        because only a rumour found untrue ('ontkracht') may be called untrue."""
        rows = self.fetchall(
            "select id, verification, text from signals where incident_id = ? and kind = 'gerucht'"
            " order by occurred_at desc, id desc",
            [incident_id],
        )
        return [(f"signal:{r[0]}", f"{r[2]} ({r[1]})") for r in rows]
