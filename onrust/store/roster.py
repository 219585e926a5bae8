"""An incident's roster (role -> name, organisation, reachability) and the names it adds to the
press checks."""

from __future__ import annotations

from collections.abc import Sequence

from onrust.models import ROSTER_SOURCE, InvolvedPerson, RosterMember
from onrust.store.persons import PersonQueries
from onrust.text import fold
from onrust.timeutil import utcnow

ROSTER_ROLE = "teamlid"  # how a roster name is labelled in a press finding


class RosterQueries(PersonQueries):
    def save_roster(self, incident_id: int, members: Sequence[RosterMember], author: str) -> int:
        """Replace the incident's roster with `members` (the page edits the list as a whole);
        IncidentClosed when the incident is closed."""
        now = utcnow()
        with self.incident_write(incident_id) as cur:
            cur.execute("delete from roster_members where incident_id = ?", [incident_id]).fetchall()
            for position, m in enumerate(members):
                cur.execute(
                    "insert into roster_members (incident_id, position, organisation, role, name,"
                    " reachability, note, updated_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [incident_id, position, m.organisation, m.role, m.name, m.reachability, m.note,
                     author, now]).fetchall()
        return len(members)

    def roster(self, incident_id: int) -> list[RosterMember]:
        """The stored roster in its order; empty when it was never saved (the page then shows the
        default rows of 004 Bijlage 1)."""
        rows = self.fetchall(
            "select organisation, role, name, reachability, note from roster_members"
            " where incident_id = ? order by position", [incident_id])
        return [RosterMember(*row) for row in rows]

    def press_names(self, incident_id: int) -> list[InvolvedPerson]:
        """Every name no outward text may carry: the involved people (names_to_protect) and the
        roster's team members. Kept apart from names_to_protect, which also drives linking and
        relevance: a mayor's name in the news does not make an item part of the incident."""
        people = self.names_to_protect(incident_id)
        known = {fold(p.name).text.casefold() for p in people}
        for member in self.roster(incident_id):
            name = member.name.strip()
            if name and fold(name).text.casefold() not in known:
                people.append(InvolvedPerson(name, f"{ROSTER_ROLE} ({member.role or member.organisation})",
                                             added_by=ROSTER_SOURCE))
                known.add(fold(name).text.casefold())
        return people
