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
