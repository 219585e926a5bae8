"""Teams and roles from the protocols (data/teams.toml) and an incident's roster.

The kernteam (004 §2.2) and the Coördinatieteam (000 §2.2.4) are the same working team under two
protocols' names; the roster says who fills which role in this incident and how to reach them.
Its default rows are the contact list of 004 Bijlage 1, which the municipality fills in.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from onrust.errors import UserError
from onrust.models import RosterMember
from onrust.paths import DATA_DIR

TEAMS_FILE = DATA_DIR / "teams.toml"
ROSTER_FIELDS = ("organisation", "role", "name", "reachability", "note")
ROSTER_LABELS = {"organisation": "Organisatie", "role": "Functie / rol", "name": "Naam",
                 "reachability": "Bereikbaarheid", "note": "Opmerking"}


@dataclass(frozen=True, slots=True)
class Group:
    """A heading of the seed with its points (a role's tasks, a party's responsibilities)."""

    title: str
    ref: str
    items: tuple[str, ...]
    intro: str = ""


@dataclass(frozen=True, slots=True)
class Teams:
    kernteam: Group                       # 004 §2.2.1, 9 tasks
    gemeentesecretaris: Group             # 004 §2.2, 3 points
    coordinatieteam: tuple[tuple[str, str], ...]  # 000 §2.2.4: (role, seed text), 10 roles
    taken_en_rollen: tuple[Group, ...]    # 000 Bijlage 2
    partijen: tuple[Group, ...]           # 004 Bijlage 3, 6 parties, 31 points
    contacten: tuple[RosterMember, ...]   # 004 Bijlage 1, the roster's default rows

    def role_names(self) -> tuple[str, ...]:
        """Roles a roster line can name: the contact list's, the Coördinatieteam's, the parties."""
        names = [c.role or c.organisation for c in self.contacten]
        names += [role for role, _ in self.coordinatieteam]
        return tuple(dict.fromkeys(names))


@cache
def load_teams(path: Path = TEAMS_FILE) -> Teams:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    kern, secr = raw["kernteam"], raw["gemeentesecretaris"]
    return Teams(
        kernteam=Group(kern["title"], kern["ref"], tuple(kern["tasks"])),
        gemeentesecretaris=Group(secr["title"], secr["ref"], tuple(secr["points"])),
        coordinatieteam=tuple((r["role"], r["text"]) for r in raw["coordinatieteam"]["roles"]),
        taken_en_rollen=tuple(Group(g["group"], g["ref"], tuple(g["items"]), g.get("intro", ""))
                              for g in raw["taken_en_rollen"]),
        partijen=tuple(Group(p["party"], p["ref"], tuple(p["points"])) for p in raw["partijen"]),
        contacten=tuple(RosterMember(c["organisation"], c.get("role", ""), "", c.get("contact", ""),
                                     c.get("note", "")) for c in raw["contacten"]),
    )


def default_roster() -> list[RosterMember]:
    return list(load_teams().contacten)


def roster_or_default(stored: list[RosterMember]) -> tuple[list[RosterMember], bool]:
    """The stored roster, or the default rows when none was saved; the flag says which."""
    return (stored, True) if stored else (default_roster(), False)


def _cell(value: Any) -> str:
    """A data-editor cell: None and NaN (an emptied cell) are empty text."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


def clean_roster(rows: Iterable[Mapping[str, Any]]) -> list[RosterMember]:
    """Rows as typed (a data editor's records) -> roster lines; fully empty rows are dropped, a
    line with a name or reachability but neither organisation nor role is refused in Dutch."""
    members: list[RosterMember] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        values = {f: _cell(row.get(f)) for f in ROSTER_FIELDS}
        if not any(values.values()):
            continue
        if not values["organisation"] and not values["role"]:
            problems.append(f"Regel {number}: vul de organisatie of de functie in.")
            continue
        members.append(RosterMember(**values))
    if problems:
        raise UserError("\n".join(problems))
    return members


def roster_rows(members: Iterable[RosterMember]) -> list[dict[str, str]]:
    return [{f: getattr(m, f) for f in ROSTER_FIELDS} for m in members]
