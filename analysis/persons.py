"""Person-name spans in Dutch text, for privacy: recall first.

No spaCy model needed: capitalised word sequences with tussenvoegsels ("van der"), initials
("J.", "Mark de V."), titles ("burgemeester X"), minus places, organisations, months and other
capitalised non-names from data/lexicons/person_*.txt; a sentence-initial word counts only
with evidence (a known first name, a following name word or initial, a reporting verb, a
genitive "Jans moeder", a verb after a word that is no Dutch word: "Grapperhaus had").
Unknown villages and organisations are the frequent false names, so a span that is no known
name and has no initial is dropped on two general cues: a preposition of place before it ("in
Heesch", "uit Zoutkamp", "naar Molenveld" with a place-name ending), or words that are all
ordinary Dutch (spaCy's lookup vocabulary: "Eigen Haard", "De Schakel"). On real news also: a run
right after a lower-case article, a dateline ("Asperen - ..."), a village, brand casing or a run
ending in an English word is no person; within one item a remembered surname, abbreviated surname
("P." after "Michael P.") or first name alone is the same person. Registered names of
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
# An apostrophe inside a word only ("Halsema's", "D'Anjou"), not a closing quote ("‘Schilder’").
_WORDS = r"['’]t|" + _LETTER + r"(?:\w|['’](?=\w))*(?:-" + _LETTER + r"(?:\w|['’](?=\w))*)*"
_TOKEN = re.compile(f"(?P<init>{_INITIALS})|(?P<word>{_WORDS})")
_TOKEN_TEXT = re.compile(f"{_INITIALS}|{_WORDS}")
_AGE = re.compile(r"\s*(?:\(\d{1,3}\)|,\s*\d{1,3}\s*,)")  # "Bouchra (23)", "Bouchra, 23,"
# "Sampras (VS) - Agassi (VS)", "Van Aert (Bel)", "Omtzigt (NSC)": a country or party after a name.
_AFFILIATION = re.compile(r"\s*\((?:[A-Z][A-Za-z]{1,2}|[A-Z]{2,6})\)")
_DATELINE_SEP = re.compile(r"[_ ]*(?:[-–/]\s)")
_COLON = re.compile(r":\s")
# A title this long also ends a compound role ("waterpolocoach", "commissievoorzitter").
_MIN_ROLE = 5
_NEXT_WORD = re.compile(r"\s+([\w'’]+)")
# "Halsema: ..." is a name, "Partnergeweld: ..." a (long) compound noun.
MAX_COLON_NAME = 10
# A word in capitals after a title is a surname when longer than this ("heer THORBECKE", not "BZK").
_MIN_CAPITALS_AFTER_TITLE = 3
# Parts of a full name this long are remembered for later mentions alone ("Davenport").
_MIN_REMEMBERED = 3
# Organisation heads this long also count as the end of a compound ("sportcomplex De Hoornwaard").
_MIN_HEAD = 4
# A place-name ending needs a word this much longer than itself ("Zoutkamp", not "Kamp").
_ENDING_MARGIN = 2
# A compound's parts are at least this long ("brand|weer", not "ver|hoeven").
_MIN_PART = 4
# A head this long that is a Dutch word makes a compound whatever its tail.
_LONG_HEAD = 7
# Dotted abbreviations that are no person's initials ("de B.V.", "in de V.S.").
_DOTTED_ACRONYMS = frozenset({"B.V.", "N.V.", "V.S.", "U.S.", "E.U.", "V.N.", "A.D.", "T.V.", "O.M.", "P.S.", "N.B.",
                              "I.S.", "C.V.", "V.V.", "S.V.", "R.K.", "K.V.", "W.C.", "A.S.", "U.K.", "G.B."})
_ARTICLES = frozenset({"de", "het", "een", "'t", "’t"})
_ROYAL_TITLES = frozenset({"prins", "prinses", "koning", "koningin", "keizer", "keizerin", "kroonprins",
                           "kroonprinses", "paus", "sultan", "emir"})
# A capital inside a word after a lower-case letter (not after Mc, Mac, Di, De, Da, La, Le, O'), or a digit.
_BRAND_CASE = re.compile(r"\d|(?<!^Mc)(?<!^Mac)(?<!^Di)(?<!^De)(?<!^Da)(?<!^La)(?<!^Le)(?<=[a-zà-ÿ])[A-Z]")
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})
_MIN_NOUN = 6
_MAX_ACRONYM = 6
_FORMER = ("oud-", "ex-")
# Before a capitalised run these make it a thing: Dutch articles, and English "of", "for", "the"
# in titles and names of organisations ("Game of Thrones", "Femmes for Freedom").
_THING_ARTICLES = frozenset({"de", "het", "een", "'t", "’t", "of", "for", "the"})
_CAPITAL_ARTICLES = frozenset({"De", "Den", "Het", "DE", "HET"})
_GENITIVE_ARTICLES = frozenset({"der", "des", "den"})
_COORDINATORS = frozenset({"en", "of"})
_BREAK = re.compile(r"[-.!?:;\"“”„«»()\[\]|/–—•\n]")
# "Ben je ...?", "Wil jij ...": at a sentence start a word before a subject pronoun is a verb.
_ROMAN = frozenset({"II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"})
_SUBJECT_PRONOUNS = frozenset({"je", "jij", "u", "ik", "we", "wij", "jullie", "ze", "zij", "hij"})


@dataclass(frozen=True, slots=True, eq=False)
class _Resources:
    first_names: frozenset[str]
    own_first_names: frozenset[str]  # the hand-made list only ("Sanne"), not the derived one ("Lyon")
    surnames: frozenset[str]
    not_names: frozenset[str]
    not_name_phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word -> word sequences
    particles: frozenset[str]
    titles: frozenset[str]
    role_tails: tuple[str, ...]  # titles long enough to end a compound role ("commissievoorzitter")
    suffixes: tuple[str, ...]
    guarded_suffixes: tuple[str, ...]
    non_surnames: frozenset[str]  # places that close no "van ..." surname (not "Van Beek")
    speech_verbs: frozenset[str]
    org_markers: frozenset[str]
    org_heads: tuple[str, ...]  # markers that also end compounds ("woningcorporatie")
    all_places: frozenset[str]
    places_lower: frozenset[str]  # for demonyms ("Tilburger")
    world_places: frozenset[str]  # countries, regions, foreign cities: a cue, never a mask
    local_places: frozenset[str]  # Dutch and Belgian villages ("Uddel"): a cue only, never a surname stop
    organisations: frozenset[str]  # one-word organisations, clubs and brands ("Feyenoord")
    org_last_words: frozenset[str]  # "Open", "Steel", "Prize": a run ending so is no person
    english_words: frozenset[str]  # "reporter", "road": a run ending in one is a title or company
    place_endings: tuple[str, ...]
    place_preps: frozenset[str]
    weak_place_preps: frozenset[str]
    finite_verbs: frozenset[str]
    verb_forms: frozenset[str]  # "verhuurt", "won": singular verb forms from spaCy's lookup, evidence only
    possessed: frozenset[str]
    common_words: frozenset[str]


@lru_cache(maxsize=1)
def _resources() -> _Resources:
    organisations = lexicons.load_word_list("person_organisations.txt")
    words = lexicons.load_word_list("person_not_names.txt") | organisations
    world = lexicons.load_word_list("person_world_places.txt")
    suffixes = lexicons.load_word_list("person_not_name_suffixes.txt")
    places: set[str] = set()
    surname_places: set[str] = set()  # "Lisa van Beek": a place that is also a common word is also a surname
    for m in lexicons.load_municipalities():
        places.update((m.name, *m.aliases))
        if m.ambiguous:
            surname_places.update((m.name, *m.aliases))
    singles = {w for w in words | places if " " not in w}
    local = lexicons.load_word_list("person_local_places.txt")
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for phrase in words | places | world:
        parts = tuple(_TOKEN_TEXT.findall(phrase))
        if len(parts) > 1:
            phrases.setdefault(parts[0], []).append(parts)
    markers = lexicons.load_word_list("person_org_markers.txt")
    common_words, verb_forms = lexicons.load_dutch_vocabulary()
    preps = lexicons.load_word_list("person_place_prepositions.txt")
    return _Resources(
        # The derived lists yield to the organisations ("Meta"); the hand-made ones do not.
        first_names=lexicons.load_word_list("person_first_names.txt")
        | lexicons.load_word_list("person_first_names_more.txt") - organisations,
        own_first_names=lexicons.load_word_list("person_first_names.txt"),
        surnames=lexicons.load_word_list("person_surnames.txt") | frozenset(
            # The derived list keeps no ordinary Dutch word ("Kamp", "Doel", "Rook"), as its
            # header says; the lemma index finds the base forms its derivation missed.
            w for w in lexicons.load_word_list("person_surnames_more.txt") - organisations
            if w.lower() not in common_words
        ),
        not_names=frozenset(singles),
        not_name_phrases={
            k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()
        },
        particles=frozenset(w.lower() for w in lexicons.load_word_list("person_particles.txt")),
        titles=frozenset(w.lower() for w in lexicons.load_word_list("person_titles.txt")),
        role_tails=tuple(sorted(w.lower() for w in lexicons.load_word_list("person_titles.txt")
                                if len(w) >= _MIN_ROLE)),
        suffixes=tuple(s for s in suffixes if not s.startswith("+")),
        guarded_suffixes=tuple(s[1:] for s in suffixes if s.startswith("+")),
        non_surnames=frozenset(places - surname_places),
        speech_verbs=lexicons.load_word_list("person_speech_verbs.txt"),
        org_markers=markers,
        org_heads=tuple(sorted(m for m in markers if len(m) >= _MIN_HEAD)),
        all_places=frozenset(places),
        places_lower=frozenset(p.lower() for p in places),
        world_places=frozenset(w for w in world if " " not in w),
        local_places=local,
        organisations=frozenset(w for w in organisations if " " not in w),
        org_last_words=lexicons.load_word_list("person_org_last_words.txt"),
        english_words=lexicons.load_word_list("person_english_words.txt"),
        place_endings=tuple(lexicons.load_word_list("person_place_endings.txt")),
        place_preps=frozenset(w for w in preps if not w.startswith("+")),
        weak_place_preps=frozenset(w[1:] for w in preps if w.startswith("+")),
        finite_verbs=lexicons.load_word_list("person_finite_verbs.txt"),
        verb_forms=verb_forms,
        possessed=lexicons.load_word_list("person_possessed_nouns.txt"),
        common_words=common_words,
    )


def find_person_names(text: str, *, involved: Sequence[str] = (), detect: bool = True) -> list[Tag]:
    """Person spans (key 'persoon') plus matches of registered involved names ('betrokkene').

    detect=False keeps only the registered names: German capitalises every noun, so the
    capitalisation detector says nothing there.
    """
    res = _resources()
    spans = _supported_spans(text, _name_spans(text, res), res) if detect else []
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


def _supported_spans(text: str, spans: list[tuple[int, int]], res: _Resources) -> list[tuple[int, int]]:
    """Spans minus single capitalised words without evidence of a person. On real news such a word
    is mostly a village, a brand, a club or an inhabitant ("Ochten", "SpaceX", "Oosterhouter"); a
    person named by one word stands after a role ("rapper Drake", "staatssecretaris Blokhuis"),
    before an age or a reporting verb, is a known first name or surname, or repeats a part of a
    full name in the same item (document memory)."""
    spans = [_without_leading_noun(text, s, e, res) for s, e in spans]
    parts = {w for s, e in spans if " " in text[s:e] for w in _TOKEN_TEXT.findall(text[s:e])}
    return [(s, e) for s, e in spans if _has_evidence(text, s, e, res, parts)]


def _without_leading_noun(text: str, start: int, end: int, res: _Resources) -> tuple[int, int]:
    """"Commissievoorzitter Ursula von der Leyen", "Waterpolocoach Koen P.": a capitalised common
    noun opening the sentence is the person's role, not part of the name."""
    first = _TOKEN_TEXT.match(text, start)
    if first is None or first.end() >= end:
        return start, end
    word = first.group()
    low = word.lower()
    rest = _TOKEN_TEXT.search(text, first.end(), end)
    if low in _ROYAL_TITLES and rest is not None and _known_first_name(rest.group(), res):
        return rest.start(), end  # "Prins Andrew", "KONING ALBERT": the title, though "Prins" is a surname too
    if word in res.first_names or word in res.surnames or low in res.particles or word.title() in res.first_names:
        return start, end
    role = any(low.endswith(title) and len(low) > len(title) for title in res.role_tails)
    # "Archeoloog Aleksandr Boetjagin", "Hacker Tarik B.": a word before a known first name that
    # opens a full name of its own ("Churandy Martina" stays whole)
    third = rest is not None and _TOKEN_TEXT.search(text, rest.end(), end) is not None
    before_first_name = rest is not None and rest.group() in res.first_names and (
        low.endswith(_ROLE_ENDINGS) and (third or not _known_name(word, res))  # "Freestyler Guido" too
        or third and not _known_name(word, res)  # "Gymjuf Mary van Eijk"
    )
    # "Meubelgigant Wayfair", "Oud-PSV’er Zintsjenko", "Amerongen Dirk Lammers": a compound of
    # Dutch words, a former role or a place before the name
    place_first = (word in res.local_places or word in res.world_places) and rest is not None and (
        _known_first_name(rest.group(), res) or _TOKEN_TEXT.search(text, rest.end(), end) is not None
    )
    place_adjective = low.endswith("e") and (low[:-1] in res.places_lower or low[:-2] in res.places_lower)
    # A short ordinary word may be an unknown first name ("Lini Zurlia"); a long one is a noun.
    dutch = len(low) >= _MIN_NOUN and ("-" not in word and not _foreign_word(word, res) or _dutch_word(low, res))
    noun = not word.endswith(".") and (low.startswith(_FORMER) or place_first or place_adjective or dutch)
    if not (role or before_first_name or noun) and not _org_head(low, res, _LONG_HEAD):
        return start, end
    return (rest.start(), end) if rest is not None and rest.group()[:1].isupper() else (start, end)


