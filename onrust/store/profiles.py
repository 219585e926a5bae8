"""Watch profiles and the incident's neighbourhoods: what the omgevingsanalist watches for."""

from __future__ import annotations

import pandas as pd

from onrust.models import WatchProfile
from onrust.store.audit import audited
from onrust.store.names import NameKeyQueries
from onrust.timeutil import utcnow


class ProfileQueries(NameKeyQueries):
    def watch_profile(self, incident_id: int) -> WatchProfile | None:
        """The saved profile with the incident's neighbourhoods; None when never saved."""
        row = self.fetchone(
            "select terms, places, actors, involved, period_start, period_end, revision,"
            " coalesce(involved_sealed, false) from watch_profiles where incident_id = ?",
            [incident_id],
        )
        hoods = tuple(r[0] for r in self.fetchall(
            "select name from incident_neighbourhoods where incident_id = ? order by added_at, name",
            [incident_id],
        ))
        if row is None:
            return None
        terms, places, actors, involved, start, end, revision, sealed = row
        return WatchProfile(
            incident_id, tuple(terms), tuple(places), hoods, tuple(actors), tuple(self.open_names(involved, sealed)),
            start, end, revision,
        )

    def neighbourhoods(self, incident_id: int) -> list[str]:
        return [r[0] for r in self.fetchall(
            "select name from incident_neighbourhoods where incident_id = ? order by added_at, name",
            [incident_id],
        )]

    def save_watch_profile(self, profile: WatchProfile, author: str) -> int:
        """Store the profile and its neighbourhoods; returns the new revision (links follow)."""
        with self.incident_write(profile.incident_id) as cur, \
                audited(cur, author, "watch_profiles", profile.incident_id):
            revision = self.returned(
                cur,
                "insert into watch_profiles (incident_id, terms, places, actors, involved,"
                " period_start, period_end, revision, updated_at, updated_by, involved_sealed)"
                " values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, true)"
                " on conflict (incident_id) do update set terms = excluded.terms,"
                " places = excluded.places, actors = excluded.actors, involved = excluded.involved,"
                " involved_sealed = true,"
                " period_start = excluded.period_start, period_end = excluded.period_end,"
                " revision = watch_profiles.revision + 1, updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by returning revision",
                [profile.incident_id, list(profile.terms), list(profile.places), list(profile.actors),
                 self.seal_names(list(profile.involved)), profile.period_start, profile.period_end, utcnow(), author],
            )
            cur.execute("delete from incident_neighbourhoods where incident_id = ?", [profile.incident_id]).fetchall()
            hoods = pd.DataFrame({"name": list(profile.neighbourhoods)})
            self.insert_frame(cur, "incident_neighbourhoods", hoods.assign(
                incident_id=profile.incident_id, added_at=utcnow(), added_by=author))
        return int(revision)

    def profile_link_state(self, incident_id: int) -> tuple[int, int] | None:
        """(revision, linked_revision) of the saved profile: unequal means links are stale."""
        row = self.fetchone(
            "select revision, linked_revision from watch_profiles where incident_id = ?", [incident_id]
        )
        return (row[0], row[1]) if row else None
