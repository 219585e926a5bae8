"""Untrusted text on its way to the user: shown literally in Markdown, never a formula in a spreadsheet."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_\[\]#|<>~$])")  # what can start markup mid-line


def md_escape(text: object, *, one_line: bool = True) -> str:
    """Every Markdown special character escaped, so no link, image or HTML can come through.

    one_line folds white space (feed titles, names); False keeps line breaks (messages).
    """
    value = str(text)
    if one_line:
        value = " ".join(value.split())
    return _MARKDOWN.sub(r"\\\1", value)


# Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula (after a
# leading tab or carriage return too): an untrusted "=HYPERLINK(...)" would run as one (OWASP
# "CSV injection"). A leading quote is the one neutraliser that works in every one of them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    """Starts a formula, possibly behind quotes (so a quote typed by a user survives a round trip)."""
    return text.lstrip("'").startswith(_FORMULA_START)


def excel_safe(value: object) -> object:
    """A cell value for a CSV or XLSX file people open in a spreadsheet: text that would start a
    formula gets a leading quote; numbers, dates and other text are left as they are."""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def excel_original(value: object) -> object:
    """The value excel_safe was given: an importer reads back what an export wrote."""
    if isinstance(value, str) and value.startswith("'") and _formula_like(value[1:]):
        return value[1:]
    return value
