"""Person-name spans in Dutch text, for privacy: recall first.

No spaCy model needed: capitalised word sequences with tussenvoegsels ("van der"), initials
("J.", "Mark de V."), titles ("burgemeester X"), minus places, organisations, months and other
capitalised non-names from data/lexicons/person_*.txt; a sentence-initial word counts only
with evidence (a known first name, a following name word or initial, a reporting verb, a
genitive "Jans moeder", a verb after a word that is no Dutch word: "Grapperhaus had").
Unknown villages and organisations are the frequent false names, so a span that is no known
name and has no initial is dropped on two general cues: a preposition of place before it ("in
Heesch", "uit Zoutkamp", "naar Molenveld" with a place-name ending), or words that are all
ordinary Dutch (spaCy's lookup vocabulary: "Eigen Haard", "De Schakel"). Registered names of
people involved in an incident are found with their variants ("Mark de Vries", "M. de Vries",
"Mark de V.", "De Vries", "Mark") as key "betrokkene".
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis import lexicons
from analysis.tags import Tag

_LETTER = r"[^\W\d_]"
_INITIALS = r"(?:[A-ZÀ-ÞŠŽ][a-z]?\.){1,4}(?!\w)"  # J.  J.P.  Th.
_WORDS = r"['’]t|" + _LETTER + r"[\w'’]*(?:-" + _LETTER + r"[\w'’]*)*"
_TOKEN = re.compile(f"(?P<init>{_INITIALS})|(?P<word>{_WORDS})")
_TOKEN_TEXT = re.compile(f"{_INITIALS}|{_WORDS}")
_AGE = re.compile(r"\s*(?:\(\d{1,3}\)|,\s*\d{1,3}\s*,)")  # "Bouchra (23)", "Bouchra, 23,"
_COLON = re.compile(r":\s")
# "Halsema: ..." is a name, "Partnergeweld: ..." a (long) compound noun.
MAX_COLON_NAME = 10
# Organisation heads this long also count as the end of a compound ("sportcomplex De Hoornwaard").
_MIN_HEAD = 4
# A place-name ending needs a word this much longer than itself ("Zoutkamp", not "Kamp").
_ENDING_MARGIN = 2
# A compound's parts are at least this long ("brand|weer", not "ver|hoeven").
_MIN_PART = 4
# A head this long that is a Dutch word makes a compound whatever its tail.
_LONG_HEAD = 7
_ARTICLES = frozenset({"de", "het", "een", "'t", "’t"})
_COORDINATORS = frozenset({"en", "of"})
_BREAK = re.compile(r"[.!?:;\"“”„«»()\[\]|/–—•\n]")


@dataclass(frozen=True, slots=True, eq=False)
class _Resources:
    first_names: frozenset[str]
    surnames: frozenset[str]
    not_names: frozenset[str]
    not_name_phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word -> word sequences
    particles: frozenset[str]
    titles: frozenset[str]
    suffixes: tuple[str, ...]
    guarded_suffixes: tuple[str, ...]
    non_surnames: frozenset[str]  # places that close no "van ..." surname (not "Van Beek")
    speech_verbs: frozenset[str]
    org_markers: frozenset[str]
    org_heads: tuple[str, ...]  # markers that also end compounds ("woningcorporatie")
    all_places: frozenset[str]
    place_endings: tuple[str, ...]
    place_preps: frozenset[str]
    weak_place_preps: frozenset[str]
    finite_verbs: frozenset[str]
    possessed: frozenset[str]
    common_words: frozenset[str]


@lru_cache(maxsize=1)
def _resources() -> _Resources:
    words = lexicons.load_word_list("person_not_names.txt")
    suffixes = lexicons.load_word_list("person_not_name_suffixes.txt")
    places = set()
    surname_places = set()  # "Lisa van Beek": a place that is also a common word is also a surname
    for m in lexicons.load_municipalities():
        places.update((m.name, *m.aliases))
        if m.ambiguous:
            surname_places.update((m.name, *m.aliases))
    singles = {w for w in words | places if " " not in w}
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for phrase in words | places:
        parts = tuple(_TOKEN_TEXT.findall(phrase))
        if len(parts) > 1:
            phrases.setdefault(parts[0], []).append(parts)
    markers = lexicons.load_word_list("person_org_markers.txt")
    preps = lexicons.load_word_list("person_place_prepositions.txt")
    return _Resources(
        first_names=lexicons.load_word_list("person_first_names.txt"),
        surnames=lexicons.load_word_list("person_surnames.txt"),
        not_names=frozenset(singles),
        not_name_phrases={
            k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()
        },
        particles=frozenset(w.lower() for w in lexicons.load_word_list("person_particles.txt")),
        titles=frozenset(w.lower() for w in lexicons.load_word_list("person_titles.txt")),
        suffixes=tuple(s for s in suffixes if not s.startswith("+")),
        guarded_suffixes=tuple(s[1:] for s in suffixes if s.startswith("+")),
        non_surnames=frozenset(places - surname_places),
        speech_verbs=lexicons.load_word_list("person_speech_verbs.txt"),
        org_markers=markers,
        org_heads=tuple(sorted(m for m in markers if len(m) >= _MIN_HEAD)),
        all_places=frozenset(places),
        place_endings=tuple(lexicons.load_word_list("person_place_endings.txt")),
        place_preps=frozenset(w for w in preps if not w.startswith("+")),
        weak_place_preps=frozenset(w[1:] for w in preps if w.startswith("+")),
        finite_verbs=lexicons.load_word_list("person_finite_verbs.txt"),
        possessed=lexicons.load_word_list("person_possessed_nouns.txt"),
        common_words=lexicons.load_dutch_words(),
    )


def find_person_names(text: str, *, involved: Sequence[str] = (), detect: bool = True) -> list[Tag]:
    """Person spans (key 'persoon') plus matches of registered involved names ('betrokkene').

    detect=False keeps only the registered names: German capitalises every noun, so the
    capitalisation detector says nothing there.
    """
    res = _resources()
    spans = _name_spans(text, res) if detect else []
    found: list[Tag] = []
    taken = sorted(_involved_pattern_spans(text, tuple(involved))) if involved else []
    for start, end in taken:
        found.append(Tag("person", "betrokkene", text[start:end], start, end))
    # A detected span inside a registered one is that name: the latest end among registered spans
    # starting at or before it says so by bisection (a long text has thousands of both).
    starts = [s for s, _ in taken]
    reach = list(itertools.accumulate((e for _, e in taken), max))
    for start, end in spans:
        index = bisect.bisect_right(starts, start) - 1
        if index >= 0 and reach[index] >= end:
            continue
        found.append(Tag("person", "persoon", text[start:end], start, end))
    return sorted(found, key=lambda t: (t.start, t.key))


def _name_spans(text: str, res: _Resources) -> list[tuple[int, int]]:
    tokens = []  # (start, end, kind, text)
    for m in _TOKEN.finditer(text):
        kind = "word"
        if m.lastgroup == "init":
            # "Ds.", "Dr.", "Mr." look like initials ("Th.") but are titles
            kind = "title" if m.group(0).lower().rstrip(".") in res.titles else "init"
        tokens.append((m.start(), m.end(), kind, m.group(0)))

    def sentence_initial(i: int) -> bool:
        """A break starts a sentence; an initial's "." is in its token, a title's ("Ds. Hans")
        is not. Asked only for capitalised words, so most tokens never pay for it."""
        if i == 0:
            return True
        gap_start, gap_end = tokens[i - 1][1], tokens[i][0]
        if not _BREAK.search(text, gap_start, gap_end):
            return False
        return not (text[gap_start:gap_end].strip() == "." and tokens[i - 1][3].lower() in res.titles)

    masked: set[int] = set()
    words = [t[3] for t in tokens]
    for i, word in enumerate(words):
        for parts in res.not_name_phrases.get(word, ()):
            if tuple(words[i:i + len(parts)]) == parts:
                masked.update(range(i, i + len(parts)))
                break

    def in_mask(i: int) -> bool:
        return i in masked

    def joined(i: int) -> bool:
        """Token i follows token i-1 with only spaces between (a name may continue)."""
        return i > 0 and text[tokens[i - 1][1]:tokens[i][0]] in {" ", "\u00a0"}

    def name_word(i: int) -> bool:
        _, _, kind, word = tokens[i]
        return kind == "word" and word[0].isupper() and not in_mask(i) and _name_form(word, res)

    def particle(i: int) -> bool:
        return tokens[i][2] == "word" and tokens[i][3].lower() in res.particles

    def surname_word(j: int) -> bool:
        """After "van der" almost any capitalised word is a surname ("De Waal"), but no place."""
        word = tokens[j][3]
        return (
            tokens[j][2] == "word" and word[0].isupper() and not in_mask(j)
            and word not in res.non_surnames and not (len(word) > 1 and word.isupper())
        )

    def surname_after(i: int, strict: bool = False) -> int | None:
        """From particle(s) at i, the index of the name word or initial that closes them."""
        j = i
        while j < len(tokens) and particle(j) and (j == i or joined(j)):
            j += 1
        if j < len(tokens) and j > i and joined(j) and (
            tokens[j][2] == "init" or name_word(j) or not strict and surname_word(j)
        ):
            return j
        return None

    def is_known(k: int) -> bool:
        word = tokens[k][3]
        return word in res.first_names or word in res.surnames or word.split("-")[0] in res.first_names

    def placelike(k: int) -> bool:
        return _place_ending(tokens[k][3].lower(), res)

    def common(k: int) -> bool:
        return _dutch_word(tokens[k][3].lower(), res)

    def no_person(start_i: int, end_i: int, place_tail: int) -> str | None:
        """Why a candidate span is a place or an organisation, not a person: 'place' after a
        preposition of place (or coordinated with such a place), 'org' for a run of common
        Dutch words ("Eigen Haard", "De Schakel"). Known names and initials always stay."""
        idx = range(start_i, end_i + 1)
        if any(tokens[k][2] == "init" or is_known(k) for k in idx):
            return None
        lead = tokens[start_i][3].lower()
        if particle(start_i) and lead not in _ARTICLES:
            return None  # "bij Van der Laan", "naar Ten Hag": surnames
        if lead in _ARTICLES and f"De {tokens[end_i][3]}" in res.surnames:
            return None
        content = [k for k in idx if not particle(k)]
        prev = tokens[start_i - 1][3].lower() if start_i > 0 else ""
        if end_i + 1 < n and tokens[end_i + 1][3] == "thuis":
            return None  # "bij Holtkamp thuis": someone's home
        if prev in res.place_preps:
            return "place"
        if _org_head(lead, res, _LONG_HEAD):
            return "org"  # "Cafetaria De Smulhoek", "Winkelcentrum Woensel"
        if end_i + 1 < n and joined(end_i + 1) and tokens[end_i + 1][3] in res.all_places and all(
            common(k) for k in content
        ):
            return "place"  # "Oude Pekela", "Nieuw Amsterdam"
        if prev in res.weak_place_preps and (
            any(placelike(k) for k in content) or all(common(k) for k in content)
        ):
            return "place"
        if prev in res.finite_verbs and sentence_initial(start_i - 1) and any(placelike(k) for k in content):
            return "place"  # "Wordt Zoutkamp de volgende ...?": a question's subject, no evidence
        if place_tail >= 0 and (
            start_i == place_tail + 2 and tokens[place_tail + 1][3] in _COORDINATORS
            or start_i == place_tail + 1 and text[tokens[place_tail][1]:tokens[start_i][0]].strip() == ","
        ):
            return "place"  # "uit Nieuwolda en Termunterzijl"
        if all(common(k) for k in content) and (lead in _ARTICLES or len(content) > 1 or prev in _ARTICLES):
            return "org"
        return None

    spans: list[tuple[int, int]] = []
    place_tail = -1  # index of the last token known to be a place
    i = 0
    n = len(tokens)
    while i < n:
        start_i = None
        kind, word = tokens[i][2], tokens[i][3]
        if kind == "word" and not word[0].isupper():
            if "-" not in word:
                i += 1  # most words: lower case, no name can start here
                continue
            head, _, last = word.rpartition("-")
            if head and last[:1].isupper() and last not in res.not_names and last not in res.all_places:
                spans.append((tokens[i][1] - len(last), tokens[i][1]))  # "zaak-Vaatstra"
            i += 1
            continue
        before = tokens[i - 1][3].lower() if i > 0 and joined(i) else ""
        if before in res.place_preps or word in res.all_places:
            place_tail = i  # "in Tarwewijk en Carnisse": what follows "en" is a place too
        if before in res.org_markers or before and before.endswith(res.org_heads):
            # "basisschool De Regenboog": skip the whole capitalised run
            i += 1
            while i < n and joined(i) and (tokens[i][3][:1].isupper() or particle(i)):
                i += 1
            continue
        after_title = before in res.titles
        initial = sentence_initial(i)
        if kind == "init" and i + 1 < n and joined(i + 1) and (name_word(i + 1) or surname_after(i + 1)):
            start_i = i
        elif kind == "word" and word[0].isupper() and particle(i) and surname_after(i, word != "Van") is not None:
            # "Van der Laan", "De Vries": a capitalised particle opens a surname, except "De"/"Het"
            # opening a sentence before a non-name; "Van der Plas" even when "Plas" names a lake.
            start_i = i
        elif name_word(i):
            # At a sentence start a capitalised word is a name when it is a known first name or
            # surname, is followed by another name word, a reporting verb ("Wilders reageerde"),
            # an age ("Bouchra (23)") or a headline colon ("Halsema: 'we grijpen in'").
            nxt = i + 1 < n and joined(i + 1) and (
                name_word(i + 1) or tokens[i + 1][2] == "init" or surname_after(i + 1) is not None
                or tokens[i + 1][3] in res.speech_verbs
                # "Tessa en Sven", "Tessa en haar broer Sven"
                or tokens[i + 1][3] == "en" and i + 2 < n and joined(i + 2) and name_word(i + 2)
                # "Grapperhaus had": no Dutch word, compound or village name before a verb
                or tokens[i + 1][3] in res.finite_verbs and _foreign_word(word, res)
                # "Jans moeder": a first name in the genitive
                or tokens[i + 1][3] in res.possessed and _genitive_base(word) in res.first_names
            ) or bool(_AGE.match(text, tokens[i][1]))
            known = word in res.first_names or word in res.surnames or word.split("-")[0] in res.first_names
            if initial and not known and i + 1 < n and joined(i + 1) and (
                tokens[i + 1][3] in res.first_names or particle(i + 1)
                or i + 2 < n and joined(i + 2) and name_word(i + 1) and name_word(i + 2)
            ):
                # "Voetballer Memphis Depay", "Schrijfster Arnon Grunberg", "Dorpsgenoten van
                # Willem de Jong": the name starts after the first word.
                pass
            elif not initial or after_title or known or nxt or (
                len(word) <= MAX_COLON_NAME and _COLON.match(text, tokens[i][1])
            ):
                start_i = i
        if start_i is None:
            i += 1
            continue
        j = start_i
        if particle(j):
            j = surname_after(j, tokens[j][3] != "Van")  # type: ignore[assignment]
        end_i = j
        k = j + 1
        while k < n and joined(k):
            if name_word(k) or tokens[k][2] == "init" and tokens[end_i][2] == "word" or (
                # "Sanne Molenaar", "Bram Holthuis": after a first name, a surname despite its ending
                k == end_i + 1 and tokens[end_i][3] in res.first_names and surname_word(k)
                and tokens[k][3] not in res.not_names
            ):
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
        why = None if after_title or _AGE.match(text, tokens[end_i][1]) else no_person(start_i, end_i, place_tail)
        if why is not None:
            if why == "place":
                place_tail = end_i
            i = end_i + 1
            continue
        end = tokens[end_i][1]
        if text[end - 2:end] in ("'s", "’s"):
            end -= 2  # "Wim Kok's": the name without the possessive
        spans.append((tokens[start_i][0], end))
        i = end_i + 1
    return spans


@lru_cache(maxsize=100_000)
def _name_form(word: str, res: _Resources) -> bool:
    """Whether a capitalised word can be (part of) a name, whatever its position; cached,
    because the same capitalised words recur in every item."""
    if word in res.first_names:
        return True
    if len(word) == 1 or word.isupper():
        return False  # acronyms (OM, GGD, PVV) and single letters ("B en W")
    low = word.lower()
    if word in res.not_names or low in res.particles or low in res.titles:
        return False
    if low in res.finite_verbs or low in res.speech_verbs:
        return False  # "Zegt Mulder ...?", "Heeft Zoutkamp ...?": a verb opening a question
    if "-" in word:
        head, *parts = word.split("-")
        if head in res.all_places or any(p[:1].islower() and p.lower() not in res.particles for p in parts):
            return False  # "X-feest", "Amsterdam-Zuidoost": compounds, not double names
    # "Industrieweg", "Stedelijk" are no names, but "Van der Laan" and "Dijk" are.
    if low.endswith(res.suffixes):
        return False
    return not any(low.endswith(s) and len(low) > len(s) + 3 for s in res.guarded_suffixes)


@lru_cache(maxsize=20_000)
def _org_head(word: str, res: _Resources, min_head: int = _MIN_HEAD) -> bool:
    """"basisschool", "woningcorporatie", "SV": a capitalised run after it is an organisation.
    A capitalised head ends a name only when long ("Winkelcentrum"; "Nijhuis" is a surname)."""
    return word in res.org_markers or word.endswith(tuple(h for h in res.org_heads if len(h) >= min_head))


@lru_cache(maxsize=50_000)
def _dutch_word(low: str, res: _Resources) -> bool:
    """A common Dutch word, also as inflected adjective ("nieuwe", "stedelijke")."""
    words = res.common_words
    return low in words or low.endswith("e") and low[:-1] in words


def _genitive_base(word: str) -> str:
    """"Jans" -> "Jan", "Emma's" -> "Emma"."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    return word.removesuffix("s")


def _place_ending(low: str, res: _Resources) -> bool:
    return any(low.endswith(e) and len(low) >= len(e) + _ENDING_MARGIN for e in res.place_endings)


@lru_cache(maxsize=20_000)
def _foreign_word(word: str, res: _Resources) -> bool:
    """A capitalised word that is no Dutch word, no compound of two ("Brandweer",
    "Rijkswaterstaat"), no place and has no place-name ending: at a sentence start before a
    verb it is a surname ("Grapperhaus had")."""
    low = word.lower()
    if word in res.all_places or word in res.not_names or low in res.common_words or _place_ending(low, res):
        return False
    if not _name_form(word, res):
        return False
    words = res.common_words
    for k in range(_MIN_PART, len(low) - _MIN_PART + 1):
        head, tail = low[:k], low[k:]
        if tail in words and (head in words or head[:-1] in words and head[-1] in "se" or head[:-2] in words):
            return False  # "brand|weer", "rijks|waterstaat", "vreemdeling|en|waan"
        if len(head) >= _LONG_HEAD and head in words:
            return False  # "vreemdelingen|haat": the lookup table lacks some base forms
    return True


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
