"""Untrusted text on its way into Excel: neutralised cells, and back unchanged on import."""

from __future__ import annotations

from datetime import datetime

import pytest

from onrust.text import excel_original, excel_safe


@pytest.mark.parametrize("value, safe", [
    ('=HYPERLINK("https://evil.example","klik")', '\'=HYPERLINK("https://evil.example","klik")'),
    ("+31 6 12345678", "'+31 6 12345678"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("'=1+1", "''=1+1"),             # a typed quote before a formula keeps its own quote
    ("'s-Hertogenbosch", "'s-Hertogenbosch"),  # a leading quote of ordinary text stays as it is
    ("Gerucht = onzin", "Gerucht = onzin"),
    ("", ""),
    (-5, -5), (2.5, 2.5), (None, None), (datetime(2026, 11, 14, 21, 0), datetime(2026, 11, 14, 21, 0)),
])
def test_excel_safe_prefixes_only_text_that_would_start_a_formula(value, safe):
    assert excel_safe(value) == safe
    assert excel_original(safe) == value
