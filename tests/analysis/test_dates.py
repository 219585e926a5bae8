"""Days named relative to an item's own day, for mobilisation dates."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.dates import find_relative_dates

THURSDAY = date(2026, 1, 1)


@pytest.mark.parametrize("text, expected", [
    ("Demonstratie zaterdag", ["2026-01-03"]),
    ("Zaterdagavond verzamelen", ["2026-01-03"]),
    ("komende donderdag", ["2026-01-08"]),
    ("aanstaande vrijdag", ["2026-01-02"]),
    ("deze donderdag", ["2026-01-01"]),
    ("volgende week zaterdag", ["2026-01-10"]),
    ("morgenavond", ["2026-01-02"]),
    ("overmorgen", ["2026-01-03"]),
    ("vanavond", ["2026-01-01"]),
    ("donderdag", []),  # today or next week?
    ("afgelopen zaterdag", []),
    ("vorige week maandag", []),
    ("de morgen erna", []),
    ("zaterdag 14 maart", []),  # the explicit date says it
])
def test_relative_days(text, expected):
    assert [iso for _, _, iso in find_relative_dates(text, THURSDAY)] == expected
