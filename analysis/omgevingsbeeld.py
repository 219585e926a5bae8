"""The omgevingsbeeld (004 Bijlage 4, werkwijze stap 4): a dated snapshot built from the data.

Pure: takes the item, tag and signal frames of one incident and period, returns a frozen
`Omgevingsbeeld` ordered by the three aims of crisis communication (informatiebehoefte,
betekenisgeving, schadebeperking), then volume/spread and notable items. Names of people
involved are masked everywhere (analysis.omgevingsbeeld_text); Markdown and Word renderings
live in analysis.omgevingsbeeld_export.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.omgevingsbeeld_text import (
    Masker,
    QuestionRules,
    is_question,
    item_sentences,
    plural,
    question_key,
    sensitive_names,
    sentences,
)
from analysis.relevance import item_text
from analysis.rumours import Rumour, RumourRules, debunk_items, load_rules, track
from onrust.models import REACHES, RumourVerdict
from onrust.paths import DATA_DIR
from onrust.text import normalize, normalize_series
from onrust.timeutil import AMSTERDAM, fmt_local, to_utc

CONFIG_FILE = DATA_DIR / "omgevingsbeeld.toml"
NO_MASK = Masker()  # frozen, so one instance serves every call that masks nothing


# -- configuration -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    aim: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Config:
    sections: tuple[Section, ...]
    questions: QuestionRules
    max_questions: int
    blame_cues: tuple[str, ...]
    rumour_tags: frozenset[str]
    fact_tags: frozenset[str]
    call_tags: frozenset[str]
    social_call_tags: frozenset[str]
    denial_cues: tuple[str, ...]
    meaning_sets: tuple[str, ...]
    max_notable: int
    reach_points: Mapping[str, float]
    copy_points: float
    rumour_points: float
    call_points: float
    rumours: RumourRules


def load_config(path: Path = CONFIG_FILE) -> Config:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    notable = raw["opvallend"]
    return Config(
        sections=tuple(Section(s["key"], s["titel"], s["doel"], s["toelichting"]) for s in raw["sectie"]),
        questions=QuestionRules(
            openers=tuple(sorted((normalize(o) for o in raw["vragen"]["openers"]), key=len, reverse=True)),
            question_words=frozenset(normalize(w) for w in raw["vragen"]["vraagwoorden"]),
            finite_verbs=frozenset(normalize(w) for w in raw["vragen"]["persoonsvormen"]),
        ),
        max_questions=int(raw["vragen"]["max_shown"]),
        blame_cues=tuple(normalize(c) for c in raw["schuld"]["cues"]),
        rumour_tags=frozenset(raw["tags"]["gerucht"]),
        fact_tags=frozenset(raw["tags"]["feit"]),
        call_tags=frozenset(raw["tags"]["oproep"]),
        social_call_tags=frozenset(raw["tags"]["oproep_sociaal"]),
        denial_cues=tuple(normalize(c) for c in raw["tags"]["ontkrachting"]),
        meaning_sets=tuple(raw["tags"]["betekenis_sets"]),
        max_notable=int(notable["max_shown"]),
        reach_points=dict(notable["bereik_punten"]),
        copy_points=float(notable["punten_per_kopie"]),
        rumour_points=float(notable["punten_gerucht"]),
        call_points=float(notable["punten_oproep"]),
        rumours=load_rules(raw["geruchten"]),
    )


# -- the snapshot --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Question:
    text: str
    count: int  # items and signals asking it
    sources: tuple[str, ...]
    first_at: datetime | None


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    count: int
    example: str = ""


@dataclass(frozen=True, slots=True)
class ItemRef:
    item_id: int | None  # None for an entered signal
    title: str
    publisher: str
    reach: str
    published_at: datetime | None
    url: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReachRow:
    reach: str
    items: int
    stories: int
    publishers: int
    first_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReachStep:
    reach: str
    at: datetime | None
    publisher: str


@dataclass(frozen=True, slots=True)
class StorySpread:
    """When one story (an item and its copies) first reached each reach level."""

    story: int
    title: str
    steps: tuple[ReachStep, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StorySpread:
        steps = tuple(ReachStep(s["reach"], datetime.fromisoformat(s["at"]) if isinstance(s["at"], str) else s["at"],
                                s["publisher"]) for s in data["steps"])
        return cls(int(data["story"]), data["title"], steps)


@dataclass(frozen=True, slots=True)
class Omgevingsbeeld:
    incident: str
    municipality: str
    generated_at: datetime
    period_start: datetime
    period_end: datetime
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    question_total: int
    emotions: tuple[Count, ...]
    meanings: tuple[Count, ...]
    blamed: tuple[Count, ...]
    polarity: tuple[Count, ...]
    rumours: tuple[ItemRef, ...]
    facts: tuple[ItemRef, ...]
    calls: tuple[ItemRef, ...]
    totals: ReachRow
    by_reach: tuple[ReachRow, ...]
    peak: str
    phases: tuple[Count, ...]
    places: tuple[Count, ...]
    actors: tuple[Count, ...]
    notable: tuple[ItemRef, ...]
    signals: int = 0
    conclusions: str = ""
    tracker: tuple[Rumour, ...] = ()
    spread: tuple[StorySpread, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (datetimes as ISO strings) for storing a version."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Omgevingsbeeld:
        return _build(cls, data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_utc(value).isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


_NESTED: dict[str, type] = {
    "sections": Section, "questions": Question, "emotions": Count, "meanings": Count,
    "blamed": Count, "polarity": Count, "rumours": ItemRef, "facts": ItemRef, "calls": ItemRef,
    "totals": ReachRow, "by_reach": ReachRow, "phases": Count, "places": Count, "actors": Count,
    "notable": ItemRef,
}
_LISTS: dict[str, Any] = {"tracker": Rumour.from_dict, "spread": StorySpread.from_dict}
_DATES = {"generated_at", "period_start", "period_end", "first_at", "published_at"}


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if cls is Omgevingsbeeld and f.name in _LISTS:
            kwargs[f.name] = tuple(_LISTS[f.name](v) for v in value)
            continue
        nested = _NESTED.get(f.name) if cls is Omgevingsbeeld else None
        if nested is not None:
            value = _build(nested, value) if isinstance(value, Mapping) else tuple(_build(nested, v) for v in value)
        elif f.name in _DATES and isinstance(value, str):
            value = datetime.fromisoformat(value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


# -- sections ------------------------------------------------------------------------------
def detect_questions(
    items: pd.DataFrame, signals: pd.DataFrame, cfg: Config, mask: Masker = NO_MASK
) -> tuple[tuple[Question, ...], int]:
    """Questions in titles, summaries and signals, the most asked first; and their total."""
    found: dict[str, dict[str, Any]] = {}

    def add(sentence: str, source: str, when: datetime | None, who: str) -> None:
        key = question_key(sentence)
        entry = found.setdefault(key, {"text": mask(sentence), "who": set(), "sources": [], "first": when})
        if who in entry["who"]:
            return
        entry["who"].add(who)
        if source not in entry["sources"]:
            entry["sources"].append(source)
        if when is not None and (entry["first"] is None or when < entry["first"]):
            entry["first"] = when

    asked: dict[str, list[str]] = {}  # per distinct text: wire copies share their title and lead
    titles, summaries = items["title"], items["summary"].fillna("")
    # Sentences are split once per distinct text; only the few items that ask something are
    # walked one by one (in their order, which decides the sources' order and ties).
    asking = (titles.isin([t for t in titles.unique() if _questions_in(t, cfg.questions, asked)])
              | summaries.isin([t for t in summaries.unique() if _questions_in(t, cfg.questions, asked)]))
    for item_id, title, summary, publisher, published in zip(
            items["id"][asking], titles[asking], summaries[asking], items["publisher"][asking],
            items["published_at"][asking], strict=True):
        for part in (title, summary):
            for sentence in asked[part]:
                add(sentence, publisher, _ts(published), f"item:{item_id}")
    for row in signals.itertuples(index=False):
        for _, _, sentence in sentences(row.text):
            if is_question(sentence, cfg.questions):
                add(sentence, f"signaal ({row.kind})", _ts(row.occurred_at), f"signaal:{row.id}")
    ranked = sorted(
        found.values(),
        key=lambda e: (-len(e["who"]), -(e["first"].timestamp() if e["first"] else 0)),
    )
    questions = tuple(
        Question(e["text"], len(e["who"]), tuple(e["sources"]), e["first"]) for e in ranked[: cfg.max_questions]
    )
    return questions, len(found)


def _questions_in(text: str, rules: QuestionRules, asked: dict[str, list[str]]) -> list[str]:
    """The question sentences of a text, remembered in `asked` for the next copy of it."""
    if text not in asked:
        asked[text] = [s for _, _, s in sentences(text) if is_question(s, rules)]
    return asked[text]


def _ts(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def top_tags(tags: pd.DataFrame, tag_sets: Sequence[str], n: int = 8, *, prefix_set: bool = False) -> tuple[Count, ...]:
    """Tag keys by the number of items carrying them."""
    sub = tags[tags["tag_set"].isin(tag_sets)]
    if sub.empty:
        return ()
    labels = (sub["tag_set"] + ": " + sub["tag_key"]) if prefix_set else sub["tag_key"]
    counts = pd.DataFrame({"label": labels, "item_id": sub["item_id"]}).drop_duplicates()
    ranked = counts.groupby("label")["item_id"].nunique().sort_values(ascending=False, kind="stable")
    ranked = ranked.reset_index().sort_values(["item_id", "label"], ascending=[False, True]).head(n)
    return tuple(Count(label, int(c)) for label, c in zip(ranked["label"], ranked["item_id"], strict=True))


def blamed_actors(
    items: pd.DataFrame, tags: pd.DataFrame, cfg: Config, mask: Masker = NO_MASK, n: int = 8
) -> tuple[Count, ...]:
    """Per blame cue ('had moeten', 'te laat', 'schande') in a sentence, the actor named
    nearest to it in that sentence: "een oud-politiechef vond dat de burgemeester eerder had
    moeten ingrijpen" blames the burgemeester, not the police."""
    actors = tags[tags["tag_set"] == "actor"]
    if actors.empty:
        return ()
    cue = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cfg.blame_cues) + ")")
    by_item: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for item_id, start, end, key in zip(actors["item_id"], actors["start_char"], actors["end_char"],
                                        actors["tag_key"], strict=True):
        by_item[int(item_id)].append((int(start), int(end), key))
    hits: dict[str, set[int]] = defaultdict(set)
    examples: dict[str, str] = {}
    for row in items[items["id"].isin(list(by_item))].itertuples(index=False):
        text = item_text(row.title, row.summary or "")
        if not cue.search(normalize(text)):
            continue
        for start, end, sentence in item_sentences(row.title, row.summary or ""):
            inside = [(s0, e0, k) for s0, e0, k in by_item[row.id] if start <= s0 < end]
            if not inside:
                continue
            # normalize() keeps offsets for Dutch text (accents drop, letters stay one each)
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            for m in cue.finditer(normalize(sentence)):
                at = start + lead + m.start()
                key = min(inside, key=lambda a: min(abs(a[0] - at), abs(a[1] - at)))[2]
                hits[key].add(row.id)
                examples.setdefault(key, mask(sentence)[:240])
    ranked = sorted(hits, key=lambda k: (-len(hits[k]), k))[:n]
    return tuple(Count(k, len(hits[k]), examples[k]) for k in ranked)


