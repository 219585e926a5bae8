"""One item's resolved reading: the net tone, the claim status and the phase marker that counts.

The tagger reports every match, so one item can carry "toon: positief" and "toon: negatief",
"claim: feit" and "claim: gerucht", "fase: terugkeer" and "fase: escalatie". A reader wants one
answer per question, with the raw matches behind a detail. Pure: tag rows in, a Reading out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

# The net tone needs this much more of one side (the scores summed): the tagger's net_polarity.
TONE_THRESHOLD = 0.3
# A fact marker this strong is an official confirmation (analysis.tagging STRONG).
STRONG_FACT = 0.8
# 004 §1.3: the phases in their order; a later one describes where the item has got to.
PHASE_ORDER = ("dreigend", "onrust", "escalatie", "terugkeer")
RESOLVED_SETS = frozenset({"polarity", "claim", "phase"})


@dataclass(frozen=True, slots=True)
class Reading:
    tone: str | None  # 'positief', 'negatief', 'gemengd' (both, neither wins) or None (no tone)
    claim: str | None  # 'feit', 'gerucht', 'ontkracht' (a rumour refuted) or 'feit, noemt gerucht'
    phase: str | None  # the phase key that counts
    conflicts: tuple[str, ...] = ()  # the questions whose matches disagreed: 'toon', 'claim', 'fase'

    def chips(self) -> tuple[tuple[str, str], ...]:
        """(tag_set, key) of the resolved answers, in chip order."""
        found = [("phase", self.phase), ("polarity", self.tone), ("claim", self.claim)]
        return tuple((s, k) for s, k in found if k is not None)


def net_tone(scores: Iterable[tuple[str, float]], threshold: float = TONE_THRESHOLD) -> str | None:
    """'negatief' or 'positief' when one side wins by `threshold`; None otherwise."""
    total = sum(score if key == "positief" else -score for key, score in scores)
    if total <= -threshold:
        return "negatief"
    if total >= threshold:
        return "positief"
    return None


def _claim(claims: pd.DataFrame, refuted: bool) -> str | None:
    if claims.empty:
        return None
    if refuted or (claims["value"] == "ontkracht").any():
        return "ontkracht"
    keys = set(claims["tag_key"])
    if keys == {"feit"}:
        return "feit"
    if keys == {"gerucht"}:
        return "gerucht"
    strong = claims.loc[claims["tag_key"] == "feit", "score"].max() >= STRONG_FACT
    return "feit, noemt gerucht" if strong else "gerucht"


def _phase(keys: set[str]) -> str | None:
    """A return to calm is reported after what it ends ("na de rellen keert de rust terug"), so
    terugkeer counts over the rest; otherwise the furthest phase named."""
    known = [k for k in PHASE_ORDER if k in keys]
    return known[-1] if known else (sorted(keys)[0] if keys else None)


def resolve(item_tags: pd.DataFrame, *, refuted: bool = False) -> Reading:
    """The reading of one item from its tag rows (tag_set, tag_key, score, value); `refuted` when
    the item names a rumour to refute it (analysis.rumours.debunk_items: "stop met die geruchten"
    carries no official fact marker, so the tagger alone does not mark it)."""
    if item_tags.empty:
        return Reading(None, None, None)
    item_tags = item_tags.assign(**{c: d for c, d in (("score", 1.0), ("value", None)) if c not in item_tags})
    polar = item_tags[item_tags["tag_set"] == "polarity"]
    keys = set(polar["tag_key"])
    tone = net_tone(zip(polar["tag_key"], polar["score"], strict=True))
    if tone is None and keys:
        tone = "gemengd" if len(keys) > 1 else None
    claims = item_tags[item_tags["tag_set"] == "claim"]
    phases = set(item_tags.loc[item_tags["tag_set"] == "phase", "tag_key"])
    conflicts = tuple(label for label, many in (
        ("toon", len(keys) > 1), ("claim", claims["tag_key"].nunique() > 1), ("fase", len(phases) > 1)) if many)
    return Reading(tone, _claim(claims, refuted), _phase(phases), conflicts)
