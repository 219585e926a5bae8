"""Moments as Dutch users write them (forms, CLI options, import files), parsed to UTC."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from onrust.timeutil import local, to_utc

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAY = r"(?:(?:ma|di|wo|do|vr|za|zo|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\.?,?\s+)?"
_CLOCK = r"(?:[\s,T]+(?:om\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?(?:\s*uur)?)?"
_NUMERIC = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4})" + _CLOCK)
_WORDS = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})\s+(?P<mname>[a-z]+)\.?\s+(?P<year>\d{4})" + _CLOCK)
_RELATIVE = re.compile(r"(?P<word>nu|vandaag|gisteren|eergisteren)" + _CLOCK)
_RELATIVE_DAYS = {"vandaag": 0, "gisteren": 1, "eergisteren": 2}
DATE_EXAMPLES = "14-11-2026 21:30, 14 november 2026 21.30 of 2026-11-14T21:30"


def parse_when(value: object, *, now: datetime, allow_relative: bool = True) -> datetime:
    """A moment as UTC; naive input is Amsterdam time. Raises ValueError with a Dutch message.

    Accepted: datetime/date values (from XLSX), ISO 8601, Dutch "14-11-2026 21:30" (also with
    / or . and an optional weekday, "om" and "uur"), "14 november 2026 21.30", and - only where
    `allow_relative` - "nu", "vandaag 09:15", "gisteren 21:30", "eergisteren" (local days before
    `now`). A date without a time means 00:00 that day.
    """
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, date):
        return to_utc(datetime.combine(value, time.min))
    if isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is een getal, geen datum; geef de cel in Excel een datumopmaak")
    text = " ".join(str(value).strip().casefold().split())
    if match := _RELATIVE.fullmatch(text):
        if not allow_relative:
            raise ValueError(
                f"'{value}' is een relatieve datum; gebruik in een importbestand een vaste datum "
                f"zoals {DATE_EXAMPLES}"
            )
        if match["word"] == "nu":
            if match["hour"]:
                raise ValueError(f"'{value}': 'nu' heeft geen tijd nodig")
            return to_utc(now)
        day = local(now).date() - timedelta(days=_RELATIVE_DAYS[match["word"]])
        return _build(value, day.year, day.month, day.day, match)
    if match := _NUMERIC.fullmatch(text):
        return _build(value, int(match["year"]), int(match["month"]), int(match["day"]), match)
    if match := _WORDS.fullmatch(text):
        month = _MONTHS.get(match["mname"])
        if month is None:
            raise ValueError(f"'{match['mname']}' in '{value}' is geen maand")
        return _build(value, int(match["year"]), month, int(match["day"]), match)
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is geen datum; gebruik bijvoorbeeld {DATE_EXAMPLES}") from None
    return to_utc(parsed)


def _build(original: object, year: int, month: int, day: int, match: re.Match[str]) -> datetime:
    try:
        clock = time(int(match["hour"] or 0), int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError:
        raise ValueError(f"'{original}' heeft geen geldige tijd (uu:mm, 00:00 t/m 23:59)") from None
    try:
        return to_utc(datetime.combine(date(year, month, day), clock))
    except ValueError:
        raise ValueError(f"'{original}' is geen bestaande datum (dag-maand-jaar)") from None
