"""Retention (AVG art. 5(1)(e) storage limitation): purge what is past its period.

What goes, once `cutoff` (now minus privacy.retention_days) has passed:
- items linked only to incidents closed before the cutoff, and items linked to no incident that
  arrived before it, with their tags, tag and link state and revisions;
- signals of those incidents, and signals of no incident entered before the cutoff, with their
  edit history, hand-overs and the notices that quote them;
- the registered names of those incidents and the names in their watch profiles.
The incident itself, its logbook, decisions and press releases stay: they are the record the
Archiefwet and Woo ask for. The purge writes one audit row with counts, never content.
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from onrust.store.audit import SYSTEM, append_audit
from onrust.store.core import CoreStore
from onrust.timeutil import to_utc

_EXPIRED = "select id from incidents where status = 'gesloten' and closed_at < $cutoff"
_ITEMS = (
    "select i.id from items i where"
    " (exists (select 1 from item_incidents l where l.item_id = i.id and l.incident_id in (" + _EXPIRED + "))"
    "  and not exists (select 1 from item_incidents l where l.item_id = i.id"
    "   and l.incident_id not in (" + _EXPIRED + ")))"
    " or (i.fetched_at < $cutoff and not exists (select 1 from item_incidents l where l.item_id = i.id))"
)
_SIGNALS = (
    "select id from signals where incident_id in (" + _EXPIRED + ")"
    " or (incident_id is null and entered_at < $cutoff)"
)
# Counted for the dry run, then deleted in this order (dependants before what they point to).
# Table names are literals here; only the cutoff is a parameter.
_DELETES: tuple[tuple[str, str, str], ...] = (
    ("item_tags", "item_tags", "item_id in (select id from _purge_items)"),
    ("item_tag_state", "item_tag_state", "item_id in (select id from _purge_items)"),
    ("item_revisions", "item_revisions", "item_id in (select id from _purge_items)"),
    ("link_state", "link_state", "item_id in (select id from _purge_items)"),
    ("item_incidents", "item_incidents", "item_id in (select id from _purge_items)"),
    ("items", "items", "id in (select id from _purge_items)"),
    ("signal_revisions", "signal_revisions", "signal_id in (select id from _purge_signals)"),
    ("signal_routing", "signal_routing", "signal_id in (select id from _purge_signals)"),
    # A notice about a signal quotes its text (comms.notices); its key is the signal id.
    ("signal_notices", "alerts", "kind = 'signaal' and key in (select cast(id as varchar) from _purge_signals)"),
    ("signals", "signals", "id in (select id from _purge_signals)"),
    ("names", "incident_persons", "incident_id in (" + _EXPIRED + ")"),
)
_PROFILE_NAMES = "incident_id in (" + _EXPIRED + ") and len(involved) > 0"


class RetentionQueries(CoreStore):
    def purge(self, cutoff: datetime, *, dry_run: bool, actor: str = SYSTEM) -> dict[str, int]:
        """Counts per kind of what is (dry run: would be) removed; one transaction, so a crash
        leaves everything or nothing. The audit row records the counts and the cutoff."""
        params = {"cutoff": to_utc(cutoff)}
        with self.transaction() as cur:
            cur.execute("create or replace temp table _purge_items as " + _ITEMS, params)
            cur.execute("create or replace temp table _purge_signals as " + _SIGNALS, params)
            try:
                counts = self._purge(cur, params, dry_run=dry_run)
                if not dry_run and any(counts.values()):
                    after = json.dumps({"cutoff": params["cutoff"].isoformat(), **counts})
                    append_audit(cur, actor, "retention", [("*", "purge", None, after)])
            finally:
                cur.execute("drop table _purge_items")
                cur.execute("drop table _purge_signals")
        return counts

    @staticmethod
    def _purge(cur: duckdb.DuckDBPyConnection, params: dict[str, datetime], *, dry_run: bool) -> dict[str, int]:
        counts: dict[str, int] = {}
        if not dry_run:  # the incidents whose linked items go: their temperature inputs change
            CoreStore.temperature_inputs_changed(
                cur, "select incident_id from item_incidents where item_id in (select id from _purge_items)")
        for label, table, where in _DELETES:
            sql = ("select count(*) from " if dry_run else "delete from ") + f"{table} where {where}"
            row = cur.execute(sql, params if "$cutoff" in where else {}).fetchone()
            counts[label] = int(row[0]) if row else 0
        profile_sql = ("select count(*) from watch_profiles where " if dry_run
                       else "update watch_profiles set involved = []::varchar[] where ") + _PROFILE_NAMES
        row = cur.execute(profile_sql, params).fetchone()
        counts["profile_names"] = int(row[0]) if row else 0
        return counts
