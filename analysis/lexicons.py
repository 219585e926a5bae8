"""Lexicon files under data/: one CSV per tag set, read into plain frozen records.

Terms live in data so that a user can extend them per incident (a folder of CSVs with the
same names is appended to the shipped ones) and so that every term keeps its seed reference.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from onrust.paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicons"
PLACES_FILE = DATA_DIR / "places" / "municipalities.csv"

# Tag sets whose terms come from a CSV named after the set.
TERM_SETS = ("scenario", "phase", "dynamiek", "emotion", "polarity", "claim", "actor", "context")
# What a term needs around it before it counts (column `needs`): `context`, a public-order cue
# from context.csv in the same item (004 §1.3: the phases describe collective phenomena, not one
# crime); `incident`, another incident tag (a scenario or phase) in the same item (politisering is
# politics reacting to an incident, 004 §1.2).
NEEDS = frozenset({"", "context", "incident"})
MATCH_KINDS = frozenset({"lemma", "word", "prefix", "infix", "exact", "regex"})
# The PDDL adjective lexicon, derived into a compact CSV (see data/lexicons/README.md).
ADJECTIVES_FILE = "sentiment_adjectives.csv"
# Adjective senses weaker than this are mostly descriptive ("Amsterdams"), not tone.
MIN_ADJECTIVE_POLARITY = 0.3


class LexiconError(ValueError):
    """A lexicon file has a row the tagger cannot use; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Term:
    tag_set: str
    key: str
    term: str
    match: str
    score: float = 1.0
    ref: str | None = None
    exclude: tuple[str, ...] = ()
    needs: str = ""


@dataclass(frozen=True, slots=True)
class Combination:
    """A tag that follows from two others in the same text (e.g. misbruik + zorgaanbieder)."""

    tag_set: str
    key: str
    when_any: tuple[str, ...]
    and_any: tuple[str, ...]
    min_score: float = 0.0
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    province: str
    aliases: tuple[str, ...] = ()
    # A name that is also a common Dutch word (Best, Buren, Putten) is only taken mid-sentence.
    ambiguous: bool = False


def _rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        for number, row in enumerate(csv.DictReader(lines), start=2):
            yield number, {k: (v or "").strip() for k, v in row.items() if k}


def read_terms(path: Path, tag_set: str) -> list[Term]:
    terms = []
    for number, row in _rows(path):
        match = row.get("match") or "lemma"
        if match not in MATCH_KINDS:
            raise LexiconError(f"{path.name}:{number}: onbekende match '{match}'")
        if not row.get("key") or not row.get("term"):
            raise LexiconError(f"{path.name}:{number}: key en term zijn verplicht")
        try:
            score = float(row.get("score") or 1.0)
        except ValueError as exc:
            raise LexiconError(f"{path.name}:{number}: score is geen getal") from exc
        exclude = tuple(x.strip().lower() for x in (row.get("exclude") or "").split("|") if x.strip())
        needs = row.get("needs") or ""
        if needs not in NEEDS:
            raise LexiconError(f"{path.name}:{number}: onbekende needs '{needs}'")
        terms.append(Term(tag_set, row["key"], row["term"], match, score, row.get("ref") or None, exclude, needs))
    return terms


def read_adjectives(path: Path, ignore: frozenset[str] = frozenset()) -> list[Term]:
    """Adjective forms with an averaged polarity, as polarity terms (lemma match)."""
    terms = []
    for _, row in _rows(path):
        polarity = float(row["polarity"])
        if abs(polarity) < MIN_ADJECTIVE_POLARITY or row["form"] in ignore:
            continue
        key = "positief" if polarity > 0 else "negatief"
        terms.append(Term("polarity", key, row["form"], "lemma", round(abs(polarity), 2), "PDDL"))
    return terms


def load_terms(directories: Sequence[Path] = (LEXICON_DIR,)) -> tuple[Term, ...]:
    terms: list[Term] = []
    for directory in directories:
        for tag_set in TERM_SETS:
            path = directory / f"{tag_set}.csv"
            if path.exists():
                terms.extend(read_terms(path, tag_set))
        adjectives = directory / ADJECTIVES_FILE
        if adjectives.exists():
            ignore_file = directory / "sentiment_ignore.txt"
            ignore = load_word_list(ignore_file.name, directory) if ignore_file.exists() else frozenset()
            terms.extend(read_adjectives(adjectives, ignore))
    return tuple(terms)


