"""Pipeline step after every ingestion: tag new items, then link them to open incidents.

Runs in the collector (never in a page), so the dashboard only ever reads finished tags.
Idempotent: an item is tagged again only when the tagger version or the item's content
changed, or (for items inside an open incident's watch period) the context given to the
tagger: the places, neighbourhoods and names of open incidents. Links are rebuilt in full only
when a watch profile was edited since they were built; otherwise only new items are scored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.relevance import ProfileUnion, WatchProfile, default_profile, item_text, links, score_items, union
from onrust.settings import RelevanceSettings, Settings

TAG_COLUMNS = ["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char", "score", "value", "ref"]
DEFAULT_AUTHOR = "onrustmonitor"
# progress(fraction 0..1, Dutch message): how a long run tells the dashboard how far it is.
ProgressFn = Callable[[float, str], None]


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
    """Tag every item that is due, batch by batch (one transaction each); returns the ids tagged.
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
        results = tagger.tag_many(texts, extra_places=context.places, involved=context.involved,
                                  batch_size=spacy_batch)
        ids = due["id"].astype("int64").tolist()
        store.save_item_tags(
            tagger.version, key, due.rename(columns={"id": "item_id"})[["item_id", "content_hash"]],
            tag_rows(ids, results),
        )
        tagged.extend(ids)
        if progress is not None:  # items arriving meanwhile can push the count past `total`
            total = max(total, len(tagged))
            progress(len(tagged) / total, f"{len(tagged)} van {total} items getagd")


def link_profile(
    store, profile: WatchProfile, cfg: RelevanceSettings, tagged: Sequence[int] | None, *, full: bool = False
) -> int:
    """Score and store links for one incident: in full when its profile changed (or `full`),
    else only the items just tagged."""
    state = store.profile_link_state(profile.incident_id)
    # Compared with the revision of *this* profile: one saved meanwhile stays stale for next time.
    stale = full or state is None or state[1] != profile.revision
    if not stale and not tagged:
        return 0
    scope = None if stale or tagged is None else pd.Series(list(tagged), dtype="int64")
    items, tags = store.items_for_linking(profile.period_start, profile.period_end, scope)
    found = links(score_items(items, tags, profile, cfg), cfg)
    store.replace_item_links(profile.incident_id, found, scope=scope,
                             revision=profile.revision if stale and profile.revision else None)
    return len(found)


def relink(store, settings: Settings, incident_id: int) -> int:
    """Rebuild one incident's links now (after the analist edited its watch profile)."""
    cfg = settings.relevance
    profile = store.watch_profile(incident_id)
    if profile is None:
        return 0
    return link_profile(store, with_registered_names(store, profile), cfg, None, full=True)


def links_up_to_date(store, settings: Settings, incident_id: int) -> None:
    """Before an incident's links are read outside the pipeline (an export from the command line):
    an incident never linked gets its default profile, a profile edited while no collector ran
    is linked again."""
    open_profiles(store, settings.relevance)
    state = store.profile_link_state(incident_id)
    if state is not None and state[0] != state[1]:
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
        linked[profile.incident_id] = link_profile(store, profile, cfg, tagged)
    return {"tagger": tagger.version, "getagd": len(tagged), "gekoppeld": linked}


def retag(
    store, settings: Settings, *, everything: bool = False, tagger=None, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """`onrust retag` and the dashboard's "Opnieuw taggen": after a lexicon change, tag what is due
    (with `everything` also what this tagger version tagged before), then re-link."""
    reset = store.reset_tag_state() if everything else 0
    return {**tag_and_link(store, settings, tagger=tagger, progress=progress), "opnieuw_klaargezet": reset}
