"""Names of people involved are encrypted at rest: the database file holds Fernet tokens only, old
plain rows are sealed when a key is given, and without a key names are refused with a Dutch
message while everything else keeps working."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet

from app.cli import main
from onrust.crypto import KEY_ENV, NameKeyMissing, NameKeyWrong, load_key
from onrust.errors import UserError
from onrust.models import WatchProfile
from onrust.store import Store

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)


def test_the_file_holds_no_name_and_the_store_gives_it_back(store, db_path):
    incident = store.create_incident("Brand", "Uithoorn", T0)
    store.add_incident_person(incident, "Jan de Vries", "slachtoffer", "woordvoerder")
    store.save_watch_profile(WatchProfile(incident, terms=("brand",), involved=("Anna Bakker",)), "analist")
    assert [p.name for p in store.incident_persons(incident)] == ["Jan de Vries"]
    assert store.watch_profile(incident).involved == ("Anna Bakker",)
    assert [p.name for p in store.names_to_protect(incident)] == ["Jan de Vries", "Anna Bakker"]
    store.close()
    assert b"Jan de Vries" not in db_path.read_bytes() and b"Anna Bakker" not in db_path.read_bytes()
    with Store.open(db_path) as again:
        [(token, sealed)] = again.fetchall("select name, sealed from incident_persons")
        assert sealed and token.startswith("gAAAA") and "Jan" not in token


def test_plain_names_from_before_013_are_sealed_when_a_key_is_given(store, monkeypatch):
    incident = store.create_incident("Brand", "Uithoorn", T0)
    store.execute("insert into incident_persons (incident_id, name, role, added_by, added_at)"
                  " values (?, 'Piet Jansen', 'betrokkene', 'oud', ?)", [incident, T0])
    monkeypatch.delenv(KEY_ENV)
    assert [p.name for p in store.incident_persons(incident)] == ["Piet Jansen"]  # still plain, readable
    key = Fernet(Fernet.generate_key())
    assert store.use_name_key(key) == 1
    [(token,)] = store.fetchall("select name from incident_persons")
    assert key.decrypt(token.encode()).decode() == "Piet Jansen"
    assert [p.name for p in store.incident_persons(incident)] == ["Piet Jansen"]
    assert store.use_name_key(key) == 0  # sealed once


def test_without_a_key_names_are_refused_in_dutch_and_the_rest_works(store, monkeypatch):
    incident = store.create_incident("Brand", "Uithoorn", T0)
    store.add_incident_person(incident, "Jan de Vries", "slachtoffer", "woordvoerder")
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(NameKeyMissing, match="geen sleutel.*onrust key init"):
        store.names_to_protect(incident)
    with pytest.raises(NameKeyMissing):
        store.add_incident_person(incident, "Piet", "betrokkene", "woordvoerder")
    assert store.incident(incident).name == "Brand"
    store.add_log_entry(incident, "actie", "Ouders gebeld", "wethouder")


def test_another_key_is_refused_not_misread(store, monkeypatch):
    incident = store.create_incident("Brand", "Uithoorn", T0)
    store.add_incident_person(incident, "Jan de Vries", "slachtoffer", "woordvoerder")
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(NameKeyWrong, match="past niet"):
        store.incident_persons(incident)


def test_key_init_writes_a_private_file_once_and_the_cli_uses_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(KEY_ENV)
    key_file = tmp_path / "keys" / "onrust.key"
    assert main(["key", "init", "--file", str(key_file)]) == 0
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_key(key_file) is not None
    first = key_file.read_bytes()
    assert main(["key", "init", "--file", str(key_file)]) == 2
    assert "bestaat al" in capsys.readouterr().err and key_file.read_bytes() == first

    config = tmp_path / "onrust.toml"
    config.write_text(f'[privacy]\nkey_file = "{key_file}"\n', encoding="utf-8")
    db = ["--db", str(tmp_path / "t.duckdb"), "--config", str(config)]
    assert main(["incident", "open", "--name", "Brand", "--municipality", "Uithoorn", *db]) == 0
    assert main(["press", "person", "add", "--incident", "1", "--name", "Jan de Vries", "--role", "slachtoffer",
                 "--by", "woordvoerder", *db]) == 0
    assert main(["press", "person", "list", "--incident", "1", *db]) == 0
    assert "Jan de Vries" in capsys.readouterr().out
    key_file.unlink()
    assert main(["press", "person", "list", "--incident", "1", *db]) == 2
    assert "geen sleutel" in capsys.readouterr().err


def test_a_damaged_key_is_a_dutch_error(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "niet-een-sleutel")
    with pytest.raises(UserError, match="geen geldige sleutel"):
        load_key(None)