def _labels(tags: pd.DataFrame) -> pd.Series:
    """'set:key' per tag; build() adds it once as a column (tens of thousands of tags)."""
    return tags["label"] if "label" in tags else tags["tag_set"] + ":" + tags["tag_key"]


def _tag_ids(tags: pd.DataFrame, wanted: frozenset[str]) -> set[int]:
    if tags.empty or not wanted:
        return set()
    return set(tags.loc[_labels(tags).isin(wanted), "item_id"])


def _ref(row: Any, mask: Masker, note: str = "") -> ItemRef:
    return ItemRef(int(row.id), mask(row.title), row.publisher, row.reach,
                   _ts(row.published_at), row.url, note)


def _refs(items: pd.DataFrame, ids: set[int], mask: Masker, limit: int = 15,
          dates: Mapping[int, str] | None = None) -> tuple[ItemRef, ...]:
    """One item per story; notes say whose copy it is and, for calls, the date called for."""
    sub = items[items["id"].isin(ids)].drop_duplicates("story").head(limit)
    refs = []
    for r in sub.itertuples(index=False):
        notes = [f"kopie van {r.copy_of}"] if isinstance(r.copy_of, str) else []
        if dates and r.id in dates:
            notes.append(f"datum genoemd: {dates[r.id]}")
        refs.append(_ref(r, mask, "; ".join(notes)))
    return tuple(refs)


