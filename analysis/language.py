"""Flag items that are not Dutch: script first, then shares of common function words."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis import lexicons

_WORDS = re.compile(r"[^\W\d_]+")
_SCRIPTS = (
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
# Below this many function words a short headline says too little to overrule Dutch.
MIN_HITS = 2


_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, tuple[str, ...]]:
    """word -> languages it marks (one dict lookup per word of the text)."""
    by_word: dict[str, list[str]] = {}
    for code, words in lexicons.load_keyed_list("language_words.csv").items():
        for word in words:
            by_word.setdefault(word, []).append(code)
    return {w: tuple(dict.fromkeys(codes)) for w, codes in by_word.items()}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of a non-Dutch text, or None for Dutch (and for too little evidence)."""
    if _OTHER_SCRIPT.search(text):
        letters = sum(c.isalpha() for c in text)
        for pattern, code in _SCRIPTS:
            if len(pattern.findall(text)) > letters / 2:
                return "uk" if code == "ru" and _UKRAINIAN.search(text) else code
    table = _function_words()
    counts: dict[str, int] = {}
    for word in _WORDS.findall(text.lower()):
        for code in table.get(word, ()):
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda c: counts[c])
    if best == "nl" or counts[best] < MIN_HITS:
        return None
    # A Dutch headline quoting English ("'This is not who we are'") stays Dutch.
    return best if counts[best] > counts.get("nl", 0) * 2 else None
