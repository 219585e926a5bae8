"""Pipeline step after every collection pass: tag what is due, then link it to open incidents.

Runs in the collector (never in a page), so the dashboard only ever reads finished tags. Every
run works from durable state, never from "what just arrived": an item is due for tagging when
the current tagger has not read its current content (or, inside an open incident's watch
period, the current context: the places, neighbourhoods and names of open incidents), and due
for linking to an incident when it is not scored for the incident's current profile revision
and its current tags (link_state). So a run killed halfway is caught up by the next one,
whatever that one collects, and a run with nothing due costs one query per step and incident
and no write (about 35 ms at 100,000 items: hash joins on the primary keys).
One item the tagger or the scoring fails on is stored with its error and never stops the rest.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.batch import describe, tag_isolated
from analysis.relevance import ProfileUnion, WatchProfile, default_profile, item_text, links, score_items, union
from onrust.settings import RelevanceSettings, Settings

log = logging.getLogger("onrust.pipeline")

TAG_COLUMNS = ["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score", "value", "ref"]
DEFAULT_AUTHOR = "onrustmonitor"
# progress(fraction 0..1, Dutch message): how a long run tells the dashboard how far it is.
ProgressFn = Callable[[float, str], None]
# score(items, tags, profile, settings) -> item_id, relevance, reasons: analysis.relevance.score_items.
ScoreFn = Callable[[pd.DataFrame, pd.DataFrame, WatchProfile, RelevanceSettings], pd.DataFrame]


def context_key(context: ProfileUnion) -> str:
    """Short stable hash of what the tagger was told about open incidents."""
    if not context.places and not context.involved:
        return ""
    raw = json.dumps([sorted(context.places), sorted(context.involved)], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def tag_rows(item_ids: Sequence[int], tag_lists: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Tagger output as item_tags rows (one per Tag), ready for one Arrow insert."""
    records = [
        (item_id, t.tag_set, t.key, t.text, t.start, t.end, float(t.score),
         None if t.value is None else str(t.value), None if t.ref is None else str(t.ref))
        for item_id, tags in zip(item_ids, tag_lists, strict=True)
        for t in tags
    ]
    frame = pd.DataFrame.from_records(records, columns=TAG_COLUMNS)
    return frame.astype({"item_id": "int64", "start_char": "int32", "end_char": "int32", "score": "float64"})


def open_profiles(store, cfg: RelevanceSettings) -> list[WatchProfile]:
    """Saved profiles of open incidents; an incident without one gets its default saved."""
    profiles = []
    for incident in store.incidents():
        if incident.status != "open":
            continue
        profile = store.watch_profile(incident.id)
        if profile is None:
            profile = default_profile(incident.id, incident.municipality, incident.opened_at,
                                      incident.closed_at, lead_days=cfg.lead_days)
            store.save_watch_profile(profile, DEFAULT_AUTHOR)
            profile = store.watch_profile(incident.id) or profile
        profiles.append(with_registered_names(store, profile))
    return profiles


def with_registered_names(store, profile: WatchProfile) -> WatchProfile:
    """The profile's names plus those registered for the incident elsewhere (persbericht page):
    one register of people involved, used for linking, tagging and masking alike."""
    names = [p.name for p in store.names_to_protect(profile.incident_id)]
    return profile.edited(involved=(*profile.involved, *names)) if names else profile


def settings_tagger(settings: Settings):
    """The process's tagger with the incident lexicons named in [tagging] extra_lexicon_dir."""
    from analysis.tagging import load_tagger

    extra = settings.tagging.extra_lexicon_dir
    if not extra:
        return load_tagger()
    path = Path(extra).expanduser()
    if not path.is_dir():
        raise ValueError(f"Map met extra lexicons bestaat niet: {path}")
    return load_tagger((path,))


def tag_pending(
    store, tagger, context: ProfileUnion, *, since: datetime | None = None, batch_size: int = 500,
    spacy_batch: int = 256, progress: ProgressFn | None = None,
) -> list[int]:
    """Tag every item that is due, batch by batch (one transaction each); returns the ids tagged,
    also those the tagger failed on (stored with their error and no tags, so they are not tried
    again until the tagger version, the context or the item changes).
    A changed context re-tags only items published from `since` (None: all)."""
    key = context_key(context)
    tagged: list[int] = []
    seen: set[int] = set()
    total = store.count_due_for_tagging(tagger.version, key, since) if progress is not None else 0
    while True:
        due = store.items_due_for_tagging(tagger.version, key, batch_size, since)
        if due.empty or seen.issuperset(due["id"]):  # nothing new: never loop on a stuck row
            return tagged
        seen.update(due["id"])
        texts = [item_text(t, s) for t, s in zip(due["title"], due["summary"].fillna(""), strict=True)]
        results = tag_isolated(tagger, texts, extra_places=context.places, involved=context.involved,
                               batch_size=spacy_batch)
        ids = due["id"].astype("int64").tolist()
        for item_id, result in zip(ids, results, strict=True):
            if result.error is not None:
                log.warning("item %s niet getagd: %s", item_id, result.error)
        done = due.rename(columns={"id": "item_id"})[["item_id", "content_hash"]].assign(
            error=[r.error for r in results])
        store.save_item_tags(tagger.version, key, done, tag_rows(ids, [r.tags for r in results]))
        tagged.extend(ids)
        if progress is not None:  # items arriving meanwhile can push the count past `total`
            total = max(total, len(tagged))
            progress(len(tagged) / total, f"{len(tagged)} van {total} items getagd")