def _call_dates(tags: pd.DataFrame, cfg: Config) -> dict[int, str]:
    """The tagger gives a mobilisation the date named in its sentence (ISO) as value."""
    if tags.empty:
        return {}
    calls = tags[_labels(tags).isin(cfg.call_tags) & tags["value"].notna()]
    return {int(i): str(v) for i, v in zip(calls["item_id"], calls["value"], strict=True)}


def _signal_refs(signals: pd.DataFrame, which: pd.Series, mask: Masker) -> tuple[ItemRef, ...]:
    return tuple(
        ItemRef(None, mask(r.text), f"signaal ({r.kind})", r.neighbourhood or "",
                _ts(r.occurred_at), None, f"{r.verification}, ernst {r.severity}")
        for r in signals[which].itertuples(index=False)
    )


def classify(items: pd.DataFrame, tags: pd.DataFrame, cfg: Config) -> tuple[set[int], set[int], set[int]]:
    """(rumours, facts, calls) as item ids. An item that names a rumour and carries an
    official confirmation or a denial ("OM: gerucht over vrijlating onjuist", "stop met die
    geruchten") is a fact: it is what counters the rumour, and no call to action either. Some
    dynamics are a call only where people speak for themselves (a news report about eigenrichting
    is not a call to it)."""
    rumour, fact = _tag_ids(tags, cfg.rumour_tags), _tag_ids(tags, cfg.fact_tags)
    debunks = debunk_items(items, tags, cfg.rumours)
    fact = fact | debunks
    rumour_items = items[items["id"].isin(rumour)]
    if len(rumour_items) and cfg.denial_cues:
        texts = normalize_series((rumour_items["title"] + " " + rumour_items["summary"].fillna("")).astype(object))
        denial = r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cfg.denial_cues) + ")"
        fact = fact | set(rumour_items.loc[texts.str.contains(denial, regex=True).to_numpy(bool), "id"])
    social = set(items.loc[items["reach"] == "sociaal", "id"])
    calls = _tag_ids(tags, cfg.call_tags) | (_tag_ids(tags, cfg.social_call_tags) & social)
    return rumour - fact, fact, calls - debunks


