"""`onrust eval agreement --second FILE`: how far a second labeller agrees with the real set's labels.

A tagger cannot be expected to score higher against the labels than a second careful labeller does,
so this is the ceiling the targets of `eval tagging --real` are read against. Both files are label
rows in the form of data/eval/real_news_labels.jsonl (id, text_sha256, labels with persons hashed);
no text is needed, so it runs without the local corpus. The existing labels are the reference: the
second labeller's "precision" is the share of its labels the set also has.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.eval_real import LABELS_FILE, REAL_SETS
from devtools.eval_tagging import Score, score_labels
from onrust.errors import UserError

# A label gets a kappa only when either labeller gave it this often: below that one item swings it.
MIN_POSITIVES = 5


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    label: str
    first: int  # items the reference labels carry it on
    second: int  # items the second labeller gave it
    both: int
    kappa: float


@dataclass(frozen=True, slots=True)
class Agreement:
    items: int
    unmatched: int  # second rows whose id is not in the set or whose text hash differs
    scores: tuple[Score, ...]
    labels: tuple[LabelAgreement, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "unmatched": self.unmatched,
            "tag_sets": {s.tag_set: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                     "tp": s.tp, "fp": s.fp, "fn": s.fn} for s in self.scores},
            "kappa": {a.label: {"kappa": a.kappa, "first": a.first, "second": a.second, "both": a.both}
                      for a in self.labels},
        }


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row["labels"], list) or "text_sha256" not in row:
                    raise KeyError("labels")
                rows[str(row["id"])] = row
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise UserError(f"{path.name} regel {number}: geen labelregel met id, text_sha256 en "
                                f"labels ({exc})") from exc
    return rows


def scored_labels(labels: Iterable[str]) -> frozenset[str]:
    """The labels as `eval tagging --real` scores them: this round's tag sets, a date stripped."""
    return frozenset(label.split("=", 1)[0] for label in labels if label.split(":", 1)[0] in REAL_SETS)


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Agreement beyond chance on one yes/no label; 1.0 when both never or always give it."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p1, p2 = sum(first) / n, sum(second) / n
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def compare(second: Path, first: Path = LABELS_FILE, min_positives: int = MIN_POSITIVES) -> Agreement:
    reference, other = _rows(first), _rows(second)
    pairs = [(scored_labels(reference[i]["labels"]), scored_labels(row["labels"]))
             for i, row in other.items()
             if i in reference and reference[i]["text_sha256"] == row["text_sha256"]]
    if not pairs:
        raise UserError(f"Geen enkel item van {second.name} staat met dezelfde tekst in {first.name}.")
    scores, _ = score_labels(REAL_SETS, ((("", b, a) for a, b in pairs)))
    agreements = []
    for label in sorted({x for a, b in pairs for x in a | b if not x.startswith("person:")}):
        given_first = [label in a for a, _ in pairs]
        given_second = [label in b for _, b in pairs]
        if max(sum(given_first), sum(given_second)) >= min_positives:
            agreements.append(LabelAgreement(
                label, sum(given_first), sum(given_second),
                sum(x and y for x, y in zip(given_first, given_second, strict=True)),
                cohen_kappa(given_first, given_second)))
    return Agreement(len(pairs), len(other) - len(pairs), tuple(scores), tuple(agreements))
