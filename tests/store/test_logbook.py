"""The logbook is append-only: the database refuses changes, the store's generic write path
refuses them, no SQL in the store issues them, and a correction is a new entry linking back."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from comms.logbook import add_entry, correct_entry
from onrust.errors import IncidentClosed, UserError
from onrust.models import LogLink
from onrust.store.core import AppendOnlyError, _migration_files

OPENED = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
STORE_DIR = Path(str(resources.files("onrust.store")))


def _incident(store) -> int:
    return store.create_incident("Brand woonwijk De Hoven", "Uithoorn", OPENED)


@pytest.mark.parametrize("sql", [
    "update logbook set text = 'anders' where id = ?",
    "update logbook set data = '{}' where id = ?",
    "delete from logbook where id = ?",
])
def test_the_database_refuses_to_change_or_remove_an_entry(store, sql):
    entry_id = store.add_log_entry(_incident(store), "actie", "Kernteam gebeld", "teamleider")
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cur:
        cur.execute(sql, [entry_id])
    assert store.log_entry(entry_id).text == "Kernteam gebeld"


def test_the_database_refuses_to_drop_or_empty_the_logbook(store):
    store.add_log_entry(_incident(store), "actie", "Kernteam gebeld", "teamleider")
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cur:
        cur.execute("truncate logbook")
    with pytest.raises(duckdb.CatalogException), store.transaction() as cur:
        cur.execute("drop table logbook")
    assert len(store.logbook(1)) == 1


@pytest.mark.parametrize("sql", [
    "update logbook set text = 'x'", "DELETE FROM logbook", "delete from main.logbook where id = 1",
    "delete from logbook_seal", "truncate table logbook_seal", "drop table if exists logbook_seal",
    "alter table logbook add column x int",
])
def test_the_generic_write_path_refuses_logbook_changes(store, sql):
    store.add_log_entry(_incident(store), "actie", "Kernteam gebeld", "teamleider")
    with pytest.raises(AppendOnlyError, match="alleen aan te vullen"):
        store.execute(sql)
    assert int(store.scalar("select count(*) from logbook_seal")) == 1


def test_no_store_sql_changes_the_logbook_and_only_logbook_py_inserts_into_it():
    change = re.compile(r"(update|delete\s+from|truncate)\s+(table\s+)?(main\.)?logbook", re.IGNORECASE)
    insert = re.compile(r"insert\s+into\s+logbook\b", re.IGNORECASE)
    sources = {p.name: p.read_text(encoding="utf-8") for p in STORE_DIR.glob("*.py")}
    migrations = {p.name: p.read_text(encoding="utf-8") for p in (STORE_DIR / "migrations").glob("*.sql")}
    assert "logbook.py" in sources and any(name.endswith("_logbook.sql") for name in migrations)
    assert {name for name, text in {**sources, **migrations}.items() if change.search(text)} == set()
    # Every insert goes through logbook.append_entry, which writes the seal in the same transaction.
    assert {name for name, text in sources.items() if insert.search(text)} == {"logbook.py"}


def test_every_entry_the_product_writes_is_sealed(store):
    incident = _incident(store)
    store.record_official_phase(incident, 2, "Berichten op sociale media", "burgemeester")
    store.close_incident(incident, datetime(2026, 11, 16, tzinfo=UTC), author="teamleider")
    store.reopen_incident(incident, author="burgemeester")
    assert store.scalar("select count(*) from logbook") == 3
    assert store.fetchall("select id from logbook except select entry_id from logbook_seal") == []


def test_migration_keeps_existing_entries_and_seals_them(tmp_path):
    from onrust.store import Store

    path = tmp_path / "old.duckdb"
    with Store.open(path) as old:
        old.cursor.execute("create table schema_migrations (version integer primary key, name varchar not null,"
                           " applied_at timestamptz not null)")
        logbook_version = next(v for v, name, _ in _migration_files() if name == "logbook")
        for version, name, sql in _migration_files():
            if version < logbook_version:
                old.cursor.execute(sql)
                old.cursor.execute("insert into schema_migrations values (?, ?, now())", [version, name])
        old.cursor.execute("insert into logbook (incident_id, logged_at, kind, text, author)"
                           " values (1, now(), 'besluit', 'Incident afgesloten', 'teamleider')")
        # the logbook migration and every later one (010 tasks, ...) run on the old database
        assert old.migrate() == [v for v, _, _ in _migration_files() if v >= logbook_version]
        [entry] = old.log_entries(1)
        assert (entry.id, entry.kind, entry.text, entry.corrects) == (1, "besluit", "Incident afgesloten", None)
        with pytest.raises(duckdb.ConstraintException), old.transaction() as cur:
            cur.execute("delete from logbook")
        assert old.add_log_entry(1, "informatie gedeeld", "Ouders per brief geïnformeerd", "wethouder") == 2


def test_a_correction_is_a_new_entry_that_links_back(store):
    incident = _incident(store)
    first = add_entry(store, incident, "gebeurtenis", "Brand in 12 woningen", "analist")
    fixed = correct_entry(store, first.id, "Brand in 21 woningen", "teamleider")
    assert (fixed.corrects, fixed.kind, fixed.text, fixed.author) == (first.id, "gebeurtenis",
                                                                      "Brand in 21 woningen", "teamleider")
    assert [e.text for e in store.log_entries(incident)] == ["Brand in 12 woningen", "Brand in 21 woningen"]


def test_an_entry_of_a_closed_incident_is_refused_even_by_the_store(store):
    incident = _incident(store)
    store.close_incident(incident, datetime(2026, 11, 16, tzinfo=UTC), author="teamleider")
    with pytest.raises(UserError, match="afgesloten; het logboek is alleen te lezen"):
        add_entry(store, incident, "actie", "Nog iets", "analist")
    with pytest.raises(IncidentClosed):
        store.add_log_entry(incident, "actie", "Nog iets", "analist")
    assert [e.text for e in store.log_entries(incident)] == ["Incident afgesloten"]


def test_links_must_exist_and_corrections_stay_within_the_incident(store):
    incident, other = _incident(store), store.create_incident("Ander", "Haarlem", OPENED)
    foreign = add_entry(store, other, "actie", "Elders", "analist")
    with pytest.raises(UserError) as refused:
        add_entry(store, incident, "actie", "Zie bericht", "analist", links=[LogLink("item", 99)],
                  corrects=foreign.id)
    assert str(refused.value).splitlines() == [
        f"Logboekregel {foreign.id} hoort niet bij dit incident.",
        "Koppeling bericht 99 bestaat niet bij dit incident.",
    ]
