"""Scripted incident timelines for `onrust eval temperature` and `onrust bench temperature`.

Each scenario is readable, seeded code: hour by hour it sets how many new stories appear and what
they carry (the `Mood`), then draws stories, their copies, tags, signals and collection runs. The
shapes follow 004 §1.3 and Bijlage 2 (slow polarisation, a flash incident, a rumour that dies, an
ordinary month). They exist to measure the detector, not to tune it: the numbers in
data/onrust.toml are reasoned there, not fitted to these draws, and `eval` reports each scenario
over several seeds. (Rules changed only where a scenario exposed a flaw of principle, such as
tagger noise that grows with volume.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from analysis.phases import episodes, phase_path
from analysis.temperature import compute_series
from onrust.settings import TemperatureSettings

HOUR = timedelta(hours=1)
PUBLISHERS = {
    "lokaal": [f"Lokale omroep {i}" for i in range(1, 5)] + ["Wijkkrant", "Gemeentenieuws"],
    "regionaal": ["Tubantia", "RTV Oost", "Regiobode", "Dagblad van het Oosten"],
    "landelijk": ["ANP", "NOS", "RTL Nieuws", "De Telegraaf", "AD", "NRC", "de Volkskrant", "NU.nl"],
    "sociaal": [f"Sociale media account {i}" for i in range(1, 31)],
}


@dataclass(frozen=True)
class Mood:
    """What a new story in this hour is likely to carry (probabilities and levels 0..1)."""

    rate: float = 0.25  # new relevant stories per hour at daytime rhythm 1.0
    emotion_p: float = 0.15
    emotion_level: float = 0.3
    dreigend_p: float = 0.02
    onrust_p: float = 0.015
    escalatie_p: float = 0.005
    eigenrichting_p: float = 0.003
    mobilisatie_p: float = 0.003
    politisering_p: float = 0.03
    national_p: float = 0.05
    social_p: float = 0.10
    copies: float = 0.5  # mean extra copies (other outlets running the same story)


BACKGROUND = Mood()


@dataclass(frozen=True)
class ScriptedSignal:
    occurred: datetime
    entered: datetime
    kind: str
    severity: int
    reliability: str
    credibility: int
    verification: str
    text: str


@dataclass
class Scenario:
    name: str
    title: str
    start: datetime
    end: datetime
    opened: datetime
    moods: Callable[[datetime], Mood]
    signals: list[ScriptedSignal] = field(default_factory=list)
    outages: list[tuple[datetime, datetime]] = field(default_factory=list)
    first_marker: datetime | None = None  # first phase-3/4 marker the script puts in
    checkpoints: dict[str, tuple[datetime, str]] = field(default_factory=dict)  # label: (time, expected)
    seed: int = 0


@dataclass(frozen=True)
class Frames:
    items: pd.DataFrame
    tags: pd.DataFrame
    signals: pd.DataFrame
    coverage: pd.DataFrame


def rhythm(t: datetime) -> float:
    """News follows the day (quiet at night) and the week (quieter weekends)."""
    hour = t.hour
    day = 0.25 if hour < 6 else 0.8 if hour < 8 else 1.4 if hour < 18 else 1.0 if hour < 23 else 0.5
    return day * (0.6 if t.weekday() >= 5 else 1.0)


def generate(s: Scenario) -> Frames:
    rng = np.random.default_rng(s.seed)
    items: list[tuple[int, int, str, str, datetime, datetime, float]] = []
    tags: list[tuple[int, str, str, float]] = []
    story = 0
    t = s.start
    while t < s.end:
        mood = s.moods(t)
        for _ in range(rng.poisson(mood.rate * rhythm(t))):
            story += 1
            first = t + timedelta(minutes=float(rng.uniform(0, 60)))
            reach = ("sociaal" if rng.random() < mood.social_p else
                     "landelijk" if rng.random() < mood.national_p else
                     "regionaal" if rng.random() < 0.4 else "lokaal")
            publisher = str(rng.choice(PUBLISHERS[reach]))
            relevance = float(rng.uniform(0.4, 1.0))
            marks = _draw_marks(rng, mood)
            for copy in range(1 + rng.poisson(mood.copies)):
                item_id = len(items) + 1
                fetched = first + timedelta(minutes=float(rng.exponential(90))) * (copy > 0)
                copy_reach = reach if copy == 0 else str(rng.choice(["regionaal", "landelijk", "sociaal"]))
                items.append((item_id, story, publisher, copy_reach, fetched, fetched, relevance))
                tags.extend((item_id, ts, tk, sc) for ts, tk, sc in marks)
        t += HOUR
    items_df = pd.DataFrame(items, columns=["item_id", "story_id", "publisher", "reach",
                                            "fetched_at", "published_at", "relevance"])
    items_df["story_id"] = items_df["story_id"].astype("Int64")
    for col in ("fetched_at", "published_at"):
        items_df[col] = pd.to_datetime(items_df[col], utc=True)
    down = np.zeros(len(items_df), dtype=bool)
    for lo, hi in s.outages:  # nothing is fetched while collection is down
        down |= (items_df["fetched_at"] >= lo).to_numpy() & (items_df["fetched_at"] < hi).to_numpy()
    items_df = items_df[~down].reset_index(drop=True)
    tags_df = pd.DataFrame(tags, columns=["item_id", "tag_set", "tag_key", "score"])
    tags_df = tags_df[tags_df["item_id"].isin(items_df["item_id"])].reset_index(drop=True)
    return Frames(items_df, tags_df, _signals_frame(s.signals), _coverage(s))


def _draw_marks(rng: np.random.Generator, mood: Mood) -> list[tuple[str, str, float]]:
    marks = []
    if rng.random() < mood.emotion_p:
        emotion = str(rng.choice(["angst", "woede", "verontwaardiging", "verdriet"]))
        marks.append(("emotion", emotion, float(np.clip(rng.normal(mood.emotion_level, 0.15), 0.05, 1))))
    for key, p in (("dreigend", mood.dreigend_p), ("onrust", mood.onrust_p), ("escalatie", mood.escalatie_p)):
        if rng.random() < p:
            marks.append(("phase", key, 1.0))
    for key, p in (("eigenrichting", mood.eigenrichting_p), ("mobilisatie", mood.mobilisatie_p),
                   ("politisering", mood.politisering_p)):
        if rng.random() < p:
            marks.append(("dynamiek", key, 1.0))
    return marks


def _signals_frame(signals: list[ScriptedSignal]) -> pd.DataFrame:
    frame = pd.DataFrame([{
        "signal_id": i + 1, "kind": g.kind, "reliability": g.reliability,
        "credibility": g.credibility, "verification": g.verification, "severity": g.severity,
        "occurred_at": g.occurred, "entered_at": g.entered, "text": g.text,
    } for i, g in enumerate(signals)], columns=["signal_id", "kind", "reliability", "credibility",
                                                  "verification", "severity", "occurred_at",
                                                  "entered_at", "text"])
    for col in ("occurred_at", "entered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _coverage(s: Scenario) -> pd.DataFrame:
    """A collection run every 15 minutes, failing during the scripted outages."""
    times = pd.date_range(s.start, s.end, freq="15min", tz="UTC")
    down = np.zeros(len(times), dtype=bool)
    for lo, hi in s.outages:
        down |= (times >= lo) & (times < hi)
    return pd.DataFrame({"source_id": 1, "started_at": times - pd.Timedelta(seconds=20),
                         "finished_at": times, "status": np.where(down, "fout", "ok")})


def _ramp(t: datetime, lo: datetime, hi: datetime) -> float:
    """0 before lo, rising linearly to 1 at hi."""
    return float(np.clip((t - lo) / (hi - lo), 0.0, 1.0))


def _mix(a: Mood, b: Mood, x: float) -> Mood:
    return Mood(**{k: getattr(a, k) + (getattr(b, k) - getattr(a, k)) * x
                   for k in Mood.__dataclass_fields__})


def _utc(year: int, month: int, day: int) -> datetime:
    return pd.Timestamp(datetime(year, month, day), tz="Europe/Amsterdam").tz_convert("UTC").to_pydatetime()


# -- the scenarios -------------------------------------------------------------------------
def slow_polarisation() -> Scenario:
    """004 Bijlage 2.3: a plan divides a village over weeks; a demonstration turns grim."""
    start = _utc(2026, 3, 2)
    trigger = start + timedelta(days=14)  # council announces the plan
    mobilise = start + timedelta(days=33, hours=10)  # call to protest at the council meeting
    riot = start + timedelta(days=35, hours=20)  # the meeting: vernielingen, vuurwerk
    calm = riot + timedelta(days=2)
    tense = Mood(rate=1.2, emotion_p=0.5, emotion_level=0.55, dreigend_p=0.15, onrust_p=0.04,
                 politisering_p=0.25, national_p=0.10, social_p=0.35, copies=1.0)
    unrest = replace(tense, rate=3.0, emotion_p=0.6, emotion_level=0.65, onrust_p=0.25,
                     mobilisatie_p=0.2, escalatie_p=0.03, national_p=0.3, social_p=0.45, copies=2.0)
    riots = replace(unrest, rate=8.0, escalatie_p=0.35, eigenrichting_p=0.05, emotion_level=0.7)

    def moods(t: datetime) -> Mood:
        if t < trigger:
            return BACKGROUND
        if t < mobilise:
            return _mix(BACKGROUND, tense, _ramp(t, trigger, mobilise))
        if t < riot:
            return unrest
        if t < riot + timedelta(hours=8):
            return riots
        return _mix(unrest, BACKGROUND, _ramp(t, riot + timedelta(hours=8), calm + timedelta(days=4)))

    return Scenario(
        "polarisatie", "Langzame polarisatie over weken (azc-plan)", start,
        start + timedelta(days=49), trigger, moods,
        signals=[
            ScriptedSignal(trigger + timedelta(days=9), trigger + timedelta(days=9, hours=3), "melding",
                           3, "B", 3, "onbevestigd", "Wijkagent: spanning op buurtavond"),
            ScriptedSignal(mobilise, mobilise + timedelta(hours=2), "berichtgeving", 4, "B", 2,
                           "bevestigd", "Oproep tot protest bij raadsvergadering"),
            ScriptedSignal(riot + timedelta(minutes=30), riot + timedelta(hours=1), "melding", 5, "A", 1,
                           "bevestigd", "Politie: vernielingen en vuurwerk bij gemeentehuis"),
        ],
        first_marker=mobilise, seed=11,
        checkpoints={
            "voor de aanleiding": (trigger - timedelta(days=2), "1"),
            "week na de aanleiding": (trigger + timedelta(days=7), "1-2"),
            "dag voor de oproep": (mobilise - timedelta(days=1), "2"),
            "dag na de oproep": (mobilise + timedelta(days=1), "3"),
            "raadsvergadering (rellen)": (riot + timedelta(hours=3), "4"),
            "twee weken later": (riot + timedelta(days=13), "5 of 1"),
        },
    )


def flash_riots() -> Scenario:
    """004 Bijlage 2.7: a violent death at dinner time, riots in the neighbourhood that evening."""
    start = _utc(2026, 5, 4)
    incident = start + timedelta(days=28, hours=18)
    first_call = incident + timedelta(hours=1, minutes=30)  # "iedereen naar het plein"
    riot = incident + timedelta(hours=4)
    shock = Mood(rate=10.0, emotion_p=0.7, emotion_level=0.7, dreigend_p=0.2, onrust_p=0.1,
                 politisering_p=0.05, national_p=0.4, social_p=0.5, copies=3.0)
    riots = replace(shock, rate=14.0, onrust_p=0.4, escalatie_p=0.45, eigenrichting_p=0.15,
                    mobilisatie_p=0.2)
    after = replace(shock, rate=3.0, emotion_p=0.5, emotion_level=0.5, onrust_p=0.1,
                    escalatie_p=0.05, politisering_p=0.2, copies=1.5)

    def moods(t: datetime) -> Mood:
        if t < incident:
            return BACKGROUND
        if t < first_call:
            return shock
        if t < riot:
            return replace(shock, mobilisatie_p=0.3, onrust_p=0.3)
        if t < riot + timedelta(hours=7):
            return riots
        return _mix(after, BACKGROUND, _ramp(t, riot + timedelta(hours=7), riot + timedelta(days=6)))

    return Scenario(
        "flits", "Flitsincident met rellen dezelfde avond", start, start + timedelta(days=45),
        incident, moods,
        signals=[
            ScriptedSignal(incident, incident + timedelta(minutes=40), "melding", 4, "A", 1, "bevestigd",
                           "Politie: dodelijk steekincident, veel omstanders"),
            ScriptedSignal(riot, riot + timedelta(minutes=20), "melding", 5, "A", 1, "bevestigd",
                           "Politie bevestigt ongeregeldheden en brandstichting"),
        ],
        first_marker=first_call, seed=23,
        checkpoints={
            "dag ervoor": (incident - timedelta(days=1), "1"),
            "een uur na het incident": (incident + timedelta(hours=1), "3"),
            "tijdens de rellen": (riot + timedelta(hours=2), "4"),
            "drie dagen later": (riot + timedelta(days=3), "3 of 5"),
            "twee weken later": (riot + timedelta(days=14), "5 of 1"),
        },
    )


def false_alarm() -> Scenario:
    """A viral rumour video is shared widely for an afternoon, is refuted, and dies."""
    start = _utc(2026, 9, 7)
    viral = start + timedelta(days=24, hours=12)
    burst = Mood(rate=6.0, emotion_p=0.6, emotion_level=0.6, dreigend_p=0.05, onrust_p=0.02,
                 politisering_p=0.03, national_p=0.15, social_p=0.8, copies=4.0)

    def moods(t: datetime) -> Mood:
        if viral <= t < viral + timedelta(hours=4):
            return burst
        if viral + timedelta(hours=4) <= t < viral + timedelta(hours=16):
            return _mix(burst, BACKGROUND, _ramp(t, viral + timedelta(hours=4), viral + timedelta(hours=16)))
        return BACKGROUND

    return Scenario(
        "vals_alarm", "Vals alarm: één viraal gerucht dat uitdooft", start, start + timedelta(days=35),
        viral, moods,
        signals=[ScriptedSignal(viral + timedelta(hours=1), viral + timedelta(hours=2), "gerucht", 3,
                                "E", 5, "ontkracht", "Filmpje zou aanval tonen; politie: oud beeld")],
        seed=37,
        checkpoints={
            "piek van het gerucht": (viral + timedelta(hours=3), "1-2"),
            "volgende ochtend": (viral + timedelta(hours=20), "1-2"),
            "week later": (viral + timedelta(days=7), "1"),
        },
    )


def background_month() -> Scenario:
    """An ordinary month of local news, with one collection outage of ten hours."""
    start = _utc(2026, 1, 5)
    outage = (start + timedelta(days=40, hours=2), start + timedelta(days=40, hours=12))
    return Scenario(
        "achtergrond", "Een maand achtergrondnieuws zonder incident", start,
        start + timedelta(days=58), start + timedelta(days=28), lambda t: BACKGROUND,
        outages=[outage], seed=41,
        checkpoints={
            "midden van de maand": (start + timedelta(days=43), "1"),
            "tijdens storing": (outage[0] + timedelta(hours=6), "geen gegevens"),
        },
    )


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "polarisatie": slow_polarisation,
    "flits": flash_riots,
    "vals_alarm": false_alarm,
    "achtergrond": background_month,
}


def bulk_frames(n_items: int, days: int, *, seed: int = 1, end: datetime | None = None) -> Frames:
    """A large synthetic archive for the benchmark: realistic column types, no scenario."""
    rng = np.random.default_rng(seed)
    end = end or _utc(2026, 11, 1)
    span = (days + 29) * 86400  # the volume baseline looks four weeks back
    fetched = pd.to_datetime(end, utc=True) - pd.to_timedelta(np.sort(rng.uniform(0, span, n_items))[::-1], unit="s")
    publishers = np.array([p for ps in PUBLISHERS.values() for p in ps] + [f"Bron {i}" for i in range(400)])
    reaches = np.array(["lokaal", "regionaal", "landelijk", "sociaal"])
    # Categorical text columns, as the store delivers them (onrust.store.temperature).
    items = pd.DataFrame({
        "item_id": np.arange(1, n_items + 1, dtype=np.int64),
        "story_id": pd.array(rng.integers(1, n_items // 3, n_items), dtype="Int64"),
        "publisher": pd.Categorical(publishers[rng.integers(0, len(publishers), n_items)]),
        "reach": pd.Categorical(reaches[rng.integers(0, 4, n_items)]),
        "fetched_at": fetched, "published_at": fetched,
        "relevance": rng.uniform(0, 1, n_items),
    })
    n_tags = n_items // 4
    sets_keys = [("emotion", "woede"), ("emotion", "angst"), ("emotion", "verontwaardiging"),
                 ("phase", "onrust"), ("phase", "escalatie"), ("dynamiek", "politisering"),
                 ("actor", "politie"), ("place", "centrum")]
    pick = rng.integers(0, len(sets_keys), n_tags)
    tags = pd.DataFrame({
        "item_id": rng.integers(1, n_items + 1, n_tags),
        "tag_set": pd.Categorical(np.array([s for s, _ in sets_keys])[pick]),
        "tag_key": pd.Categorical(np.array([k for _, k in sets_keys])[pick]),
        "score": rng.uniform(0, 1, n_tags),
    })
    start = pd.to_datetime(end, utc=True) - pd.Timedelta(days=span / 86400)
    runs = pd.date_range(start, end, freq="15min", tz="UTC")
    coverage = pd.DataFrame({"source_id": 1, "started_at": runs, "finished_at": runs, "status": "ok"})
    return Frames(items, tags, _signals_frame([]), coverage)


# -- evaluation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Evaluation:
    name: str
    title: str
    hours_to_phase3: float | None  # from the first escalation marker; None = never or no marker
    false_episodes: int  # phase >= 3 episodes starting before the incident (or at all, if none)
    background_days: float  # days of the series before the incident (or all of it)
    checkpoints: list[tuple[str, str, str, str]]  # label, time, expected, measured


def evaluate(scenario: Scenario, cfg: TemperatureSettings) -> tuple[Evaluation, pd.DataFrame]:
    """Run the detector over one scripted timeline and measure it against the script."""
    frames = generate(scenario)
    series = compute_series(frames.items, frames.tags, frames.signals, frames.coverage,
                            scenario.start + timedelta(days=2), scenario.end, cfg,
                            opened=scenario.opened)
    path = phase_path(series, cfg)
    series = series.assign(phase=path["phase"], reason=path["reason"])
    marker = pd.Timestamp(scenario.first_marker) if scenario.first_marker else None
    high = series[series["phase"] >= 3]
    hours = None
    if marker is not None:
        after = high[high["at"] >= marker]
        if len(after):
            hours = (after["at"].iloc[0] - marker) / pd.Timedelta(hours=1)
    # Background = before the incident began; in a scenario without any real unrest (no marker
    # scripted) every phase >= 3 episode is false.
    cut = pd.Timestamp(scenario.opened) if marker is not None else series["at"].iloc[-1] + HOUR
    false = [e for e in episodes(path) if e[0] < cut]
    background = (min(cut, series["at"].iloc[-1]) - series["at"].iloc[0]) / pd.Timedelta(days=1)
    checks = []
    for label, (when, expected) in scenario.checkpoints.items():
        row = series[series["at"] <= pd.Timestamp(when)].iloc[-1]
        measured = "geen gegevens" if pd.isna(row["temperature"]) else f"{row['phase']}"
        if not pd.isna(row["temperature"]):
            measured += f" (T={row['temperature']:.0f})"
        checks.append((label, str(row["at"]), expected, measured))
    return Evaluation(scenario.name, scenario.title, hours, len(false), background, checks), series
