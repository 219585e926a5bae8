"""The rumour tracker (004 §3.1 geruchten, 004 Bijlage 4 "de geruchtenstroom indammen"): every
rumour of an incident with its status (onbevestigd, bevestigd, ontkracht), what confirmed or
refuted it and when.

Pure. A rumour is a group of mentions: items tagged claim:gerucht and signals of kind gerucht.
Mentions join one rumour when they are of the same story or share enough distinctive key terms
(word stems that are not common to the whole incident: "vrijgelaten" and "vrijlating" share
"vrijlat", but "jeugdtrainer" is in half of the items and tells rumours apart from nothing).
Evidence, in time order, moves the status: a debunk item (the tagger's 'ontkracht' value, or a
denial cue such as "onjuist" or "stop met die geruchten"), a strong fact marker that confirms
("bevestigt") with shared key terms, and the verification of a rumour signal. The analist's own
verdict (RumourVerdict) overrides all of that.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.omgevingsbeeld_text import item_sentences
from analysis.relevance import item_text
from onrust.models import RumourVerdict
from onrust.text import normalize

OPEN, CONFIRMED, REFUTED = "onbevestigd", "bevestigd", "ontkracht"
_ORDER = {OPEN: 0, CONFIRMED: 1, REFUTED: 2}
_WORDS = re.compile(r"[a-z]+")
_SUFFIXES = ("ingen", "ing", "en", "e", "s")


@dataclass(frozen=True, slots=True)
class RumourRules:
    """From data/omgevingsbeeld.toml [geruchten] (cues normalized)."""

    denial_cues: tuple[str, ...]
    confirm_cues: tuple[str, ...]
    stop_words: frozenset[str]
    min_shared: int  # distinctive stems two mentions share to be one rumour
    min_confirm: int  # distinctive stems a confirmation shares with it (a false 'bevestigd' misleads most)
    common_share: float  # a stem in more than this share of the incident's items is not distinctive
    common_min_items: int  # below this many items every stem counts
    strong_fact: float  # fact markers at least this strong can confirm

    def denial(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in self.denial_cues) + ")")


@dataclass(frozen=True, slots=True)
class Evidence:
    ref: str  # 'item:12' or 'signal:4'
    title: str
    source: str
    at: datetime | None
    how: str  # "zelfde verhaal", "gedeelde kernwoorden: vrijlat", "beoordeling van het signaal", "handmatig door X"


@dataclass(frozen=True, slots=True)
class Rumour:
    key: str  # the first mention's ref: stable while mentions are added
    text: str
    status: str
    first_at: datetime | None
    mentions: int
    sources: tuple[str, ...]
    terms: tuple[str, ...]  # the distinctive stems it is matched on
    evidence: Evidence | None = None
    refs: tuple[str, ...] = ()  # every mention
    manual: bool = False
    note: str = ""
    origin: str = ""  # where it was first seen: the first mention's title and source

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rumour:
        values = dict(data)
        ev = values.get("evidence")
        if isinstance(ev, Mapping):
            at = ev.get("at")
            values["evidence"] = Evidence(**{**ev, "at": datetime.fromisoformat(at) if isinstance(at, str) else at})
        if isinstance(values.get("first_at"), str):
            values["first_at"] = datetime.fromisoformat(values["first_at"])
        for key in ("sources", "terms", "refs"):
            values[key] = tuple(values.get(key, ()))
        return cls(**values)


@dataclass(slots=True)
class _Group:
    key: str
    text: str
    first_at: datetime | None
    origin: str = ""
    spread_text: str = ""  # the first mention that spreads it (a debunk may come first)
    stories: set[int] = field(default_factory=set)
    stems: Counter[str] = field(default_factory=Counter)
    core: set[str] = field(default_factory=set)  # what it is matched on: its first wording, no chain
    claim: set[str] = field(default_factory=set)  # the first spreading wording: what a confirmation confirms
    refs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    events: list[tuple[datetime | None, str, Evidence]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Mention:
    ref: str
    title: str
    wording: str  # what the rumour says: the sentences carrying it, or the signal's text
    source: str
    at: datetime | None
    story: int | None
    stems: frozenset[str]
    refutes: bool


def stem(word: str) -> str:
    """A crude Dutch stem, enough to match a rumour's wording: one inflection ending off, and a
    participle's inner "ge" ("vrijgelaten" and "vrijlating" are both "vrijlat")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    inner = word.find("ge", 3)
    if inner > 0 and len(word) >= 7:
        word = word[:inner] + word[inner + 2:]
    return word


