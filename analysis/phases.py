"""The five MO phases (004 §1.3) and the machine that maps the temperature onto them.

Rises are immediate (a crisis team would rather be called too early); falls need the temperature
below a lower exit level and a minimum time in the phase (hysteresis + dwell), so a value
hovering at a border does not flap. After phase 3 or 4 the way down leads through phase 5
(terugkeer naar rust), and only a sustained calm brings phase 1 back; a new rise after calm had
returned is phase 2 again. Phase 3 and 4 need behaviour (escalation markers or signals), not
attention alone. A confirmed signal lifts the phase at once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.temperature import Aggregates, compute_series, series_from_aggregates, signal_versions
from onrust.paths import DATA_DIR
from onrust.settings import TemperatureSettings

PHASES_FILE = DATA_DIR / "phases.toml"
# Phase 5 sits between 2 and 3 when comparing: it is calmer than unrest, but not yet rust.
_RANK = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0, 5: 2.5}


@dataclass(frozen=True, slots=True)
class Phase:
    nummer: int
    naam: str
    situatie: str
    definitie: str
    kenmerken: tuple[str, ...]
    doelen: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"Fase {self.nummer}: {self.naam}"


@cache
def load_phases(path: Path = PHASES_FILE) -> dict[int, Phase]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    goals = {k: tuple(v["doelen"]) for k, v in raw["situatie"].items()}
    return {
        f["nummer"]: Phase(f["nummer"], f["naam"], f["situatie"], f["definitie"],
                           tuple(f["kenmerken"]), goals[f["situatie"]])
        for f in raw["fase"]
    }


def _fmt(x: float) -> str:
    return f"{x:.0f}"


def phase_path(series: pd.DataFrame, cfg: TemperatureSettings) -> pd.DataFrame:
    """The phase at every point of a temperature series, with a Dutch reason wherever it changed.

    A temperature of NaN means no data: the phase then holds (only a confirmed signal can still
    lift it), because missing data is not calm. Phase 3 and 4 are defined by behaviour
    (verwensingen, ophitsing, vernielingen, geweld: 004 §1.3), so the temperature alone lifts no
    higher than 2 unless the escalation or the signals component shows such behaviour.
    """
    times = pd.DatetimeIndex(pd.to_datetime(series["at"], utc=True))
    temperature = series["temperature"].to_numpy(dtype=float)
    lift = series["lift"].to_numpy(dtype=int)
    evidence = np.fmax(series["escalation"].to_numpy(dtype=float),
                       series["signals"].to_numpy(dtype=float))
    enter = dict(zip((2, 3, 4), cfg.enter, strict=True))
    leave = dict(zip((2, 3, 4), cfg.exit, strict=True))
    dwell = pd.Timedelta(hours=cfg.min_dwell_hours)
    calm_needed = pd.Timedelta(hours=cfg.calm_hours)
    phase, since, calm_since = 1, times[0] if len(times) else None, None
    calmed = False  # in phase 5, has the temperature been below the phase-2 exit level?
    had_unrest = False  # phase 3 or 4 since the last rust: the way down then leads through 5
    phases, reasons = [], []
    for t, temp, up, seen in zip(times, temperature, lift, evidence, strict=True):
        known = not np.isnan(temp)
        calm_since = (calm_since or t) if known and temp < leave[2] else None
        calmed = phase == 5 and (calmed or calm_since is not None)
        new, reason = _rise(phase, temp, seen, calmed, enter, cfg) if known else (phase, "")
        if up > 1 and _RANK[up] > _RANK[new]:
            new = up
            reason = f"bevestigd signaal tilt de fase direct naar {up}"
        if new == phase and known and t - since >= dwell:
            quiet = calm_since is not None and t - calm_since >= calm_needed
            fallen, why = _fall(phase, temp, int(up), had_unrest, quiet, leave, cfg)
            if fallen != phase:
                new, reason = fallen, why
        if new != phase:
            phase, since = new, t
        had_unrest = phase in (3, 4) or (had_unrest and phase != 1)
        phases.append(phase)
        reasons.append(reason)
    frame = pd.DataFrame({"at": times, "phase": phases, "reason": reasons})
    frame["changed"] = frame["reason"] != ""
    return frame


def _rise(phase: int, temp: float, seen: float, calmed: bool, enter: dict[int, float],
          cfg: TemperatureSettings) -> tuple[int, str]:
    """The higher phase a known temperature lifts to, with the reason; (phase, "") for none.
    Without behaviour (escalation or signals) the temperature lifts no higher than 2."""
    level = max([k for k in (2, 3, 4) if temp >= enter[k]], default=1)
    capped = level >= 3 and not seen >= cfg.phases.behaviour_min
    if capped:
        level = 2
    # A new threat after calm had returned is fase 2 again; lingering unease is still fase 5.
    rises = _RANK[level] > _RANK[phase] or (phase == 5 and level == 2 and calmed)
    if level == 1 or not rises:
        return phase, ""
    reason = f"temperatuur {_fmt(temp)} ≥ {_fmt(enter[level])}, de drempel voor fase {level}"
    if phase == 5 and level == 2:
        reason += ", opnieuw dreigend na terugkeer naar rust"
    if capped:
        reason += f" (hoger pas bij gedrag: escalatie of signalen ≥ {_fmt(cfg.phases.behaviour_min)})"
    return level, reason


def _fall(phase: int, temp: float, up: int, had_unrest: bool, quiet: bool, leave: dict[int, float],
          cfg: TemperatureSettings) -> tuple[int, str]:
    """The lower phase a known temperature lets the phase fall to once its dwell time is served,
    with the reason; (phase, "") for none. `quiet`: calm for the full calm period. A confirmed
    signal (`up`) keeps the phase at least at its level."""
    floor = _RANK[up] if up > 1 else 1.0
    new = phase
    if phase == 4 and temp < leave[4]:
        new = 3 if temp >= leave[3] else 5
    elif phase == 3 and temp < leave[3]:
        new = 5
    elif phase == 2 and temp < leave[2]:
        new = 5 if had_unrest else 1
    elif phase == 5 and quiet:
        new = 1
    if _RANK[new] < floor or new == phase:
        return phase, ""
    if phase == 5:
        return new, f"{cfg.calm_hours} uur lang onder {_fmt(leave[2])}: terug naar rust"
    return new, (f"temperatuur {_fmt(temp)} < {_fmt(leave[phase])} na ten minste "
                 f"{cfg.min_dwell_hours} uur in fase {phase}")


def episodes(path: pd.DataFrame, minimum: int = 3) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Start and end of each run of consecutive points in phase 3 or 4 (or `minimum`-and-up)."""
    high = path["phase"].isin([p for p in (3, 4) if p >= minimum]).to_numpy()
    out = []
    start = None
    for t, h in zip(path["at"], high, strict=True):
        if h and start is None:
            start = t
        elif not h and start is not None:
            out.append((start, t))
            start = None
    if start is not None:
        out.append((start, path["at"].iloc[-1]))
    return out