def linked_places(items: pd.DataFrame) -> dict[int, set[str]]:
    """Per item, the profile places (municipality, wijken) it was linked for: the link reasons
    ('plaats: Kolkhoek') name them even where the tagger knew none (a wijk added after tagging, a
    place outside the municipality list)."""
    found: dict[int, set[str]] = {}
    if "reasons" not in items:
        return found
    codes, distinct = pd.factorize(items["reasons"])  # the same few reasons recur: parse each once
    named = [{p.strip()[len("plaats:"):].strip() for p in reasons.split(";") if p.strip().startswith("plaats:")}
             if isinstance(reasons, str) else set() for reasons in distinct]
    has = np.array([bool(n) for n in named] + [False])[codes]  # code -1 (missing) picks the last
    for item_id, code in zip(items["id"].to_numpy()[has], codes[has], strict=True):
        found[int(item_id)] = set(named[code])
    return found


def place_counts(items: pd.DataFrame, tags: pd.DataFrame, n: int = 8) -> tuple[Count, ...]:
    """Items per place: tagged places and the places an item was linked for, each item once."""
    per: dict[str, set[int]] = defaultdict(set)
    if not tags.empty:
        places = tags[tags["tag_set"] == "place"]
        for item_id, key in zip(places["item_id"], places["tag_key"], strict=True):
            per[str(key)].add(int(item_id))
    folded = {k.casefold(): k for k in per}
    for item_id, named in linked_places(items).items():
        for place in named:
            per[folded.setdefault(place.casefold(), place)].add(item_id)
    ranked = sorted(per, key=lambda k: (-len(per[k]), k))[:n]
    return tuple(Count(k, len(per[k])) for k in ranked)


