"""Scenario guidance for the team: 004 Bijlage 2 per scenario (partners, kenmerken, bestuurlijke
vraagstukken, aandachtspunten, praktische tips) and 000 Bijlage 7 for every incident
(randvoorwaarden, aandachtspunten, rol en verwachtingen). Seed facts, read from data/guidance."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from onrust.paths import DATA_DIR

GUIDANCE_DIR = DATA_DIR / "guidance"
# The sections of a 004 Bijlage 2 scenario after the partners, with the seed's headings.
SCENARIO_SECTIONS = {
    "kenmerken": "Mogelijk relevante kenmerken",
    "vraagstukken": "Bestuurlijke vraagstukken en kritieke besluiten",
    "aandachtspunten": "Aandachtspunten",
    "tips": "Praktische tips",
}
# The sections of 000 Bijlage 7 shown for every incident, with the seed's headings.
BIJLAGE7_SECTIONS = {
    "randvoorwaarden": "Randvoorwaarden",
    "aandachtspunten": "Aandachtspunten",
    "rol_en_verwachtingen": "Rol en verwachtingen",
    "privacy": "Privacy",
    "communicatie": "Communicatie",
    "hulpverlening": "Hulpverlening",
}


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    lead: str
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScenarioGuidance:
    key: str
    title: str
    ref: str
    introductie: tuple[str, ...]
    partners: tuple[Partner, ...]
    partners_note: str
    sections: Mapping[str, tuple[str, ...]]  # SCENARIO_SECTIONS key -> items (a sub-bullet is "\n- ...")


@cache
def scenario_guidance() -> Mapping[str, ScenarioGuidance]:
    with (GUIDANCE_DIR / "scenarios.toml").open("rb") as fh:
        data = tomllib.load(fh)
    found = {}
    for s in data["scenario"]:
        partners = tuple(Partner(p["name"], p.get("lead", ""), tuple(p["points"])) for p in s["partner"])
        found[s["key"]] = ScenarioGuidance(
            s["key"], s["title"], s["ref"], tuple(s["introductie"]), partners, s.get("partners_note", ""),
            MappingProxyType({k: tuple(s[k]) for k in SCENARIO_SECTIONS}))
    return MappingProxyType(found)


@cache
def bijlage7() -> Mapping[str, tuple[str, ...]]:
    """000 Bijlage 7 section key -> its bullets, in BIJLAGE7_SECTIONS order."""
    with (GUIDANCE_DIR / "bijlage7.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return MappingProxyType({k: tuple(data[k]) for k in BIJLAGE7_SECTIONS})


def as_markdown_list(items: tuple[str, ...]) -> str:
    """Seed bullets (trusted data files, not user input) as a Markdown list; sub-bullets indented."""
    lines = []
    for item in items:
        head, *subs = item.split("\n- ")
        lines.append(f"- {head}")
        lines += [f"    - {sub}" for sub in subs]
    return "\n".join(lines)
