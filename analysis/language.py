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


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in lexicons.load_keyed_list("language_words.csv").items()}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of a non-Dutch text, or None for Dutch (and for too little evidence)."""
    letters = sum(c.isalpha() for c in text)
    if letters == 0:
        return None
    for pattern, code in _SCRIPTS:
        if len(pattern.findall(text)) > letters / 2:
            return "uk" if code == "ru" and _UKRAINIAN.search(text) else code
    words = [w.lower() for w in _WORDS.findall(text)]
    counts = {code: sum(w in vocab for w in words) for code, vocab in _function_words().items()}
    best = max(counts, key=lambda c: counts[c])
    if best == "nl" or counts[best] < MIN_HITS:
        return None
    return best if counts[best] > counts.get("nl", 0) * 1.5 else None
