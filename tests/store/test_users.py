"""The users table: one row per login, roles of the last login, first and last seen kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_a_login_is_recorded_once_and_updated_on_return(store):
    store.record_user("anna@uithoorn.nl", "Anna", ["communicatieadviseur"], "oidc", T0)
    store.record_user("bram", "Bram", ["kernteam", "alleen_lezen"], "proxy", T0 + timedelta(hours=1))
    store.record_user("anna@uithoorn.nl", "Anna de Vries", ["kernteam"], "oidc", T0 + timedelta(days=1))
    users = store.users()
    assert users["user_id"].tolist() == ["anna@uithoorn.nl", "bram"]  # last seen first
    anna = users.iloc[0]
    assert (anna["name"], list(anna["roles"]), anna["mode"]) == ("Anna de Vries", ["kernteam"], "oidc")
    assert (anna["first_seen"], anna["last_seen"]) == (T0, T0 + timedelta(days=1))
    assert list(users.iloc[1]["roles"]) == ["kernteam", "alleen_lezen"]
