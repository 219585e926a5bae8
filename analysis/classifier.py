"""The tag classifier: a small linear model per tag over the item's words and the rule tagger's
own findings, trained on the labelled real news (dev split only, `onrust eval train`).

The rules find the words; the model judges them in context. On real news many rule hits lack the
sense the seeds mean ("onrust om babyvoeding", a single stabbing read as a riot) and some tags
have no fixed word, so per label the model has two thresholds chosen by cross-validation on dev:
a rule hit stays when the model gives it at least `keep`, and the model adds the tag without a
rule hit at `add` or more. Every judged tag names the features that carried it ("rellen", "de
me", "regel phase:escalatie"), so a tag and the temperature built on it stay explainable.

The model file (data/models/tag_classifier.json.gz) holds word and word-pair features with their
idf and weights, nothing more: n-grams seen in at least `min_df` dev items, person names masked
before counting, no sentence of any item.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc

from analysis.tags import Tag
from onrust.paths import DATA_DIR

MODEL_FILE = DATA_DIR / "models" / "tag_classifier.json.gz"
# The tag sets the model judges; persons, places, actors and tone stay with their own rules.
JUDGED_SETS = frozenset({"phase", "scenario", "dynamiek", "emotion", "claim"})
# Tokens inside a detected person name count as this one word: the model learns no names.
PERSON = "<persoon>"
RULE = "regel "  # feature: the rule tagger's final tag (after its context gates)
TERM = "term "  # feature: a lexicon term matched anywhere, also one a gate dropped
SHOWN = 3  # features named per judged tag


class ModelError(RuntimeError):
    """The shipped model file is missing or unreadable: the tagger does not start without it."""


@dataclass(frozen=True, slots=True)
class LabelModel:
    label: str
    keep: float  # a rule hit stays at this probability or more (0: every rule hit stays)
    add: float  # the model adds the tag without a rule hit at this probability (> 1: never)
    intercept: float


@dataclass(frozen=True, slots=True)
class Features:
    """One item's feature vector (sparse) and where each word feature first stands."""

    columns: np.ndarray
    values: np.ndarray
    spans: dict[int, tuple[int, int]]  # column -> (start, end) char span of its first occurrence


def token_keys(
    doc: Doc, persons: Sequence[tuple[int, int]], person_key: int
) -> tuple[list[int], list[tuple[int, int]]]:
    """Lower-case token hashes (spaCy's LOWER) without whitespace, a person name's tokens as one
    PERSON key, and their character spans: the one tokenisation training and tagging share."""
    keys: list[int] = []
    spans: list[tuple[int, int]] = []
    names = sorted(persons)
    k = 0
    inside_until = -1
    for lower, idx, length, space in doc.to_array([LOWER, IDX, LENGTH, IS_SPACE]).tolist():
        if space:
            continue
        while k < len(names) and names[k][1] <= idx:
            k += 1
        if k < len(names) and names[k][0] <= idx:
            if inside_until != names[k][1]:
                keys.append(person_key)
                spans.append(names[k])
                inside_until = names[k][1]
            continue
        keys.append(lower)
        spans.append((idx, idx + length))
    return keys, spans


def feature_names(strings: StringStore, keys: Sequence[int], rule_labels: Iterable[str],
                  term_labels: Iterable[str]) -> set[str]:
    """The feature names of one item as training counts them (document frequency)."""
    words = [strings[k] for k in keys]
    names = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return names | {RULE + x for x in rule_labels} | {TERM + x for x in term_labels}


