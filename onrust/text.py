"""Text helpers every layer shares: Markdown escaping of untrusted text, spreadsheet cells that are
never formulas, decoding files of unstated encoding, and the ways names and phrases are compared
(without case, accents or stray punctuation)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# What can start markup mid-line; a colon before a letter starts one of Streamlit's directives
# (":red[...]", ":material/...:"), which swallow the word when unknown.
_MARKDOWN = re.compile(r"([\\`*_\[\]#|<>~$]|:(?=[A-Za-z]))")
# GFM turns bare addresses into links after parsing, so backslashes do not stop it; an invisible
# WORD JOINER breaks the patterns it looks for (http://, https://, www., name@domain).
_WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?|www)(?=://|\.)|(?=@)")
_COMBINING = re.compile("[\u0300-\u036f]")


# The characters that open a Markdown link, image, reference or autolink.
_LINK_OPEN = re.compile(r"([\[\]<>])")


def md_escape(text: object, *, one_line: bool = True) -> str:
    """Every Markdown special character escaped and bare addresses broken, so no link, image or
    HTML can come through (Streamlit's labels, captions and messages are Markdown too).

    one_line folds white space (feed titles, names); False keeps line breaks (messages).
    """
    value = str(text)
    if one_line:
        value = " ".join(value.split())
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + _WORD_JOINER, _MARKDOWN.sub(r"\\\1", value))


def md_without_links(text: str) -> str:
    """Markdown the analist wrote, with its formatting kept (lists, bold, headings) but no link,
    image or bare address that could load or lead anywhere: a pasted feed title with
    `![x](http://...)` stays text."""
    value = _LINK_OPEN.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + _WORD_JOINER, value)


# A link's target, an HTML tag (or autolink) and a reference definition ("[x]: javascript:...").
_INERT = re.compile(r"\](?=\()|[<>]|(?m:^(?=[ ]{0,3}\[[^\]\n]*\]:))")


def md_inert(text: str) -> str:
    """Markdown a person composed from typed or pasted text (a persbericht), kept as written:
    headings, bold and the [naam] masks stay; but no link, image or HTML tag in it acts in any
    Markdown viewer: `](`, `<`, `>` and a line-leading reference definition are escaped."""
    return _INERT.sub(lambda m: "\\" + m.group(0) if m.group(0) else "\\", text)


def normalize(text: str) -> str:
    """Casefolded, accents removed: 'Café' and 'cafe' are the same word to a reader."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def normalize_series(texts: pd.Series) -> pd.Series:
    """normalize() for a column at once (the relevance of thousands of items per edit)."""
    return texts.str.casefold().str.normalize("NFKD").str.replace(_COMBINING, "", regex=True)


def distinct_phrases(values: Iterable[str]) -> tuple[str, ...]:
    """White space folded, empties dropped, one entry per normalized form (the first spelling)."""
    seen: dict[str, str] = {}
    for value in values:
        value = " ".join(str(value).split())
        if value and normalize(value) not in seen:
            seen[normalize(value)] = value
    return tuple(seen.values())


def loose_name(text: str) -> str:
    """Compare names the way people misspell them: no accents, case, apostrophes or hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^a-z0-9]+", " ", plain.casefold().replace("'", "")).strip()
    return plain.removeprefix("gemeente ")


@dataclass(frozen=True, slots=True)
class Folded:
    text: str
    origin: tuple[int, ...]  # origin[i] = index in the original text of folded character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        if start >= len(self.origin):
            return len(self.origin), len(self.origin)
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """Strip diacritics (ï -> i, é -> e) keeping case; ligatures expand, offsets map back."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            chars.append(part)
            origin.append(i)
    return Folded("".join(chars), tuple(origin))


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