def reach_rows(items: pd.DataFrame) -> tuple[ReachRow, tuple[ReachRow, ...]]:
    """Items, unique stories and unique original publishers: total and per reach."""
    def row(label: str, frame: pd.DataFrame) -> ReachRow:
        return ReachRow(label, len(frame), int(frame["story"].nunique()), int(frame["origin"].nunique()),
                        _ts(frame["published_at"].min()) if len(frame) else None)

    narrow = items[["reach", "story", "origin", "published_at"]]  # filtering only what is counted
    per = tuple(row(r, narrow[narrow["reach"] == r]) for r in REACHES)
    return row("totaal", narrow), per


def story_spread(items: pd.DataFrame, mask: Masker = NO_MASK, n: int = 10) -> tuple[StorySpread, ...]:
    """Stories that reached more than one reach level, with when each level was first reached
    (004 Bijlage 4 stap 1: lokaal, regionaal, landelijk); the widest spread first.

    Ranked on arrays, and only the `n` shown are built: a busy incident has tens of thousands of
    stories, and a Python object per story cost seconds per page view."""
    if items.empty:
        return ()
    # Sorted on the columns used only: a hundred thousand rows of every column cost a copy each.
    ordered = items[["published_at", "id", "story", "reach", "publisher", "title"]].sort_values(["published_at", "id"])
    firsts = ordered.drop_duplicates(["story", "reach"])
    levels = firsts.groupby("story", sort=False)["story"].transform("size").to_numpy()
    wide = firsts[levels >= 2]
    heads = wide.drop_duplicates("story")  # each story's earliest step, stories in order of appearance
    if heads.empty:
        return ()
    first_at = pd.DatetimeIndex(pd.to_datetime(heads["published_at"], utc=True)).asi8  # NaT sorts first
    widths = wide.groupby("story", sort=False).size().to_numpy()  # the same order as heads
    rank = np.lexsort((np.arange(len(heads)), first_at, -widths))
    chosen = heads["story"].to_numpy()[rank[:n]]
    steps_of = dict(tuple(wide[wide["story"].isin(chosen)].groupby("story", sort=False)))
    return tuple(
        StorySpread(int(story), mask(rows.iloc[0]["title"]),
                    tuple(ReachStep(r.reach, _ts(r.published_at), r.publisher) for r in rows.itertuples(index=False)))
        for story, rows in ((s, steps_of[s]) for s in chosen)
    )


def rumour_spread(items: pd.DataFrame, tracker: Sequence[Rumour]) -> tuple[StorySpread, ...]:
    """The same for each rumour, whose mentions are many stories ("vrijgelaten" on Buurtpraat,
    then the local site, then the national papers); signals count as what they are: no reach."""
    narrow = items[["id", "published_at", "reach", "publisher"]]  # set_index copies: only what is shown
    by_id = narrow.set_index("id") if not narrow.empty else narrow
    spread = []
    for number, rumour in enumerate(tracker, start=1):
        ids = [int(r.split(":")[1]) for r in rumour.refs if r.startswith("item:")]
        rows = by_id.loc[[i for i in ids if i in by_id.index]].sort_values("published_at") if ids else by_id.iloc[0:0]
        rows = rows.drop_duplicates("reach")
        if len(rows) >= 2:
            steps = tuple(ReachStep(r.reach, _ts(r.published_at), r.publisher) for r in rows.itertuples())
            spread.append(StorySpread(-number, f"Gerucht: {rumour.text}", steps))
    return tuple(spread)


def bucket_freq(start: datetime, end: datetime) -> str:
    """Hours for up to three days (how MO develops, 004 §1.3), days beyond."""
    return "h" if (end - start).total_seconds() <= 3 * 86400 else "D"


