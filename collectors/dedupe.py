"""Near-duplicate grouping into stories, and attribution of the original publisher. Pure.

The same story reaches us through many feeds: wire copy from ANP printed by ten regional
outlets, a national broadcaster's article in its general and domestic feeds. Analysis must count
items, stories and original publishers separately, so every new item gets a story id and an
original publisher.

Grouping never compares items pairwise. Each item yields blocking keys; items sharing a key
(in the batch, or with a stored story seen within the window) are one story:
- `t:` the normalised title (at least four words: 'Het weer' is not a story),
- `l:` the normalised lead, the first 20 words of the body (identical bodies = syndication),
- `m<b>:` MinHash LSH bands over word 2-shingles of title + lead, for copies with small edits
  (5 bands of 4 rows: pairs with Jaccard similarity above ~0.67 almost always share a band).
All hashing is vectorised over the batch (pandas' stable SipHash, numpy MinHash), so 100,000
items take seconds and keys are the same in every process. The store asks `plan_stories` for the
plan of a batch and writes it; what it knows of stored stories comes in through a lookup.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from datetime import timedelta

import numpy as np
import pandas as pd

from onrust.models import StoryGroups, StoryLookup, StoryPlan

# ANP copies carry "(ANP)" in the lead or "ANP" as author; count them once, for ANP.
WIRE_AGENCIES = {"anp": "ANP", "reuters": "Reuters", "afp": "AFP", "ap": "AP", "belga": "Belga",
                 "dpa": "DPA", "novum": "Novum"}
_AGENCY = "|".join(WIRE_AGENCIES)
_WIRE = re.compile(rf"\(\s*({_AGENCY})\s*\)|^\s*(?:[A-Z][\w'-]+\s+)?({_AGENCY})\s*[-–—:]\s|\bbron:\s*({_AGENCY})\b",
                   re.IGNORECASE)
_WIRE_STRIP = re.compile(rf"\(\s*(?:{_AGENCY})\s*\)|\bbron:\s*(?:{_AGENCY})\b", re.IGNORECASE)
# Dateline of wire copy ("AMSTERDAM (ANP) - "): outlets keep or drop it, so leads ignore it.
_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý'. -]{2,40}\s*(?:\(\s*\w+\s*\))?\s*[-–—]\s+")
_WORD = re.compile(r"\w+")

TITLE_MIN_WORDS = 4
LEAD_WORDS = 20
LEAD_MIN_WORDS = 12
SHINGLE_WORDS = 60          # title + start of the body: where copies agree most
SHINGLE_MIN = 6
BANDS, ROWS = 5, 4
_CHUNK = 5000               # bounds memory: 5,000 items x 60 shingles x 20 hashes
_rng = np.random.default_rng(20261114)  # fixed: keys must be identical in every process
_PERM_A = (_rng.integers(1, 2**63 - 1, BANDS * ROWS, dtype=np.uint64) | np.uint64(1))
_PERM_B = _rng.integers(0, 2**63 - 1, BANDS * ROWS, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def wire_agency(title: pd.Series, summary: pd.Series, author: pd.Series) -> pd.Series:
    """The wire service an item is copied from, where the text says so; else None."""
    text = title.fillna("") + "\n" + summary.fillna("").str.slice(0, 400)
    found = text.str.extract(_WIRE).astype(object)
    named = found[0].combine_first(found[1]).combine_first(found[2])
    agency = named.map(lambda v: WIRE_AGENCIES.get(v.lower()) if isinstance(v, str) else None)
    by_author = author.map(lambda a: WIRE_AGENCIES.get(a.strip().lower()) if isinstance(a, str) else None)
    return agency.where(agency.notna(), by_author).astype(object)


def _normalised_words(text: pd.Series) -> pd.Series:
    text = text.fillna("").str.replace(_DATELINE, "", regex=True)
    return text.str.replace(_WIRE_STRIP, " ", regex=True).str.lower().str.findall(_WORD)


def _hash_words(words: pd.Series) -> pd.Series:
    joined = words.str.join(" ")
    return pd.Series(pd.util.hash_array(joined.to_numpy(dtype=object)), index=words.index)


def _minhash(words: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (rows with enough shingles) -> (row positions, signatures)."""
    lens = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    flat = list(itertools.chain.from_iterable(words))
    if len(flat) < 2:
        return np.empty(0, dtype=np.int64), np.empty((0, BANDS * ROWS), dtype=np.uint64)
    h = pd.util.hash_array(np.asarray(flat, dtype=object))
    row_of = np.repeat(np.arange(len(words)), lens)
    same = row_of[:-1] == row_of[1:]
    with np.errstate(over="ignore"):
        shingles = (h[:-1] * _MIX) ^ h[1:]
    shingles, srow = shingles[same], row_of[:-1][same]
    counts = np.bincount(srow, minlength=len(words))
    rows = np.flatnonzero(counts >= SHINGLE_MIN)
    if rows.size == 0:
        return rows, np.empty((0, BANDS * ROWS), dtype=np.uint64)
    keep = counts[srow] >= SHINGLE_MIN
    shingles, srow = shingles[keep], srow[keep]
    starts = np.flatnonzero(np.r_[True, srow[1:] != srow[:-1]])
    with np.errstate(over="ignore"):
        perm = shingles[None, :] * _PERM_A[:, None] + _PERM_B[:, None]
    sig = np.minimum.reduceat(perm, starts, axis=1).T
    return rows, sig


