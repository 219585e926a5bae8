"""Time helpers: everything is stored in UTC and shown in Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """A process clock other than the wall clock: the demo's live replay runs incident time faster."""

    def now(self) -> datetime: ...

    def wall_seconds(self, seconds: float) -> float:
        """How many real seconds pass while this clock advances `seconds`."""
        ...


_clock: Clock | None = None


def set_clock(clock: Clock | None) -> None:
    """Let every `utcnow()` of this process read `clock` (None: the wall clock again). Only the
    demo's composition root sets one: a real installation always runs on the wall clock."""
    global _clock
    _clock = clock


def utcnow() -> datetime:
    return _clock.now() if _clock is not None else datetime.now(UTC)


def wall_seconds(seconds: float) -> float:
    """Real seconds to sleep until the process clock has advanced `seconds` (waits in loops)."""
    return _clock.wall_seconds(seconds) if _clock is not None else seconds


def to_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as Amsterdam local time: that is what Dutch users type."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=AMSTERDAM)
    return value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return to_utc(value).astimezone(AMSTERDAM)


def fmt_local(value: datetime | None, *, with_seconds: bool = False) -> str:
    """Dutch display format, e.g. 'za 14-11-2026 21:05'."""
    if value is None:
        return "—"
    days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
    loc = local(value)
    clock = "%H:%M:%S" if with_seconds else "%H:%M"
    return f"{days[loc.weekday()]} {loc.strftime('%d-%m-%Y ' + clock)}"


def fmt_local_many(times: pd.Series) -> list[str]:
    """fmt_local of a column of tz-aware times as the store gives them: a busy incident's hundred
    thousand item times, formatted once per distinct minute instead of once per item."""
    codes, minutes = pd.factorize(pd.to_datetime(times, utc=True).dt.floor("min"))
    labels = np.array([fmt_local(m.to_pydatetime()) for m in minutes] + [fmt_local(None)], dtype=object)
    return list(labels[codes])  # a missing time has code -1: the last label, "—"