def _has_evidence(text: str, start: int, end: int, res: _Resources, parts: set[str]) -> bool:
    name = text[start:end]
    if " " in name or "." in name or name in parts:
        return True
    if name in res.first_names or name in res.surnames or name.split("-")[0] in res.first_names:
        return True
    if name.isupper() and name.title() in res.first_names:
        return True  # "YOLANTHE"
    before = _TOKEN_TEXT.findall(text[max(0, start - 40):start])
    if before and before[-1].lower() in res.titles:
        return True
    if _AFFILIATION.match(text, end) or _AGE.match(text, end) and not _dutch_word(name.lower(), res):
        return True  # "Bekiro (12)", "Sampras (VS)"; but "Potloodventer (29)", "Surfer (28)": a role
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return False
    return _verb_evidence(name, after.group(1), res)


def _verb_evidence(word: str, nxt: str, res: _Resources) -> bool:
    """What the next word says of a capitalised word, at a sentence start and mid-sentence alike:
    a reporting verb ("Wilders reageerde"), a finite verb after a word that is no Dutch word,
    compound or village ("Grapperhaus had", "Pogacar won"), or a first name in the genitive
    before a possessed noun ("Jans moeder", "Fleurs vader")."""
    return (
        nxt in res.speech_verbs
        or (nxt in res.finite_verbs or nxt in res.verb_forms) and _foreign_word(word, res)
        or nxt in res.possessed and _genitive_base(word) in res.first_names
    )


