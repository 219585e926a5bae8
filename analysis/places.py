"""Municipalities (with province) and user-added neighbourhoods found in text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from analysis.lexicons import Municipality

# A place name's first word: capitalised (or "'s-"), up to a space, comma or hyphen-part.
_HEAD = re.compile(r"['’]s-\w+|[A-ZÀ-ÞŠŽ][\w']*")
_DATELINE = re.compile(r"\s*([A-ZÀ-Þ'’][A-ZÀ-Þ'’ -]*[A-ZÀ-Þ])\s*(?:\([^)]{1,20}\)\s*)?[-–—]\s")
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
        # Regular adjectives: "Rotterdamse", "Enschedese" (irregular ones are aliases: "Haagse").
        for name, m in list(self._by_name.items()):
            if " " not in name and not m.ambiguous and f"{name}se" not in self._by_name:
                self._by_name[f"{name}se"] = m
        # Names by their first word, longest first: one dict lookup per capitalised word.
        self._by_head: dict[str, list[str]] = {}
        for name in sorted(self._by_name, key=len, reverse=True):
            head = _HEAD.match(name)
            assert head is not None  # every place name starts with a capital or 's-
            self._by_head.setdefault(head.group(0), []).append(name)
        self._upper = {name.upper(): m for name, m in self._by_name.items()}

    def find(self, text: str) -> list[tuple[int, int, Municipality]]:
        found = []
        end = 0
        dateline = _DATELINE.match(text)  # "ENSCHEDE - ...", "DEN HAAG (ANP) - ..."
        if dateline and dateline.group(1) in self._upper:
            found.append((dateline.start(1), dateline.end(1), self._upper[dateline.group(1)]))
            end = dateline.end(1)
        for m in _HEAD.finditer(text):
            start = m.start()
            names = self._by_head.get(m.group(0))
            if names is None or start < end or (start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-")):
                continue
            for name in names:
                stop = start + len(name)
                glued = stop < len(text) and (text[stop].isalnum() or text[stop] == "_")
                if text.startswith(name, start) and not glued:
                    place = self._by_name[name]
                    if not (place.ambiguous and is_sentence_start(text, start)):
                        found.append((start, stop, place))
                        end = stop
                    break
        return found


@lru_cache(maxsize=64)
def _extra_pattern(places: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    wanted = [p.strip() for p in places if p.strip()]
    if not wanted:
        return None
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(wanted, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE,
    )
    return pattern, {p.lower(): p for p in wanted}


def find_extra_places(text: str, places: Sequence[str]) -> list[tuple[int, int, str]]:
    """User-added neighbourhoods ("Deppenbroek", "de Schilderswijk"): any case, whole words."""
    compiled = _extra_pattern(tuple(places)) if places else None
    if compiled is None:
        return []
    pattern, canonical = compiled
    return [(m.start(), m.end(), canonical[m.group(1).lower()]) for m in pattern.finditer(text)]
