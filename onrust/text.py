"""Untrusted text on its way to the user: shown literally in Markdown, never a formula in a spreadsheet."""

from __future__ import annotations

import codecs
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


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes) -> str:
    """Text from a file whose encoding nobody stated, as Windows, Mac and Office tools write it:
    UTF-8 with or without BOM, UTF-16 with or without BOM ("Unicode-tekst"), else Windows-1252.

    Raises ValueError for binary data: no text file holds a NUL character.
    """
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), None)
    if codec is not None:
        text = data.decode(codec, errors="replace").removeprefix("\ufeff")
    elif (codec := _utf16_without_bom(data)) is not None:
        text = data.decode(codec, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ValueError("binary data, not text")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 shows as NUL bytes in every other position: the high byte of each Latin letter
    (little-endian: odd positions, big-endian: even ones). UTF-8 and cp1252 text has no NULs."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if not pairs:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None
