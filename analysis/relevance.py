"""Which items belong to an incident: the watch profile and a 0..1 relevance per item.

Scoring (documented for the analist, who must be able to explain why an item is linked):

  relevance = 1 - (1 - w_terms·f_terms)(1 - w_places·f_places)(1 - w_actors·f_actors)
                  (1 - w_involved·f_involved)(1 - w_unrest·f_unrest)

a "noisy or": every kind of evidence can raise the score on its own, several kinds together
raise it further, and it never exceeds 1. The factors f are 0..1:

- f_terms: distinct profile terms found, a term in the title counting twice, divided by
  `term_saturation` and capped at 1 (one term in the title is as strong as two in the body);
- f_places: 1 when a profile place or neighbourhood is named in the text or tagged as a place;
- f_actors: distinct profile actors named or tagged as actors, divided by 2, capped at 1;
- f_involved: 1 when the name of someone involved is mentioned;
- f_unrest: 1 when the item carries a tag of an unrest set (phase markers, dynamics, claims,
  emotions).

Items published outside the profile's period score 0. An item is linked when its relevance
reaches `threshold`. With the shipped weights a place alone (0.35) does not link, a place with
unrest tags (0.45) does, one term in the title (0.6) does. A profile term ending in `*` matches
any word starting with it ("brand*" finds "brandstichting"). Matching ignores case and accents,
except for acronyms ("ME", "OM"), which must be written in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from onrust.models import WatchProfile
from onrust.settings import RelevanceSettings
from onrust.text import distinct_phrases, normalize, normalize_series


def item_text(title: str, summary: str) -> str:
    """The text that is tagged and scored; tag offsets point into it (the item view highlights)."""
    return f"{title}\n{summary}" if summary else title


def default_profile(
    incident_id: int, municipality: str, opened_at: datetime, closed_at: datetime | None,
    *, lead_days: int = 2,
) -> WatchProfile:
    """Before the analist edits anything: the municipality, from shortly before the incident."""
    return WatchProfile(
        incident_id=incident_id,
        places=(municipality,),
        period_start=opened_at - timedelta(days=lead_days),
        period_end=closed_at + timedelta(days=lead_days) if closed_at is not None else None,
    )


def phrase_pattern(phrase: str) -> str:
    """Regex for one profile entry on normalized text: whole words, `*` = any word ending."""
    norm = normalize(phrase.strip())
    prefix = norm.endswith("*")
    words = [re.escape(w) for w in norm.rstrip("*").split()]
    body = r"\s+".join(words)
    return r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)")


def is_acronym(phrase: str) -> bool:
    """'ME', 'OM', 'GGD': matched with their capitals, or 'me' and 'om' would match everywhere."""
    word = phrase.strip().rstrip("*")
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


def _hits(text: pd.Series, phrases: Iterable[str], raw: pd.Series | None = None) -> dict[str, np.ndarray]:
    """Per phrase, a boolean array of the items whose normalized text contains it (acronyms:
    the raw text, case-sensitive)."""
    out = {}
    for p in phrases:
        if not p.strip("* "):
            continue
        if raw is not None and is_acronym(p):
            pattern = r"(?<!\w)" + re.escape(p.strip().rstrip("*")) + r"(?!\w)"
            out[p] = raw.str.contains(pattern, regex=True).to_numpy(bool)
        else:
            out[p] = text.str.contains(phrase_pattern(p), regex=True).to_numpy(bool)
    return out


def _tag_hits(tags: pd.DataFrame, ids: pd.Series, tag_set: str, phrases: Iterable[str]) -> dict[str, np.ndarray]:
    """Per phrase, which items carry a `tag_set` tag whose key or matched text is that phrase."""
    sub = tags[tags["tag_set"] == tag_set] if not tags.empty else tags
    out: dict[str, np.ndarray] = {}
    if sub.empty:
        return out
    keys = sub["tag_key"].astype(str).map(normalize)
    matched = sub["matched"].astype(str).map(normalize) if "matched" in sub else keys
    for phrase in phrases:
        norm = normalize(phrase).rstrip("*").strip()
        if not norm:
            continue
        hit_ids = set(sub.loc[(keys == norm) | (matched == norm), "item_id"])
        out[phrase] = ids.isin(hit_ids).to_numpy(bool)
    return out


def _name_words(names: Iterable[str]) -> set[str]:
    """Distinctive words of names: 'Mark de Vries' -> {'mark', 'vries'} (particles dropped)."""
    return {w for name in names for w in re.findall(r"\w+", normalize(name)) if len(w) >= 3}


def _involved_tag_hits(tags: pd.DataFrame, ids: pd.Series, involved: Sequence[str]) -> dict[str, np.ndarray]:
    """The tagger marks variants of involved names ("M. de Vries") as person:betrokkene;
    such a tag counts for this profile when it shares a name word with one of its names."""
    if tags.empty or not involved:
        return {}
    sub = tags[(tags["tag_set"] == "person") & (tags["tag_key"] == "betrokkene")]
    out = {}
    for name in involved:
        words = _name_words([name])
        hit = sub["matched"].astype(str).map(lambda m, words=words: bool(words & _name_words([m])))
        out[name] = ids.isin(set(sub.loc[hit, "item_id"])).to_numpy(bool)
    return out


def _any(hits: dict[str, np.ndarray], n: int) -> np.ndarray:
    return np.logical_or.reduce(list(hits.values())) if hits else np.zeros(n, bool)


def _count(hits: dict[str, np.ndarray], n: int) -> np.ndarray:
    return np.sum(list(hits.values()), axis=0).astype(float) if hits else np.zeros(n)


def _merge(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.logical_or(a.get(k, False), b.get(k, False)) for k in a.keys() | b.keys()}


def score_items(
    items: pd.DataFrame, tags: pd.DataFrame, profile: WatchProfile, cfg: RelevanceSettings
) -> pd.DataFrame:
    """Relevance of every item for one profile, with the reasons ('term: brand; plaats: X').

    `items` has id, title, summary, published_at; `tags` has item_id, tag_set, tag_key,
    matched. Returns item_id, relevance, reasons (one row per item, in the items' order).
    """
    n = len(items)
    if n == 0:
        return pd.DataFrame({"item_id": pd.Series(dtype="int64"), "relevance": pd.Series(dtype=float),
                             "reasons": pd.Series(dtype=str)})
    ids = items["id"].reset_index(drop=True)
    raw_title = items["title"].fillna("").astype(str).reset_index(drop=True)
    raw = pd.Series([item_text(t, s) for t, s in zip(raw_title, items["summary"].fillna(""), strict=True)],
                    dtype=object)
    title, body = normalize_series(raw_title), normalize_series(raw)

    term_body, term_title = _hits(body, profile.terms, raw), _hits(title, profile.terms, raw_title)
    places = _merge(_hits(body, profile.all_places, raw), _tag_hits(tags, ids, "place", profile.all_places))
    actors = _merge(_hits(body, profile.actors, raw), _tag_hits(tags, ids, "actor", profile.actors))
    involved = _merge(_hits(body, profile.involved), _involved_tag_hits(tags, ids, profile.involved))
    unrest_ids = set(tags.loc[tags["tag_set"].isin(cfg.unrest_tag_sets), "item_id"]) if not tags.empty else set()

    f_terms = np.minimum(1.0, (_count(term_body, n) + _count(term_title, n)) / max(cfg.term_saturation, 1))
    f_places = _any(places, n).astype(float)
    f_actors = np.minimum(1.0, _count(actors, n) / 2)
    f_involved = _any(involved, n).astype(float)
    f_unrest = ids.isin(unrest_ids).to_numpy(float)
    keep = np.ones(n)
    for weight, factor in (
        (cfg.weight_terms, f_terms), (cfg.weight_places, f_places), (cfg.weight_actors, f_actors),
        (cfg.weight_involved, f_involved), (cfg.weight_unrest, f_unrest),
    ):
        keep = keep * (1.0 - weight * factor)
    relevance = 1.0 - keep

    published = pd.to_datetime(items["published_at"], utc=True).reset_index(drop=True)
    inside = np.ones(n, bool)
    if profile.period_start is not None:
        inside &= (published >= pd.Timestamp(profile.period_start)).to_numpy(bool)
    if profile.period_end is not None:
        inside &= (published <= pd.Timestamp(profile.period_end)).to_numpy(bool)
    relevance = np.where(inside, np.round(relevance, 4), 0.0)

    reasons = _reasons(n, [("term", _merge(term_body, term_title)), ("plaats", places), ("actor", actors)],
                       involved, f_unrest, inside)
    return pd.DataFrame({"item_id": ids.to_numpy(), "relevance": relevance, "reasons": reasons})


def _reasons(n: int, named: list[tuple[str, dict[str, np.ndarray]]], involved: dict[str, np.ndarray],
             unrest: np.ndarray, inside: np.ndarray) -> list[str]:
    """Human-readable why; involved names are shown as 'betrokkene', never by name."""
    parts: list[list[str]] = [[] for _ in range(n)]
    for label, hits in named:
        for phrase, mask in hits.items():
            for i in np.flatnonzero(mask):
                parts[i].append(f"{label}: {phrase}")
    for i in np.flatnonzero(_any(involved, n)):
        parts[i].append("betrokkene genoemd")
    for i in np.flatnonzero(unrest):
        parts[i].append("onrustkenmerken")
    for i in np.flatnonzero(~inside):
        parts[i] = ["buiten de periode"]
    return ["; ".join(sorted(p)) for p in parts]


def links(scores: pd.DataFrame, cfg: RelevanceSettings) -> pd.DataFrame:
    """The scored items that reach the threshold."""
    return scores[scores["relevance"] >= cfg.threshold].reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class ProfileUnion:
    """What the tagger needs from all open incidents together."""

    places: tuple[str, ...] = ()
    involved: tuple[str, ...] = ()


def union(profiles: Iterable[WatchProfile]) -> ProfileUnion:
    profiles = list(profiles)
    return ProfileUnion(
        places=distinct_phrases(p for prof in profiles for p in prof.all_places),
        involved=distinct_phrases(p for prof in profiles for p in prof.involved),
    )
