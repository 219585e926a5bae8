"""After-action review: how coverage developed and how fast the response was, over ReviewInputs.

Pure functions over the frames of analysis.review_data; the Terugblik page and `onrust review`
render what they return. Times are UTC; "uren" are hours after the incident was opened.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.omgevingsbeeld import volume_over_time
from analysis.omgevingsbeeld_text import Masker, sensitive_names
from analysis.review_data import ReviewInputs
from analysis.review_replay import task_states
from onrust.models import REACHES
from onrust.paths import DATA_DIR

BOXES_FILE = DATA_DIR / "review.toml"
REFUTED = "ontkracht"
VERDICTS = ("bevestigd", "ontkracht")


@dataclass(frozen=True, slots=True)
class TimeBox:
    key: str
    label: str
    hours: float
    ref: str
    doelgroep: str | None = None


@cache
def load_boxes(path: Path = BOXES_FILE) -> dict[str, TimeBox]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return {b["key"]: TimeBox(b["key"], b["label"], float(b["hours"]), b["ref"], b.get("doelgroep"))
            for b in raw["box"]}


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True)


def hours_between(start: datetime | pd.Timestamp, end: datetime | pd.Timestamp | None) -> float | None:
    if end is None or pd.isna(end):
        return None
    return (pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() / 3600


# -- coverage development ---------------------------------------------------------------------
def volume_by_reach(items: pd.DataFrame, freq: str = "D") -> pd.DataFrame:
    """Items per bucket and reach (bucket, reach, aantal): the omgevingsbeeld's volume measure."""
    volume = volume_over_time(items, freq)
    return volume[volume["maat"] == "berichten"].drop(columns="maat").reset_index(drop=True)


def volume_by_publisher(items: pd.DataFrame) -> pd.DataFrame:
    """Per original publisher (a wire story counts for the agency that wrote it): items, the
    outlets that carried them, and the first and last publication."""
    if items.empty:
        return pd.DataFrame(columns=["uitgever", "berichten", "bronnen", "eerste", "laatste"])
    grouped = items.groupby("origin", observed=True).agg(
        berichten=("id", "size"), bronnen=("source", "nunique"),
        eerste=("published_at", "min"), laatste=("published_at", "max"))
    out = grouped.reset_index().rename(columns={"origin": "uitgever"})
    return out.sort_values(["berichten", "eerste"], ascending=[False, True], kind="stable").reset_index(drop=True)


def first_reports(items: pd.DataFrame) -> pd.DataFrame:
    """When each source first reported, with its first title and how many items followed."""
    cols = ["bron", "bereik", "eerste", "titel", "berichten", "kopieen"]
    if items.empty:
        return pd.DataFrame(columns=cols)
    ordered = items.sort_values(["published_at", "id"], kind="stable")
    first = ordered.drop_duplicates("source")
    counts = ordered.groupby("source", observed=True).agg(berichten=("id", "size"),
                                                          kopieen=("copy_of", "count"))
    out = first.merge(counts, left_on="source", right_index=True)
    out = out.rename(columns={"source": "bron", "reach": "bereik", "published_at": "eerste", "title": "titel"})
    return out[cols].reset_index(drop=True)


def spread(items: pd.DataFrame) -> pd.DataFrame:
    """The first report per reach (lokaal, regionaal, landelijk, sociaal) and how many hours
    after the very first report it came: the spread from local to national."""
    rows = []
    first_any = items["published_at"].min() if len(items) else None
    for reach in REACHES:
        sub = items[items["reach"] == reach].sort_values(["published_at", "id"], kind="stable")
        if sub.empty:
            rows.append({"bereik": reach, "eerste": pd.NaT, "bron": "", "titel": "", "uren_na_eerste": None})
            continue
        row = sub.iloc[0]
        rows.append({"bereik": reach, "eerste": row["published_at"], "bron": row["source"],
                     "titel": row["title"], "uren_na_eerste": hours_between(first_any, row["published_at"])})
    return pd.DataFrame(rows)