def stems(text: str, stop_words: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORDS.findall(normalize(text)) if len(w) >= 4 and w not in stop_words)


def _when(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def common_stems(items: pd.DataFrame, rules: RumourRules) -> frozenset[str]:
    """Stems in too many of the incident's items to tell one rumour from another."""
    if len(items) < rules.common_min_items:
        return frozenset()
    counts: Counter[str] = Counter()
    # Wire copies share their text: count the distinct (title, summary) pairs in pandas, then
    # stem each text once.
    pairs = pd.DataFrame({"title": items["title"], "summary": items["summary"].fillna("")}).value_counts(
        sort=False, dropna=False)
    texts: Counter[str] = Counter()
    for (title, summary), copies in pairs.items():
        texts[item_text(title, summary)] += int(copies)
    for text, copies in texts.items():
        for found in stems(text, rules.stop_words):
            counts[found] += copies
    limit = rules.common_share * len(items)
    return frozenset(s for s, n in counts.items() if n > limit)


def debunk_items(items: pd.DataFrame, tags: pd.DataFrame, rules: RumourRules) -> set[int]:
    """Items that name a rumour to refute it: never an open rumour, never a call to action."""
    if tags.empty or items.empty:
        return set()
    claims = tags[(tags["tag_set"] == "claim")]
    flagged = set(claims.loc[claims["value"] == REFUTED, "item_id"])
    rumour_ids = set(claims.loc[claims["tag_key"] == "gerucht", "item_id"])
    denial = rules.denial()
    for row in items[items["id"].isin(rumour_ids - flagged)].itertuples(index=False):
        if denial.search(normalize(item_text(row.title, row.summary or ""))):
            flagged.add(int(row.id))
    return flagged


def _claim_sentences(row: Any, spans: Sequence[tuple[int, int]]) -> str:
    """The sentences holding the item's claim markers (the rumour's wording), else the title."""
    found = [s for start, end, s in item_sentences(row.title, row.summary or "")
             if any(start <= a < end for a, _ in spans)]
    return " ".join(found) or row.title


def _item_mentions(
    items: pd.DataFrame, tags: pd.DataFrame, refuting: set[int], rules: RumourRules,
    common: frozenset[str], mask: Callable[[str], str],
) -> list[_Mention]:
    rumour_tags = tags[(tags["tag_set"] == "claim") & (tags["tag_key"] == "gerucht")]
    spans: dict[int, list[tuple[int, int]]] = {}
    for item_id, start, end in zip(rumour_tags["item_id"], rumour_tags["start_char"], rumour_tags["end_char"],
                                   strict=True):
        spans.setdefault(int(item_id), []).append((int(start), int(end)))
    mentions = []
    for row in items[items["id"].isin(list(spans))].itertuples(index=False):
        refutes = int(row.id) in refuting
        # a debunk's subject is anywhere in it ("... werkte niet op basisschool De Klimop. Het gerucht
        # deed de ronde"); a spreading item's is in the sentences that carry the rumour
        claim = _claim_sentences(row, spans[int(row.id)])
        wording = item_text(row.title, row.summary or "") if refutes else claim
        mentions.append(_Mention(
            f"item:{row.id}", mask(row.title), mask(claim), row.publisher, _when(row.published_at), int(row.story),
            stems(wording, rules.stop_words) - common, refutes,
        ))
    return mentions


def _signal_mentions(signals: pd.DataFrame, rules: RumourRules, common: frozenset[str],
                     mask: Callable[[str], str]) -> list[_Mention]:
    sub = signals[signals["kind"] == "gerucht"]
    return [
        _Mention(f"signal:{r.id}", mask(r.text), mask(r.text), f"signaal ({r.kind})", _when(r.occurred_at), None,
                 stems(r.text, rules.stop_words) - common, False)
        for r in sub.itertuples(index=False)
    ]


def _best(groups: list[_Group], mention: _Mention, rules: RumourRules) -> tuple[_Group | None, str]:
    """The rumour a mention belongs to: the same story, else the most shared stems (enough)."""
    if mention.story is not None:
        for group in groups:
            if mention.story in group.stories:
                return group, "zelfde verhaal"
    best, shared = None, frozenset[str]()
    for group in groups:
        common = mention.stems & group.core
        if len(common) > len(shared):
            best, shared = group, frozenset(common)
    if best is None or len(shared) < rules.min_shared:
        return None, ""
    return best, "gedeelde kernwoorden: " + ", ".join(sorted(shared))


def _group(mentions: Iterable[_Mention], rules: RumourRules) -> list[_Group]:
    groups: list[_Group] = []
    for m in sorted(mentions, key=lambda m: (m.at is None, m.at or datetime.min, m.ref)):
        group, how = _best(groups, m, rules)
        if group is None:
            group = _Group(m.ref, m.wording, m.at, f"{m.title} ({m.source})" if m.title != m.wording else m.source)
            groups.append(group)
            how = "de eerste vermelding is zelf een ontkenning" if m.refutes else ""
        if not group.core or not m.refutes and not group.spread_text:
            group.core |= m.stems
        if not m.refutes and not group.spread_text:
            group.spread_text, group.claim = m.wording, set(m.stems)
        group.refs.append(m.ref)
        if m.source not in group.sources:
            group.sources.append(m.source)
        group.stems.update(m.stems)
        if m.story is not None:
            group.stories.add(m.story)
        if m.refutes:
            group.events.append((m.at, REFUTED, Evidence(m.ref, m.title, m.source, m.at, how)))
    return groups


def _confirmations(
    items: pd.DataFrame, tags: pd.DataFrame, groups: list[_Group], mentioned: set[str], rules: RumourRules,
    common: frozenset[str], mask: Callable[[str], str],
) -> None:
    """An explicit confirmation ("Politie bevestigt ...") of a rumour's terms, after it began."""
    facts = tags[(tags["tag_set"] == "claim") & (tags["tag_key"] == "feit") & (tags["score"] >= rules.strong_fact)]
    cue = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in rules.confirm_cues) + ")")
    confirming = {int(i) for i, text in zip(facts["item_id"], facts["matched"], strict=True)
                  if cue.search(normalize(str(text)))}
    for row in items[items["id"].isin(list(confirming))].itertuples(index=False):
        ref = f"item:{row.id}"
        if ref in mentioned:
            continue
        at = _when(row.published_at)
        found = stems(item_text(row.title, row.summary or ""), rules.stop_words) - common
        # a debunk's words describe the fact that refutes, not the rumour: confirm claims only
        ranked = sorted(((len(found & g.claim), g) for g in groups
                         if g.first_at is not None and at is not None and g.first_at < at),
                        key=lambda p: -p[0])
        if ranked and ranked[0][0] >= rules.min_confirm:
            group = ranked[0][1]
            how = "gedeelde kernwoorden: " + ", ".join(sorted(found & group.claim))
            group.events.append((at, CONFIRMED, Evidence(ref, mask(row.title), row.publisher, at, how)))


