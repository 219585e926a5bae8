"""Dutch rule tagging: scenario, phase, dynamiek, emotion, polarity, claim, actor, place, person,
language. Pure: text in, Tag records out; the lexicons live in data/lexicons.

Matching layers, cheapest first: spaCy PhraseMatchers on LEMMA (inflection: "bedreigd",
"Bedreigde" -> bedreigen) and LOWER (fixed forms), then regex alternations for Dutch compounds
(stems at word starts such as "brandsticht", parts inside words such as "verkracht" in
"groepsverkrachting", each with guarded exceptions such as "brandweer"), case-sensitive
acronyms ("OM", "ME") and a few phrase regexes kept in the lexicon files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analysis import lexicons
from analysis.dates import find_dates
from analysis.language import detect_language
from analysis.lexicons import Combination, Municipality, Term
from analysis.nlp import load_nlp
from analysis.persons import find_person_names
from analysis.places import PlaceFinder, find_extra_places

# Bump when matching code changes; lexicon changes are caught by the data fingerprint.
CODE_VERSION = "1"
_NEGATIONS = frozenset({"niet", "geen", "nooit", "allerminst", "nauwelijks", "niets"})
_WORD = re.compile(r"[\w'-]+")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
# Announcements that make a demonstration a mobilisation (and give its date a meaning).
_ANNOUNCED = re.compile(
    r"\b(?:aangekondigd\w*|gepland\w*|wil\w*|gaan|gaat|zal|zullen|komende?|volgende|oproep\w*|opgeroepen)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Tag:
    tag_set: str
    key: str
    text: str
    start: int
    end: int
    score: float = 1.0
    value: str | None = None
    ref: str | None = None

    @property
    def label(self) -> str:
        return f"{self.tag_set}:{self.key}"


def _alternation(terms: list[tuple[int, str]], head: str, tail: str, flags: int) -> re.Pattern[str] | None:
    """One regex with a group per term: the group number says which term matched."""
    if not terms:
        return None
    groups = "|".join(f"({re.escape(text)})" for _, text in terms)
    return re.compile(f"{head}(?:{groups}){tail}", flags)


class Tagger:
    """Holds the compiled matchers; build once per process with load_tagger()."""

    def __init__(
        self,
        nlp: Language,
        model: str,
        terms: Sequence[Term],
        combinations: Sequence[Combination],
        modifiers: dict[str, float],
        municipalities: Sequence[Municipality],
        data_hash: str,
    ) -> None:
        self.nlp = nlp
        self.terms = tuple(terms)
        self.combinations = tuple(combinations)
        self.modifiers = modifiers
        self.places = PlaceFinder(municipalities)
        self.version = f"tagger-{CODE_VERSION}-{data_hash}-{model}"
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_kind: dict[str, list[tuple[int, str]]] = {k: [] for k in lexicons.MATCH_KINDS}
        for index, term in enumerate(self.terms):
            by_kind[term.match].append((index, term.term))
        lemma_texts = [t for _, t in by_kind["lemma"]]
        for (index, _), doc in zip(by_kind["lemma"], nlp.pipe(lemma_texts)):
            self._lemma.add(str(index), [doc])
        for index, text in by_kind["word"]:
            self._lower.add(str(index), [nlp.make_doc(text)])
        self._banks: list[tuple[re.Pattern[str], list[int]]] = []
        for kind, head, tail, flags in (
            ("prefix", r"(?<![\w])", r"[\w-]*", re.IGNORECASE),
            ("infix", r"(?<![\w])[\w-]*?", r"[\w-]*", re.IGNORECASE),
            ("exact", r"(?<![\w])", r"(?![\w])", 0),
        ):
            entries = by_kind[kind]
            pattern = _alternation(entries, head, tail, flags)
            if pattern is not None:
                self._banks.append((pattern, [i for i, _ in entries]))
        self._regexes = [(i, re.compile(t, re.IGNORECASE)) for i, t in by_kind["regex"]]

    # -- public API -------------------------------------------------------------------------

    def tag(
        self, text: str, *, extra_places: Sequence[str] = (), involved: Sequence[str] = (),
        today: date | None = None,
    ) -> list[Tag]:
        return self._tag_doc(self.nlp(text), extra_places, involved, today or date.today())

    def tag_many(
        self, texts: Iterable[str], *, extra_places: Sequence[str] = (), involved: Sequence[str] = (),
        today: date | None = None, batch_size: int = 256,
    ) -> list[list[Tag]]:
        day = today or date.today()
        return [
            self._tag_doc(doc, extra_places, involved, day)
            for doc in self.nlp.pipe(texts, batch_size=batch_size)
        ]

    # -- matching ---------------------------------------------------------------------------

    def _raw_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(term index, start char, end char) from every layer."""
        text = doc.text
        strings = self.nlp.vocab.strings
        found = []
        for matcher in (self._lemma, self._lower):
            for match_id, s, e in matcher(doc):
                span = doc[s:e]
                found.append((int(strings[match_id]), span.start_char, span.end_char))
        for pattern, indexes in self._banks:
            for m in pattern.finditer(text):
                index = indexes[m.lastindex - 1]
                exclude = self.terms[index].exclude
                if exclude:
                    word = m.group(0).lower()
                    if any(x in word for x in exclude):
                        continue
                found.append((index, m.start(), m.end()))
        for index, pattern in self._regexes:
            for m in pattern.finditer(text):
                found.append((index, m.start(), m.end()))
        return found

    def _words_before(self, text: str, start: int, n: int = 2) -> list[str]:
        return [w.lower() for w in _WORD.findall(text[max(0, start - 40):start])[-n:]]

    def _term_tag(self, term: Term, text: str, start: int, end: int) -> Tag:
        score, key = term.score, term.key
        if term.tag_set == "emotion":
            factor = 1.0
            for word in self._words_before(text, start):
                factor *= self.modifiers.get(word, 1.0)
            if "!" in text[end:end + 60].split(".")[0]:
                factor *= 1.2
            score = round(min(1.0, score * factor), 2)
        elif term.tag_set == "polarity" and _NEGATIONS.intersection(self._words_before(text, start)):
            key = "positief" if key == "negatief" else "negatief"
            score = round(score * 0.5, 2)  # "niet slecht" is weaker than "goed"
        return Tag(term.tag_set, key, text[start:end], start, end, score, None, term.ref)

    def _tag_doc(self, doc: Doc, extra_places: Sequence[str], involved: Sequence[str], today: date) -> list[Tag]:
        text = doc.text
        tags = [self._term_tag(self.terms[i], text, s, e) for i, s, e in self._raw_matches(doc)]
        tags = _longest_per_key(tags)
        tags.extend(self._combined(tags))
        tags.extend(self._mobilisation_dates(text, tags, today))
        for start, end, place in self.places.find(text):
            tags.append(Tag("place", place.name, text[start:end], start, end, 1.0, place.province))
        for start, end, name in find_extra_places(text, extra_places):
            tags.append(Tag("place", name, text[start:end], start, end, 1.0, "wijk"))
        tags.extend(find_person_names(text, involved=involved, not_names=self.places.names()))
        language = detect_language(text)
        if language is not None:
            tags.append(Tag("language", language, text, 0, len(text)))
        return sorted(_longest_per_key(tags), key=lambda t: (t.start, t.tag_set, t.key, -t.end))

    def _combined(self, tags: list[Tag]) -> list[Tag]:
        labels: dict[str, Tag] = {}
        for tag in tags:
            labels.setdefault(tag.label, tag)
        result = []
        for combo in self.combinations:
            first = next((labels[x] for x in combo.when_any if x in labels), None)
            if first is not None and any(x in labels for x in combo.and_any):
                result.append(Tag(combo.tag_set, combo.key, first.text, first.start, first.end, 1.0, None, combo.ref))
        return result

    def _mobilisation_dates(self, text: str, tags: list[Tag], today: date) -> list[Tag]:
        """A mobilisation or an announced demonstration gets the date named in its sentence."""
        dates = find_dates(text, today)
        if not dates:
            return []
        result = []
        for sentence in _SENTENCE.finditer(text):
            s0, s1 = sentence.span()
            named = [d for d in dates if s0 <= d[0] < s1]
            if not named:
                continue
            inside = [t for t in tags if s0 <= t.start < s1]
            mobil = [t for t in inside if t.label == "dynamiek:mobilisatie"]
            demo = [t for t in inside if t.label == "scenario:evenement"]
            iso = named[0][2]
            if mobil:
                result.extend(Tag(t.tag_set, t.key, t.text, t.start, t.end, t.score, iso, t.ref) for t in mobil)
            elif demo and _ANNOUNCED.search(sentence.group(0)):
                t = demo[0]
                result.append(Tag("dynamiek", "mobilisatie", t.text, t.start, t.end, 1.0, iso, "004 Bijlage 2.2"))
        return result