def score_isolated(
    items: pd.DataFrame, tags: pd.DataFrame, profile: WatchProfile, cfg: RelevanceSettings, score: ScoreFn
) -> tuple[pd.DataFrame, dict[int, str]]:
    """Scores of a batch and, by item id, why an item could not be scored: the batch at once,
    else (after a failure) item by item, so one bad item never costs the others their links."""
    try:
        return score(items, tags, profile, cfg), {}
    except Exception as exc:  # find the item that breaks scoring; score the rest
        log.warning("koppelen faalde op %d items (%s); nu item voor item", len(items), describe(exc))
    frames, errors = [], {}
    for position in range(len(items)):
        item = items.iloc[[position]]
        item_id = int(item["id"].iloc[0])
        try:
            frames.append(score(item, tags[tags["item_id"] == item_id], profile, cfg))
        except Exception as exc:  # kept with its error, without a link
            errors[item_id] = describe(exc)
            log.warning("item %s niet gekoppeld aan incident %s: %s",
                        item_id, profile.incident_id, errors[item_id])
    if not frames:  # every item failed: no scores, not one more call that may fail
        return pd.DataFrame({"item_id": pd.Series(dtype="int64"), "relevance": pd.Series(dtype=float),
                             "reasons": pd.Series(dtype=str)}), errors
    return pd.concat(frames, ignore_index=True), errors


def link_profile(
    store, profile: WatchProfile, cfg: RelevanceSettings, *, full: bool = False, score: ScoreFn = score_items,
) -> int:
    """Score every tagged item of the watch period that is not yet scored for this profile
    revision and its current tags, batch by batch (links and their state in one transaction
    each); `full` scores them all again. Returns the links found."""
    incident = profile.incident_id
    state = store.profile_link_state(incident)
    if full:
        store.reset_link_state(incident)
    new_revision = state is not None and state[1] != profile.revision
    if full or new_revision:  # the period may have changed: links outside it go
        store.drop_links_outside(incident, profile.period_start, profile.period_end)
    found = 0
    seen: set[int] = set()
    while True:
        items, tags = store.items_due_for_linking(incident, profile.revision, profile.period_start,
                                                  profile.period_end, cfg.link_batch_size)
        if items.empty or seen.issuperset(items["id"]):  # never loop on a row that stays due
            break
        seen.update(items["id"])
        scores, errors = score_isolated(items, tags, profile, cfg, score)
        linked = links(scores, cfg)
        scored = pd.DataFrame({"item_id": items["id"].astype("int64"), "revision": profile.revision,
                               "tagged_at": items["tagged_at"],
                               "error": [errors.get(int(i)) for i in items["id"]]})
        store.replace_item_links(incident, linked, scope=scored["item_id"], scored=scored)
        found += len(linked)
    if full or new_revision:
        # Compared with the revision of *this* profile: one saved meanwhile stays stale for next time.
        store.mark_linked(incident, profile.revision)
    return found


def relink(store, settings: Settings, incident_id: int) -> int:
    """Score all of one incident's items again now (after the analist edited its watch profile);
    returns how many are linked."""
    profile = store.watch_profile(incident_id)
    if profile is None:
        return 0
    link_profile(store, with_registered_names(store, profile), settings.relevance, full=True)
    return store.linked_item_count(incident_id)


def links_up_to_date(store, settings: Settings, incident_id: int) -> None:
    """Before an incident's links are read outside the pipeline (an export from the command line):
    an incident never linked gets its default profile, and whatever is due is linked."""
    for profile in open_profiles(store, settings.relevance):
        if profile.incident_id == incident_id:
            link_profile(store, profile, settings.relevance)
    state = store.profile_link_state(incident_id)
    if state is not None and state[0] != state[1]:  # a closed incident's edited profile
        relink(store, settings, incident_id)


def tag_and_link(
    store, settings: Settings, *, tagger=None, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """The pipeline step: tag what is due, then link to every open incident.
    `progress` hears of every batch tagged (the first 90%) and every incident linked."""
    cfg = settings.relevance
    if tagger is None and progress is not None:
        progress(0.0, "Tagger laden")  # the first load in a process takes seconds
    tagger = tagger or settings_tagger(settings)
    profiles = open_profiles(store, cfg)
    # From the earliest period start; a profile without a start, or no profile at all: no bound.
    starts = [p.period_start for p in profiles if p.period_start is not None]
    since = min(starts) if profiles and len(starts) == len(profiles) else None
    tagged = tag_pending(store, tagger, union(profiles), since=since,
                         batch_size=cfg.tag_batch_size,
                         spacy_batch=settings.tagging.batch_size,
                         progress=None if progress is None else lambda f, m: progress(0.9 * f, m))
    linked: dict[int, int] = {}
    for done, profile in enumerate(profiles):
        if progress is not None:
            progress(0.9 + 0.1 * done / len(profiles), f"Koppelen aan incident {profile.incident_id}")
        linked[profile.incident_id] = link_profile(store, profile, cfg)
    return {"tagger": tagger.version, "getagd": len(tagged), "gekoppeld": linked}


def retag(
    store, settings: Settings, *, everything: bool = False, tagger=None, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """`onrust retag` and the dashboard's "Opnieuw taggen": after a lexicon change, tag what is due
    (with `everything` also what this tagger version tagged before), then re-link."""
    reset = store.reset_tag_state() if everything else 0
    return {**tag_and_link(store, settings, tagger=tagger, progress=progress), "opnieuw_klaargezet": reset}
