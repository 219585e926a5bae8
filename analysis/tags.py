"""The tag record shared by the tagger and the person-name detector (no spaCy import here,
so the press-release checker can use persons.py without loading a language pipeline)."""

from __future__ import annotations

from typing import NamedTuple


class Tag(NamedTuple):
    """Immutable; a NamedTuple because the tagger builds ~35 per item on the hot path and a
    tuple is built several times faster than a frozen dataclass."""

    tag_set: str
    key: str
    text: str
    start: int
    end: int
    score: float = 1.0
    value: str | None = None  # e.g. ISO date of an announced demonstration, province of a place
    # Seed section of the lexicon term, e.g. "004 §1.3 fase 4"; for a tag the classifier judged also
    # its reasons after " · " ("model 0.93: regel scenario:niet_natuurlijke_dood, verdronken, man").
    ref: str | None = None

    @property
    def label(self) -> str:
        return f"{self.tag_set}:{self.key}"
