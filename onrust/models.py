"""Small typed records shared by collectors, analysis, comms and the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from onrust.text import distinct_phrases, loose_name
from onrust.timeutil import to_utc

Reach = Literal["lokaal", "regionaal", "landelijk", "sociaal"]
REACHES: tuple[Reach, ...] = ("lokaal", "regionaal", "landelijk", "sociaal")


@dataclass(frozen=True, slots=True)
class Incident:
    id: int
    name: str
    municipality: str
    scenario: str | None
    description: str
    opened_at: datetime
    closed_at: datetime | None
    status: str
    is_demo: bool

    @property
    def is_closed(self) -> bool:
        """Closed means read-only until reopened (the store refuses changes, pages disable forms)."""
        return self.status == "gesloten"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "opened_at": to_utc(self.opened_at).isoformat(),
                "closed_at": to_utc(self.closed_at).isoformat() if self.closed_at else None}


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    name: str
    kind: str
    url: str | None
    reach: Reach
    publisher: str | None
    enabled: bool
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Item:
    """One news item as parsed from a source, before it has a database id."""

    item_key: str
    guid: str | None
    url: str | None
    title: str
    summary: str
    author: str | None
    language: str | None
    published_at: datetime
    published_at_flag: str | None
    fetched_at: datetime
    content_hash: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    new: int = 0
    updated: int = 0
    duplicates: int = 0


# -- watch profiles (analysis decides relevance; the store keeps the profile) ---------------------


@dataclass(frozen=True, slots=True)
class WatchProfile:
    """What the omgevingsanalist watches for one incident."""

    incident_id: int
    terms: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()  # added by the analist; count as places
    actors: tuple[str, ...] = ()
    involved: tuple[str, ...] = ()  # names of people involved: sensitive, never exported
    period_start: datetime | None = None
    period_end: datetime | None = None
    revision: int = 0  # 0 = never saved (the default profile)

    @property
    def all_places(self) -> tuple[str, ...]:
        return distinct_phrases((*self.places, *self.neighbourhoods))

    def edited(self, **changes: Any) -> WatchProfile:
        """A copy with cleaned lists (stripped, no empties, no duplicates)."""
        for key in ("terms", "places", "neighbourhoods", "actors", "involved"):
            if key in changes:
                changes[key] = distinct_phrases(changes[key])
        return replace(self, **changes)


# -- manual signals (collectors validate them; the store keeps them) ------------------------------


@dataclass(frozen=True, slots=True)
class SignalRouting:
    """A signal handed over to a member of the lokale driehoek (004 §3.1), and who received it."""

    signal_id: int
    member: str
    received_by: str
    routed_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class SignalInput:
    kind: str
    source_type: str
    reliability: str
    credibility: int
    verification: str
    severity: int
    municipality: str
    neighbourhood: str | None
    occurred_at: datetime
    reported_at: datetime
    entered_at: datetime
    incident_id: int | None
    text: str
    entered_by: str

    @property
    def key(self) -> str:
        """Identity of a signal: what happened, where, when and from which kind of source.

        The assessment (reliability, credibility, verification, severity), who typed it and when
        it was reported are left out: a re-import of a file whose assessment changed, or a form
        submitted twice with "nu" as report time, is still the same signal.
        """
        parts = [
            "" if self.incident_id is None else str(self.incident_id), self.kind, self.source_type,
            loose_name(self.municipality), loose_name(self.neighbourhood or ""),
            to_utc(self.occurred_at).isoformat(), " ".join(self.text.casefold().split()),
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


# -- press releases (comms decides the workflow; the store keeps versions and steps) --------------

Severity = Literal["blokkerend", "waarschuwing", "hint"]
PressStatus = Literal["concept", "ter_controle", "goedgekeurd", "verstuurd"]


@dataclass(frozen=True, slots=True)
class InvolvedPerson:
    """A name registered for an incident; it must never appear in an outward text."""

    name: str
    role: str = "betrokkene"
    id: int | None = None
    added_by: str = ""
    added_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    label: str
    start: int
    end: int
    passage: str
    why: str
    ref: str
    suggestion: str
    where: str = ""  # field or variant key; "" for a plain text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PressVersion:
    release_id: int
    version: int
    fields: dict[str, Any]  # PressFields as stored; comms.press.fields_from_dict reads it
    author: str
    created_at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class PressRelease:
    id: int
    incident_id: int
    status: PressStatus
    created_at: datetime
    created_by: str
    status_at: datetime
    status_by: str
    latest: PressVersion

    @property
    def title(self) -> str:
        return str(self.latest.fields.get("titel") or "").strip() or f"Bericht {self.id} (zonder kop)"


# -- logbook (003 fase 1.5 logboek gebeurtenissen en acties; 000 §2.3 besluitenlijst) ---------------

LogKind = Literal["gebeurtenis", "actie", "besluit", "informatie gedeeld"]
LOG_KINDS: tuple[LogKind, ...] = ("gebeurtenis", "actie", "besluit", "informatie gedeeld")
LinkTarget = Literal["item", "signal", "press_release", "diagnosis"]
LINK_TARGETS: tuple[LinkTarget, ...] = ("item", "signal", "press_release", "diagnosis")


@dataclass(frozen=True, slots=True)
class LogLink:
    """What an entry is about: a news item, a signal, a press release or a diagnosis."""

    target: LinkTarget
    id: int

    def __str__(self) -> str:
        return f"{self.target}:{self.id}"


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One logbook line. Entries are never changed: `corrects` names the entry a correction
    replaces, and a reader shows the correction instead of (or beside) the original."""

    id: int
    incident_id: int
    logged_at: datetime
    kind: LogKind
    text: str
    author: str
    corrects: int | None = None
    links: tuple[LogLink, ...] = ()
    data: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "incident_id": self.incident_id, "logged_at": to_utc(self.logged_at).isoformat(),
            "kind": self.kind, "text": self.text, "author": self.author, "corrects": self.corrects,
            "links": [str(link) for link in self.links], "data": self.data,
        }


