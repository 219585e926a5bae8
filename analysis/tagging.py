"""Dutch rule tagging: scenario, phase, dynamiek, emotion, polarity, claim, actor, place, person,
language. Pure: text in, Tag records out; the lexicons live in data/lexicons.

Matching layers: spaCy PhraseMatchers on LEMMA (inflection: "bedreigd", "Bedreigde" ->
bedreigen) and LOWER (fixed forms); Dutch compounds per word form, cached (stems at word starts
such as "brandsticht", parts inside words such as "verkracht" in "groepsverkrachting", each with
guarded exceptions such as "brandweer"); case-sensitive acronyms ("OM", "ME"); and phrase
regexes from the lexicon files, tried only where their opening word stands.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from spacy.attrs import IDX, LENGTH, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analysis import lexicons
from analysis.classifier import JUDGED_SETS, Item, TagModel, firm_labels
from analysis.dates import find_dates, find_relative_dates
from analysis.language import detect_language
from analysis.lexicons import Combination, Municipality, Term
from analysis.nlp import load_nlp, spacy_safe
from analysis.persons import find_person_names
from analysis.places import PlaceFinder, find_extra_places
from analysis.reading import TONE_THRESHOLD, net_tone
from analysis.regex_literals import required_literals, starts_at_word
from analysis.tags import Tag

__all__ = ["Tag", "Tagger", "build_tagger", "load_tagger", "net_polarity"]

# Bump when matching code changes; lexicon changes are caught by the data fingerprint.
CODE_VERSION = "3"
# Emotion tags whose intensity a negation pushed below this are dropped.
MIN_SCORE = 0.25
# Claim markers at least this strong are explicit (an official source confirms).
STRONG = 0.8
# Rumour markers weaker than this (a bare hedge: "zou ... hebben") yield to a fact marker.
WEAK_RUMOUR = 0.7
_NOUN_CAPITALISING = frozenset({"de"})  # languages whose nouns look like names
_NEGATIONS = frozenset({"niet", "geen", "nooit", "allerminst", "nauwelijks", "niets", "niemand"})
_WORD = re.compile(r"[\w'-]+")
# "geen rellen", "zonder ongeregeldheden", "niet bedreigd": a negated phase marker is none.
_NEGATED = frozenset({"geen", "zonder", "niet", "nooit", "nauwelijks"})
_NEGATION_REACH = 2
# Characters before a marker that hold its two words before (the substring pre-check).
_NEGATION_WINDOW = 40
# A rumour called untrue or asked to stop: a refutation, not a rumour being spread.
_DENIAL = re.compile(
    r"\b(?:onjuist|onwaar|klopt\s+niet|klopte\s+niet|niet\s+klopt|niet\s+waar|ontkracht\w*|ontken\w*|"
    r"onzin|nepnieuws|fake\s+news|(?:stop|stoppen)\s+met\s+(?:\w+\s+)?(?:geruchten|speculeren|speculaties)|"
    r"geen\s+sprake\s+van|berust\s+niet\s+op\s+waarheid)\b",
    re.IGNORECASE,
)
# Tag sets that show an item is about an incident.
_INCIDENT_SETS = frozenset({"scenario", "phase"})
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
# Announcements that make a demonstration a mobilisation (and give its date a meaning).
_ANNOUNCED = re.compile(
    r"\b(?:aangekondigd\w*|gepland\w*|wil\w*|gaan|gaat|zal|zullen|komende?|volgende|oproep\w*|opgeroepen)\b",
    re.IGNORECASE,
)


# Disorder that is only feared ("vrees voor rellen") is fase 2; disorder to be prevented or
# rehearsed ("om ongeregeldheden te voorkomen", "oefenrellen") is no phase (LABELLING.md §2 rule 4).
_HAPPENING = frozenset({"onrust", "escalatie"})
_HEDGE_WINDOW = 60
_FEARED = re.compile(
    r"\b(?:vrees|vreest|vrezen|vreesde|vreesden|angst|bang|beducht|risico|kans|dreig\w*|waarschuw\w*)\s+"
    r"(?:\w+\s+){0,3}?(?:voor|op|dat)\b", re.IGNORECASE,
)
_PREVENTED = re.compile(
    r"\b(?:voorkom\w*|te\s+voorkomen|oefen\w*|(?:niet|geen)\s+(?:\w+\s+){0,2}garander\w*)\b", re.IGNORECASE
)


def _hedge_before(text: str, start: int) -> str | None:
    """'prevented' or 'feared' when such a cue stands before a marker in its own sentence (an
    exercise anywhere in it: "ME oefent rellen")."""
    before = text[max(0, start - _HEDGE_WINDOW):start]
    before = re.split(r"[.!?\n]", before)[-1]
    after = re.split(r"[.!?\n]", text[start:start + _HEDGE_WINDOW])[0]
    if _PREVENTED.search(before) or "oefen" in (before + after).lower():
        return "prevented"
    if _FEARED.search(before):
        return "feared"
    return None


# The evenement words an announcement turns into a mobilisation (a match or a kermis is no call).
_DEMONSTRATION = re.compile(r"demonstr|protest|betog|mars|tocht|manifest|actie|blokk|bezet", re.IGNORECASE)

_WORD_CACHE_SIZE = 200_000  # word forms with their stem and regex hits
_SELECTIVE = 4  # opening words this long are filter enough for their regex
_HEAD = 3  # stems are at least this long; a word whose first letters start no stem is skipped


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
        tone_rules: dict[str, tuple[str, float]] | None = None,
        judge: TagModel | None = None,
    ) -> None:
        self.nlp = nlp
        # None only while training the model itself (devtools/train_tags.py): rules alone.
        self.judge = judge
        self.terms = tuple(terms)
        self.combinations = tuple(combinations)
        self.modifiers = modifiers
        self.tone_rules = tone_rules or {}
        self._tone_sets = frozenset(label.split(":")[0] for label in self.tone_rules)
        self.places = PlaceFinder(municipalities)
        judged = f"-m{judge.digest}" if judge is not None else "-rules"
        self.version = f"tagger-{CODE_VERSION}-{data_hash}-{model}{judged}"
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_kind: dict[str, list[tuple[int, str]]] = {k: [] for k in lexicons.MATCH_KINDS}
        for index, term in enumerate(self.terms):
            by_kind[term.match].append((index, term.term))
        lemma_texts = [t for _, t in by_kind["lemma"]]
        for (index, _), doc in zip(by_kind["lemma"], nlp.pipe(lemma_texts), strict=True):
            self._lemma.add(str(index), [doc])
        for index, text in by_kind["word"]:
            self._lower.add(str(index), [nlp.make_doc(text)])
        # Compounds: stems at word starts (dict lookup on the word's first letters) and parts
        # inside words (substring search); a big regex alternation is 30x slower here.
        self._prefix: dict[str, list[int]] = {}
        for index, text in by_kind["prefix"]:
            self._prefix.setdefault(text.lower(), []).append(index)
        by_head: dict[str, list[str]] = {}
        for stem in sorted(self._prefix, key=len, reverse=True):
            by_head.setdefault(stem[:_HEAD], []).append(stem)
        self._prefix_heads = {head: tuple(stems) for head, stems in by_head.items()}
        self._infix = [(text.lower(), index) for index, text in by_kind["infix"]]
        self._word_cache: dict[int, tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]] = {}
        self._exact = [
            (text, index, re.compile(r"(?<![\w])" + re.escape(text) + r"(?![\w])"))
            for index, text in by_kind["exact"]
        ]
        self._regexes = []
        for index, text in by_kind["regex"]:
            heads, literals = required_literals(text)
            # Selective opening words (4+ letters) are filter enough; short ones ("om", "zou")
            # occur everywhere, so such a regex also needs one of its required strings first.
            if heads is not None and literals and min(len(h) for h in heads) >= _SELECTIVE:
                literals = None
            self._regexes.append((
                index, re.compile(text, re.IGNORECASE), heads, frozenset(literals) if literals else None,
                starts_at_word(text),
            ))
        # Regexes that open with \b and literal words are tried only at words starting with one
        # of those (looked up once per word form, like the stems); the rest scan the text.
        self._regex_heads: dict[str, list[tuple[str, int]]] = {}
        self._scanned: list[int] = []
        for position, (_, _, heads, _, at_word) in enumerate(self._regexes):
            if at_word and heads and min(len(h) for h in heads) >= 2:
                for first in {h.split(" ")[0] for h in heads}:
                    self._regex_heads.setdefault(first[:2], []).append((first, position))
            else:
                self._scanned.append(position)

    # -- public API -------------------------------------------------------------------------

    def tag(
        self, text: str, *, extra_places: Sequence[str] = (), involved: Sequence[str] = (),
        today: date | None = None,
    ) -> list[Tag]:
        text = spacy_safe(text)
        doc = self.nlp(text)
        return self._judged([(doc, text, *self._tag_doc(doc, text, extra_places, involved, today))])[0]

    def tag_many(
        self, texts: Iterable[str], *, extra_places: Sequence[str] = (), involved: Sequence[str] = (),
        today: date | None = None, batch_size: int = 256,
    ) -> list[list[Tag]]:
        texts = [spacy_safe(t) for t in texts]
        result: list[list[Tag]] = []
        batch = []
        for doc, text in zip(self.nlp.pipe(texts, batch_size=batch_size), texts, strict=True):
            batch.append((doc, text, *self._tag_doc(doc, text, extra_places, involved, today)))
            if len(batch) == batch_size:
                result.extend(self._judged(batch))
                batch = []
        result.extend(self._judged(batch))
        return result

    def rule_findings(self, texts: Sequence[str]) -> list[tuple[Doc, str, list[Tag], frozenset[str]]]:
        """Per text its doc, the rules' tags and every lexicon label matched (also gated ones):
        what the model is trained on."""
        texts = [spacy_safe(t) for t in texts]
        return [(doc, text, *self._tag_doc(doc, text, (), (), None))
                for doc, text in zip(self.nlp.pipe(texts), texts, strict=True)]

    def _judged(self, batch: Sequence[tuple[Doc, str, list[Tag], frozenset[str]]]) -> list[list[Tag]]:
        """The model's verdict on a batch of rule results: one matrix product for all items."""
        judge = self.judge
        if judge is None or not batch:
            return [tags for _, _, tags, _ in batch]
        items = [
            Item(judge.tokens(doc, [(t.start, t.end) for t in tags if t.tag_set == "person"]),
                 frozenset(t.label for t in tags if t.tag_set in JUDGED_SETS), terms, firm_labels(tags))
            for doc, _, tags, terms in batch
        ]
        x = judge.matrix(items)
        probabilities = judge.probabilities(x)
        return [
            _drop_unmarked_facts(text, tags, judge.judge(tags, item, x, i, p, text))
            for i, ((_, text, tags, _), item, p) in enumerate(zip(batch, items, probabilities, strict=True))
        ]

    # -- matching ---------------------------------------------------------------------------

    def _raw_matches(self, doc: Doc, text: str) -> list[tuple[int, int, int]]:
        """(term index, start char, end char) from every layer."""
        strings = self.nlp.vocab.strings
        lower = text.lower()
        found = []
        for matcher in (self._lemma, self._lower):
            for match_id, s, e in matcher(doc):
                span = doc[s:e]
                found.append((int(strings[match_id]), span.start_char, span.end_char))
        # Stems and regex openings per word form, computed once per form and cached.
        cache = self._word_cache
        tries: set[tuple[int, int]] = set()
        for lower_id, idx, length in doc.to_array([LOWER, IDX, LENGTH]).tolist():
            hits = cache.get(lower_id)
            if hits is None:
                if len(cache) > _WORD_CACHE_SIZE:
                    cache.clear()  # a long-running server meets ever new word forms
                hits = cache[lower_id] = self._word_hits(strings[lower_id])
            stems, openings = hits
            for index, offset in stems:
                found.append((index, idx + offset, idx + length))
            for position, offset in openings:
                tries.add((position, idx + offset))
        for literal, index, pattern in self._exact:
            if literal in text:
                found.extend((index, m.start(), m.end()) for m in pattern.finditer(text))
        found.extend(self._regex_matches(text, lower, tries))
        return found

    def _regex_matches(self, text: str, lower: str, tries: set[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """Regex terms: tried at their word openings (`tries`), or scanned over the text; a regex
        whose required strings are all absent is skipped."""
        found = []
        skipped: dict[int, bool] = {}  # per regex: a word form opens it at many places in one text
        contains = lower.__contains__  # a substring test in C beats remembering its answer

        regexes = self._regexes
        for position, at in sorted(tries):
            skip = skipped.get(position)
            if skip is None:
                literals = regexes[position][3]
                skip = skipped[position] = literals is not None and not any(map(contains, literals))
            if skip:
                continue
            index, pattern = regexes[position][:2]
            m = pattern.match(text, at)
            if m is not None:
                found.append((index, m.start(), m.end()))
        for position in self._scanned:
            index, pattern, heads, literals, at_word = regexes[position]
            if literals is not None and not any(map(contains, literals)):
                continue
            found.extend((index, m.start(), m.end()) for m in pattern.finditer(text))
        return found

    def _word_hits(self, word: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
        """For one lower-case word form: (term index, offset) of prefix stems at its start or after
        a hyphen ("oud-wethouder") and of infix stems anywhere in it ("groepsverkrachting"), and
        (regex position, offset) of regexes whose opening word starts there."""
        stems: list[tuple[int, int]] = []
        openings: list[tuple[int, int]] = []
        starts = [0] + [i + 1 for i, c in enumerate(word) if c == "-"]
        for offset in starts:
            part = word[offset:]
            for stem in self._prefix_heads.get(part[:_HEAD], ()):
                if part.startswith(stem):
                    stems.extend(
                        (index, offset) for index in self._prefix[stem]
                        if not any(x in part for x in self.terms[index].exclude)
                    )
            for first, position in self._regex_heads.get(part[:2], ()):
                if part.startswith(first):
                    openings.append((position, offset))
        for stem, index in self._infix:
            if stem in word and not any(x in word for x in self.terms[index].exclude):
                stems.append((index, 0))
        return tuple(stems), tuple(openings)

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
        elif term.tag_set == "polarity" and self._negated(text, start, _NEGATIONS):
            key = "positief" if key == "negatief" else "negatief"
            score = round(score * 0.3, 2)  # "niet slecht" is weaker than "goed"
        return Tag(term.tag_set, key, text[start:end], start, end, score, None, term.ref)

    def _tag_doc(
        self, doc: Doc, text: str, extra_places: Sequence[str], involved: Sequence[str], today: date | None
    ) -> tuple[list[Tag], frozenset[str]]:
        """The rules' tags and the labels of every lexicon term matched (the model's features)."""
        matches = self._raw_matches(doc, text)
        terms = self.terms
        matched = frozenset(f"{terms[i].tag_set}:{terms[i].key}" for i, _, _ in matches)
        tags, needs_incident = self._gated_tags(text, matches)
        # "geen paniek", "niet bang": a negated emotion is no emotion.
        tags = [t for t in tags if t.tag_set != "emotion" or t.score >= MIN_SCORE]
        tags = _drop_nested_phases(_longest_per_key(tags))
        tags = _resolve_debunks(text, _drop_weak_facts(text, _drop_weak_rumours(tags)))
        if any(t.tag_set in _INCIDENT_SETS for t in tags):
            tags.extend(needs_incident)
        tags.extend(self._combined(tags))
        tags.extend(self._implied_tone(tags))
        tags.extend(self._mobilisation_dates(text, tags, today))
        for start, end, place in self.places.find(text):
            tags.append(Tag("place", place.name, text[start:end], start, end, 1.0, place.province))
        for start, end, name in find_extra_places(text, extra_places):
            tags.append(Tag("place", name, text[start:end], start, end, 1.0, "wijk"))
        language = detect_language(text)
        if language is not None:
            tags.append(Tag("language", language, text, 0, len(text)))
        places = [(t.start, t.end, t.value == "wijk") for t in tags if t.tag_set == "place"]
        tags.extend(
            t for t in find_person_names(text, involved=involved, detect=language not in _NOUN_CAPITALISING)
            if t.key != "persoon" or not _inside_place(t, places)
        )
        # A capitalised place or name ("Best", "Roos") carries no tone, nor does an adjective in an
        # organisation's name ("Veilig Thuis").
        proper = [(t.start, t.end) for t in tags if t.tag_set in {"place", "person"}]
        named = [(t.start, t.end) for t in tags if t.tag_set == "actor"]
        tags = [
            t for t in tags
            if t.tag_set != "polarity" or not (
                any(s <= t.start < e for s, e in proper)
                or t.ref == "PDDL" and any(s <= t.start < e for s, e in named)
            )
        ]
        return sorted(_longest_per_key(tags), key=lambda t: (t.start, t.tag_set, t.key, -t.end)), matched

    def _gated_tags(
        self, text: str, matches: Sequence[tuple[int, int, int]]
    ) -> tuple[list[Tag], list[Tag]]:
        """Tags from raw matches, minus what lacks the context it needs: a public-order cue for
        markers such as "vernielingen" (a single crime or fire is a scenario, not a phase, 004
        §1.3), and no phase marker under a negation ("geen rellen"). Context cues themselves are
        no output; the cue that let a marker through is kept in its value, so it shows why.
        Second: the tags that count only beside an incident tag (politisering, 004 §1.2:
        politics reacting to an incident, not "kabinet wil uitkeringen verlagen")."""
        terms = self.terms
        cues: list[tuple[int, int]] | None = None  # built at the first marker that needs one
        calamities: list[tuple[int, int]] = []
        tags: list[Tag] = []
        needs_incident: list[Tag] = []
        for index, start, end in matches:
            term = terms[index]
            if term.tag_set == "context":
                continue
            if term.tag_set == "phase" and term.key != "terugkeer" and self._negated(text, start):
                continue
            tag = self._term_tag(term, text, start, end)
            if term.tag_set == "phase" and term.key in _HAPPENING:
                hedge = _hedge_before(text, start)
                if hedge == "prevented":
                    continue
                if hedge == "feared":
                    tag = tag._replace(key="dreigend", value="gevreesd", ref="004 §1.3 fase 2")
            if term.needs in {"context", "order"}:
                if cues is None:
                    cues = [(s, e) for i, s, e in matches
                            if terms[i].tag_set == "context" and terms[i].key != lexicons.CALAMITY
                            or terms[i].tag_set == "phase" and terms[i].needs in {"", "order"}]
                    calamities = [(s, e) for i, s, e in matches
                                  if terms[i].tag_set == "context" and terms[i].key == lexicons.CALAMITY]
                cue = next((c for c in cues if not (c[0] < end and start < c[1])), None)
                if cue is not None:
                    tag = tag._replace(value=f"context: {text[cue[0]:cue[1]]}")
                elif term.needs == "context" or calamities:
                    continue
            (needs_incident if term.needs == "incident" else tags).append(tag)
        return tags, needs_incident

    def _negated(self, text: str, start: int, negations: frozenset[str] = _NEGATED) -> bool:
        """A negation among the two words before a term; the substring test first, because
        most terms have none and the word split is the slow part."""
        before = text[max(0, start - _NEGATION_WINDOW):start].lower()
        if not any(word in before for word in negations):
            return False
        return bool(negations.intersection(self._words_before(text, start, _NEGATION_REACH)))

    def _implied_tone(self, tags: list[Tag]) -> list[Tag]:
        """Polarity implied by calamity, phase and emotion tags where no polar word stands."""
        polar = {(t.start, t.end) for t in tags if t.tag_set == "polarity"}
        result = []
        rules = self.tone_rules
        for tag in tags:
            if tag.tag_set not in self._tone_sets:
                continue
            rule = rules.get(tag.label) or rules.get(f"{tag.tag_set}:*")
            if rule is None or rule[1] <= 0 or (tag.start, tag.end) in polar:
                continue
            result.append(Tag("polarity", rule[0], tag.text, tag.start, tag.end, rule[1], None, tag.label))
            polar.add((tag.start, tag.end))
        return result

    def _combined(self, tags: list[Tag]) -> list[Tag]:
        labels: dict[str, Tag] = {}
        for tag in sorted(tags, key=lambda t: -t.score):
            labels.setdefault(tag.label, tag)
        result = []
        for combo in self.combinations:
            first = next(
                (labels[x] for x in combo.when_any if x in labels and labels[x].score >= combo.min_score), None
            )
            if first is not None and any(x in labels for x in combo.and_any):
                result.append(Tag(combo.tag_set, combo.key, first.text, first.start, first.end, 1.0, None, combo.ref))
        return result

    def _mobilisation_dates(self, text: str, tags: list[Tag], today: date | None) -> list[Tag]:
        """A mobilisation or an announced demonstration gets the date named in its sentence: an
        explicit one, else a day named relative to the item's own day ("komende zaterdag",
        "morgenavond") when that day is given and the sentence names only one such day."""
        if not any(t.label in {"dynamiek:mobilisatie", "scenario:evenement"} for t in tags):
            return []
        dates = find_dates(text, today or date.today())
        relative = find_relative_dates(text, today) if today is not None else []
        if not dates and not relative:
            return []
        result: list[Tag] = []
        for sentence in _SENTENCE.finditer(text):
            s0, s1 = sentence.span()
            named = [d for d in dates if s0 <= d[0] < s1]
            if not named:
                days = {d[2] for d in relative if s0 <= d[0] < s1}
                named = [(s0, s0, days.pop())] if len(days) == 1 else []
            if not named:
                continue
            inside = [t for t in tags if s0 <= t.start < s1]
            mobil = [t for t in inside if t.label == "dynamiek:mobilisatie"]
            demo = [t for t in inside if t.label == "scenario:evenement" and _DEMONSTRATION.search(t.text)]
            iso = named[0][2]
            if mobil:
                result.extend(Tag(t.tag_set, t.key, t.text, t.start, t.end, t.score, iso, t.ref) for t in mobil)
            elif demo and _ANNOUNCED.search(sentence.group(0)):
                t = demo[0]
                result.append(Tag("dynamiek", "mobilisatie", t.text, t.start, t.end, 1.0, iso, "004 Bijlage 2.2"))
        return result


def _inside_place(tag: Tag, places: Sequence[tuple[int, int, bool]]) -> bool:
    """A detected name that is (part of) a place is no person: a municipality's name, or any
    overlap with a neighbourhood the user registered ("Wordt Kolkhoek ...?")."""
    return any(
        s <= tag.start and tag.end <= e or user_added and tag.start < e and s < tag.end
        for s, e, user_added in places
    )


def _longest_per_key(tags: list[Tag]) -> list[Tag]:
    """Within one tag_set/key, overlapping matches count once (the longest; a dated one wins)."""
    ordered = sorted(tags, key=lambda t: (t.tag_set, t.key, t.start, -(t.end - t.start), t.value is None))
    kept: list[Tag] = []
    for tag in ordered:
        last = kept[-1] if kept else None
        if last is not None and last.key == tag.key and last.tag_set == tag.tag_set and tag.start < last.end:
            if tag.value is not None and last.value is None:
                kept[-1] = Tag(last.tag_set, last.key, last.text, last.start, last.end, last.score, tag.value, last.ref)
            continue
        kept.append(tag)
    return kept


def _drop_nested_phases(tags: list[Tag]) -> list[Tag]:
    """Phases exclude each other per phrase: "onrust" in "dreigende onrust" is fase 2 only, and
    "noodverordening" in "noodverordening ingetrokken" is fase 5. A marker in the middle of a
    longer phrase ("gaat na rellen weer over tot de orde van de dag") still counts."""
    phases = [t for t in tags if t.tag_set == "phase"]
    return [
        t for t in tags
        if t.tag_set != "phase" or not any(
            o.key != t.key and o.start <= t.start and t.end <= o.end
            and (o.end - o.start) > (t.end - t.start) and (o.start == t.start or o.end == t.end)
            for o in phases
        )
    ]


def _sentences(text: str) -> tuple[list[tuple[int, int]], Callable[[int], int]]:
    """The sentence spans of a text and a lookup from a character position to its sentence
    (-1 outside every sentence): claims are judged per sentence."""
    spans = [m.span() for m in _SENTENCE.finditer(text)]

    def sentence(pos: int) -> int:
        return next((i for i, (s, e) in enumerate(spans) if s <= pos < e), -1)

    return spans, sentence


def _drop_weak_facts(text: str, tags: list[Tag], below: float = STRONG) -> list[Tag]:
    """A weak fact marker ("veroordeeld") in a sentence that is hearsay ("naar verluidt zou")
    is part of the rumour, not a confirmation."""
    rumours = [t for t in tags if t.label == "claim:gerucht"]
    if not rumours:
        return tags
    spans, sentence = _sentences(text)
    hearsay = {sentence(t.start) for t in rumours}
    return [
        t for t in tags
        if not (t.label == "claim:feit" and t.score < below and sentence(t.start) in hearsay)
    ]


def _drop_unmarked_facts(text: str, rules: list[Tag], judged: list[Tag]) -> list[Tag]:
    """A fact the model adds without any fact marker, in a sentence the rules read as hearsay
    ("politie wil niet bevestigen dat ..."), is part of the rumour: weaker than any marker, so it
    goes whatever its probability."""
    if any(t.label == "claim:feit" for t in rules):
        return judged
    return _drop_weak_facts(text, judged, below=math.inf)


def _drop_weak_rumours(tags: list[Tag]) -> list[Tag]:
    """A weak hearsay marker ("zou ... hebben mishandeld") beside an official source or a court
    (a fact marker) is the formal wording of a charge, not a rumour (LABELLING.md §6: a suspect's
    formal status is no rumour)."""
    if not any(t.label == "claim:feit" for t in tags):
        return tags
    return [t for t in tags if not (t.label == "claim:gerucht" and t.score < WEAK_RUMOUR)]


def _resolve_debunks(text: str, tags: list[Tag]) -> list[Tag]:
    """A rumour an authority refutes in the same sentence ("OM: gerucht over vrijlating was
    onjuist", "stop met die geruchten, zegt de burgemeester") stays a reported rumour beside the
    fact (data/eval/LABELLING.md), but both carry 'ontkracht' in their value, so the
    omgevingsbeeld lists it as refuted and never as an open rumour or a call (004 §3.1)."""
    if not _DENIAL.search(text) or not any(t.label == "claim:gerucht" for t in tags):
        return tags
    spans, sentence = _sentences(text)
    denied = {i for i, (s, e) in enumerate(spans) if _DENIAL.search(text, s, e)}

    # Only an authority's denial (a fact marker in that sentence) refutes; "'dat is nepnieuws', zegt
    # een buurman" leaves the rumour open.
    refuting = {sentence(t.start) for t in tags if t.label == "claim:feit"} & denied
    return [
        t._replace(value="ontkracht") if t.tag_set == "claim" and sentence(t.start) in refuting else t
        for t in tags
    ]


def net_polarity(tags: Iterable[Tag], threshold: float = TONE_THRESHOLD) -> str | None:
    """The item's overall tone from its polarity tags: 'negatief', 'positief' or None (the same
    rule as the page's resolved reading, analysis.reading)."""
    return net_tone(((t.key, t.score) for t in tags if t.tag_set == "polarity"), threshold)


def build_tagger(
    extra_lexicon_dirs: Sequence[Path] = (), prefer_pretrained: bool = True, judged: bool = True
) -> Tagger:
    """judged=False (rules alone) is for training the model; everything else gets the shipped model,
    and a missing model file is an error, not a quieter tagger."""
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
        lexicons.load_tone_rules(),
        TagModel.load(nlp.vocab.strings) if judged else None,
    )


@lru_cache(maxsize=4)
def load_tagger(extra_lexicon_dirs: tuple[Path, ...] = ()) -> Tagger:
    """The process's tagger; building it (spaCy, ~4,000 lexicon patterns) takes a few seconds.

    It lives as long as the process, so its objects (spaCy's vocabulary, the matchers, the model)
    are moved out of the garbage collector's view (gc.freeze): otherwise every full collection
    during tagging walks them again, which cost a quarter of `onrust bench tag`."""
    tagger = build_tagger(extra_lexicon_dirs)
    gc.collect()
    gc.freeze()
    return tagger
