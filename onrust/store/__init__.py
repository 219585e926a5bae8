"""The DuckDB store: all SQL and schema live in this package (migrations/ holds the schema).

`Store` is composed of one query mixin per domain so each capability keeps its SQL in its own
module while sharing one connection, one transaction helper and one migration sequence.
"""

from onrust.store.core import CoreStore, DatabaseLocked
from onrust.store.comms import CommsQueries
from onrust.store.incidents import IncidentQueries
from onrust.store.items import ItemQueries
from onrust.store.omgevingsbeeld import OmgevingsbeeldQueries
from onrust.store.press import PressQueries
from onrust.store.signals import SignalQueries
from onrust.store.sources import SourceQueries
from onrust.store.tags import TagQueries
from onrust.store.temperature import TemperatureQueries


class Store(TemperatureQueries, PressQueries, SignalQueries, TagQueries, OmgevingsbeeldQueries, ItemQueries, SourceQueries, IncidentQueries, CommsQueries, CoreStore):
    """One open database with every domain's queries."""


__all__ = ["DatabaseLocked", "Store"]
