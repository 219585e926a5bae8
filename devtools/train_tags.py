"""`onrust eval train`: the tag classifier (analysis/classifier.py) trained on the dev split of
the real news set, reproducibly (fixed folds, a deterministic solver, sorted output).

Per label with enough dev positives: logistic regression on sublinear tf-idf of words and word
pairs plus the rule tagger's findings; 5-fold cross-validation on dev gives out-of-fold
probabilities, from which the label's `keep` and `add` thresholds are chosen (best F1, and only
where that beats the rules alone). The blind split is never read here.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

from analysis.classifier import JUDGED_SETS, MODEL_FILE, PERSON, Item, TagModel, feature_names, firm_labels, token_keys
from analysis.tagging import Tagger
from devtools.eval_real import RealExample

MIN_DF = 3  # a feature must stand in this many dev items: no rare string (a name, a quote) is kept
MIN_POSITIVES = 10  # labels with fewer dev examples stay with the rules alone
C = 4.0  # inverse regularisation of the logistic regression (chosen by cross-validation on dev)
FOLDS = 5
SEED = 0
GRID = tuple(round(0.05 * k, 2) for k in range(1, 20))
# The model overrules a rule hit only when it judges it more likely wrong than right, and adds a tag
# only when more likely right: an unambiguous lexicon phrase in a short text stays tagged.
KEEP_GRID = tuple(t for t in GRID if t <= 0.5)
ADD_GRID = tuple(t for t in GRID if t >= 0.5)
NEVER = 1.01  # an `add` threshold no probability reaches
MIN_GAIN = 0.01  # F1 a label's model must add over its rules to be used


@dataclass(frozen=True, slots=True)
class Finding:
    """One dev item as the model sees it."""

    item: Item
    names: frozenset[str]
    gold: frozenset[str]


@dataclass(frozen=True, slots=True)
class LabelReport:
    label: str
    positives: int
    keep: float
    add: float
    rules: tuple[int, int, int]  # tp, fp, fn of the rules alone, out of fold
    judged: tuple[int, int, int]  # with the model's thresholds


def findings(tagger: Tagger, examples: Sequence[RealExample]) -> list[Finding]:
    strings = tagger.nlp.vocab.strings
    person_key = strings.add(PERSON)
    result = []
    for (doc, _, tags, terms), example in zip(tagger.rule_findings([e.text for e in examples]), examples,
                                              strict=True):
        persons = tuple((t.start, t.end) for t in tags if t.tag_set == "person")
        rules = frozenset(t.label for t in tags if t.tag_set in JUDGED_SETS)
        tokens = token_keys(doc, persons, person_key)
        names = frozenset(feature_names(strings, tokens, rules, terms))
        result.append(Finding(Item(tokens, rules, terms, firm_labels(tags)), names,
                              frozenset(x for x in example.labels if x.split(":", 1)[0] in JUDGED_SETS)))
    return result


def vocabulary(items: Sequence[Finding]) -> dict:
    """Features in at least MIN_DF items, sorted, with smoothed idf (sklearn's formula)."""
    df = Counter(name for item in items for name in item.names)
    names = sorted(name for name, n in df.items() if n >= MIN_DF)
    n = len(items)
    idf = [round(float(np.log((1 + n) / (1 + df[name])) + 1), 6) for name in names]
    return {"features": names, "idf": idf, "labels": []}


def design(tagger: Tagger, vocab: dict, items: Sequence[Finding]) -> csr_matrix:
    """The matrix exactly as the tagger builds it (TagModel.matrix), for this vocabulary."""
    return TagModel(vocab, tagger.nlp.vocab.strings, "training").matrix([i.item for i in items])


def _fit(x: csr_matrix, y: np.ndarray) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="lbfgs").fit(x, y)


def _counts(predicted: np.ndarray, gold: np.ndarray) -> tuple[int, int, int]:
    return (int((predicted & gold).sum()), int((predicted & ~gold).sum()), int((~predicted & gold).sum()))


def _f1(c: tuple[int, int, int]) -> float:
    return 2 * c[0] / (2 * c[0] + c[1] + c[2]) if c[0] else 0.0


def thresholds(p: np.ndarray, rule: np.ndarray, gold: np.ndarray, firm: np.ndarray) -> tuple[float, float]:
    """(keep, add) with the best out-of-fold F1; the rules alone (0, NEVER) unless beaten by MIN_GAIN.
    A firm rule hit stays whatever the model says, as in TagModel.judge."""
    best, chosen = _f1(_counts(rule, gold)) + MIN_GAIN, (0.0, NEVER)
    for keep in (0.0, *KEEP_GRID):
        kept = rule & (firm | (p >= keep))
        for add in (*ADD_GRID, NEVER):
            f = _f1(_counts(kept | ~rule & (p >= add), gold))
            if f > best + 1e-9:
                best, chosen = f, (keep, add)
    return chosen


def train(tagger: Tagger, examples: Sequence[RealExample]) -> tuple[dict, list[LabelReport]]:
    """The model file's content and the out-of-fold figures per label."""
    from sklearn.model_selection import KFold

    dev = sorted((e for e in examples if e.split == "dev"), key=lambda e: e.id)
    items = findings(tagger, dev)
    counts = Counter(x for i in items for x in i.gold)
    labels = sorted(x for x, n in counts.items() if n >= MIN_POSITIVES)
    gold = np.array([[x in i.gold for x in labels] for i in items], dtype=bool).reshape(len(items), len(labels))
    rule = np.array([[x in i.item.rules for x in labels] for i in items], dtype=bool).reshape(len(items), len(labels))
    firm = np.array([[x in i.item.firm for x in labels] for i in items], dtype=bool).reshape(len(items), len(labels))
    oof = np.zeros(gold.shape)
    for train_idx, test_idx in KFold(FOLDS, shuffle=True, random_state=SEED).split(items):
        vocab = vocabulary([items[k] for k in train_idx])
        x = design(tagger, vocab, items)
        for j in range(len(labels)):
            oof[test_idx, j] = _fit(x[train_idx], gold[train_idx, j]).predict_proba(x[test_idx])[:, 1]
    vocab = vocabulary(items)
    x = design(tagger, vocab, items)
    reports, models = [], []
    for j, label in enumerate(labels):
        keep, add = thresholds(oof[:, j], rule[:, j], gold[:, j], firm[:, j])
        judged = rule[:, j] & (firm[:, j] | (oof[:, j] >= keep)) | ~rule[:, j] & (oof[:, j] >= add)
        reports.append(LabelReport(label, int(gold[:, j].sum()), keep, add, _counts(rule[:, j], gold[:, j]),
                                   _counts(judged, gold[:, j])))
        if (keep, add) == (0.0, NEVER):
            continue  # the rules alone are better: no model for this label
        fitted = _fit(x, gold[:, j])
        weights = [[int(c), round(float(w), 4)] for c, w in enumerate(fitted.coef_[0]) if abs(w) >= 1e-3]
        models.append({"label": label, "keep": keep, "add": add,
                       "intercept": round(float(fitted.intercept_[0]), 4), "weights": weights})
    vocab["labels"] = models
    vocab["trained_on"] = f"{len(items)} dev items of data/eval/real_news_labels.jsonl"
    vocab["settings"] = {"min_df": MIN_DF, "min_positives": MIN_POSITIVES, "C": C, "folds": FOLDS, "seed": SEED}
    return vocab, reports


def write_model(data: dict, path: Path = MODEL_FILE) -> int:
    """gzip without a timestamp, sorted keys: the same dev set gives the same bytes."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    packed = gzip.compress(raw, mtime=0)
    path.write_bytes(packed)
    return len(packed)
