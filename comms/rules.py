"""Rule checks for press texts: involved names, missing fields and the seed's do's and don'ts.

Patterns, severities, seed references and suggestions live in data/press_rules.toml. Matching
ignores case and diacritics ("Geïnformeerd" = "geinformeerd") and works on whole words, so
"zou" never fires inside "Zoutkamp"; offsets always point into the original text.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from analysis.persons import find_person_names
from comms.press import PressFields, load_config, sentences
from onrust.models import Finding, InvolvedPerson, Severity
from onrust.paths import DATA_DIR
from onrust.text import fold

RULES_FILE = DATA_DIR / "press_rules.toml"

SEVERITY_ORDER: dict[str, int] = {"blokkerend": 0, "waarschuwing": 1, "hint": 2}
ROLES = ("slachtoffer", "verdachte", "betrokkene", "verwant")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    label: str
    why: str
    ref: str
    suggestion: str
    builtin: bool = False
    patterns: tuple[re.Pattern[str], ...] = ()
    requires_sentence: tuple[re.Pattern[str], ...] = ()
    unless_sentence: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    when: str | None = None


@dataclass(frozen=True, slots=True)
class RuleBook:
    rules: tuple[Rule, ...]
    tussenvoegsels: frozenset[str]
    titles: frozenset[str]

    def get(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def _word(pattern: str) -> re.Pattern[str]:
    # "dader- en slachtofferschap" is one elided compound, not the word "dader".
    return re.compile(rf"(?<![\w]){pattern}(?![\w]|-\s)", re.IGNORECASE)


@cache
def load_rules(path: Path = RULES_FILE) -> RuleBook:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    rules = []
    for r in raw["rules"]:
        if r["severity"] not in SEVERITY_ORDER:
            raise ValueError(f"{path.name}: regel {r['id']} heeft onbekende ernst {r['severity']}")
        rules.append(
            Rule(
                id=r["id"], severity=r["severity"], label=r["label"], why=r["why"], ref=r["ref"],
                suggestion=r["suggestion"], builtin=r.get("builtin", False), when=r.get("when"),
                patterns=tuple(_word(p) for p in r.get("patterns", ())),
                requires_sentence=tuple(_word(p) for p in r.get("requires_sentence", ())),
                unless_sentence=tuple(_word(p) for p in r.get("unless_sentence", ())),
                exclude=tuple(_word(p) for p in r.get("exclude", ())),
            )
        )
    names = raw["names"]
    return RuleBook(
        rules=tuple(rules),
        tussenvoegsels=frozenset(t.lower() for t in names["tussenvoegsels"]),
        titles=frozenset(t.lower() for t in names["titles"]),
    )


def _finding(rule: Rule, text: str, start: int, end: int, where: str, why: str | None = None) -> Finding:
    return Finding(
        rule=rule.id, severity=rule.severity, label=rule.label,
        start=start, end=end, passage=text[start:end], why=rule.why if why is None else why,
        ref=rule.ref, suggestion=rule.suggestion, where=where,
    )


class _Claimed:
    """Character positions a finding already covers. An overlap test costs the length of the span,
    not the number of earlier findings: a long text has thousands, and every rule asks per match."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._marks = bytearray(size)
        for start, end in spans:
            self.claim(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        return self._marks.find(1, start, end) != -1

    def claim(self, start: int, end: int) -> None:
        self._marks[start:end] = b"\x01" * (end - start)


# -- involved names --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamePattern:
    kind: Literal["naam", "voornaam"]
    pattern: re.Pattern[str]
    needs_capital: bool  # the bare surname or first name must be written as a name, not a word


def _split_name(name: str, tussenvoegsels: frozenset[str]) -> tuple[list[str], list[str], list[str]]:
    """(first names, tussenvoegsels, surname) of 'Mark de Vries' or 'Vries, Mark de'."""
    name = fold(" ".join(name.split())).text
    if "," in name:
        surname, _, rest = name.partition(",")
        rest_tokens = rest.split()
        prefix: list[str] = []
        while rest_tokens and rest_tokens[-1].lower() in tussenvoegsels:
            prefix.insert(0, rest_tokens.pop())
        return rest_tokens, prefix, surname.split()
    tokens = name.split()
    if len(tokens) == 1:
        return [], [], tokens
    start = 0 if tokens[0].lower() in tussenvoegsels else 1
    for i in range(start, len(tokens)):
        if tokens[i].lower() in tussenvoegsels:
            j = i
            while j < len(tokens) - 1 and tokens[j].lower() in tussenvoegsels:
                j += 1
            return tokens[:i], tokens[i:j], tokens[j:]
    return tokens[:-1], [], tokens[-1:]


def _seq(tokens: Iterable[str]) -> str:
    return r"\s+".join(re.escape(t) for t in tokens)


def name_patterns(name: str, book: RuleBook | None = None) -> list[NamePattern]:
    """Exact and variant spellings: 'Mark de Vries', 'M. de Vries', 'Mark de V.', 'De Vries', 'Mark'."""
    book = book or load_rules()
    first, prefix, surname = _split_name(name, book.tussenvoegsels)
    if not surname:
        return []
    tail = _seq(prefix + surname)
    initial_tail = (_seq(prefix) + r"\s+" if prefix else "") + re.escape(surname[0][0]) + r"\.?"
    full: list[str] = []
    if first:
        roep = re.escape(first[0])
        full += [
            _seq(first + prefix + surname),
            rf"{roep}\s+{tail}",
            # M. de Vries, M de Vries, M.J. de Vries
            rf"{re.escape(first[0][0])}\.?(?:\s*[A-Za-z]\.)*\s*{tail}",
            rf"{roep}\s+{initial_tail}(?!\w)",  # Mark de V.
        ]
        if prefix:
            full.append(rf"{roep}\s+{re.escape(surname[0][0])}\.(?!\w)")  # Mark V.
    out = [NamePattern("naam", _name_re(p), False) for p in full]
    # The surname alone (with its tussenvoegsel) and the first name alone only count when written
    # with a capital: 'Bakker' may be the victim, 'de bakker op de hoek' is a trade.
    out.append(NamePattern("naam", _name_re(tail), True))
    if first:
        out.append(NamePattern("voornaam", _name_re(re.escape(first[0])), True))
    return out


def _name_re(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){pattern}(?:['’]?s)?(?![\w])", re.IGNORECASE)


def _capitalised(original: str) -> bool:
    """The name part (after any tussenvoegsel) starts with a capital, as names do."""
    words = original.split()
    return any(w[:1].isupper() for w in words[-1:]) if words else False


def find_involved(
    text: str, involved: Sequence[InvolvedPerson], *, where: str = "", book: RuleBook | None = None
) -> list[Finding]:
    """Blocking findings for registered names, independent of any name detector's heuristics."""
    book = book or load_rules()
    folded = fold(text)
    blocking, first_only = book.get("betrokkene_naam"), book.get("betrokkene_voornaam")
    taken = _Claimed(len(text))
    out: list[Finding] = []
    for kind in ("naam", "voornaam"):  # full and surname spans first; a first name inside one is not reported twice
        for person in involved:
            for np in name_patterns(person.name, book):
                if np.kind != kind:
                    continue
                for m in np.pattern.finditer(folded.text):
                    start, end = folded.span(m.start(), m.end())
                    if np.needs_capital and not _capitalised(text[start:end]):
                        continue
                    if taken.overlaps(start, end):
                        continue
                    taken.claim(start, end)
                    rule = blocking if kind == "naam" else first_only
                    why = f"{rule.why} Geregistreerd als {person.role}."
                    out.append(_finding(rule, text, start, end, where, why=why))
    return sorted(out, key=lambda f: f.start)


# -- other person names (tagging helper's detector) --------------------------------------------

PersonFinder = Callable[..., Sequence[Any]]


def find_other_names(
    text: str,
    involved: Sequence[InvolvedPerson],
    *,
    allowed: Sequence[str] = (),
    taken: Sequence[tuple[int, int]] = (),
    where: str = "",
    finder: PersonFinder | None = None,
    book: RuleBook | None = None,
) -> list[Finding]:
    """Warnings for names the detector finds that are not spokespeople or officials in function."""
    book = book or load_rules()
    finder = finder or find_person_names
    rule, blocking = book.get("persoonsnaam"), book.get("betrokkene_naam")
    allowed_folded = [fold(a).text.lower() for a in allowed if a.strip()]
    claimed = _Claimed(len(text), taken)
    words = [m.span() for m in re.finditer(r"\S+", text)]  # once, for the word before each name
    word_starts = [start for start, _ in words]
    out = []
    for tag in finder(text, involved=tuple(p.name for p in involved)):
        start, end = tag.start, tag.end
        if claimed.overlaps(start, end):
            continue
        passage = re.compile(rf"(?<!\w){re.escape(fold(text[start:end]).text.lower())}(?!\w)")
        if any(passage.search(a) for a in allowed_folded):
            continue
        previous = bisect_left(word_starts, start) - 1  # the word before the name, as a title
        if previous >= 0:
            word_start, word_end = words[previous]
            if text[word_start:min(word_end, start)].lower().strip(",:") in book.titles:
                continue
        if tag.key == "betrokkene":  # the detector linked it to a registered name we missed
            out.append(_finding(blocking, text, start, end, where))
        else:
            out.append(_finding(rule, text, start, end, where))
    return out


# -- pattern rules ------------------------------------------------------------------------------


def _sentence_of(spans: Sequence[tuple[int, int]], starts: Sequence[int], pos: int) -> tuple[int, int]:
    """The sentence holding `pos`, found by bisection in the sorted spans (`starts` their starts)."""
    index = bisect_right(starts, pos) - 1
    if index >= 0 and pos < spans[index][1]:
        return spans[index]
    return pos, pos


def find_patterns(
    text: str, *, flags: Iterable[str] = (), where: str = "", book: RuleBook | None = None
) -> list[Finding]:
    book = book or load_rules()
    active = set(flags)
    folded = fold(text)
    spans = sentences(folded.text)
    starts = [start for start, _ in spans]
    out = []
    for rule in book.rules:
        if rule.builtin or (rule.when and rule.when not in active):
            continue
        # Spans of `exclude` phrases ("zo snel mogelijk") count as seen: no hit may overlap them.
        seen = _Claimed(len(folded.text), (m.span() for p in rule.exclude for m in p.finditer(folded.text)))
        for pattern in rule.patterns:
            for m in pattern.finditer(folded.text):
                if seen.overlaps(m.start(), m.end()):
                    continue
                s_start, s_end = _sentence_of(spans, starts, m.start())
                sentence = folded.text[s_start:s_end]
                if rule.requires_sentence and not any(p.search(sentence) for p in rule.requires_sentence):
                    continue
                if any(p.search(sentence) for p in rule.unless_sentence):
                    continue
                seen.claim(m.start(), m.end())
                start, end = folded.span(m.start(), m.end())
                out.append(_finding(rule, text, start, end, where))
    return out


def find_long_sentences(
    text: str, max_words: int, *, where: str = "", book: RuleBook | None = None
) -> list[Finding]:
    book = book or load_rules()
    rule = book.get("lange_zin")
    out = []
    for start, end in sentences(text):
        words = len(re.findall(r"\w+", text[start:end]))
        if words > max_words:
            why = f"{rule.why} Deze zin telt {words} woorden (richtlijn: hoogstens {max_words})."
            out.append(_finding(rule, text, start, end, where, why=why))
    return out


# -- whole texts and whole releases -------------------------------------------------------------


def _flags(strafrechtelijk: bool, strafzaak_fase: int) -> set[str]:
    """Which conditional rules apply. In fase 1 of a criminal case investigation details are
    blocking (secrecy, 004 Bijlage 4), which replaces the milder warning of the later phases."""
    if strafzaak_fase == 1:
        return {"strafzaak_fase1"}
    return {"strafrechtelijk"} if strafrechtelijk or strafzaak_fase in (2, 3) else set()


def check_text(
    text: str,
    *,
    involved: Sequence[InvolvedPerson] = (),
    allowed_names: Sequence[str] = (),
    strafrechtelijk: bool = False,
    strafzaak_fase: int = 0,
    max_sentence_words: int = 25,
    where: str = "",
    finder: PersonFinder | None = None,
) -> list[Finding]:
    """Every text rule on one text, most severe first, then in reading order."""
    book = load_rules()
    flags = _flags(strafrechtelijk or any(p.role == "verdachte" for p in involved), strafzaak_fase)
    names = find_involved(text, involved, where=where, book=book)
    taken = [(f.start, f.end) for f in names]
    out = names + find_other_names(
        text, involved, allowed=allowed_names, taken=taken, where=where, finder=finder, book=book
    )
    out += find_patterns(text, flags=flags, where=where, book=book)
    out += find_long_sentences(text, max_sentence_words, where=where, book=book)
    return sort_findings(out)


def check_fields(value: PressFields) -> list[Finding]:
    """Missing parts of a press message (000 Bijlage 6, punt 1-7); one finding per field group."""
    book = load_rules()
    rule = book.get("ontbrekend_veld")
    out: list[Finding] = []
    done: set[str] = set()
    specs = load_config().fields
    for spec in specs:
        group = spec.group or spec.key
        if group in done or not spec.missing:
            continue
        done.add(group)
        members = [s for s in specs if (s.group or s.key) == group]
        if any(getattr(value, s.key).strip() for s in members):
            continue
        label = rule.label if spec.missing == "blokkerend" else "Onderdeel ontbreekt"
        if len(members) > 1:
            label += " (" + " of ".join(s.label.lower() for s in members) + ")"
        out.append(
            Finding(
                rule=rule.id, severity=spec.missing, label=label,
                start=0, end=0, passage="", why=rule.why, ref=spec.ref,
                suggestion=f"{rule.suggestion} {spec.help}", where=spec.key,
            )
        )
    return out


def check_release(
    value: PressFields,
    *,
    involved: Sequence[InvolvedPerson] = (),
    places: Sequence[str] = (),
    max_sentence_words: int = 25,
    finder: PersonFinder | None = None,
) -> list[Finding]:
    """Missing fields plus every text rule on each filled field and each recorded answer.

    The spokespeople (boegbeeld, contact) and the place of the incident (`waar`, `places` such as
    the municipality) are named on purpose: the name detector's hits on them are not reported.
    """
    out = check_fields(value)
    allowed = [value.boegbeeld, value.contact_pers, value.waar, *places]
    texts = [(spec.key, getattr(value, spec.key)) for spec in load_config().fields]
    texts += [(f"antwoord:{a.ref}", a.answer) for a in value.addressed]
    for where, text in texts:
        if text.strip():
            out += check_text(
                text, involved=involved, allowed_names=allowed, strafrechtelijk=value.strafrechtelijk,
                strafzaak_fase=value.strafzaak_fase, max_sentence_words=max_sentence_words, where=where,
                finder=finder,
            )
    return sort_findings(out)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.where, f.start, f.rule))


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "blokkerend" for f in findings)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in findings:
        out[f.severity] += 1
    return out
