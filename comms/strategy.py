"""Strategy helpers: who speaks (001 woordvoering rules), the accent among the three aims, press policy.

The rule texts live in data/woordvoering.toml and data/communication_aims.toml; this module
applies them to the answers a communicatieadviseur gives and returns the answer together with
the reasoning, so the choice can be recorded and explained afterwards.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from onrust.paths import DATA_DIR

WOORDVOERING = DATA_DIR / "woordvoering.toml"
AIMS = DATA_DIR / "communication_aims.toml"

Kader = Literal["jeugdwet", "opvang", "overig"]
KADERS: tuple[Kader, ...] = ("jeugdwet", "opvang", "overig")
PressPolicy = Literal["actief", "passief"]


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True, slots=True)
class WoordvoeringVraag:
    """The facts the 001 rules turn on, as the user answers them."""

    driehoek_betrokken: bool
    kader: Kader = "overig"
    onrust_gemeente: str = ""       # where the unrest arose / the driehoek was started
    inkopende_gemeente: str = ""    # bought the care for this person
    woonplaats_gemeente: str = ""   # Jeugdwet woonplaatsbeginsel
    verblijf_gemeente: str = ""     # beschermd wonen / opvang: where the client stays
    zorgaanbieder_betrokken: bool = False
    strafbaar_feit: bool = False


@dataclass(frozen=True, slots=True)
class Stap:
    rule: str
    question: str
    answer: str
    conclusion: str
    ref: str


@dataclass(frozen=True, slots=True)
class WoordvoeringAdvies:
    gemeente: str
    woordvoerders: tuple[str, ...]
    answer: str
    steps: tuple[Stap, ...]

    def details(self, vraag: WoordvoeringVraag) -> dict[str, Any]:
        """What to store: the inputs, the answer and every reasoning step."""
        return {
            "vraag": asdict(vraag), "gemeente": self.gemeente,
            "woordvoerders": list(self.woordvoerders), "stappen": [asdict(s) for s in self.steps],
        }


def load_woordvoering_rules(path: Path = WOORDVOERING) -> dict[str, Any]:
    """The rules as written in data/woordvoering.toml (the form asks their questions verbatim)."""
    rules = _load(path)["rules"]
    if set(rules["kader"]["options"]) != set(KADERS):
        raise ValueError(f"{path.name}: kader-opties moeten {', '.join(KADERS)} zijn")
    return rules


def _required(name: str, label: str) -> str:
    if not name.strip():
        raise ValueError(f"Vul {label} in.")
    return name.strip()


def wie_voert_het_woord(vraag: WoordvoeringVraag, rules: dict[str, Any] | None = None) -> WoordvoeringAdvies:
    """Apply the 001 woordvoering rules in order; every rule consulted becomes a reasoning step."""
    rules = rules or load_woordvoering_rules()
    steps: list[Stap] = []
    r = rules["driehoek"]
    if vraag.driehoek_betrokken:
        gemeente = _required(vraag.onrust_gemeente, "de gemeente waar de onrust is ontstaan")
        steps.append(Stap("driehoek", r["question"], "ja", r["yes"].format(gemeente=gemeente), r["ref"]))
    else:
        steps.append(Stap("driehoek", r["question"], "nee", r["no"], r["ref"]))
        if vraag.kader not in KADERS:
            raise ValueError(f"onbekend kader '{vraag.kader}'")
        k = rules["kader"]
        option = k["options"][vraag.kader]
        gemeente = {
            "jeugdwet": lambda: _required(vraag.woonplaats_gemeente, "de woonplaatsgemeente van de jeugdige"),
            "opvang": lambda: _required(vraag.verblijf_gemeente, "de gemeente waar de cliënt verblijft"),
            "overig": lambda: _required(vraag.inkopende_gemeente, "de gemeente die de zorg heeft ingekocht"),
        }[vraag.kader]()
        conclusion = option["conclusion"].format(gemeente=gemeente)
        steps.append(Stap("kader", k["question"], option["label"], conclusion, k["ref"]))
    woordvoerders = [f"Gemeente {gemeente}"]

    if vraag.zorgaanbieder_betrokken:
        r = rules["zorgaanbieder"]
        text = r["yes_driehoek"] if vraag.driehoek_betrokken else r["yes"]
        steps.append(Stap("zorgaanbieder", r["question"], "ja", text, r["ref"]))
        woordvoerders.append("Zorgaanbieder (over de eigen zorg)")
    if vraag.strafbaar_feit:
        r = rules["strafbaar"]
        steps.append(Stap("strafbaar", r["question"], "ja", r["yes"], r["ref"]))
        woordvoerders.append("OM (over strafbare feiten)")

    involved = [g.strip() for g in (vraag.onrust_gemeente, vraag.inkopende_gemeente,
                                    vraag.woonplaats_gemeente, vraag.verblijf_gemeente) if g.strip()]
    distinct = list(dict.fromkeys(involved))
    if len(distinct) > 1:
        r = rules["meerdere_gemeenten"]
        steps.append(Stap("meerdere_gemeenten", r["question"], "ja",
                          r["yes"].format(gemeente=", ".join(distinct)), r["ref"]))
    if len(woordvoerders) > 1:
        r = rules["afstemming"]
        steps.append(Stap("afstemming", r["question"], "ja", r["yes"], r["ref"]))

    answer = f"Gemeente {gemeente} voert het woord."
    if len(woordvoerders) > 1:
        answer += " Daarnaast: " + "; ".join(woordvoerders[1:]) + "."
    return WoordvoeringAdvies(gemeente, tuple(woordvoerders), answer, tuple(steps))


# -- aims and press policy -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Aim:
    key: str
    label: str
    description: str
    ref: str


@dataclass(frozen=True, slots=True)
class PhaseAdvice:
    phase: int
    name: str
    accent: tuple[str, ...]
    why: str
    press_policy: PressPolicy
    press_why: str
    press_ref: str = ""  # set when a scenario's seed overrides the phase default


@dataclass(frozen=True, slots=True)
class ScenarioPress:
    """A scenario whose seeds advise another press policy in some phases (000 Bijlage 7, 004 Bijlage 2.1)."""

    phases: frozenset[int]
    press_policy: PressPolicy
    press_why: str
    ref: str


@dataclass(frozen=True, slots=True)
class StrategyData:
    aims: dict[str, Aim]
    phases: dict[int, PhaseAdvice]
    press_policies: dict[str, dict[str, str]]
    scenario_press: dict[str, ScenarioPress]


def load_strategy_data(path: Path = AIMS) -> StrategyData:
    raw = _load(path)
    aims = {k: Aim(k, v["label"], v["description"], v["ref"]) for k, v in raw["aims"].items()}
    phases = {}
    for key, v in raw["phases"].items():
        unknown = set(v["accent"]) - set(aims)
        if unknown or v["press_policy"] not in raw["press_policies"]:
            raise ValueError(f"{path.name} fase {key}: onbekend doel of persbeleid {sorted(unknown)}")
        phases[int(key)] = PhaseAdvice(int(key), v["name"], tuple(v["accent"]), v["why"],
                                       v["press_policy"], v["press_why"])
    scenario_press = {}
    for key, v in raw.get("scenario_press", {}).items():
        if v["press_policy"] not in raw["press_policies"] or not set(v["phases"]) <= set(phases):
            raise ValueError(f"{path.name} scenario {key}: onbekend persbeleid of onbekende fase")
        scenario_press[key] = ScenarioPress(frozenset(v["phases"]), v["press_policy"], v["press_why"], v["ref"])
    return StrategyData(aims, phases, raw["press_policies"], scenario_press)


def advice_for_phase(phase: int | None, data: StrategyData, scenario: str | None) -> PhaseAdvice | None:
    """The phase's advice, with the press policy of the incident's scenario where its seed differs."""
    advice = data.phases.get(phase) if phase is not None else None
    special = data.scenario_press.get(scenario or "")
    if advice is None or special is None or advice.phase not in special.phases:
        return advice
    return replace(advice, press_policy=special.press_policy, press_why=special.press_why, press_ref=special.ref)


def accent_value(aims: Sequence[str], data: StrategyData) -> str:
    """The recorded text of an accent choice, in the fixed order of the three aims."""
    chosen = [k for k in data.aims if k in set(aims)]
    unknown = set(aims) - set(data.aims)
    if unknown:
        raise ValueError(f"onbekend communicatiedoel {sorted(unknown)}")
    if not chosen:
        raise ValueError("Kies minstens één communicatiedoel.")
    return " + ".join(data.aims[k].label for k in chosen)


def press_policy_value(policy: str, data: StrategyData) -> str:
    if policy not in data.press_policies:
        raise ValueError(f"Kies actief of passief persbeleid, niet '{policy}'.")
    return data.press_policies[policy]["label"]


# -- the phase the communication answers to -----------------------------------------------
@dataclass(frozen=True, slots=True)
class PhaseStatus:
    """The official phase (driehoek decision in the logbook) and the computed one, side by side."""

    phase: int | None          # the one to work to: official when decided, else computed
    source: str                # 'officieel', 'berekend' or 'geen'
    official: int | None
    official_at: pd.Timestamp | None
    computed: int | None
    temperature: float | None
    computed_at: pd.Timestamp | None


def phase_status(official: pd.DataFrame, points: pd.DataFrame) -> PhaseStatus:
    """Pick the phase from `official_phases` rows and `temperature_points` rows (DataFrames).

    The driehoek decides the phase (004 §2); the computed phase is only advice, so an official
    decision wins even when the temperature has moved since.
    """
    off = official.iloc[-1] if len(official) else None
    known = points[points["has_data"].astype(bool)] if len(points) else points
    pt = known.iloc[-1] if len(known) else None
    off_phase = int(off["phase"]) if off is not None else None
    comp_phase = int(pt["phase"]) if pt is not None else None
    phase = off_phase if off_phase is not None else comp_phase
    source = "officieel" if off_phase is not None else ("berekend" if comp_phase is not None else "geen")
    return PhaseStatus(
        phase, source, off_phase, off["logged_at"] if off is not None else None, comp_phase,
        float(pt["temperature"]) if pt is not None else None, pt["at"] if pt is not None else None,
    )


@dataclass(frozen=True, slots=True)
class StrategyInPeriod:
    """The strategy decisions as they were known at a period's end, so that a past period shows
    what was in force then, like the official phase does."""

    history: pd.DataFrame  # Store.strategy_decisions rows decided up to the end, newest first
    later: pd.DataFrame    # decided after it, newest first

    @property
    def current(self) -> dict[str, dict[str, Any]]:
        """The latest decision per kind (accent, persbeleid, woordvoering) at the end."""
        latest = self.history.drop_duplicates("kind", keep="first")
        return {row["kind"]: row for row in latest.to_dict("records")}


def strategy_in_period(decisions: pd.DataFrame, end: datetime) -> StrategyInPeriod:
    """Split `Store.strategy_decisions` rows (newest first) at the period's end."""
    before = pd.to_datetime(decisions["decided_at"], utc=True) <= pd.Timestamp(end)
    return StrategyInPeriod(decisions[before].reset_index(drop=True), decisions[~before].reset_index(drop=True))
