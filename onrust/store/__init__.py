"""The DuckDB store: all SQL and schema live in this package (migrations/ holds the schema).

Each module holds the queries of one group of tables, as a subclass of CoreStore (one
connection, one transaction helper, one migration sequence), so every method resolves for an
editor and a type checker; `Store` combines them. The store imports no stage: it takes values,
records from onrust.models, or a function a stage passes in (save_items' story planner).
"""

from onrust.store.alerts import AlertQueries
from onrust.store.audit import AuditQueries
from onrust.store.comms import CommsQueries
from onrust.store.core import CoreStore, DatabaseLocked, DatabaseReadOnly, StorageFull
from onrust.store.diagnoses import DiagnosisQueries
from onrust.store.evaluation import EvaluationQueries
from onrust.store.incidents import IncidentQueries
from onrust.store.item_errors import ItemErrorQueries
from onrust.store.items import ItemQueries
from onrust.store.links import LinkQueries
from onrust.store.logbook import LogbookQueries
from onrust.store.meetings import MeetingQueries
from onrust.store.omgevingsbeeld import OmgevingsbeeldQueries
from onrust.store.persons import PersonQueries
from onrust.store.press import PressQueries
from onrust.store.profiles import ProfileQueries
from onrust.store.retention import RetentionQueries
from onrust.store.roster import RosterQueries
from onrust.store.rumours import RumourQueries
from onrust.store.signal_routing import SignalRoutingQueries
from onrust.store.signals import SignalQueries
from onrust.store.sources import SourceQueries
from onrust.store.tags import TagQueries
from onrust.store.tasks import TaskQueries
from onrust.store.temperature import TemperatureQueries
from onrust.store.users import UserQueries
from onrust.store.visits import VisitQueries


class Store(
    TemperatureQueries, SourceQueries, ItemQueries, TagQueries, ProfileQueries, LinkQueries,
    SignalQueries, SignalRoutingQueries, IncidentQueries, LogbookQueries, RosterQueries, PersonQueries,
    PressQueries, CommsQueries, OmgevingsbeeldQueries, DiagnosisQueries, AlertQueries, VisitQueries,
    ItemErrorQueries, TaskQueries, RumourQueries, MeetingQueries, EvaluationQueries, AuditQueries,
    RetentionQueries, UserQueries, CoreStore,
):
    """One open database with every table group's queries."""


__all__ = ["DatabaseLocked", "DatabaseReadOnly", "StorageFull", "Store"]
