"""Text helpers every layer shares: Markdown escaping of untrusted text, and the ways names and
phrases are compared (without case, accents or stray punctuation)."""

from __future__ import annotations

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


def md_escape(text: object, *, one_line: bool = True) -> str:
    """Every Markdown special character escaped and bare addresses broken, so no link, image or
    HTML can come through (Streamlit's labels, captions and messages are Markdown too).

    one_line folds white space (feed titles, names); False keeps line breaks (messages).
    """
    value = str(text)
    if one_line:
        value = " ".join(value.split())
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + _WORD_JOINER, _MARKDOWN.sub(r"\\\1", value))


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
