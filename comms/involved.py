"""Registering the people involved in an incident, whose names no outward text may carry."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from comms.rules import ROLES
from onrust.errors import UserError

if TYPE_CHECKING:
    from onrust.store import Store


def add_incident_person(
    store: Store, incident_id: int, name: str, role: str, added_by: str, *, at: datetime | None = None
) -> int:
    """Check and clean what was typed, then store it; the error says in Dutch what is missing."""
    if not name.strip():
        raise UserError("Vul een naam in.")
    if role not in ROLES:
        raise UserError(f"Onbekende rol '{role}'; kies uit {', '.join(ROLES)}.")
    if not added_by.strip():
        raise UserError("Vul in wie de naam registreert.")
    return store.add_incident_person(incident_id, " ".join(name.split()), role, added_by.strip(), at=at)