# -- tasks and risk moments (003 Deel II fase 1-3; 000 §2.1; 000 Bijlage 7) -----------------------


@dataclass(frozen=True, slots=True)
class TaskState:
    """What was recorded for one task of an incident; the task itself is a seed fact (data/tasks)."""

    incident_id: int
    task_id: str
    done_at: datetime | None
    done_by: str | None
    note: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class RiskMoment:
    """A dated "moment van mogelijke onrust" (000 Bijlage 7) of an incident: a court date, a release."""

    incident_id: int
    moment_key: str
    expected_at: datetime
    note: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class TriageDecision:
    """The outcome of the triage of 003 Deel II ("Melding komt binnen"), as logged."""

    outcome: str
    decided_at: datetime
    author: str
    entry_id: int


# -- stories (collectors group new items; the store keeps the ids) --------------------------------


@dataclass(frozen=True)
class StoryGroups:
    """Per row a group number; groups that continue a stored story carry its id."""

    group: np.ndarray                 # row -> group 0..n_groups-1
    known_story: np.ndarray           # group -> stored story id, or -1 for a new story
    merges: dict[int, int]            # stored story id -> the stored story it joins


@dataclass(frozen=True)
class StoryPlan:
    """How the new items of one batch join stories, as collectors.dedupe decided it.

    Rows are positions in the batch the store handed over (sorted by publication time).
    """

    keys: pd.DataFrame                      # (row, key): the blocking keys of each row
    groups: StoryGroups
    original_publisher: pd.Series           # per row: who published it first
    lead_publisher: dict[str, str | None]   # lead key -> its first publisher (kept with the key)


# The stored (key, story_id, first_publisher) of the given keys seen since a moment.
StoryLookup = Callable[[pd.Series, datetime], pd.DataFrame]
# Given the new items and a lookup of stored keys, the plan (collectors.dedupe.plan_stories).
StoryPlanner = Callable[[pd.DataFrame, StoryLookup], StoryPlan]