def _name_spans(text: str, res: _Resources) -> list[tuple[int, int]]:
    return _Scan(text, res).spans()


class _Scan:
    """One pass over a text's tokens: candidate name runs, their evidence and the cues that
    make a run a place or an organisation instead. A class so the many small questions about
    token i share the token list without nested closures."""

    def __init__(self, text: str, res: _Resources) -> None:
        self.text = text
        self.res = res
        # Parallel token lists (start, end, kind, text): plain list indexing is the hot path.
        tokens = list(_TOKEN.finditer(text))
        self.words: list[str] = [m.group() for m in tokens]
        self.starts: list[int] = [m.start() for m in tokens]
        self.ends = [m.end() for m in tokens]
        titles = res.titles
        # Only initials end in "."; "Ds.", "Dr.", "Mr." look like initials ("Th.") but are titles.
        self.kinds: list[str] = ["word" if w[-1] != "." else "title" if w.lower().rstrip(".") in titles else "init"
                                 for w in self.words]
        self.n = len(self.words)
        self.masked = self._mask_phrases()
        self.place_tail = -1  # index of the last token known to be a place
        self.found: list[tuple[int, int]] = []  # token ranges of the names found
        self.affiliation = -1  # last token of a "van <club>" after the name just ended, if any

    def _mask_phrases(self) -> set[int]:
        masked: set[int] = set()
        words = self.words
        phrases = self.res.not_name_phrases
        for i, word in enumerate(words):
            for parts in phrases.get(word, ()):
                if tuple(words[i:i + len(parts)]) == parts:
                    masked.update(range(i, i + len(parts)))
                    break
        return masked

    # -- questions about token i ---------------------------------------------------------

    def word(self, i: int) -> str:
        return self.words[i]

    def is_word(self, i: int) -> bool:
        return self.kinds[i] == "word"

    def is_init(self, i: int) -> bool:
        return self.kinds[i] == "init"

    def sentence_initial(self, i: int) -> bool:
        """A break starts a sentence; an initial's "." is in its token, a title's ("Ds. Hans")
        is not. Asked only for capitalised words, so most tokens never pay for it."""
        if i == 0:
            return True
        gap_start, gap_end = self.ends[i - 1], self.starts[i]
        if not _BREAK.search(self.text, gap_start, gap_end):
            return False
        gap = self.text[gap_start:gap_end].strip()
        return not (gap == "." and self.word(i - 1).lower() in self.res.titles)

    def joined(self, i: int) -> bool:
        """Token i follows token i-1 with only spaces between (a name may continue)."""
        return 0 < i < self.n and self.text[self.ends[i - 1]:self.starts[i]] in {" ", "\u00a0"}

    def name_word(self, i: int) -> bool:
        word = self.words[i]
        return (
            self.kinds[i] == "word" and word[0].isupper() and i not in self.masked and _name_form(word, self.res)
        )

    def particle(self, i: int) -> bool:
        return self.kinds[i] == "word" and self.words[i].lower() in self.res.particles

    def surname_word(self, j: int) -> bool:
        """After "van der" almost any capitalised word is a surname ("De Waal"), but no place."""
        word = self.word(j)
        return (
            self.is_word(j) and word[0].isupper() and j not in self.masked
            and word not in self.res.non_surnames and not (len(word) > 1 and word.isupper())
            and word not in self.res.organisations and word not in self.res.world_places
            and not word.lower().endswith(_THING_ENDINGS)  # "Juliana van Stolbergstraat"
            and not ("-" in word and word.split("-")[-1][:1].islower())  # "Van der Valk-hotel"
        )  # "Brian Priske van Feyenoord": the club, not a surname

    def surname_after(self, i: int, strict: bool = False) -> int | None:
        """From particle(s) at i, the index of the name word or initial that closes them."""
        j = i
        while j < self.n and self.particle(j) and (j == i or self.joined(j)):
            j += 1
        if j < self.n and j > i and self.joined(j) and (
            self.is_init(j) or self.name_word(j) or not strict and self.surname_word(j)
            and not (self.word(i).islower() and self.word(j).lower().endswith(self.res.suffixes))
            # inside a name, no adjective: "Theresa May de Amerikaanse"; but "Van der Plas"
        ):
            return j
        return None

    def is_known(self, k: int) -> bool:
        return _known_name(self.word(k), self.res)

    def placelike(self, k: int) -> bool:
        return _place_ending(self.word(k).lower(), self.res)

    def common(self, k: int) -> bool:
        return _dutch_word(self.word(k).lower(), self.res)

    def next_is(self, i: int, words: frozenset[str]) -> bool:
        return i + 1 < self.n and self.joined(i + 1) and self.word(i + 1) in words

    # -- the scan ------------------------------------------------------------------------

    def spans(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        words, kinds, n = self.words, self.kinds, self.n
        i = 0
        while i < n:
            word = words[i]
            if kinds[i] == "word" and not word[0].isupper():
                i = self._compound_tail(i, spans) if "-" in word else i + 1  # most words: lower case
                continue
            i = self._step(i, spans)
        memory = self._remembered_parts()
        initials = self._remembered_initials()
        mentions = (self._mentions_of(memory) if memory else []) + (
            self._initial_mentions(initials) if initials else []
        )
        return sorted(spans + self._joined(sorted(mentions))) if mentions else spans

    def _joined(self, mentions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Remembered parts side by side are one mention: "rijschoolhouder Ferry Aalbregt", "Thijs
        H." again, not "Ferry" and "Aalbregt" apart."""
        merged: list[tuple[int, int]] = []
        for start, end in mentions:
            if merged and self.text[merged[-1][1]:start] in {" ", "\u00a0"}:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

    def _remembered_initials(self) -> frozenset[str]:
        """The abbreviated surnames of the names found ("Michael P.", "R.O.", "G.K."): in crime
        news the person is "P.", "O." or "K." alone afterwards."""
        found = set()
        for start_i, end_i in self.found:
            if self.is_init(end_i) and (end_i > start_i or self.word(end_i).count(".") > 1):
                found.add(self.word(end_i).rsplit(".", 2)[-2][-1:] + ".")
        return frozenset(found)

    def _initial_mentions(self, initials: frozenset[str]) -> list[tuple[int, int]]:
        """Lone initials that abbreviate a surname found earlier ("De rechter gaf P. ..."),
        outside the spans found; not an initial opening a name of its own ("P. Jansen")."""
        covered = {k for start_i, end_i in self.found for k in range(start_i, end_i + 1)}
        extra = []
        for k, word in enumerate(self.words):
            if word in initials and self.is_init(k) and k not in covered and not (
                self.joined(k - 1) and self.is_init(k - 1)
            ):
                extra.append((self.starts[k], self.ends[k]))
        return extra

    def _remembered_parts(self) -> frozenset[str]:
        """Words of the full names found ("Lindsay Davenport", "J. Balkenende"): within one
        item each later mention of such a surname or first name alone is the same person."""
        parts: set[str] = set()
        for start_i, end_i in self.found:
            words = [k for k in range(start_i, end_i + 1) if self.is_word(k) and not self.particle(k)]
            if end_i > start_i and words:
                parts.update(self.word(k) for k in words if len(self.word(k)) >= _MIN_REMEMBERED)
        return frozenset(_genitive_base(w) if w.endswith(("'s", "’s")) else w for w in parts)

    def _mentions_of(self, memory: frozenset[str]) -> list[tuple[int, int]]:
        """Standalone mentions of remembered name parts outside the spans already found
        ("Davenport won", "Ten Hag", "Davenport's"), whatever place or sentence cue they meet."""
        covered = {k for start_i, end_i in self.found for k in range(start_i, end_i + 1)}
        extra = []
        for k, word in enumerate(self.words):
            if word not in memory and word[:-2] not in memory:
                continue  # most tokens
            base = word[:-2] if word.endswith(("'s", "’s")) else word
            if k in covered or not self.is_word(k) or base not in memory or self.particle(k):
                continue
            j = k
            while j > 0 and self.joined(j) and self.particle(j - 1) and j - 1 not in covered and not (
                self.word(j - 1) in _ARTICLES and not self.particle(j - 2)
            ):
                j -= 1  # "Ten Hag", "van Gaal", "van de Beek"; not the article of "Namens de Milli Gorus"
            extra.append((self.starts[j], self.starts[k] + len(base)))
        return extra

    def _step(self, i: int, spans: list[tuple[int, int]]) -> int:
        """Look at token i (no lower-case word), append a name span starting there if any;
        the next index."""
        word = self.words[i]
        before = self.word(i - 1).lower() if self.joined(i) and not self._rubric(i - 1) else ""
        if before in self.res.place_preps or word in self.res.all_places or word in self.res.world_places or (
            word in self.res.local_places
        ):
            self.place_tail = i  # "in Tarwewijk en Carnisse": what follows "en" is a place too
        if (before in self.res.org_markers or before and before.endswith(self.res.org_heads)) and not (
            self._initial_ahead(i) or self._verb_not_noun(i - 1)
        ):
            return self._skip_capitalised_run(i)  # "basisschool De Regenboog"; but "kliniek Michael P."
        after_title = before in self.res.titles
        start_i = self._start(i, after_title)
        if start_i is None:
            return i + 1
        end_i = self._end(start_i)
        if self._names_a_thing(end_i):
            return self._skip_capitalised_run(end_i + 1)
        person_start = self._person_start(start_i, end_i, after_title)
        if person_start is None:
            return end_i + 1
        start_i = person_start
        end = self.ends[end_i]
        if self.text[end - 2:end] in ("'s", "’s"):
            end -= 2  # "Wim Kok's": the name without the possessive
        spans.append((self.starts[self._particles_before(start_i)], end))
        self.found.append((start_i, end_i))
        if self.affiliation > end_i:
            return self._skip_capitalised_run(self.affiliation + 1)  # "Rick Koolhof van Cagliari": the club
        return end_i + 1

    def _rubric(self, k: int) -> bool:
        """"BRIEVENCOMPETITIE Jesse Klaver": a long word in capitals is a rubric label, not the
        organisation word or title it spells."""
        word = self.word(k)
        return len(word) > _MAX_ACRONYM and word.isupper()

    def _initial_ahead(self, i: int) -> bool:
        """"kliniek Michael P.", "bureau Jan K.", "staat Mark de G.": a word and an initial (after
        particles) following an organisation word are a person."""
        if not (i + 1 < self.n and self.is_word(i)):
            return False
        j = self.surname_after(i + 1, strict=True) if self.particle(i + 1) else i + 1
        return j is not None and j < self.n and self.joined(j) and self.is_init(j)

    def _verb_not_noun(self, k: int) -> bool:
        """A marker that is also a finite verb ("staat") is the verb unless an article or "deze"
        makes it the noun: "vandaag staat Mark de Groot terecht", but "de staat Texas"."""
        return (self.word(k).lower() in self.res.finite_verbs
                and not (k > 0 and self.joined(k) and self.word(k - 1).lower() in _ARTICLES | {"deze", "die"}))

    def _person_start(self, start_i: int, end_i: int, after_title: bool) -> int | None:
        """Where the person's name in the run starts, or None when the run is a place or a thing."""
        if self._dateline(start_i, end_i):
            self.place_tail = end_i
            return None  # "Zevenbergen - Inbreker aangehouden", "Holten / Hoogland - ..."
        if not after_title and self._after_article(start_i, end_i):
            if not (start_i < end_i and self.word(start_i + 1) in self.res.first_names):
                return None  # "aan de Brede Heide", "van de Rolling Stones", "de Amerikaanse"
            start_i += 1  # "de Brit Lewis Hamilton": the noun after the article is no part of the name
        if not (after_title or _AGE.match(self.text, self.ends[end_i])):
            why = self._no_person(start_i, end_i)
            if why is not None:
                if why == "place":
                    self.place_tail = end_i
                return None
        return start_i

    def _dateline(self, start_i: int, end_i: int) -> bool:
        """A run opening a line and followed by a dash or slash is the place of a police or
        regional news item ("Asperen - Bewoner mishandeld", "Holten / Hoogland - ..."); the
        second place of "Holten / Hoogland" follows the slash. Initials stay a name."""
        if any(self.is_init(k) for k in range(start_i, end_i + 1)):
            return False
        before = self.text[self.ends[start_i - 1] if start_i else 0:self.starts[start_i]]
        at_line_start = start_i == 0 or "\n" in before or before.strip() in {"/", "_"}
        return at_line_start and _DATELINE_SEP.match(self.text, self.ends[end_i]) is not None

    def _after_article(self, start_i: int, end_i: int) -> bool:
        """A capitalised run right after a lower-case article names a thing: Dutch writes a
        surname without first name capitalised ("De Vries"), so "de", "het" or "een" before it
        is the article of a street, building, club or work ("aan de Brede Heide", "de Notre-Dame"),
        and so are English "of", "for" and "the" ("Game of Thrones").
        Initials and a known surname alone still make a person ("de Jong", typed so)."""
        if start_i == 0 or not self.joined(start_i) or self.word(start_i - 1) not in _THING_ARTICLES:
            return False
        return not (self.is_init(start_i) or self.is_known(start_i) and start_i == end_i)

    def _names_a_thing(self, end_i: int) -> bool:
        """A name run that goes on into a street, school or compound names that thing, not a
        person: "Juliana van Stolbergstraat", "Anthony Fokkerstraat", "Titus Brandsmaschool",
        "Van der Valk-hotel", "Harry Potter-acteur"."""
        word = self.word(end_i)
        if "-" in word and not word.split("-")[-1][:1].isupper():
            return True
        k = end_i + 1
        while k < self.n and self.joined(k) and self.particle(k):
            k += 1
        if k >= self.n or not self.joined(k) or not self.is_word(k):
            return False
        nxt = self.word(k)
        if not nxt[:1].isupper() or nxt.isupper():
            return False
        low = nxt.lower()
        return low.endswith(_THING_ENDINGS) or "-" in nxt and not nxt.split("-")[-1][:1].isupper()

    def _compound_tail(self, i: int, spans: list[tuple[int, int]]) -> int:
        """"zaak-Vaatstra", "zaak-Anne Faber": a capitalised name after a hyphen in a lower-case
        compound, with the name words that follow it; the next index."""
        word = self.words[i]
        head, _, last = word.rpartition("-")
        if not (head and last[:1].isupper() and last not in self.res.not_names and last not in self.res.all_places):
            return i + 1
        end_i = self._end(i) if last in self.res.first_names else i
        spans.append((self.ends[i] - len(last), self.ends[end_i]))
        self.found.append((i, end_i))
        return end_i + 1

    def _skip_capitalised_run(self, i: int) -> int:
        """Past an organisation's name; a role compound ends it ("Omroep MAX-baas Jan Slagter",
        "FC Groningen-trainer Danny Buijs": the name after the role is a person's)."""
        while i < self.n and self.joined(i) and (self.word(i)[:1].isupper() or self.particle(i)):
            head, _, tail = self.word(i).rpartition("-")
            i += 1
            if head and tail[:1].islower():
                break
        return i

    def _start(self, i: int, after_title: bool) -> int | None:
        """Index where a name starts at token i, or None."""
        word = self.word(i)
        if self.is_init(i):
            j = i
            while self.joined(j + 1) and self.is_init(j + 1):
                j += 1  # "J. P. Balkenende": initials written apart
            follows = self.joined(j + 1) and (
                self.name_word(j + 1) or self.surname_after(j + 1) is not None or self.capitals_surname(j + 1)
            )
            return i if follows or self._lone_initials(i, j) else None
        if not self.is_word(i):
            return None
        initial = self.sentence_initial(i)
        if initial and not after_title and self.next_is(i, _SUBJECT_PRONOUNS):
            return None  # "Ben je ...?", "Wil je ...": a verb opening a question, not "Ben"
        if self.particle(i) and self.surname_after(i, word != "Van") is not None:
            # "Van der Laan", "De Vries": a capitalised particle opens a surname, except "De"/"Het"
            # opening a sentence before a non-name; "Van der Plas" even when "Plas" names a lake.
            return i
        if after_title and self.capitals_surname(i) and len(word) > _MIN_CAPITALS_AFTER_TITLE:
            return i  # "de heer THORBECKE"
        if self._capitals_first_name(i):
            return i  # "HANS KLOK", "BRITNEY SPEARS (37)": names in capitals in showbiz news
        if after_title and self._surname_after_title(i):
            return i  # "staatssecretaris Snel", "minister De Jonge": an ordinary word as surname
        if not self.name_word(i):
            return None
        if initial and not self.is_known(i) and not _foreign_word(word, self.res) and self._name_starts_later(i):
            return None  # "Voetballer Memphis Depay": the name starts after the Dutch word
        if not initial or after_title or self.is_known(i) or self._evidence_after(i):
            return i
        return None

    def _lone_initials(self, i: int, j: int) -> bool:
        """"de 67-jarige A.K.", "Zwollenaar J.W.", "rijstboer R.O.": in court and police news
        two or more initials alone after a word are the person, and so is any initial after an age
        ("de 47-jarige R."); dotted acronyms ("B.V.") are not."""
        word = self.word(i)
        if i == 0 or not self.is_word(i - 1):
            return False
        if self.word(i - 1).endswith("jarige"):
            return True  # "de 47-jarige R.", "de 23-jarige R. L.": an age before initials
        return i == j and word.count(".") >= 2 and word not in _DOTTED_ACRONYMS

    def _capitals_first_name(self, i: int) -> bool:
        word = self.word(i)
        return (
            self.is_word(i) and len(word) >= 3 and word.isupper() and word.title() in self.res.first_names
            and word.title() not in self.res.all_places and word.title() not in self.res.organisations
        )

    def _surname_after_title(self, i: int) -> bool:
        res, word = self.res, self.word(i)
        return (
            self.is_word(i) and word[:1].isupper() and not word.isupper() and i not in self.masked
            and word not in res.organisations and word not in res.all_places and word not in res.world_places
            and word.lower() not in res.titles and word.lower() not in res.particles
            and not word.lower().endswith(_THING_ENDINGS + ("stadion",) + res.suffixes)  # "Prinses Beatrixlaan"
            and not (self.joined(i + 1) and self.is_word(i + 1) and self.word(i + 1)[:1].islower()
                     and self.word(i + 1) in _THING_NOUNS)  # "pastor Ghanese kerk"
        )

    def _evidence_after(self, i: int) -> bool:
        """At a sentence start a capitalised word is a name when followed by another name word,
        a reporting verb ("Wilders reageerde"), an age ("Bouchra (23)") or a headline colon
        ("Halsema: 'we grijpen in'")."""
        if _AGE.match(self.text, self.ends[i]) or _AFFILIATION.match(self.text, self.ends[i]):
            return True  # "Bouchra (23)", "Sampras (VS)", "Omtzigt (NSC)"
        if len(self.words[i]) <= MAX_COLON_NAME and _COLON.match(self.text, self.ends[i]):
            return _foreign_word(self.words[i], self.res)  # "Halsema: ...", not "Update: ..."
        if not self.joined(i + 1):
            return False
        word, nxt = self.word(i), self.word(i + 1)
        res = self.res
        return (
            self.name_word(i + 1) or self.is_init(i + 1) or self.surname_after(i + 1) is not None
            or _verb_evidence(word, nxt, res)
            # "Tessa en Sven", "Tessa en haar broer Sven"
            or nxt == "en" and self.joined(i + 2) and self.name_word(i + 2)
        )

    def _name_starts_later(self, i: int) -> bool:
        """"Voetballer Memphis Depay", "Dorpsgenoten van Willem de Jong": a sentence-initial
        word before a first name, a particle or two name words is no part of the name."""
        if not self.joined(i + 1):
            return False
        return (
            self.word(i + 1) in self.res.first_names or self.particle(i + 1)
            or self.joined(i + 2) and self.name_word(i + 1) and self.name_word(i + 2)
        )

    def _end(self, start_i: int) -> int:
        """The last token of the name that starts at start_i."""
        self.affiliation = -1
        end_i = start_i
        if self.particle(start_i):
            close = self.surname_after(start_i, self.word(start_i) != "Van")
            if close is not None:
                end_i = close  # "Ben" opening "Ben je ...?" closes nothing: the word itself
        k = end_i + 1
        while k < self.n and self.joined(k):
            if self._sentence_after_initial(k, start_i, end_i):
                break  # "Michael P. De rechter ...": a capital after an abbreviated surname opens a sentence
            if self.name_word(k) or self.is_init(k) or self._surname_despite_ending(k, end_i) or (
                self.is_init(end_i) and self.capitals_surname(k)  # "K. VINKE"
            ) or self.word(k) in _ROMAN and self.word(end_i) in self.res.first_names or (  # "Willem II"
                k == end_i + 1 and self._capitals_first_name(end_i) and self.capitals_surname(k)  # "HANS KLOK"
            ) or self._surname_before_age(k, start_i, end_i) or self._arabic_article(k, end_i):
                end_i = k
                k += 1
                continue
            close = self.surname_after(k) if self.particle(k) else None
            if close is not None and not self._open(start_i, end_i) and not (
                self.word(k) != "van" and self.name_word(close) and _foreign_word(self.word(close), self.res)
            ):
                # "Hugo de Jonge van Volksgezondheid", "Luca Pellegrini van Cagliari", "Donny de
                # Koning van Weerplaza": the ministry, club or firm; but "Mendes de Souza"
                self.affiliation = close
                close = None
            if close is None:
                close = self._place_surname(k, start_i, end_i)
            if close is None:
                break
            end_i = close
            k = close + 1
        return end_i

    def _surname_before_age(self, k: int, start_i: int, end_i: int) -> bool:
        """"Angela Maas (62)": after a lone known first name, a capitalised word before an age is
        the surname even when it names a river, a place or a month."""
        word = self.word(k)
        return (
            k == end_i + 1 and end_i == start_i and self.word(end_i) in self.res.first_names and self.is_word(k)
            and word[:1].isupper() and not word.isupper() and word not in self.res.organisations
            and _AGE.match(self.text, self.ends[k]) is not None
        )

    def _arabic_article(self, k: int, end_i: int) -> bool:
        """"Omar al-Bashir", "Abu el-Haj": a lower-case article joined to a capitalised surname."""
        head, _, tail = self.word(k).partition("-")
        return self.is_word(end_i) and head in _ARABIC_ARTICLES and tail[:1].isupper()

    def _place_surname(self, k: int, start_i: int, end_i: int) -> int | None:
        """"Lisa Westerveld", "Raymond van Barneveld", "Ger van Zundert": right after a lone known
        first name a municipality's name (with or without tussenvoegsels) is the surname; people
        from a place are written "uit Barneveld"."""
        if end_i != start_i or self.word(end_i) not in self.res.first_names:
            return None
        j = k
        while j < self.n and self.particle(j) and self.word(j)[0].islower() and (j == k or self.joined(j)):
            j += 1
        if j < self.n and self.joined(j) and self.is_word(j) and self.word(j) in self.res.all_places and (
            j - k <= 2 and not self.word(j).isupper()
        ):
            return j
        return None

    def _sentence_after_initial(self, k: int, start_i: int, end_i: int) -> bool:
        """After a word and an initial ("Michael P.") the name is complete: a capitalised
        particle or an ordinary word opens the next sentence ("P. De FvD'er", "P. Volgens");
        "Peter R. de Vries" and "John F. Kennedy" go on."""
        if not (end_i > start_i and self.is_init(end_i) and self.is_word(end_i - 1)):
            return False
        word = self.word(k)
        return self.is_word(k) and word[:1].isupper() and (
            word.lower() in self.res.particles or word not in self.res.surnames and self.common(k)
        )

    def _open(self, start_i: int, end_i: int) -> bool:
        """Whether tussenvoegsels may still follow: after first names and initials ("Hugo de
        Jonge", "Jan Peter van Dijk"), not after a full name ("Hugo de Jonge van Volksgezondheid",
        "Attje Kuiken van de PvdA", "David Neres de Italiaanse": the ministry, party, nationality)."""
        if any(self.particle(k) for k in range(start_i, end_i + 1)):
            return False
        word = self.word(end_i)
        if end_i == start_i and word in self.res.surnames and word not in self.res.first_names:
            return False  # "minister Dekker van Rechtsbescherming": a surname alone is complete
        return end_i == start_i or self.is_init(end_i) or word in self.res.first_names

    def capitals_surname(self, k: int) -> bool:
        """"K. VINKE": after initials a word in capitals is a surname, not an acronym."""
        word = self.word(k)
        return self.is_word(k) and len(word) >= 3 and word.isupper() and word not in self.res.not_names

    def _particles_before(self, start_i: int) -> int:
        """"volgens van der Laan": tussenvoegsels in lower case before a name belong to it when
        there are two or more of them (a single "van" is mostly the preposition)."""
        j = start_i
        while j > 0 and self.joined(j) and self.particle(j - 1) and self.word(j - 1)[0].islower():
            j -= 1
        return j if start_i - j >= 2 else start_i

    def _surname_despite_ending(self, k: int, end_i: int) -> bool:
        """"Sanne Molenaar", "Bram Holthuis": after a first name, a surname despite its ending;
        "Sterre Koning", "Anouk Prins": a title after a first name is her surname."""
        return (
            k == end_i + 1 and self.word(end_i) in self.res.first_names and self.surname_word(k)
            and (self.word(k) not in self.res.not_names or self.word(k).lower() in _ROYAL_TITLES)
        )

    # -- places and organisations --------------------------------------------------------

    def _no_person(self, start_i: int, end_i: int) -> str | None:
        """Why a candidate span is a place or an organisation, not a person: 'place' after a
        preposition of place (or coordinated with such a place), 'org' for a run of common
        Dutch words ("Eigen Haard", "De Schakel"). Known names and initials always stay."""
        if self._keeps(start_i, end_i):
            return None
        content = [k for k in range(start_i, end_i + 1) if not self.particle(k)]
        if self.word(start_i) in _CAPITAL_ARTICLES and len(content) == 1:
            return "org"  # "De Toekomst", "Den Dolder", "Het Bolwerk": no known "De ..." surname
        return self._place_cue(start_i, end_i, content) or self._org_cue(start_i, end_i, content)

    def _keeps(self, start_i: int, end_i: int) -> bool:
        """Evidence that outweighs any place or organisation cue."""
        idx = range(start_i, end_i + 1)
        after_place_prep = start_i > 0 and self.word(start_i - 1).lower() in self.res.place_preps
        if any(self.is_init(k) or self._capitals_first_name(k) for k in idx) or any(
            _known_first_name(self.word(k), self.res) for k in idx
        ) and not (
            after_place_prep and start_i == end_i and self.word(start_i) not in self.res.own_first_names
        ):
            return True  # but "in Lyon", "uit Odessa": a place, though the derived first-name list has it
        if after_place_prep:
            return False  # "in Heesch", "uit Lienden": villages that are also surnames
        if any(self.is_known(k) for k in idx):
            return True
        lead = self.word(start_i).lower()
        if self.particle(start_i) and lead not in _ARTICLES and self.word(start_i) not in _CAPITAL_ARTICLES:
            return True  # "bij Van der Laan", "naar Ten Hag": surnames; "Den Dolder" needs a known name
        if lead in _ARTICLES and f"De {self.word(end_i)}" in self.res.surnames:
            return True
        return end_i + 1 < self.n and self.word(end_i + 1) == "thuis"  # "bij Holtkamp thuis"

    def _place_cue(self, start_i: int, end_i: int, content: list[int]) -> str | None:
        res = self.res
        prev = self.word(start_i - 1).lower() if start_i > 0 else ""
        if prev in res.place_preps:
            return "place"
        if _org_head(self.word(start_i).lower(), res, _LONG_HEAD):
            return "org"  # "Cafetaria De Smulhoek", "Winkelcentrum Woensel"
        all_common = all(self.common(k) for k in content)
        if self.next_is(end_i, res.all_places) and all_common:
            return "place"  # "Oude Pekela", "Nieuw Amsterdam"
        if prev in res.weak_place_preps and (all_common or any(self.placelike(k) for k in content)):
            return "place"
        if prev in res.finite_verbs and self.sentence_initial(start_i - 1) and any(
            self.placelike(k) for k in content
        ):
            return "place"  # "Wordt Zoutkamp de volgende ...?": a question's subject, no evidence
        if self._coordinated_with_place(start_i):
            return "place"  # "uit Nieuwolda en Termunterzijl"
        if all(self.word(k) in res.world_places for k in content):
            return "place"  # "Rome", "Saoedi-Arabië": no name evidence, a known place
        if " ".join(self.words[start_i:end_i + 1]) in res.local_places:
            return "place"  # "Uddel", "Ter Aar", "Burgh Haamstede": a village, no name evidence
        return None

    def _coordinated_with_place(self, start_i: int) -> bool:
        tail = self.place_tail
        if tail < 0:
            return False
        if start_i == tail + 2 and self.word(tail + 1) in _COORDINATORS:
            return True
        return start_i == tail + 1 and self.text[self.ends[tail]:self.starts[start_i]].strip() == ","

    def _org_cue(self, start_i: int, end_i: int, content: list[int]) -> str | None:
        lead = self.word(start_i).lower()
        prev = self.word(start_i - 1).lower() if start_i > 0 else ""
        if prev in _GENITIVE_ARTICLES and not (start_i > 1 and self.particle(start_i - 2)):
            prev = "de"  # "de Staten der Nederlanden", but "van der Laan"
        if all(self.common(k) for k in content) and (lead in _ARTICLES or len(content) > 1 or prev in _ARTICLES):
            return "org"
        if self.word(end_i) in self.res.org_last_words:
            return "org"  # "US Open", "Tata Steel", "International Booker Prize"
        if len(content) > 1 and self.word(end_i).lower() in self.res.english_words:
            return "org"  # "Hollywood Reporter", "Animal Rights", "Silk Road": English titles and firms
        if self.joined(start_i) and self._acronym(start_i - 1) or self.joined(end_i + 1) and self._acronym(end_i + 1):
            return "org"  # "AZ Alkmaar", "NAC Breda", "ING Bank"
        return None

    def _acronym(self, k: int) -> bool:
        """A word in capitals ("AZ", "ING"), not a Roman numeral ("Willem II"), an initial or a
        rubric label ("BRIEVENCOMPETITIE Jesse Klaver")."""
        word = self.word(k)
        return self.is_word(k) and 2 <= len(word) <= _MAX_ACRONYM and word.isupper() and word not in _ROMAN


@lru_cache(maxsize=100_000)
def _name_form(word: str, res: _Resources) -> bool:
    """Whether a capitalised word can be (part of) a name, whatever its position; cached,
    because the same capitalised words recur in every item."""
    if word in res.first_names:
        return True
    if len(word) == 1 or word.isupper():
        return False  # acronyms (OM, GGD, PVV) and single letters ("B en W")
    if _BRAND_CASE.search(word):
        return False  # "OakNorth", "GGzE", "SpaceX", "Fauna4Life": brands, but "McDonald", "DiCaprio"
    low = word.lower()
    if word in res.not_names or low in res.particles:
        return False
    if low in res.titles and word not in res.surnames and f"De {word}" not in res.surnames:
        return False  # "Burgemeester", "Kolonel"; but "De Graaf", "De Keizer" are surnames
    if low in res.finite_verbs or low in res.speech_verbs:
        return False  # "Zegt Mulder ...?", "Heeft Zoutkamp ...?": a verb opening a question
    if "-" in word:
        head, *parts = word.split("-")
        if head in res.all_places or any(p[:1].islower() and p.lower() not in res.particles for p in parts):
            return False  # "X-feest", "Amsterdam-Zuidoost": compounds, not double names
        if any(p in res.organisations for p in (head, *parts)):
            return False  # "Jumbo-Visma", "Ajax-Feyenoord"
    # "Industrieweg", "Stedelijk" are no names, but "Van der Laan" and "Dijk" are.
    if low.endswith(res.suffixes):
        return False
    if word not in res.surnames and _demonym(low, res):
        return False
    return not any(low.endswith(s) and len(low) > len(s) + 3 for s in res.guarded_suffixes)


# Words ending so that continue a name run name a street, a bridge or a school after a person.
_THING_ENDINGS = ("straat", "plein", "kade", "gracht", "singel", "dreef", "laan", "weg", "brug", "school",
                  "college", "lyceum", "stadion", "park")
# A capitalised word so ending before a full name is a role: "Hacker Tarik B.", "YouTuber Steven Crowder".
# Lower-case nouns after a capitalised word that make it an adjective or a name of a thing.
_THING_NOUNS = frozenset({"kerk", "moskee", "school", "gemeente", "regering", "ambassade", "club", "ploeg"})
_ROLE_ENDINGS = ("er", "aar", "oog", "ist", "eur", "ier", "ent", "ant")
_DEMONYM_ENDINGS = ("enaar", "naar", "aar", "ër", "er")


def _demonym(low: str, res: _Resources) -> bool:
    """"Tilburger", "Almeloër", "Boxtelaar", "Roosendaler", "Amsterdammer", "Vlissinger": an
    inhabitant of a municipality, not a surname."""
    for ending in _DEMONYM_ENDINGS:
        if not low.endswith(ending):
            continue
        base = low[: -len(ending)]
        long_vowel = base[:-1] + base[-2:-1] + base[-1:] if len(base) > 2 else base  # roosendal -> roosendaal
        if {base, base[:-1], long_vowel, base + "en"} & res.places_lower:  # vlissing+en
            return True
    return False


def _known_name(word: str, res: _Resources) -> bool:
    return word in res.surnames or _known_first_name(word, res)


def _known_first_name(word: str, res: _Resources) -> bool:
    return word in res.first_names or word.split("-")[0] in res.first_names


@lru_cache(maxsize=20_000)
def _org_head(word: str, res: _Resources, min_head: int = _MIN_HEAD) -> bool:
    """"basisschool", "woningcorporatie", "SV": a capitalised run after it is an organisation.
    A capitalised head ends a name only when long ("Winkelcentrum"; "Nijhuis" is a surname)."""
    return word in res.org_markers or word.endswith(tuple(h for h in res.org_heads if len(h) >= min_head))


@lru_cache(maxsize=50_000)
def _dutch_word(low: str, res: _Resources) -> bool:
    """A common Dutch word, also as inflected adjective ("nieuwe", "stedelijke")."""
    words = res.common_words
    return low in words or low.endswith("e") and low[:-1] in words or _plural_base(low) in words


def _plural_base(low: str) -> str:
    """"jongens" -> "jongen", "vrouwen" -> "vrouw", "auto's" -> "auto": the lookup lacks many plurals."""
    for ending in ("'s", "’s", "s", "en"):
        if low.endswith(ending) and len(low) > len(ending) + 2:
            return low[: -len(ending)]
    return low


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
    if word in res.all_places or word in res.not_names or _dutch_word(low, res) or _place_ending(low, res):
        return False
    if not _name_form(word, res):
        return False
    if "-" in word:  # "Midden-Nederland", "Tbs-er": a part that is Dutch or a place; "Sneijder-Cabau" is foreign
        return all(_foreign_word(part, res) for part in word.split("-") if part)
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
