"""Dates named in Dutch text ("zaterdag 14 maart", "14 maart 2026", "14-03-2026")."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WORDS = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?(?:\s+(\d{4}))?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")


def find_dates(text: str, today: date) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) for each valid date; a date without a year is in `today`'s year."""
    found = []
    for m in _WORDS.finditer(text):
        year = int(m.group(3)) if m.group(3) else today.year
        found.append((m.start(), m.end(), year, MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in _NUMERIC.finditer(text):
        found.append((m.start(), m.end(), int(m.group(3)), int(m.group(2)), int(m.group(1))))
    result = []
    for start, end, year, month, day in sorted(found):
        try:
            result.append((start, end, date(year, month, day).isoformat()))
        except ValueError:
            continue  # "31 februari" is no date
    return result


WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
}
# Days counted from the item's own day; "vannacht" (last night or tonight?) is left out.
DAY_WORDS = {"vandaag": 0, "vanmiddag": 0, "vanavond": 0, "morgen": 1, "overmorgen": 2}
_PART_OF_DAY = r"(?:ochtend|middag|avond|nacht)?"
_DAY_WORD = re.compile(
    r"\b(?:(?P<weekday>" + "|".join(WEEKDAYS) + r")|(?P<day>" + "|".join(DAY_WORDS) + r"))" + _PART_OF_DAY + r"\b",
    re.IGNORECASE,
)
# Read backwards from a day word: "komende zaterdag", "volgende week zaterdag", "de morgen".
_MODIFIER = re.compile(
    r"\b(?P<mod>komende|aanstaande|deze|volgende\s+week|vorige\s+week|vorige|afgelopen|de|die|elke|volgende)\s+$",
    re.IGNORECASE,
)
_LOOK_BACK = 20
_WEEKDAY_MODIFIERS = frozenset(
    {"komende", "aanstaande", "deze", "volgende week", "vorige week", "vorige", "afgelopen", "volgende"}
)
# A weekday right before an explicit date ("zaterdag 14 maart") belongs to that date.
_DATE_AHEAD = 4


def find_relative_dates(text: str, today: date) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) for days named relative to `today`, the item's own day:
    "morgenavond", "komende vrijdag", "volgende week zaterdag", and a bare "zaterdag" when it
    can only be the coming one. Past days ("afgelopen zaterdag") and a bare weekday that is
    today's ("zaterdag" on a Saturday: today or next week?) stay unresolved."""
    explicit = [start for start, _, _ in find_dates(text, today)]
    result = []
    for m in _DAY_WORD.finditer(text):
        before = _MODIFIER.search(text, max(0, m.start() - _LOOK_BACK), m.start())
        mod = " ".join(before.group("mod").lower().split()) if before else ""
        start = before.start() if before and mod in _WEEKDAY_MODIFIERS else m.start()
        if m.group("day"):
            if mod:
                continue  # "de morgen", "elke morgen": a morning, not tomorrow
            offset = DAY_WORDS[m.group("day").lower()]
        else:
            if any(m.end() <= s <= m.end() + _DATE_AHEAD for s in explicit):
                continue
            weekday = WEEKDAYS[m.group("weekday").lower()]
            ahead = (weekday - today.weekday()) % 7
            if mod in {"vorige", "vorige week", "afgelopen"}:
                continue
            if mod == "volgende week":
                offset = 7 - today.weekday() + weekday
            elif mod in {"komende", "aanstaande", "volgende"}:
                offset = ahead or 7
            elif mod == "deze" or ahead:
                offset = ahead
            else:
                continue
        result.append((start, m.end(), date.fromordinal(today.toordinal() + offset).isoformat()))
    return result
