"""`onrust eval tagging --real`: the tagger on real Dutch news the team did not write.

The labels (data/eval/real_news_labels.jsonl, labelled by data/eval/LABELLING.md) are ours; the
texts are the outlets' and stay out of the repository, so they are read from a local corpus file
(JSON lines with id, title, summary; see data/eval/README.md). Each label row carries a hash of
its text, so a corpus that differs from the labelled one is reported instead of scored. Person
labels are stored as hashes of the name as written: the set holds no names of real people.

Dev is what the tagger is tuned on; blind is scored to report, never to fix items from.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.relevance import item_text
from analysis.tagging import Tag, Tagger
from devtools.eval_tagging import Mistake, Score, macro, score_labels
from onrust.paths import DATA_DIR, ROOT

LABELS_FILE = DATA_DIR / "eval" / "real_news_labels.jsonl"
# Where the texts are unless --corpus or $ONRUST_EVAL_CORPUS says otherwise (git ignores var/).
DEFAULT_CORPUS = ROOT / "var" / "eval" / "real_news.jsonl"
# The tag sets this round of labelling covers (LABELLING.md §1); the others are not scored.
REAL_SETS = ("phase", "scenario", "dynamiek", "emotion", "claim", "person")
SPLITS = ("dev", "blind")


def name_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def text_hash(title: str, summary: str) -> str:
    return hashlib.sha256(f"{title.strip()}\n{summary.strip()}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RealExample:
    id: str
    split: str
    sampling: str  # "random" (the feeds' natural mix) or "enriched" (keyword-sampled)
    outlet_kind: str
    text: str
    labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class RealCorpus:
    examples: tuple[RealExample, ...]
    missing: int  # labelled items whose text the corpus lacks or holds in another version


def corpus_path(given: str | None = None) -> Path:
    return Path(given or os.environ.get("ONRUST_EVAL_CORPUS") or DEFAULT_CORPUS)


def load_real(corpus: Path, labels: Path = LABELS_FILE) -> RealCorpus:
    """Labelled examples whose text the corpus holds in the labelled version."""
    texts: dict[str, tuple[str, str]] = {}
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts[row["id"]] = (row.get("title") or "", row.get("summary") or "")
    examples, missing = [], 0
    with labels.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            found = texts.get(row["id"])
            if found is None or text_hash(*found) != row["text_sha256"]:
                missing += 1
                continue
            wanted = frozenset(
                label.split("=", 1)[0] for label in row["labels"] if label.split(":", 1)[0] in REAL_SETS
            )
            examples.append(RealExample(row["id"], row["split"], row["sampling"], row["outlet_kind"],
                                        item_text(*found), wanted))
    return RealCorpus(tuple(examples), missing)


def real_labels(tags: Iterable[Tag]) -> frozenset[str]:
    """Tags in the set's form: keys per tag set, a person as the hash of the name as written."""
    labels = set()
    for tag in tags:
        if tag.tag_set == "person":
            labels.add(f"person:#{name_hash(tag.text)}")
        elif tag.tag_set in REAL_SETS:
            labels.add(tag.label)
    return frozenset(labels)


@dataclass(frozen=True, slots=True)
class SplitScores:
    split: str
    items: int
    scores: tuple[Score, ...]
    macro: tuple[float, float, float]
    mistakes: tuple[Mistake, ...]

    def as_dict(self) -> dict[str, Any]:
        p, r, f = self.macro
        return {
            "items": self.items,
            "tag_sets": {s.tag_set: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                     "tp": s.tp, "fp": s.fp, "fn": s.fn} for s in self.scores},
            "macro": {"precision": p, "recall": r, "f1": f},
        }


def score(tagger: Tagger, examples: Sequence[RealExample], split: str) -> SplitScores:
    chosen = [e for e in examples if e.split == split]
    tagged = tagger.tag_many([e.text for e in chosen])
    scores, mistakes = score_labels(REAL_SETS, (
        (example.text, real_labels(tags), example.labels) for example, tags in zip(chosen, tagged, strict=True)
    ))
    # Only dev mistakes are ever shown: blind items are never looked at to fix them.
    return SplitScores(split, len(chosen), tuple(scores), macro(scores), tuple(mistakes) if split == "dev" else ())


@dataclass(frozen=True, slots=True)
class RealEvaluation:
    corpus: str
    missing: int
    splits: tuple[SplitScores, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"corpus": self.corpus, "missing": self.missing,
                **{s.split: s.as_dict() for s in self.splits}}


def evaluate_real(tagger: Tagger, corpus: Path) -> RealEvaluation:
    loaded = load_real(corpus)
    return RealEvaluation(str(corpus), loaded.missing,
                          tuple(score(tagger, loaded.examples, split) for split in SPLITS))
