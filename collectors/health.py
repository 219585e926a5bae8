"""Polling intervals, back-off and feed health: pure rules over feed state and settings.

'Not collecting' must never read as 'quiet': a feed whose last attempt is long overdue is shown
as not collecting, a feed that answers but stopped publishing as stale, a feed that errors as
failing, and gaps in the collection history are listed so analysis can tell gaps from calm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pandas as pd

from onrust.settings import CollectSettings
from onrust.timeutil import fmt_local

# Display labels (Dutch) for the health codes used in code and JSON.
HEALTH_LABELS = {
    "ok": "ok",
    "stale": "stil (verouderd)",
    "failing": "storing",
    "not_collecting": "verzamelt niet",
    "never": "nog niet opgehaald",
    "disabled": "uit",
}


def poll_interval(rhythm_seconds: float | None, conf: CollectSettings, *, incident_open: bool) -> float:
    """Poll at about twice a feed's publishing rhythm, within [min, max]; faster in an incident."""
    lo, hi = float(conf.min_interval_seconds), float(conf.max_interval_seconds)
    base = lo if not rhythm_seconds else min(hi, max(lo, rhythm_seconds / 2))
    if incident_open:
        base = max(float(conf.incident_min_interval_seconds), base * float(conf.incident_interval_factor))
    return base


def backoff_seconds(failures: int, conf: CollectSettings, retry_after: float | None = None) -> float:
    """Exponential back-off per feed; a server's Retry-After wins (capped)."""
    if retry_after is not None:
        return min(float(conf.max_retry_after_seconds), max(float(retry_after), 1.0))
    exp = float(conf.min_interval_seconds) * 2 ** max(0, failures - 1)
    return min(float(conf.max_backoff_seconds), exp)


@dataclass(frozen=True)
class Health:
    code: str
    detail: str

    @property
    def label(self) -> str:
        return HEALTH_LABELS[self.code]


def as_datetime(value: Any) -> datetime | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _num(value: Any) -> float | None:
    """Numbers from a DataFrame row arrive as NaN when missing; NaN compares false to anything."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def _count(value: Any) -> int:
    return int(_num(value) or 0)


def feed_health(state: Mapping[str, Any], now: datetime, conf: CollectSettings) -> Health:
    """Health of one source from its source_overview row."""
    if not state.get("enabled", True):
        return Health("disabled", "bron staat uit")
    last_fetch = as_datetime(state.get("last_fetch_at"))
    if last_fetch is None:
        return Health("never", "nog nooit opgehaald")
    failures = int(_num(state.get("consecutive_failures")) or 0)
    interval = _num(state.get("interval_seconds")) or float(conf.min_interval_seconds)
    # The scheduler fetches a due feed within seconds; long past due means nobody is collecting
    # (server stopped, collector crashed), also for a feed that was failing before.
    due = as_datetime(state.get("next_due_at")) or last_fetch + timedelta(seconds=interval)
    grace = max(900.0, interval)
    if (now - due).total_seconds() > grace:
        return Health("not_collecting",
                      f"laatste poging {int((now - last_fetch).total_seconds() // 60)} min geleden")
    if failures:
        since = as_datetime(state.get("failing_since"))
        when = f" sinds {fmt_local(since)}" if since else ""
        return Health("failing", f"{failures}x mislukt{when}: {state.get('last_error') or ''}".strip())
    rhythm = _num(state.get("rhythm_seconds"))
    last_new = as_datetime(state.get("last_new_item_at")) or as_datetime(state.get("last_published"))
    stale_after = max(float(conf.stale_min_seconds), float(conf.stale_factor) * (rhythm or 0))
    if last_new is None or (now - last_new).total_seconds() > stale_after:
        hours = "nog nooit" if last_new is None else f"{(now - last_new).total_seconds() / 3600:.1f} uur niet"
        usual = f" (gewoonlijk elke {rhythm / 60:.0f} min)" if rhythm else ""
        return Health("stale", f"{hours} iets nieuws{usual}")
    return Health("ok", "")


def collection_gaps(runs: pd.DataFrame, *, max_gap: timedelta, until: datetime) -> pd.DataFrame:
    """Periods per source without a successful collection run longer than `max_gap`.

    `runs` is Store.collection_runs(); failed runs do not count as coverage. A period ending in
    `until` without a run is an open gap. Analysis uses this to tell 'no news' from 'no data'.
    """
    cols = ["source_id", "name", "gap_start", "gap_end"]
    if runs.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for (source_id, name), sub in runs.sort_values("finished_at").groupby(["source_id", "name"], sort=True):
        ok = pd.to_datetime(sub.loc[sub["status"] != "fout", "finished_at"], utc=True)
        # Only failures: no data since the first attempt in the period.
        times = list(ok) if len(ok) else [pd.Timestamp(sub["started_at"].min())]
        times.append(pd.Timestamp(until))
        for start, end in pairwise(times):
            if end - start > max_gap:
                out.append((source_id, name, start, end))
    return pd.DataFrame(out, columns=cols)


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One source as `onrust sources list` reports it."""

    name: str
    kind: str
    enabled: bool
    health: Health
    items: int
    url: str | None
    last_fetch_at: datetime | None
    last_new_item_at: datetime | None
    last_error: str | None
    item_errors: int  # items of this source that tagging or linking failed on

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `onrust sources list --json`: the health as its code plus the detail."""
        return {"name": self.name, "kind": self.kind, "enabled": self.enabled, "health": self.health.code,
                "detail": self.health.detail, "items": self.items, "url": self.url,
                "last_fetch_at": self.last_fetch_at, "last_new_item_at": self.last_new_item_at,
                "last_error": self.last_error, "item_errors": self.item_errors}


def source_statuses(overview: pd.DataFrame, now: datetime, conf: CollectSettings) -> list[SourceStatus]:
    """Store.source_overview() with each source's health."""
    return [
        SourceStatus(row["name"], row["kind"], bool(row["enabled"]), feed_health(row, now, conf),
                     int(row["items"]), row["url"], as_datetime(row["last_fetch_at"]),
                     as_datetime(row["last_new_item_at"]), row["last_error"], _count(row.get("item_errors")))
        for row in overview.to_dict("records")
    ]


def health_table(overview: pd.DataFrame, now: datetime, conf: CollectSettings) -> pd.DataFrame:
    """Store.source_overview() as the Bronnen page and `sources list` show it (Dutch columns)."""
    rows = []
    for row in overview.to_dict("records"):
        health = feed_health(row, now, conf)
        rows.append({
            "bron": row["name"], "soort": row["kind"], "bereik": row["reach"],
            "aan": bool(row["enabled"]), "status": health.label, "toelichting": health.detail,
            "items": int(row["items"]), "laatst_opgehaald": as_datetime(row.get("last_fetch_at")),
            "laatst_nieuw": as_datetime(row.get("last_new_item_at")), "fout": row.get("last_error") or "",
            "waarschuwing": row.get("last_warning") or "", "adres": row.get("url") or "",
            "items met fout": _count(row.get("item_errors")),
        })
    return pd.DataFrame(rows, columns=["bron", "soort", "bereik", "aan", "status", "toelichting", "items",
                                       "laatst_opgehaald", "laatst_nieuw", "fout", "waarschuwing", "adres",
                                       "items met fout"])