def local_buckets(published_at: pd.Series, freq: str) -> pd.Series:
    """Each time's local bucket: hours ("h") or days ("D"), as bucket_freq gives them.

    Whole-hour offsets: UTC hours are local hours, also around DST changes, and a local day starts
    on a UTC hour. So the days are floored for the distinct hours only (a thousand, not a hundred
    thousand time-zone conversions)."""
    hours = pd.to_datetime(published_at, utc=True).dt.floor("h")
    if freq == "h":
        return hours.dt.tz_convert(AMSTERDAM)
    codes, distinct = pd.factorize(hours)
    days = pd.DatetimeIndex(distinct).tz_convert(AMSTERDAM).floor(freq, ambiguous=False, nonexistent="shift_forward")
    return pd.Series(days.take(codes), index=published_at.index)


def volume_over_time(items: pd.DataFrame, freq: str = "h") -> pd.DataFrame:
    """Long frame bucket, reach, maat (berichten/verhalen/uitgevers), aantal: the volume chart."""
    cols = ["bucket", "reach", "maat", "aantal"]
    if items.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame({"bucket": local_buckets(items["published_at"], freq), "reach": items["reach"],
                          "story": items["story"], "origin": items["origin"]})
    keys = ["bucket", "reach"]

    def distinct(col: str) -> pd.Series:  # groupby nunique, by counting unique rows: several times faster
        return frame.drop_duplicates([*keys, col]).dropna(subset=[col]).groupby(keys).size()

    grouped = pd.DataFrame({"berichten": frame.groupby(keys).size(), "verhalen": distinct("story"),
                            "uitgevers": distinct("origin")}).fillna(0).astype("int64").reset_index()
    long = grouped.melt(id_vars=keys, var_name="maat", value_name="aantal")
    return long.sort_values(["maat", "bucket", "reach"]).reset_index(drop=True)[cols]


def peak_label(items: pd.DataFrame, freq: str) -> str:
    if items.empty:
        return "geen berichten"
    counted = items["reach"].notna()  # as in volume_over_time, whose groups leave out a missing reach
    per = local_buckets(items.loc[counted, "published_at"], freq).value_counts().sort_index()
    when = per.idxmax().to_pydatetime()
    if freq == "h":
        label = f"{fmt_local(when)}–{(when + timedelta(hours=1)).strftime('%H:%M')}"
    else:
        label = fmt_local(when).rsplit(" ", 1)[0]  # the day, without a clock time
    return f"{label} ({plural(int(per.max()), 'bericht', 'berichten')})"


def notable_items(
    items: pd.DataFrame, rumours: set[int], calls: set[int], cfg: Config, mask: Masker
) -> tuple[ItemRef, ...]:
    """One item per story, ranked by reach, number of copies, rumour and call to action."""
    if items.empty:
        return ()
    copies = items.groupby("story")["id"].transform("size") - 1
    points = (
        items["reach"].map(cfg.reach_points).fillna(1.0)
        + copies * cfg.copy_points
        + items["id"].isin(rumours) * cfg.rumour_points
        + items["id"].isin(calls) * cfg.call_points
    )
    # Ranked on the columns that decide, by position; only the few shown take their whole row.
    order = items[["published_at", "id", "story"]].reset_index(drop=True).assign(points=points.to_numpy())
    top = order.sort_values(["points", "published_at", "id"], ascending=[False, True, True], kind="stable"
                            ).drop_duplicates("story").head(cfg.max_notable).index.to_numpy()
    ranked = items.iloc[top].assign(copies=copies.to_numpy()[top])
    return tuple(
        _ref(r, mask, plural(int(r.copies), "kopie", "kopieën") if r.copies else "")
        for r in ranked.itertuples(index=False)
    )