class TagModel:
    """The loaded model: vocabulary mapped to spaCy's string hashes, weights as one matrix."""

    def __init__(self, data: dict, strings: StringStore, digest: str) -> None:
        self.digest = digest
        self.names: list[str] = data["features"]
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        self.person_key = strings.add(PERSON)
        self.unigrams: dict[int, int] = {}
        self.bigrams: dict[tuple[int, int], int] = {}
        self.rules: dict[str, int] = {}
        self.terms: dict[str, int] = {}
        for column, name in enumerate(self.names):
            if name.startswith(RULE):
                self.rules[name[len(RULE):]] = column
            elif name.startswith(TERM):
                self.terms[name[len(TERM):]] = column
            elif " " in name:
                a, b = name.split(" ")
                self.bigrams[(strings.add(a), strings.add(b))] = column
            else:
                self.unigrams[strings.add(name)] = column
        self.labels = tuple(
            LabelModel(m["label"], m["keep"], m["add"], m["intercept"]) for m in data["labels"]
        )
        self.index = {m.label: j for j, m in enumerate(self.labels)}
        self.weights = np.zeros((len(self.names), len(self.labels)))
        for j, m in enumerate(data["labels"]):
            for column, weight in m["weights"]:
                self.weights[column, j] = weight
        self.intercepts = np.asarray([m.intercept for m in self.labels])

    @classmethod
    def load(cls, strings: StringStore, path: Path = MODEL_FILE) -> TagModel:
        try:
            raw = path.read_bytes()
            data = json.loads(gzip.decompress(raw))
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"Het tagmodel {path} ontbreekt of is onleesbaar ({exc}); maak het opnieuw met "
                "`onrust eval train`."
            ) from exc
        return cls(data, strings, hashlib.sha256(raw).hexdigest()[:10])

    def features(self, doc: Doc, persons: Sequence[tuple[int, int]], rule_labels: Iterable[str],
                 term_labels: Iterable[str]) -> Features:
        """Sublinear tf-idf of words and word pairs (l2-normalised), plus 1.0 per rule finding."""
        keys, token_spans = token_keys(doc, persons, self.person_key)
        counts: dict[int, int] = {}
        spans: dict[int, tuple[int, int]] = {}
        unigrams, bigrams = self.unigrams, self.bigrams
        previous = None
        for position, key in enumerate(keys):
            column = unigrams.get(key)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
                spans.setdefault(column, token_spans[position])
            if previous is not None:
                column = bigrams.get((previous, key))
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
                    spans.setdefault(column, (token_spans[position - 1][0], token_spans[position][1]))
            previous = key
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[columns]
        norm = math.sqrt(float(values @ values))
        if norm:
            values /= norm
        extra = [self.rules[x] for x in rule_labels if x in self.rules]
        extra += [self.terms[x] for x in term_labels if x in self.terms]
        if extra:
            columns = np.concatenate([columns, np.asarray(extra, dtype=np.int64)])
            values = np.concatenate([values, np.ones(len(extra))])
        return Features(columns, values, spans)

    def matrix(self, rows: Sequence[Features]) -> csr_matrix:
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(r.columns) for r in rows])
        columns = np.concatenate([r.columns for r in rows]) if rows else np.zeros(0, dtype=np.int64)
        values = np.concatenate([r.values for r in rows]) if rows else np.zeros(0)
        return csr_matrix((values, columns, indptr), shape=(len(rows), len(self.names)))

    def probabilities(self, rows: Sequence[Features]) -> np.ndarray:
        """One matrix product for the whole batch: items x labels."""
        if not rows:
            return np.zeros((0, len(self.labels)))
        z = self.matrix(rows) @ self.weights + self.intercepts
        return 1.0 / (1.0 + np.exp(-z))

    def explain(self, row: Features, label: str) -> list[tuple[str, float]]:
        """The features that pushed this label up most in this item, with their contribution."""
        j = self.index[label]
        contributions = row.values * self.weights[row.columns, j]
        order = np.argsort(-contributions, kind="stable")[:SHOWN]
        return [(self.names[row.columns[i]], float(contributions[i])) for i in order if contributions[i] > 0]

    def judge(self, tags: list[Tag], row: Features, probabilities: np.ndarray, text: str) -> list[Tag]:
        """Rule tags the model rejects are dropped (with the tone they implied), the tags it adds
        without a rule hit come in at their strongest word, and each judged tag says why."""
        present = {t.label for t in tags}
        dropped: set[str] = set()
        added: list[Tag] = []
        why: dict[str, str] = {}
        for j, model in enumerate(self.labels):
            p = float(probabilities[j])
            if model.label in present:
                if p < model.keep:
                    dropped.add(model.label)
                    continue
            elif p < model.add:
                continue
            features = self.explain(row, model.label)
            why[model.label] = f"model {p:.2f}: " + ", ".join(name for name, _ in features)
            if model.label not in present:
                added.append(self._added(model.label, p, features, row, text, why[model.label]))
        kept = [
            t for t in tags
            if t.label not in dropped and not (t.tag_set == "polarity" and t.ref in dropped)
        ]
        kept = [_with_why(t, why[t.label]) if t.label in why else t for t in kept]
        return kept + added

    def _added(self, label: str, p: float, features: list[tuple[str, float]], row: Features, text: str,
               why: str) -> Tag:
        """A tag without a rule hit stands at its strongest word feature (the whole text if only
        rule findings carried it)."""
        tag_set, key = label.split(":", 1)
        columns = {self.names[c]: int(c) for c in row.columns}
        span = next((row.spans[columns[name]] for name, _ in features if columns[name] in row.spans), None)
        start, end = span if span is not None else (0, len(text))
        return Tag(tag_set, key, text[start:end], start, end, round(p, 2), None, why)


def _with_why(tag: Tag, why: str) -> Tag:
    """The model's reasons beside the lexicon's seed reference in `ref`; `value` keeps its own
    meaning (a call's date, 'ontkracht', the context cue)."""
    return tag._replace(ref=f"{tag.ref} · {why}" if tag.ref else why)