def story_keys(title: pd.Series, summary: pd.Series) -> pd.DataFrame:
    """Blocking keys per row position: DataFrame(row, key)."""
    title = title.reset_index(drop=True)
    summary = summary.reset_index(drop=True)
    parts = []
    for start in range(0, len(title), _CHUNK):
        t_words = _normalised_words(title.iloc[start:start + _CHUNK])
        # The lead and the shingled start need ~60 words; long bodies are cut before the regexes.
        b_words = _normalised_words(summary.iloc[start:start + _CHUNK].str.slice(0, 600))
        tlen = t_words.str.len()
        ok = tlen >= TITLE_MIN_WORDS
        parts.append(pd.DataFrame({"row": t_words.index[ok],
                                   "key": "t:" + _hex(_hash_words(t_words[ok]))}))
        lead = b_words.str.slice(0, LEAD_WORDS)
        ok = b_words.str.len() >= LEAD_MIN_WORDS
        parts.append(pd.DataFrame({"row": lead.index[ok], "key": "l:" + _hex(_hash_words(lead[ok]))}))
        both = [t + b[:SHINGLE_WORDS] for t, b in zip(t_words, b_words, strict=True)]
        rows, sig = _minhash(both)
        if rows.size:
            for band in range(BANDS):
                block = sig[:, band * ROWS:(band + 1) * ROWS]
                with np.errstate(over="ignore"):
                    value = block[:, 0]
                    for col in range(1, ROWS):
                        value = value * _MIX ^ block[:, col]
                parts.append(pd.DataFrame({"row": rows + start,
                                           "key": f"m{band}:" + _hex(pd.Series(value))}))
    if not parts:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "key": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)


def _hex(values: pd.Series) -> pd.Series:
    arr = values.to_numpy(dtype=np.uint64)
    return pd.Series([format(int(v), "016x") for v in arr], index=values.index, dtype=object)