def _longest_per_key(tags: list[Tag]) -> list[Tag]:
    """Within one tag_set/key, overlapping matches count once (the longest; a dated one wins)."""
    ordered = sorted(tags, key=lambda t: (t.tag_set, t.key, t.start, -(t.end - t.start), t.value is None))
    kept: list[Tag] = []
    for tag in ordered:
        last = kept[-1] if kept else None
        if last is not None and last.label == tag.label and tag.start < last.end:
            if tag.value is not None and last.value is None:
                kept[-1] = Tag(last.tag_set, last.key, last.text, last.start, last.end, last.score, tag.value, last.ref)
            continue
        kept.append(tag)
    return kept


def net_polarity(tags: Iterable[Tag], threshold: float = 0.3) -> str | None:
    """The item's overall tone from its polarity tags: 'negatief', 'positief' or None."""
    total = sum(t.score if t.key == "positief" else -t.score for t in tags if t.tag_set == "polarity")
    if total <= -threshold:
        return "negatief"
    if total >= threshold:
        return "positief"
    return None


def build_tagger(extra_lexicon_dirs: Sequence[Path] = (), prefer_pretrained: bool = True) -> Tagger:
    directories = (lexicons.LEXICON_DIR, *extra_lexicon_dirs)
    nlp, model = load_nlp(prefer_pretrained)
    return Tagger(
        nlp,
        model,
        lexicons.load_terms(directories),
        lexicons.load_combinations(),
        lexicons.load_modifiers(),
        lexicons.load_municipalities(),
        lexicons.fingerprint(lexicons.data_files(directories)),
    )


@lru_cache(maxsize=4)
def load_tagger(extra_lexicon_dirs: tuple[Path, ...] = ()) -> Tagger:
    """The process's tagger (building it compiles ~5,000 patterns: about a second)."""
    return build_tagger(extra_lexicon_dirs)
