"""Small typed records shared by collectors, analysis, comms and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

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
