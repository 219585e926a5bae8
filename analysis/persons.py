"""Person-name spans in Dutch text, for privacy: recall first.

No spaCy model needed: capitalised word sequences with tussenvoegsels ("van der"), initials
("J.", "Mark de V."), titles ("burgemeester X"), minus places, organisations, months and other
capitalised non-names from data/lexicons/person_*.txt; a sentence-initial word counts only
with evidence (a known first name, a following name word or initial). Registered names of
people involved in an incident are found with their variants ("Mark de Vries", "M. de Vries",
"Mark de V.", "De Vries", "Mark") as key "betrokkene".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis import lexicons

_LETTER = r"[^\W\d_]"
_TOKEN = re.compile(
    r"(?P<init>(?:[A-ZÀ-ÞŠŽ][a-z]?\.){1,4})(?!\w)"           # J.  J.P.  Th.
    r"|(?P<word>['’]t|" + _LETTER + r"[\w'’]*(?:-" + _LETTER + r"[\w'’]*)*)"
)
_BREAK = re.compile(r"[.!?:;\"“”„«»()\[\]|/–—•\n]")


@dataclass(frozen=True, slots=True)
class _Resources:
    first_names: frozenset[str]
    not_names: frozenset[str]
    not_name_phrases: re.Pattern[str] | None
    particles: frozenset[str]
    titles: frozenset[str]
    suffixes: tuple[str, ...]


@lru_cache(maxsize=1)
def _resources() -> _Resources:
    words = lexicons.load_word_list("person_not_names.txt")
    places = set()
    for m in lexicons.load_municipalities():
        places.update((m.name, *m.aliases))
    singles = {w for w in words | places if " " not in w}
    phrases = sorted((w for w in words | places if " " in w), key=len, reverse=True)
    pattern = (
        re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])")
        if phrases else None
    )
    return _Resources(
        first_names=lexicons.load_word_list("person_first_names.txt"),
        not_names=frozenset(singles),
        not_name_phrases=pattern,
        particles=frozenset(w.lower() for w in lexicons.load_word_list("person_particles.txt")),
        titles=frozenset(w.lower() for w in lexicons.load_word_list("person_titles.txt")),
        suffixes=tuple(lexicons.load_word_list("person_not_name_suffixes.txt")),
    )


def find_person_names(text: str, *, involved: Sequence[str] = ()) -> list["Tag"]:
    """Person spans (key 'persoon') plus matches of registered involved names ('betrokkene')."""
    from analysis.tagging import Tag  # the record type lives with the tagger

    res = _resources()
    spans = _name_spans(text, res)
    found: list[Tag] = []
    taken: list[tuple[int, int]] = []
    if involved:
        for start, end in _involved_pattern_spans(text, tuple(involved)):
            found.append(Tag("person", "betrokkene", text[start:end], start, end))
            taken.append((start, end))
    for start, end in spans:
        if any(s <= start and end <= e for s, e in taken):
            continue
        found.append(Tag("person", "persoon", text[start:end], start, end))
    return sorted(found, key=lambda t: (t.start, t.key))


def _name_spans(text: str, res: _Resources) -> list[tuple[int, int]]:
    masked: list[tuple[int, int]] = []
    if res.not_name_phrases is not None:
        masked = [m.span() for m in res.not_name_phrases.finditer(text)]
    tokens = []  # (start, end, kind, text, sentence_initial)
    prev_end = 0
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        gap = text[prev_end:start]
        initial = not tokens or bool(_BREAK.search(gap))  # an initial's "." is in its token
        tokens.append((start, end, "init" if m.group("init") else "word", m.group(0), initial))
        prev_end = end

    def in_mask(i: int) -> bool:
        s, e = tokens[i][0], tokens[i][1]
        return any(ms <= s and e <= me for ms, me in masked)

    def joined(i: int) -> bool:
        """Token i follows token i-1 with only spaces between (a name may continue)."""
        return i > 0 and text[tokens[i - 1][1]:tokens[i][0]] in {" ", "\u00a0"}

    def name_word(i: int) -> bool:
        _, _, kind, word, _ = tokens[i]
        if kind != "word" or not word[0].isupper() or in_mask(i):
            return False
        if word in res.first_names:
            return True
        if len(word) > 1 and word.isupper():
            return False  # acronyms: OM, GGD, PVV
        if word in res.not_names or word.lower() in res.particles:
            return False
        low = word.lower()
        return not any(low.endswith(s) for s in res.suffixes)

    def particle(i: int) -> bool:
        return tokens[i][2] == "word" and tokens[i][3].lower() in res.particles

    def surname_after(i: int) -> int | None:
        """From particle(s) at i, the index of the name word or initial that closes them."""
        j = i
        while j < len(tokens) and particle(j) and (j == i or joined(j)):
            j += 1
        if j < len(tokens) and j > i and joined(j) and (tokens[j][2] == "init" or name_word(j)):
            return j
        return None

    spans: list[tuple[int, int]] = []
    i = 0
    n = len(tokens)
    while i < n:
        start_i = None
        kind, word, initial = tokens[i][2], tokens[i][3], tokens[i][4]
        after_title = i > 0 and joined(i) and tokens[i - 1][3].lower() in res.titles
        if kind == "init" and i + 1 < n and joined(i + 1) and (name_word(i + 1) or surname_after(i + 1)):
            start_i = i
        elif kind == "word" and word[0].isupper() and particle(i) and surname_after(i) is not None:
            # "Van der Laan", "De Vries": a capitalised particle opens a surname, except "De"/"Het"
            # opening a sentence before a non-name.
            start_i = i
        elif name_word(i):
            nxt = i + 1 < n and joined(i + 1) and (
                name_word(i + 1) or tokens[i + 1][2] == "init" or surname_after(i + 1) is not None
            )
            if not initial or after_title or word in res.first_names or nxt:
                start_i = i
        if start_i is None:
            i += 1
            continue
        j = start_i
        if particle(j):
            j = surname_after(j)  # type: ignore[assignment]
        end_i = j
        k = j + 1
        while k < n and joined(k):
            if name_word(k) or tokens[k][2] == "init" and tokens[end_i][2] == "word":
                end_i = k
                k += 1
                continue
            if particle(k):
                close = surname_after(k)
                if close is not None:
                    end_i = close
                    k = close + 1
                    continue
            break
        spans.append((tokens[start_i][0], tokens[end_i][1]))
        i = end_i + 1
    return spans


def _fold(text: str) -> str:
    """Strip accents one character at a time so that offsets stay valid (Öztürk = Ozturk)."""
    return "".join(unicodedata.normalize("NFKD", c)[0] if c.isalpha() else c for c in text)


def name_variants(name: str) -> set[str]:
    """Ways Dutch news writes a registered name: full, initials, abbreviated surname, parts."""
    res = _resources()
    parts = name.split()
    if not parts:
        return set()
    first = parts[0]
    rest = parts[1:]
    i = 0
    while i < len(rest) and rest[i].lower() in res.particles:
        i += 1
    particles = [p.lower() for p in rest[:i]]
    surname_parts = rest[i:]
    variants = {name.strip()}
    if len(first) >= 3:
        variants.add(first)
    if surname_parts:
        surname = " ".join(surname_parts)
        tussen = " ".join(particles)
        family = f"{tussen} {surname}".strip()
        variants |= {
            f"{first} {family}",
            f"{first[0]}. {family}",
            f"{first} {tussen} {surname[0]}.".replace("  ", " "),
            family,
            family[0].upper() + family[1:],
        }
        if len(surname) >= 4:
            variants.add(surname)
    return {v for v in variants if v}


@lru_cache(maxsize=64)
def _involved_regex(involved: tuple[str, ...]) -> re.Pattern[str] | None:
    variants = set()
    for name in involved:
        variants |= {_fold(v) for v in name_variants(name)}
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])")


def _involved_pattern_spans(text: str, involved: tuple[str, ...]) -> list[tuple[int, int]]:
    pattern = _involved_regex(involved)
    if pattern is None:
        return []
    folded = _fold(text)
    spans = []
    for m in pattern.finditer(folded):
        start, end = m.span()
        if text[start:end].endswith(".") or text[start].isupper() or " " in m.group(0):
            spans.append((start, end))
    return spans