def build(
    items: pd.DataFrame,
    tags: pd.DataFrame,
    signals: pd.DataFrame,
    *,
    incident: str,
    municipality: str,
    period: tuple[datetime, datetime],
    generated_at: datetime,
    involved: Sequence[str] = (),
    verdicts: Sequence[RumourVerdict] = (),
    signal_verdict_at: Mapping[int, datetime] | None = None,
    cfg: Config | None = None,
) -> Omgevingsbeeld:
    """The snapshot of one incident and period; `items` as from Store.incident_items_frame,
    `verdicts` the analist's rumour statuses and `signal_verdict_at` when each signal was judged."""
    cfg = cfg or load_config()
    tags = tags[tags["item_id"].isin(items["id"])] if not tags.empty else tags
    tags = tags.assign(label=tags["tag_set"] + ":" + tags["tag_key"])
    mask = sensitive_names(tags, involved)
    questions, total = detect_questions(items, signals, cfg, mask)
    rumours, facts, calls = classify(items, tags, cfg)
    tracker = track(items, tags, signals, cfg.rumours, verdicts=verdicts, signal_verdict_at=signal_verdict_at,
                    mask=mask, until=period[1])
    # what the tracker settled (confirmed, refuted) is no open rumour: the lists agree with it
    settled = {ref for r in tracker if r.status != "onbevestigd" for ref in r.refs}
    rumours = {i for i in rumours if f"item:{i}" not in settled}
    rumour_signals = (signals["kind"] == "gerucht") & ~("signal:" + signals["id"].astype(str)).isin(settled)
    totals, per_reach = reach_rows(items)
    freq = bucket_freq(*period)
    empty = tags.empty

    return Omgevingsbeeld(
        incident=incident,
        municipality=municipality,
        generated_at=generated_at,
        period_start=period[0],
        period_end=period[1],
        sections=cfg.sections,
        questions=questions,
        question_total=total,
        emotions=() if empty else top_tags(tags, ["emotion"]),
        meanings=() if empty else top_tags(tags, cfg.meaning_sets, prefix_set=True),
        blamed=() if empty else blamed_actors(items, tags, cfg, mask),
        polarity=() if empty else top_tags(tags, ["polarity"]),
        rumours=_refs(items, rumours, mask)
        + _signal_refs(signals, rumour_signals & (signals["verification"] != "ontkracht"), mask),
        facts=_refs(items, facts, mask)
        + _signal_refs(signals, (signals["kind"] == "gerucht") & (signals["verification"] == "ontkracht"), mask),
        calls=_refs(items, calls, mask, dates=_call_dates(tags, cfg)),
        totals=totals,
        by_reach=per_reach,
        peak=peak_label(items, freq),
        phases=() if empty else top_tags(tags, ["phase"]),
        places=place_counts(items, tags),
        actors=() if empty else top_tags(tags, ["actor"]),
        notable=notable_items(items, rumours, calls, cfg, mask),
        signals=len(signals),
        spread=rumour_spread(items, tracker) + story_spread(items, mask),
        tracker=tracker,
    )


# -- the page's item list ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ItemFilter:
    reaches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # "set:key"; an item must carry at least one
    only_new_since: datetime | None = None
    rumours_only: bool = False


def filter_items(items: pd.DataFrame, tags: pd.DataFrame, flt: ItemFilter, cfg: Config) -> pd.DataFrame:
    """The items the analist asked for, order kept (newest first)."""
    keep = pd.Series(True, index=items.index)
    if flt.reaches:
        keep &= items["reach"].isin(flt.reaches)
    if flt.tags:
        keep &= items["id"].isin(_tag_ids(tags, frozenset(flt.tags)))
    if flt.rumours_only:
        keep &= items["id"].isin(_tag_ids(tags, cfg.rumour_tags))
    if flt.only_new_since is not None:
        keep &= pd.to_datetime(items["fetched_at"], utc=True) > pd.Timestamp(to_utc(flt.only_new_since))
    return items[keep]


def tag_options(tags: pd.DataFrame, exclude_sets: Sequence[str] = ("person", "language")) -> list[str]:
    """'set:key' of every tag present, most frequent first: the filter's choices."""
    if tags.empty:
        return []
    sub = tags[~tags["tag_set"].isin(exclude_sets)]
    refs = (sub["tag_set"] + ":" + sub["tag_key"]).to_frame("ref").assign(item_id=sub["item_id"]).drop_duplicates()
    counts = Counter(refs["ref"])
    return sorted(counts, key=lambda r: (-counts[r], r))