def tags_over_time(items: pd.DataFrame, tags: pd.DataFrame, tag_set: str, freq: str = "D") -> pd.DataFrame:
    """Items per bucket carrying each tag of `tag_set` (bucket, tag, aantal), by publication."""
    cols = ["bucket", "tag", "aantal"]
    sub = tags[tags["tag_set"] == tag_set][["item_id", "tag_key"]].drop_duplicates()
    if sub.empty or items.empty:
        return pd.DataFrame(columns=cols)
    joined = sub.merge(items[["id", "published_at"]], left_on="item_id", right_on="id")
    bucket = _utc(joined["published_at"]).dt.tz_convert("Europe/Amsterdam").dt.floor(
        freq, ambiguous=False, nonexistent="shift_forward")
    out = joined.assign(bucket=bucket).groupby(["bucket", "tag_key"]).size().reset_index(name="aantal")
    return out.rename(columns={"tag_key": "tag"})[cols]


@dataclass(frozen=True)
class Rumours:
    """Rumours in the coverage (claim tags) and entered as signals, and when each was settled."""

    items: pd.DataFrame  # items tagged claim:gerucht: id, published_at, source, reach, title, ontkracht
    refutations: pd.DataFrame  # items whose claim tags carry 'ontkracht': the denial in the media
    signals: pd.DataFrame  # rumour signals: signal_id, text, entered_at, verification, verdict_at

    @property
    def first_refutation(self) -> pd.Timestamp | None:
        return None if self.refutations.empty else self.refutations["published_at"].min()


def _verdicts(signals: pd.DataFrame, revisions: pd.DataFrame) -> pd.DataFrame:
    """Rumour signals with the moment their verdict (bevestigd/ontkracht) was recorded: the
    edit that set it, or the entry itself when it was entered with its verdict."""
    rumours = signals[signals["kind"] == "gerucht"]
    cols = ["signal_id", "text", "occurred_at", "entered_at", "verification", "verdict_at"]
    if rumours.empty:
        return pd.DataFrame(columns=cols)
    edits = revisions[(revisions["field"] == "verification") & revisions["new"].isin(VERDICTS)]
    last_edit = edits.groupby("signal_id")["changed_at"].max()
    settled = rumours["verification"].isin(VERDICTS)
    verdict_at = rumours["signal_id"].map(last_edit)
    verdict_at = verdict_at.where(verdict_at.notna() | ~settled, rumours["entered_at"]).where(settled)
    return rumours.assign(verdict_at=_utc(verdict_at))[cols].reset_index(drop=True)


def rumours(inputs: ReviewInputs) -> Rumours:
    """A small tracker of our own: another module may later track rumours as records; this one
    reads only what exists now (claim tags with value 'ontkracht', rumour signals' edits)."""
    claims = inputs.tags[inputs.tags["tag_set"] == "claim"]
    refuting_ids = set(claims.loc[claims["value"] == REFUTED, "item_id"])
    rumour_ids = set(claims.loc[claims["tag_key"] == "gerucht", "item_id"])
    cols = ["id", "published_at", "source", "reach", "title"]
    items = inputs.items.sort_values(["published_at", "id"], kind="stable")
    rumour_items = items[items["id"].isin(rumour_ids)][cols].assign(
        ontkracht=lambda f: f["id"].isin(refuting_ids))
    refutations = items[items["id"].isin(refuting_ids)][cols]
    return Rumours(rumour_items.reset_index(drop=True), refutations.reset_index(drop=True),
                   _verdicts(inputs.signals, inputs.revisions))


# -- response timing --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Milestone:
    """One step of the response: when it happened, against the protocol's time box (if any)."""

    label: str
    at: pd.Timestamp | None
    hours: float | None  # after the incident was opened
    box_hours: float | None
    ref: str
    elapsed: float  # hours from the opening to the end of the review

    @property
    def late(self) -> bool | None:
        """Past its box; a step that never happened is late once its box has run out by the
        review's end. None without a box."""
        return _late(self.hours, self.box_hours, self.elapsed)


def _late(hours: float | None, box: float | None, elapsed: float) -> bool | None:
    if box is None:
        return None
    return elapsed > box if hours is None else hours > box