def load_combinations(directory: Path = LEXICON_DIR) -> tuple[Combination, ...]:
    path = directory / "combinations.csv"
    return tuple(
        Combination(
            row["tag_set"], row["key"], tuple(row["when_any"].split("|")),
            tuple(row["and_any"].split("|")), float(row.get("min_score") or 0.0), row.get("ref") or None,
        )
        for _, row in _rows(path)
    )


def load_tone_rules(directory: Path = LEXICON_DIR) -> dict[str, tuple[str, float]]:
    """label (or 'tag_set:*') -> (polarity key, score): tone implied by other tags."""
    return {
        row["label"]: (row["key"], float(row["score"]))
        for _, row in _rows(directory / "polarity_from_tags.csv")
    }


def load_modifiers(directory: Path = LEXICON_DIR) -> dict[str, float]:
    """Intensity modifiers for emotion words ("enorme woede" > "woede" > "enige woede")."""
    return {row["word"].lower(): float(row["factor"]) for _, row in _rows(directory / "intensifiers.csv")}


def load_word_list(name: str, directory: Path = LEXICON_DIR) -> frozenset[str]:
    """A one-column list (first names, name stop words); '#' lines are comments."""
    path = directory / name
    with path.open(encoding="utf-8") as fh:
        return frozenset(
            line.strip() for line in fh if line.strip() and not line.lstrip().startswith("#")
        )


def _nl_lemma_tables() -> tuple[dict[str, str], dict[str, list[str]]]:
    """spacy-lookups-data's Dutch lemma lookup (form -> lemma) and lemma index (part of speech ->
    lemmas)."""
    data = resources.files("spacy_lookups_data") / "data"
    with (data / "nl_lemma_lookup.json.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    with (data / "nl_lemma_index.json.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        index: dict[str, list[str]] = json.load(fh)
    return table, index


def load_dutch_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case Dutch words (~410,000 forms and lemmas: "Eigen Haard" and "De Schakel" are made
    of ordinary words, "Grapperhaus" and "De Vries" are not) and the verb forms among them that
    can be finite in the singular ("verhuurt", "won", "verloor"), from one read of
    spacy-lookups-data. The lookup holds only forms whose lemma differs ("spijt", "toekomst" are
    missing), so the lemma index adds the base forms. Verb forms: forms of a lemma in the verb
    index other than the lemma, without participles ("ge-", "-d"), plurals and present
    participles ("-en", "-end")."""
    table, index = _nl_lemma_tables()
    words = frozenset(table) | frozenset(table.values()) | frozenset(w for ws in index.values() for w in ws)
    verbs = frozenset(index["verb"])
    verb_forms = frozenset(
        form for form, lemma in table.items()
        if lemma in verbs and form != lemma and not form.startswith("ge")
        and not form.endswith(("en", "end", "ende", "d"))
    )
    return words, verb_forms


def load_keyed_list(name: str, directory: Path = LEXICON_DIR) -> dict[str, tuple[str, ...]]:
    """A CSV with columns key,word: words grouped per key (language function words)."""
    grouped: dict[str, list[str]] = {}
    for _, row in _rows(directory / name):
        grouped.setdefault(row["key"], []).append(row["word"].lower())
    return {key: tuple(words) for key, words in grouped.items()}


def load_municipalities(path: Path = PLACES_FILE) -> tuple[Municipality, ...]:
    return tuple(
        Municipality(
            row["name"], row["province"],
            tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
            row.get("ambiguous", "").lower() in {"1", "true", "ja"},
        )
        for _, row in _rows(path)
    )


def fingerprint(paths: Iterable[Path]) -> str:
    """Hash of the data files' bytes: a stored tag says which lexicon version made it."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def data_files(directories: Sequence[Path] = (LEXICON_DIR,)) -> list[Path]:
    files = [PLACES_FILE] if PLACES_FILE.exists() else []
    for directory in directories:
        files.extend(p for p in directory.iterdir() if p.suffix in {".csv", ".txt"})
    return files
