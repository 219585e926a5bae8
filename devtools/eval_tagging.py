"""`onrust eval tagging`: precision/recall of the tagger per tag set on the labelled regression
set (data/eval), and the recall of person names (the privacy guard)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from analysis.tagging import Tag, Tagger, net_polarity
from onrust.paths import DATA_DIR

EVAL_FILE = DATA_DIR / "eval" / "tagging_set.tsv"
NAMES_FILE = DATA_DIR / "eval" / "person_names.tsv"
TAG_SETS = (
    "scenario", "phase", "dynamiek", "emotion", "polarity", "claim", "actor", "place", "person", "language",
)
# The set's dates ("zaterdag 14 maart") are read as in this year, so expectations stay literal.
EVAL_TODAY = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: frozenset[str]  # "phase:escalatie", "person:Mark de V.", "dynamiek:mobilisatie=2026-03-14"


@dataclass(frozen=True, slots=True)
class Score:
    tag_set: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Mistake:
    text: str
    missing: frozenset[str]
    extra: frozenset[str]


def load_examples(path: Path = EVAL_FILE) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader((line for line in fh if line.strip() and not line.startswith("#")), delimiter="\t"):
            text = row[0].strip()
            labels = frozenset(x.strip() for x in (row[1] if len(row) > 1 else "").split(";") if x.strip())
            examples.append(Example(text, labels))
    return examples


def labels_of(tags: Sequence[Tag]) -> frozenset[str]:
    """The item-level labels the set is written in: keys per tag set, person names as text,
    polarity as the item's net tone, a mobilisation with its date as key=date."""
    labels = set()
    for tag in tags:
        if tag.tag_set == "polarity":
            continue
        if tag.tag_set == "person":
            labels.add(f"person:{tag.text}")
        elif tag.label == "dynamiek:mobilisatie" and tag.value:
            labels.add(f"dynamiek:mobilisatie={tag.value}")
            labels.add(tag.label)
        else:
            labels.add(tag.label)
    tone = net_polarity(tags)
    if tone is not None:
        labels.add(f"polarity:{tone}")
    return frozenset(labels)


def _set_of(label: str) -> str:
    return label.split(":", 1)[0]


def score_labels(
    tag_sets: Sequence[str], rows: Iterable[tuple[str, frozenset[str], frozenset[str]]]
) -> tuple[list[Score], list[Mistake]]:
    """tp/fp/fn per tag set over (text, predicted, expected) label sets, and the items that differ:
    one way of counting for every labelled set."""
    counts = {s: [0, 0, 0] for s in tag_sets}
    mistakes = []
    for text, predicted, expected in rows:
        for label in predicted & expected:
            counts[_set_of(label)][0] += 1
        for label in predicted - expected:
            counts[_set_of(label)][1] += 1
        for label in expected - predicted:
            counts.setdefault(_set_of(label), [0, 0, 0])[2] += 1
        if predicted != expected:
            mistakes.append(Mistake(text, expected - predicted, predicted - expected))
    return [Score(s, *c) for s, c in counts.items()], mistakes


def evaluate(tagger: Tagger, examples: Sequence[Example]) -> tuple[list[Score], list[Mistake]]:
    tagged = tagger.tag_many([e.text for e in examples], today=EVAL_TODAY)
    return score_labels(TAG_SETS, (
        (example.text, labels_of(tags), example.labels) for example, tags in zip(examples, tagged, strict=True)
    ))


def macro(scores: Sequence[Score]) -> tuple[float, float, float]:
    used = [s for s in scores if s.tp + s.fp + s.fn]
    if not used:
        return 0.0, 0.0, 0.0
    n = len(used)
    return (
        sum(s.precision for s in used) / n,
        sum(s.recall for s in used) / n,
        sum(s.f1 for s in used) / n,
    )


@dataclass(frozen=True, slots=True)
class NameRecall:
    """Person-name detection on sentences written around names: the privacy guard's recall."""

    names: int
    exact: int
    overlapping: int
    extra_spans: int

    @property
    def recall(self) -> float:
        return self.exact / self.names if self.names else 1.0

    @property
    def overlap_recall(self) -> float:
        return (self.exact + self.overlapping) / self.names if self.names else 1.0


def evaluate_names(path: Path = NAMES_FILE) -> NameRecall:
    from analysis.persons import find_person_names

    names = exact = overlapping = extra = 0
    for example in load_examples(path):
        spans = [t.text for t in find_person_names(example.text)]
        for name in example.labels:
            names += 1
            if name in spans:
                exact += 1
            elif any(name in s or s in name for s in spans):
                overlapping += 1
        extra += sum(1 for s in spans if not any(s in n or n in s for n in example.labels))
    return NameRecall(names, exact, overlapping, extra)


@dataclass(frozen=True, slots=True)
class TaggingEvaluation:
    """Scores per tag set with their macro average, the name recall (when its set is present)
    and the items the tagger got wrong."""

    items: int
    scores: tuple[Score, ...]
    macro: tuple[float, float, float]
    names: NameRecall | None
    mistakes: tuple[Mistake, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `onrust eval tagging --json` (without the mistakes)."""
        p, r, f = self.macro
        data: dict[str, Any] = {
            "items": self.items,
            "tag_sets": {s.tag_set: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                     "tp": s.tp, "fp": s.fp, "fn": s.fn} for s in self.scores},
            "macro": {"precision": p, "recall": r, "f1": f},
        }
        if self.names is not None:
            data["person_names"] = {"names": self.names.names, "recall": self.names.recall,
                                    "overlap_recall": self.names.overlap_recall,
                                    "extra_spans": self.names.extra_spans}
        return data


def evaluate_set(tagger: Tagger, path: Path = EVAL_FILE) -> TaggingEvaluation:
    examples = load_examples(path)
    scores, mistakes = evaluate(tagger, examples)
    names = evaluate_names() if NAMES_FILE.exists() else None
    return TaggingEvaluation(len(examples), tuple(scores), macro(scores), names, tuple(mistakes))