def _first(frame: pd.DataFrame, column: str, keep: pd.Series | None = None) -> pd.Timestamp | None:
    sub = frame if keep is None else frame[keep]
    return None if sub.empty else pd.Timestamp(_utc(sub[column]).min())


def _group_box(inputs: ReviewInputs, doelgroep: str) -> float | None:
    row = inputs.matrix[inputs.matrix["doelgroep"] == doelgroep]
    if row.empty or pd.isna(row["eerste_binnen_uren"].iloc[0]):
        return None
    return float(row["eerste_binnen_uren"].iloc[0])


def first_informed(inputs: ReviewInputs) -> pd.DataFrame:
    """Per applicable doelgroep of the matrix: when first informed (as recorded), against its box."""
    history = inputs.informed[inputs.informed["last_informed_at"].notna()]
    first = _utc(history.groupby("doelgroep")["last_informed_at"].min()) if len(history) else pd.Series(dtype=object)
    elapsed = hours_between(inputs.incident.opened_at, inputs.end) or 0.0
    rows = []
    for row in inputs.matrix[inputs.matrix["van_toepassing"]].itertuples(index=False):
        at = first.get(row.doelgroep)
        at = None if at is None or pd.isna(at) else pd.Timestamp(at)
        box = None if pd.isna(row.eerste_binnen_uren) else float(row.eerste_binnen_uren)
        hours = hours_between(inputs.incident.opened_at, at)
        rows.append({"doelgroep": row.doelgroep, "eerste_keer": at, "uren": hours, "binnen_uren": box,
                     "te_laat": _late(hours, box, elapsed)})
    return pd.DataFrame(rows, columns=["doelgroep", "eerste_keer", "uren", "binnen_uren", "te_laat"])


def milestones(inputs: ReviewInputs, boxes: Mapping[str, TimeBox] | None = None) -> list[Milestone]:
    """First report, first signal, first action, first phase decision, council informed and
    first press release, each against its time box from data/review.toml."""
    boxes = boxes or load_boxes()
    opened = inputs.incident.opened_at
    log = inputs.logbook
    sent = inputs.press["action"] == "versturen" if len(inputs.press) else None
    council = boxes["raad_geinformeerd"]
    informed = inputs.informed
    council_at = _first(informed, "last_informed_at", (informed["doelgroep"] == council.doelgroep)
                        & informed["last_informed_at"].notna()) if len(informed) else None
    found: list[tuple[str, pd.Timestamp | None, float | None, str]] = [
        ("Eerste bericht in de media", _first(inputs.items, "published_at"), None, "bron: gekoppelde berichten"),
        ("Eerste signaal ingevoerd", _first(inputs.signals, "entered_at"), None, "004 §3.1 signalering"),
    ]
    for key, at in (("eerste_actie", _first(log, "logged_at", log["kind"].isin(["actie", "besluit"]))),
                    ("eerste_fasebesluit", _first(inputs.decisions, "logged_at")),
                    ("raad_geinformeerd", council_at),
                    ("eerste_persbericht", _first(inputs.press, "event_at", sent) if sent is not None else None)):
        box = boxes[key]
        hours = _group_box(inputs, box.doelgroep) if box.doelgroep else None
        found.append((box.label, at, hours if hours is not None else box.hours, box.ref))
    elapsed = hours_between(opened, inputs.end) or 0.0
    return [Milestone(label, at, hours_between(opened, at), box, ref, elapsed) for label, at, box, ref in found]


def phase_decisions(inputs: ReviewInputs) -> pd.DataFrame:
    """Each official phase decision with the indicator's phase at that moment and when the
    indicator first showed that phase since the previous decision (a negative lag: the
    decision came before the indicator)."""
    series = inputs.series
    times = _utc(series["at"]) if len(series) else pd.Series(dtype="datetime64[ns, UTC]")
    rows = []
    previous = pd.Timestamp(inputs.start)
    for d in inputs.decisions.itertuples(index=False):
        at = pd.Timestamp(d.logged_at)
        before = series[times <= at]
        reached = series[(times > previous) & (series["phase"] == d.phase)]
        indicator_first = pd.Timestamp(reached["at"].iloc[0]) if len(reached) else None
        rows.append({"vastgesteld": at, "fase": int(d.phase), "reden": d.reason,
                     "indicator_toen": int(before["phase"].iloc[-1]) if len(before) else None,
                     "indicator_eerst": indicator_first,
                     "uren_na_indicator": hours_between(indicator_first, at) if indicator_first is not None
                     else None})
        previous = at
    return pd.DataFrame(rows, columns=["vastgesteld", "fase", "reden", "indicator_toen", "indicator_eerst",
                                       "uren_na_indicator"])


