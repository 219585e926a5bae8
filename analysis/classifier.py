"""The tag classifier: a small linear model per tag over the item's words and the rule tagger's
own findings, trained on the labelled real news (dev split only, `onrust eval train`).

The rules find the words; the model judges them in context. On real news many rule hits lack the
sense the seeds mean ("onrust om babyvoeding", a single stabbing read as a riot) and some tags
have no fixed word, so per label the model has two thresholds chosen by cross-validation on dev:
a rule hit stays when the model gives it at least `keep`, and the model adds the tag without a
rule hit at `add` or more. Every judged tag names the features that carried it ("rellen", "de
me", "regel phase:escalatie"), so a tag and the temperature built on it stay explainable.

The model file (data/models/tag_classifier.json.gz) holds word, word-pair, lemma and word-opening
features with their idf and weights, nothing more: features seen in at least `min_df` dev items,
person names masked before counting, no sentence of any item. Lemmas and openings ("begin:relsc"
for relschoppers, relschopper, relschoppende) let a few thousand labelled items speak for word
forms they do not hold, which Dutch compounding and inflection make many.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, LOWER
from spacy.strings import StringStore, get_string_id
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
# Without a space, so no word pair ("begin zomer") reads as one; the tokenizer splits "x:y" and
# feature_names drops any word that would look like one.
LEMMA_ = "lemma:"  # feature: a token's lemma (lower case)
OPENING = "begin:"  # feature: the first OPENING_LENGTH letters of a longer word
OPENING_LENGTH = 5  # chosen by cross-validation on dev (4 and 5 tried; 5 best)
_CACHE_SIZE = 200_000  # word forms whose lemma and opening keys are remembered
SHOWN = 3  # features named per judged tag


class ModelError(RuntimeError):
    """The shipped model file is missing or unreadable: the tagger does not start without it."""


@dataclass(frozen=True, slots=True)
class LabelModel:
    label: str
    keep: float  # a rule hit stays at this probability or more (0: every rule hit stays)
    add: float  # the model adds the tag without a rule hit at this probability (> 1: never)
    intercept: float


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: a word pair's two hashes as one key


@dataclass(frozen=True, slots=True)
class Tokens:
    """One item's tokens as the model counts them: lower-case hashes and character spans."""

    keys: np.ndarray  # uint64, spaCy's LOWER hash (PERSON's for a whole person name)
    starts: np.ndarray
    ends: np.ndarray
    lemmas: np.ndarray  # uint64, spaCy's LEMMA hash of the tokens outside person names


@dataclass(frozen=True, slots=True)
class Item:
    """What the model reads of one item: its tokens and the labels the rules found."""

    tokens: Tokens
    rules: frozenset[str]  # the rule tagger's final labels of the judged sets
    terms: frozenset[str]  # every lexicon label matched, also where a gate dropped it
    firm: frozenset[str] = frozenset()  # rule labels the model may not drop (firm_labels)


FIRM_SETS = frozenset({"phase", "dynamiek"})


def firm_labels(tags: Iterable[Tag]) -> frozenset[str]:
    """Phase labels carried by an explicit MO term at full weight that needed no context and no
    hedge (rellen, noodbevel, ophitsing; `value` None): 004 §1.3 names these phenomena outright, so
    the model, which learnt from a few dozen examples, confirms or adds but never drops them."""
    return frozenset(t.label for t in tags if t.tag_set in FIRM_SETS and t.value is None and t.score >= 1.0)


def token_keys(doc: Doc, persons: Sequence[tuple[int, int]], person_key: int) -> Tokens:
    """Tokens without whitespace, a person name's tokens as one PERSON token: the one
    tokenisation training and tagging share."""
    arr = doc.to_array([LOWER, IDX, LENGTH, IS_SPACE, LEMMA]).reshape(-1, 5)
    arr = arr[arr[:, 3] == 0]
    keys = arr[:, 0].astype(np.uint64)
    starts = arr[:, 1].astype(np.int64)
    ends = starts + arr[:, 2].astype(np.int64)
    lemmas = arr[:, 4].astype(np.uint64)
    if persons and len(keys):
        names = np.asarray(sorted(persons), dtype=np.int64).reshape(-1, 2)
        which = np.searchsorted(names[:, 0], starts, side="right") - 1
        inside = (which >= 0) & (starts < names[np.maximum(which, 0), 1])
        keys[inside] = np.uint64(person_key)
        lemmas = lemmas[~inside]
        starts[inside] = names[which[inside], 0]
        ends[inside] = names[which[inside], 1]
        repeat = np.zeros(len(keys), dtype=bool)
        repeat[1:] = inside[1:] & inside[:-1] & (which[1:] == which[:-1])
        keys, starts, ends = keys[~repeat], starts[~repeat], ends[~repeat]
    return Tokens(keys, starts, ends, lemmas)


def lemma_name(lemma: str) -> str | None:
    """The lemma feature, None for a lemma of several words (the lookup table has a few)."""
    lemma = lemma.strip().lower()
    return LEMMA_ + lemma if lemma and " " not in lemma else None


