"""The rules for opening, closing and reopening an incident, shared by the dashboard sidebar and
`onrust incident`: the same input is accepted or refused with the same Dutch message in both.

Pure: the caller passes `now` and the municipalities of incidents already on file (a demo or
exercise may use a fictional one, which then stays accepted as spelled there).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from analysis.lexicons import LEXICON_DIR, load_municipalities, read_terms
from onrust.errors import UserError
from onrust.models import Incident
from onrust.text import loose_name
from onrust.timeutil import fmt_local, to_utc

if TYPE_CHECKING:
    from onrust.store import Store

# The scenarios an incident can be given: the eight of 004 Bijlage 2, as keyed in the tagger's
# scenario lexicon (its other keys are the calamity types of 004 §1.2, no scenario of their own).
SCENARIO_REF = "004 Bijlage 2"
FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of laptops differ a little
MAX_NAME = 200


@cache
def scenarios() -> Mapping[str, str]:
    """Scenario key -> its section of 004 Bijlage 2, in the order of the annex."""
    refs: dict[str, str] = {}
    for term in read_terms(LEXICON_DIR / "scenario.csv", "scenario"):
        if term.ref and term.ref.startswith(SCENARIO_REF):
            refs.setdefault(term.key, term.ref)
    return MappingProxyType(dict(sorted(refs.items(), key=lambda kv: (kv[1], kv[0]))))


@cache
def _official_municipalities() -> Mapping[str, str]:
    """Folded name or alias -> official spelling (data/places/municipalities.csv)."""
    index: dict[str, str] = {}
    for town in load_municipalities():
        index.setdefault(loose_name(town.name), town.name)
    for town in load_municipalities():
        for alias in town.aliases:
            index.setdefault(loose_name(alias), town.name)
    return MappingProxyType(index)


@dataclass(frozen=True, slots=True)
class IncidentDraft:
    """What `Store.create_incident` gets once every field passed."""

    name: str
    municipality: str
    opened_at: datetime
    scenario: str | None


def _municipality(value: str, known: Iterable[str]) -> tuple[str, str | None]:
    """The official spelling, or the value itself when no official name is near (a fictional
    municipality of an exercise); a near miss is a typo and is refused with the suggestion."""
    folded = loose_name(value)
    for name in known:
        if loose_name(name) == folded:
            return name, None
    index = _official_municipalities()
    if folded in index:
        return index[folded], None
    near = sorted({index[c] for c in difflib.get_close_matches(folded, list(index), n=3, cutoff=0.75)})
    if near:
        return value, f"Gemeente '{value}' staat niet in de lijst van gemeenten; bedoelt u {' of '.join(near)}?"
    return value, None


def check_incident(
    name: str, municipality: str, opened_at: datetime, *, scenario: str | None = None,
    now: datetime, known_municipalities: Iterable[str] = (),
) -> tuple[IncidentDraft | None, list[str]]:
    """The draft to store, or None with one Dutch message per bad field."""
    name, municipality, scenario = name.strip(), municipality.strip(), (scenario or "").strip() or None
    problems: list[str] = []
    missing = [label for label, value in (("een naam", name), ("een gemeente", municipality)) if not value]
    if missing:
        problems.append(f"Vul {' en '.join(missing)} in.")
    if len(name) > MAX_NAME:
        problems.append(f"De naam is langer dan {MAX_NAME} tekens.")
    if municipality:
        municipality, problem = _municipality(municipality, known_municipalities)
        problems.extend([problem] if problem else [])
    if scenario is not None and scenario not in scenarios():
        problems.append(f"Onbekend scenario '{scenario}'; kies uit: {', '.join(scenarios())}.")
    if to_utc(opened_at) > to_utc(now) + FUTURE_TOLERANCE:
        problems.append("Het begin ligt in de toekomst.")
    if problems:
        return None, problems
    return IncidentDraft(name, municipality, opened_at, scenario), []


def closing_problem(incident: Incident, closed_at: datetime, author: str, now: datetime) -> str | None:
    """Why this close cannot be recorded, in Dutch; None when it can."""
    if incident.status == "gesloten":
        return f"Het incident is al afgesloten ({fmt_local(incident.closed_at)})."
    if not author.strip():
        return "Vul in wie het incident afsluit."
    if to_utc(closed_at) < to_utc(incident.opened_at):
        return f"Het einde ligt vóór de start ({fmt_local(incident.opened_at)})."
    if to_utc(closed_at) > to_utc(now):
        return "Het einde ligt in de toekomst."
    return None


def reopening_problem(incident: Incident, author: str) -> str | None:
    if incident.status != "gesloten":
        return "Het incident is niet afgesloten."
    if not author.strip():
        return "Vul in wie het incident heropent."
    return None


def scenario_label(key: str | None) -> str:
    return "— nog niet bekend —" if key is None else f"{key} ({scenarios()[key]})"


def change_scenario(store: Store, incident_id: int, scenario: str | None, author: str) -> Incident:
    """Choose or change the incident's scenario (a decision on the logbook, who and when)."""
    incident = _existing(store, incident_id)
    scenario = (scenario or "").strip() or None
    problems = []
    if scenario is not None and scenario not in scenarios():
        problems.append(f"Onbekend scenario '{scenario}'; kies uit: {', '.join(scenarios())}.")
    elif scenario == incident.scenario:
        problems.append("Dit is al het scenario van het incident.")
    if not author.strip():
        problems.append("Vul in wie het scenario kiest.")
    if problems:
        raise UserError("\n".join(problems))
    change = f"{scenario_label(incident.scenario)} → {scenario_label(scenario)}"
    store.set_incident_scenario(incident_id, scenario, author.strip(), f"Scenario ({SCENARIO_REF}): {change}")
    return _existing(store, incident_id)


def _existing(store: Store, incident_id: int) -> Incident:
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet.")
    return incident


def open_incident(store: Store, name: str, municipality: str, opened_at: datetime, *,
                  scenario: str | None = None, description: str = "", now: datetime) -> Incident:
    draft, problems = check_incident(name, municipality, opened_at, scenario=scenario, now=now,
                                     known_municipalities=[i.municipality for i in store.incidents()])
    if draft is None:
        raise UserError("\n".join(problems))
    new_id = store.create_incident(draft.name, draft.municipality, draft.opened_at, scenario=draft.scenario,
                                   description=description.strip())
    return _existing(store, new_id)


def close_incident(store: Store, incident_id: int, closed_at: datetime, author: str, *, now: datetime) -> Incident:
    """Closed, with the decision on the logbook (who and when), as the sidebar records it."""
    problem = closing_problem(_existing(store, incident_id), closed_at, author, now)
    if problem:
        raise UserError(problem)
    store.close_incident(incident_id, closed_at, author=author.strip())
    return _existing(store, incident_id)


def reopen_incident(store: Store, incident_id: int, author: str) -> Incident:
    problem = reopening_problem(_existing(store, incident_id), author)
    if problem:
        raise UserError(problem)
    store.reopen_incident(incident_id, author=author.strip())
    return _existing(store, incident_id)