@dataclass(frozen=True, slots=True)
class DetectionLag:
    """From the first escalation marker in the coverage to phase 3 or higher (onrust,
    escalatie): officially (logbook decision) and by the indicator."""

    first_marker: pd.Timestamp | None
    marker: str
    official: pd.Timestamp | None
    indicator: pd.Timestamp | None

    @property
    def to_official_hours(self) -> float | None:
        return hours_between(self.first_marker, self.official) if self.first_marker is not None else None

    @property
    def to_indicator_hours(self) -> float | None:
        return hours_between(self.first_marker, self.indicator) if self.first_marker is not None else None


def detection_lag(inputs: ReviewInputs, escalation_markers: Sequence[str]) -> DetectionLag:
    """`escalation_markers`: 'set:key' names (the temperature's escalation_markers). A marker
    counts from when the item was fetched: when the monitor could have seen it."""
    tags = inputs.tags.assign(label=inputs.tags["tag_set"] + ":" + inputs.tags["tag_key"])
    marked = tags[tags["label"].isin(list(escalation_markers))].merge(
        inputs.items[["id", "fetched_at"]], left_on="item_id", right_on="id")
    first = marked.sort_values("fetched_at", kind="stable").iloc[0] if len(marked) else None
    high = inputs.decisions[inputs.decisions["phase"].isin([3, 4])]
    series = inputs.series
    indicator = series[series["phase"].isin([3, 4])] if len(series) else series
    return DetectionLag(
        first_marker=None if first is None else pd.Timestamp(first["fetched_at"]),
        marker="" if first is None else str(first["label"]),
        official=_first(high, "logged_at"),
        indicator=_first(indicator, "at") if len(indicator) else None,
    )


def late_tasks(tasks: Sequence[Mapping[str, Any]], end: datetime) -> pd.DataFrame:
    """The task records (title, due_at, done_at) that were done after their due time, or were
    still open when the review ends."""
    states = task_states(tasks, end)
    return states[states["late"].astype(bool)].reset_index(drop=True)


def name_mask(inputs: ReviewInputs) -> Masker:
    """Who to mask in the report: the registered involved and the tagger's person names."""
    return sensitive_names(inputs.tags, inputs.involved)


@dataclass(frozen=True, slots=True)
class Totals:
    items: int
    stories: int
    publishers: int
    sources: int
    signals: int
    peak_temperature: float | None
    peak_at: pd.Timestamp | None
    highest_indicator: int | None
    highest_official: int | None


def _highest(phases: pd.Series) -> int | None:
    """The most severe phase reached; 5 (terugkeer naar rust) only follows 3 or 4, never tops them."""
    severe = phases[phases != 5]
    return int(severe.max()) if len(severe) else int(phases.max()) if len(phases) else None


def totals(inputs: ReviewInputs) -> Totals:
    items, series = inputs.items, inputs.series
    known = series[series["has_data"]] if len(series) else series
    peak = known.loc[known["temperature"].idxmax()] if len(known) and known["temperature"].notna().any() else None
    return Totals(
        items=len(items), stories=int(items["story"].nunique()) if len(items) else 0,
        publishers=int(items["origin"].nunique()) if len(items) else 0,
        sources=int(items["source"].nunique()) if len(items) else 0, signals=len(inputs.signals),
        peak_temperature=None if peak is None else float(peak["temperature"]),
        peak_at=None if peak is None else pd.Timestamp(peak["at"]),
        highest_indicator=_highest(series["phase"]) if len(series) else None,
        highest_official=_highest(inputs.decisions["phase"]),
    )