def opening_name(word: str) -> str | None:
    """The opening feature of a lower-case word, None for short words, numbers and PERSON."""
    if len(word) > OPENING_LENGTH and word.isalpha():
        return OPENING + word[:OPENING_LENGTH]
    return None


def pair_keys(keys: np.ndarray) -> np.ndarray:
    """Each adjacent word pair as one uint64 (collisions among ~10,000 pairs: none to expect)."""
    with np.errstate(over="ignore"):
        return keys[:-1] * _MIX ^ keys[1:]


def feature_names(strings: StringStore, tokens: Tokens, rule_labels: Iterable[str],
                  term_labels: Iterable[str]) -> set[str]:
    """The feature names of one item as training counts them (document frequency)."""
    words = [strings[int(k)] for k in tokens.keys]
    names = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    names = {x for x in names if not x.startswith((LEMMA_, OPENING))}
    names |= {x for k in tokens.lemmas if (x := lemma_name(strings[int(k)])) is not None}
    names |= {o for w in words if (o := opening_name(w)) is not None}
    return names | {RULE + x for x in rule_labels} | {TERM + x for x in term_labels}


class _Family:
    """The columns of one feature family as sorted hashes, and each column's key."""

    def __init__(self, keys: list[np.uint64], columns: list[int]) -> None:
        order = np.argsort(np.asarray(keys, dtype=np.uint64), kind="stable")
        self.keys = np.asarray(keys, dtype=np.uint64)[order]
        self.columns = np.asarray(columns, dtype=np.int64)[order]

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Column of each key, -1 where it is no feature."""
        if not len(self.keys):
            return np.full(len(keys), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.columns[at], -1)


class TagModel:
    """The loaded model: vocabulary as sorted spaCy string hashes, weights as one matrix."""

    def __init__(self, data: dict, strings: StringStore, digest: str) -> None:
        self.digest = digest
        self.names: list[str] = data["features"]
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        self.person_key = strings.add(PERSON)
        self.rule_columns: dict[str, int] = {}  # label -> column of its RULE feature
        self.term_columns: dict[str, int] = {}
        self.strings = strings
        family: dict[str, tuple[list[np.uint64], list[int]]] = {"word": ([], []), LEMMA_: ([], []), OPENING: ([], [])}
        self.key_of: dict[str, np.uint64] = {}  # word and word-pair features: where they stand in a text
        for column, name in enumerate(self.names):
            if name.startswith(RULE):
                self.rule_columns[name.removeprefix(RULE)] = column
                continue
            if name.startswith(TERM):
                self.term_columns[name.removeprefix(TERM)] = column
                continue
            prefix = LEMMA_ if name.startswith(LEMMA_) else OPENING if name.startswith(OPENING) else None
            if prefix is not None:
                family[prefix][0].append(np.uint64(get_string_id(name)))
                family[prefix][1].append(column)
                continue
            parts = np.asarray([strings.add(x) for x in name.split(" ")], dtype=np.uint64)
            self.key_of[name] = parts[0] if len(parts) == 1 else pair_keys(parts)[0]
            family["word"][0].append(self.key_of[name])
            family["word"][1].append(column)
        self.words, self.lemma_family, self.opening_family = (_Family(*family[k]) for k in ("word", LEMMA_, OPENING))
        # spaCy hash of a lemma or a lower-case word form -> hash of its feature's name (0: none)
        self._lemma_keys: dict[int, int] = {}
        self._opening_keys: dict[int, int] = {}
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

    def tokens(self, doc: Doc, persons: Sequence[tuple[int, int]]) -> Tokens:
        return token_keys(doc, persons, self.person_key)

    def _feature_keys(self, hashes: np.ndarray, cache: dict[int, int], name: Callable[[str], str | None]) -> np.ndarray:
        """Per spaCy hash, the hash of its feature's name: one string operation per form ever seen."""
        strings = self.strings
        out = []
        for h in hashes.tolist():
            key = cache.get(h)
            if key is None:
                if len(cache) > _CACHE_SIZE:
                    cache.clear()  # a long-running server meets ever new word forms
                found = name(strings[h])
                key = cache[h] = 0 if found is None else get_string_id(found)
            out.append(key)
        return np.asarray(out, dtype=np.uint64)

    def _block(self, n: int, rows: list[np.ndarray], keys: list[np.ndarray], family: _Family) -> csr_matrix:
        """Sublinear tf-idf of one feature family, l2-normalised per item."""
        all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
        all_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        columns = family.lookup(all_keys)
        hit = columns >= 0
        counts = csr_matrix((np.ones(int(hit.sum())), (all_rows[hit], columns[hit])), shape=(n, len(self.names)))
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return csr_matrix(counts.multiply(1.0 / norms[:, None]))

    def matrix(self, items: Sequence[Item]) -> csr_matrix:
        """Sublinear tf-idf per family (words with word pairs, lemmas, word openings), each
        l2-normalised per item, plus 1.0 per rule finding; the whole batch in a few array operations."""
        n = len(items)
        rows, keys, lemma_rows, lemma_keys, opening_rows, opening_keys = [], [], [], [], [], []
        for i, item in enumerate(items):
            k = item.tokens.keys
            keys.append(k)
            keys.append(pair_keys(k))
            rows.append(np.full(len(k) + max(0, len(k) - 1), i, dtype=np.int64))
            lemma_keys.append(self._feature_keys(item.tokens.lemmas, self._lemma_keys, lemma_name))
            lemma_rows.append(np.full(len(item.tokens.lemmas), i, dtype=np.int64))
            opening_keys.append(self._feature_keys(k, self._opening_keys, opening_name))
            opening_rows.append(np.full(len(k), i, dtype=np.int64))
        words = (self._block(n, rows, keys, self.words) + self._block(n, lemma_rows, lemma_keys, self.lemma_family)
                 + self._block(n, opening_rows, opening_keys, self.opening_family))
        rule_columns, term_columns = self.rule_columns, self.term_columns
        found = [(i, c) for i, item in enumerate(items) for x in item.rules if (c := rule_columns.get(x)) is not None]
        found += [(i, c) for i, item in enumerate(items) for x in item.terms if (c := term_columns.get(x)) is not None]
        if not found:
            return words
        rows_found = [i for i, _ in found]
        columns_found = [c for _, c in found]
        ones = csr_matrix((np.ones(len(found)), (rows_found, columns_found)), shape=words.shape)
        return (words + ones).tocsr()

    def probabilities(self, x: csr_matrix) -> np.ndarray:
        """One matrix product for the whole batch: items x labels."""
        z = x @ self.weights + self.intercepts
        return 1.0 / (1.0 + np.exp(-z))

    def explain(self, x: csr_matrix, i: int, label: str) -> list[tuple[str, float]]:
        """The features that pushed this label up in item i, strongest first, with their contribution."""
        j = self.index[label]
        lo, hi = x.indptr[i], x.indptr[i + 1]
        columns, values = x.indices[lo:hi], x.data[lo:hi]
        contributions = values * self.weights[columns, j]
        order = np.argsort(-contributions, kind="stable")
        return [(self.names[columns[k]], float(contributions[k])) for k in order if contributions[k] > 0]

    def judge(self, tags: list[Tag], item: Item, x: csr_matrix, i: int, probabilities: np.ndarray,
              text: str) -> list[Tag]:
        """Rule tags the model rejects are dropped (with the tone they implied), the tags it adds
        without a rule hit come in at their strongest word, and each judged tag says why."""
        present = {t.label for t in tags}
        dropped: set[str] = set()
        shown: list[tuple[int, float]] = []  # (label index, probability) of the labels tagged
        for j, model in enumerate(self.labels):
            p = float(probabilities[j])
            if model.label in present:
                if p < model.keep and model.label not in item.firm:
                    dropped.add(model.label)
                    continue
            elif p < model.add:
                continue
            shown.append((j, p))
        added: list[Tag] = []
        why: dict[str, str] = {}
        if shown:
            lo, hi = x.indptr[i], x.indptr[i + 1]
            columns, values = x.indices[lo:hi], x.data[lo:hi]
            # One gather for all tagged labels: each item's features times their weights.
            contributions = values[:, None] * self.weights[columns][:, [j for j, _ in shown]]
            for k, (j, p) in enumerate(shown):
                label = self.labels[j].label
                column = contributions[:, k]
                top = np.argsort(-column, kind="stable")[:SHOWN]
                names = [self.names[columns[c]] for c in top if column[c] > 0]
                why[label] = f"model {p:.2f}: " + ", ".join(names)
                if label not in present:
                    added.append(self._added(label, p, self.explain(x, i, label), item.tokens, text, why[label]))
        if not dropped and not why:
            return tags
        kept = [
            _with_why(t, why[t.label]) if t.label in why else t for t in tags
            if t.label not in dropped and not (t.tag_set == "polarity" and t.ref in dropped)
        ]
        if not added:
            return kept
        return sorted(kept + added, key=lambda t: (t.start, t.tag_set, t.key, -t.end))

    def _added(self, label: str, p: float, features: list[tuple[str, float]], tokens: Tokens, text: str,
               why: str) -> Tag:
        """A tag without a rule hit stands at its strongest word feature that is a word (the whole
        text if only rule findings and punctuation carried it)."""
        tag_set, key = label.split(":", 1)
        start, end = 0, len(text)
        for name, _ in features:
            found = self.key_of.get(name)
            if found is None or not any(c.isalpha() for c in name) or PERSON in name:
                continue  # a rule finding or punctuation: nothing to point at
            pair = " " in name
            at = np.flatnonzero((pair_keys(tokens.keys) if pair else tokens.keys) == found)
            if len(at):
                start, end = int(tokens.starts[at[0]]), int(tokens.ends[at[0] + pair])
                break
        return Tag(tag_set, key, text[start:end], start, end, round(p, 2), None, why)


def _with_why(tag: Tag, why: str) -> Tag:
    """The model's reasons beside the lexicon's seed reference in `ref`; `value` keeps its own
    meaning (a call's date, 'ontkracht', the context cue)."""
    return tag._replace(ref=f"{tag.ref} · {why}" if tag.ref else why)