def series_start(opened_at: datetime, cfg: TemperatureSettings) -> datetime:
    """Where every series of an incident starts, so the phase path is the same at every replay."""
    return opened_at - timedelta(hours=cfg.lead_hours)


def temperature_view(inputs: dict[str, pd.DataFrame], opened_at: datetime, as_of: datetime,
                     cfg: TemperatureSettings, *, aggregates: Aggregates | None = None) -> pd.DataFrame:
    """The series with phases for one incident, from the store's `temperature_inputs` frames;
    with `aggregates` (the incident's stored bins up to as_of) the items and tags are not needed."""
    signals = signal_versions(inputs["signals"], inputs.get("revisions"))
    start = series_start(opened_at, cfg)
    if aggregates is None:
        series = compute_series(inputs["items"], inputs["tags"], signals, inputs["coverage"],
                                start, as_of, cfg, opened=opened_at)
    else:
        series = series_from_aggregates(aggregates, signals, inputs["coverage"], start, as_of, cfg,
                                        opened=opened_at)
    if series.empty:
        return series.assign(phase=pd.Series(dtype=int), reason=pd.Series(dtype=str))
    path = phase_path(series, cfg)
    return series.assign(phase=path["phase"].to_numpy(), reason=path["reason"].to_numpy())


@dataclass(frozen=True, slots=True)
class PeriodDecisions:
    """The official phase decisions as every page shows them for a period (one rule).

    The official phase of a period is the latest decision logged up to the period's end, so a
    replayed meeting shows what had been decided then; a decision logged after a past period
    ended is kept in `later`, for the page to say so beside it instead of silently hiding it.
    """

    shown: pd.DataFrame  # Store.official_phases rows logged up to `end`, oldest first
    later: pd.Series | None  # the newest decision logged after `end`, None when there is none
    end: datetime

    @property
    def current(self) -> pd.Series | None:
        return self.shown.iloc[-1] if len(self.shown) else None


def official_in_period(decisions: pd.DataFrame, end: datetime) -> PeriodDecisions:
    """Split `Store.official_phases` rows (all of them, oldest first) at the period's end."""
    logged = pd.to_datetime(decisions["logged_at"], utc=True)
    before = logged <= pd.Timestamp(end)
    after = decisions[~before]
    return PeriodDecisions(decisions[before], after.iloc[-1] if len(after) else None, end)