def group_rows(n_rows: int, keys: pd.DataFrame, known: Mapping[str, int]) -> StoryGroups:
    """Connected components of rows linked through shared keys (and through stored stories)."""
    if n_rows == 0:
        return StoryGroups(np.empty(0, np.int64), np.empty(0, np.int64), {})
    codes, uniques = pd.factorize(keys["key"])
    left = keys["row"].to_numpy(dtype=np.int64)
    right = codes.astype(np.int64) + n_rows
    labels = np.arange(n_rows + len(uniques), dtype=np.int64)
    while left.size:
        low = np.minimum(labels[left], labels[right])
        nxt = labels.copy()
        np.minimum.at(nxt, left, low)
        np.minimum.at(nxt, right, low)
        nxt = nxt[nxt]
        if np.array_equal(nxt, labels):
            break
        labels = nxt
    row_label = labels[:n_rows]
    group, label_index = pd.factorize(row_label)
    group = group.astype(np.int64)
    known_story = np.full(len(label_index), -1, dtype=np.int64)
    merges: dict[int, int] = {}
    stored = pd.Series(uniques).map(known)
    if stored.notna().any():
        hit = stored.notna().to_numpy()
        pairs = pd.DataFrame({"label": labels[n_rows:][hit],
                              "story": stored[hit].astype(np.int64).to_numpy()}).drop_duplicates()
        keep = pairs.groupby("label")["story"].min()
        pos = pd.Series(np.arange(len(label_index)), index=label_index)
        known_story[pos[keep.index].to_numpy()] = keep.to_numpy()
        pairs["keep"] = pairs["label"].map(keep)
        moved = pairs[pairs["story"] != pairs["keep"]]
        merges = dict(zip(moved["story"].astype(int), moved["keep"].astype(int), strict=True))
    return StoryGroups(group, known_story, merges)


def original_publishers(
    fresh: pd.DataFrame,
    keys: pd.DataFrame,
    stored_first: Mapping[str, str | None],
    *,
    publisher: str | None,
    publisher_from_author: bool = False,
) -> tuple[pd.Series, dict[str, str | None]]:
    """Who first published each new item: wire agency named in the text, else the first
    publisher of an identical lead (stored, else the earliest row of the batch, which arrives
    sorted by publication time), else the item's own outlet.

    Aggregators (search feeds, GDELT) name the outlet per item, hence `publisher_from_author`.
    Returns the per-row publisher and the first publisher per lead key, for story_keys.
    """
    own = pd.Series(publisher, index=fresh.index, dtype=object)
    if publisher_from_author:
        own = fresh["author"].where(fresh["author"].notna(), own)
    agency = wire_agency(fresh["title"], fresh["summary"], fresh["author"])
    direct = agency.combine_first(own)
    leads = keys[keys["key"].str.startswith("l:")]
    first = leads.assign(pub=direct.to_numpy()[leads["row"].to_numpy()]).drop_duplicates("key")
    lead_pub = {k: stored_first.get(k) or p for k, p in zip(first["key"], first["pub"], strict=True)}
    by_row = leads.assign(pub=leads["key"].map(lead_pub)).drop_duplicates("row")
    via_lead = pd.Series(by_row["pub"].to_numpy(), index=by_row["row"].to_numpy(), dtype=object)
    original = agency.combine_first(via_lead.reindex(fresh.index)).combine_first(own)
    return original.astype(object).where(original.notna(), None), lead_pub


def plan_stories(
    fresh: pd.DataFrame,
    known: StoryLookup,
    *,
    publisher: str | None,
    publisher_from_author: bool,
    window: timedelta,
) -> StoryPlan:
    """Story groups and original publishers for new items (rows sorted by publication time).

    A stored story is continued only when one of its keys was seen within `window` before the
    batch: the same headline a week later is a new story.
    """
    keys = story_keys(fresh["title"], fresh["summary"])
    stored = known(keys["key"].drop_duplicates(), fresh["fetched_at"].min() - window)
    groups = group_rows(len(fresh), keys, dict(zip(stored["key"], stored["story_id"], strict=True)))
    original, lead_pub = original_publishers(
        fresh, keys, dict(zip(stored["key"], stored["first_publisher"], strict=True)),
        publisher=publisher, publisher_from_author=publisher_from_author)
    return StoryPlan(keys, groups, original, lead_pub)
