"""Municipalities (with province) and user-added neighbourhoods found in text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.lexicons import Municipality

_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"'“”‘’]\s*)$")


def is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 4):start].rstrip() or ""))


class PlaceFinder:
    """One case-sensitive alternation over all names: places are written capitalised."""

    def __init__(self, municipalities: Sequence[Municipality]) -> None:
        self._by_name: dict[str, Municipality] = {}
        for m in municipalities:
            for name in (m.name, *m.aliases):
                self._by_name[name] = m
        names = sorted(self._by_name, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
        )

    def find(self, text: str) -> list[tuple[int, int, Municipality]]:
        found = []
        for m in self._pattern.finditer(text):
            place = self._by_name[m.group(1)]
            if place.ambiguous and is_sentence_start(text, m.start()):
                continue
            found.append((m.start(), m.end(), place))
        return found

    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)


def find_extra_places(text: str, places: Sequence[str]) -> list[tuple[int, int, str]]:
    """User-added neighbourhoods ("Deppenbroek", "de Schilderswijk"): any case, whole words."""
    wanted = [p.strip() for p in places if p.strip()]
    if not wanted:
        return []
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(wanted, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE,
    )
    canonical = {p.lower(): p for p in wanted}
    return [(m.start(), m.end(), canonical[m.group(1).lower()]) for m in pattern.finditer(text)]
