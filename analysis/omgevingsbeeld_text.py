"""Text handling for the omgevingsbeeld: masking names, Markdown escaping, sentences, questions.

Pure string functions; the snapshot (analysis.omgevingsbeeld) and the page use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from onrust.text import normalize

MASK = "[betrokkene]"
OTHER_MASK = "[naam]"
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Characters that make Markdown do something: emphasis, code, links/images ([ ]), HTML (< >),
# headings, tables, strikethrough, LaTeX ($).


def plural(count: int, singular: str, many: str) -> str:
    return f"{count} {singular if count == 1 else many}"

@dataclass(frozen=True, slots=True)
class Masker:
    """Replaces names in outward text: people involved by [betrokkene], other full person
    names by [naam]. One regex for all names (longest first) keeps a snapshot cheap."""

    pattern: re.Pattern[str] | None = None
    labels: Mapping[str, str] = field(default_factory=dict)  # casefolded name -> replacement

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.labels.get(" ".join(m.group(0).split()).casefold(), OTHER_MASK), text)


def masker(involved: Iterable[str] = (), others: Iterable[str] = ()) -> Masker:
    labels: dict[str, str] = {}
    for names, label in ((others, OTHER_MASK), (involved, MASK)):  # involved wins a tie
        for name in names:
            if name and name.strip():
                labels[" ".join(name.split()).casefold()] = label
    if not labels:
        return Masker()
    ordered = sorted(labels, key=len, reverse=True)
    pattern = r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in ordered) + r")(?!\w)"
    return Masker(re.compile(pattern, re.IGNORECASE), labels)


def mask_names(text: str, involved: Iterable[str]) -> str:
    """Replace names of people involved by [betrokkene]: outward texts never carry them."""
    return masker(involved)(text)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    from analysis.lexicons import load_word_list

    return frozenset(n.casefold() for n in load_word_list("person_first_names.txt"))


def sensitive_names(tags: pd.DataFrame, involved: Sequence[str] = ()) -> Masker:
    """Who to mask: the registered involved and the tagger's variants of them (person:betrokkene),
    and person spans that contain a known first name. Single capitalised words the person
    tagger also reports ("Is", a street, a neighbourhood) are left alone."""
    if tags.empty:
        return masker(involved)
    persons = tags[tags["tag_set"] == "person"]
    variants = persons.loc[persons["tag_key"] == "betrokkene", "matched"].tolist()
    places = {normalize(p) for p in tags.loc[tags["tag_set"] == "place", "matched"]}
    first = _first_names()
    others = [
        p for p in persons.loc[persons["tag_key"] != "betrokkene", "matched"]
        if normalize(p) not in places and any(w.casefold() in first for w in re.findall(r"\w+", p))
    ]
    return masker((*involved, *variants), others)


def sentences(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, sentence) spans, shifted by `offset`."""
    return [(offset + m.start(), offset + m.end(), m.group().strip())
            for m in _SENTENCE.finditer(text) if m.group().strip()]


def item_sentences(title: str, summary: str) -> list[tuple[int, int, str]]:
    """Sentences of title and summary with offsets into item_text(title, summary), the tagged
    text; a headline without a full stop still ends its own sentence."""
    return sentences(title) + (sentences(summary, len(title) + 1) if summary else [])


@dataclass(frozen=True, slots=True)
class QuestionRules:
    """From data/omgevingsbeeld.toml [vragen], normalized."""

    openers: tuple[str, ...]
    question_words: frozenset[str]
    finite_verbs: frozenset[str]


def is_question(sentence: str, cfg: QuestionRules) -> bool:
    """Ends in '?'; or opens with a question pattern ('is het waar dat', 'klopt het'); or opens
    with a question word followed by a finite verb ('Waarom wordt ...', not 'Wie zich ...')."""
    words = sentence.split()
    if len(words) < 3:  # "Waarom?" alone says nothing the kernteam can answer
        return False
    if sentence.rstrip().endswith("?"):
        return True
    norm = normalize(sentence).lstrip("\"'“‘(-– ")
    if _openers_pattern(cfg.openers).match(norm):
        return True
    first, second = (norm.split() + ["", ""])[:2]
    return first in cfg.question_words and second.strip(",:;") in cfg.finite_verbs


@lru_cache(maxsize=8)
def _openers_pattern(openers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(re.escape(o) for o in openers) + r")(?:[\s,]|$)")


def question_key(sentence: str) -> str:
    """The same question however it is punctuated or capitalised."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalize(sentence)).split())