def _signal_verdicts(signals: pd.DataFrame, groups: list[_Group], verdict_at: Mapping[int, datetime],
                     mask: Callable[[str], str]) -> None:
    """A rumour signal judged bevestigd or ontkracht (signal_revisions says when)."""
    by_ref = {ref: g for g in groups for ref in g.refs}
    for r in signals[signals["kind"] == "gerucht"].itertuples(index=False):
        group = by_ref.get(f"signal:{r.id}")
        if group is None or r.verification not in (CONFIRMED, REFUTED):
            continue
        at = verdict_at.get(int(r.id)) or _when(r.reported_at)
        group.events.append((at, r.verification, Evidence(f"signal:{r.id}", mask(r.text), f"signaal ({r.kind})", at,
                                                          "beoordeling van het signaal")))


def _status(group: _Group, until: datetime | None) -> tuple[str, Evidence | None]:
    """The status after the evidence in time order, as it stood at `until` (a signal judged later
    was still open then); the evidence is what moved it last."""
    status, evidence = OPEN, None
    for at, new, ev in sorted(group.events, key=lambda e: (e[0] is None, e[0] or datetime.min)):
        if until is not None and at is not None and at > until:
            break
        if new != status:
            status, evidence = new, ev
    return status, evidence


def track(
    items: pd.DataFrame, tags: pd.DataFrame, signals: pd.DataFrame, rules: RumourRules, *,
    verdicts: Sequence[RumourVerdict] = (), signal_verdict_at: Mapping[int, datetime] | None = None,
    mask: Callable[[str], str] = str, until: datetime | None = None,
) -> tuple[Rumour, ...]:
    """Every rumour of the incident as known at `until`, open ones first, newest first within a
    status. `verdicts` are the analist's (the store gives those up to `until`)."""
    if tags.empty:
        tags = pd.DataFrame(columns=["item_id", "tag_set", "tag_key", "matched", "start_char", "end_char",
                                     "score", "value"])
    common = common_stems(items, rules)
    refuting = debunk_items(items, tags, rules)
    mentions = _item_mentions(items, tags, refuting, rules, common, mask) + _signal_mentions(signals, rules, common,
                                                                                            mask)
    groups = _group(mentions, rules)
    _confirmations(items, tags, groups, {m.ref for m in mentions}, rules, common, mask)
    _signal_verdicts(signals, groups, signal_verdict_at or {}, mask)
    manual = {v.rumour_key: v for v in verdicts}
    rumours = []
    for g in groups:
        status, evidence = _status(g, until)
        verdict = manual.get(g.key)
        if verdict is not None:
            status = verdict.status
            evidence = Evidence(verdict.evidence or "", mask(verdict.evidence_title), verdict.evidence_source,
                                verdict.set_at, f"handmatig door {verdict.set_by}")
        rumours.append(Rumour(
            g.key, g.spread_text or g.text, status, g.first_at, len(g.refs), tuple(g.sources),
            tuple(s for s, _ in g.stems.most_common(6)), evidence, tuple(g.refs),
            verdict is not None, verdict.note if verdict else "", g.origin,
        ))
    return tuple(sorted(rumours, key=lambda r: (_ORDER[r.status], -(r.first_at.timestamp() if r.first_at else 0))))


def load_rules(raw: Mapping[str, Any]) -> RumourRules:
    """From the [geruchten] table of data/omgevingsbeeld.toml."""
    return RumourRules(
        denial_cues=tuple(normalize(c) for c in raw["ontkrachting"]),
        confirm_cues=tuple(normalize(c) for c in raw["bevestiging"]),
        stop_words=frozenset(normalize(w) for w in raw["stopwoorden"]),
        min_shared=int(raw["min_gedeeld"]),
        min_confirm=int(raw["min_gedeeld_bevestiging"]),
        common_share=float(raw["algemeen_aandeel"]),
        common_min_items=int(raw["algemeen_vanaf"]),
        strong_fact=float(raw["sterk_feit"]),
    )
