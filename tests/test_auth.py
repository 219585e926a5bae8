"""Identities and rights as pure functions: OIDC claims, proxy headers, the local user, the
permission table, and the settings that configure them."""

from __future__ import annotations

import getpass
from dataclasses import replace
from pathlib import Path

import pytest

from onrust.auth import (
    AccessRefused,
    User,
    load_permissions,
    local_user,
    oidc_user,
    parse_permissions,
    proxy_user,
    roles_for,
)
from onrust.settings import ROLES, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)


@pytest.fixture
def auth():
    return load_settings().auth


def _proxy(auth, *networks: str):
    return replace(auth, mode="proxy", proxy=replace(auth.proxy, trusted_proxies=networks))


def test_roles_come_from_groups_in_the_settings_order(auth):
    assert roles_for(["onrust-lezen", " onrust-kernteam ", "iedereen"], auth.groups) == ("kernteam", "alleen_lezen")
    assert roles_for([], auth.groups) == ()


@pytest.mark.parametrize("claims, expected", [
    ({"preferred_username": "anna@uithoorn.nl", "name": "Anna de Vries", "groups": ["onrust-communicatie"]},
     User("anna@uithoorn.nl", "Anna de Vries", ("communicatieadviseur",), "oidc")),
    ({"preferred_username": " bram ", "groups": "onrust-kernteam"},  # one group as a string; no name claim
     User("bram", "bram", ("kernteam",), "oidc")),
])
def test_oidc_user_from_the_configured_claims(auth, claims, expected):
    assert oidc_user(claims, replace(auth, mode="oidc")) == expected


@pytest.mark.parametrize("claims, message", [
    ({"email": "anna@uithoorn.nl", "groups": ["onrust-kernteam"]}, "stuurde geen 'preferred_username'"),
    ({"preferred_username": "gast", "groups": ["iedereen"]}, "gast heeft geen rol"),
    ({"preferred_username": "gast"}, "gast heeft geen rol"),
])
def test_oidc_user_without_identity_or_role_is_refused(auth, claims, message):
    with pytest.raises(AccessRefused, match=message):
        oidc_user(claims, replace(auth, mode="oidc"))


def _headers(**values: str):
    lowered = {k.replace("_", "-").lower(): v for k, v in values.items()}
    return lambda name: lowered.get(name.lower())


def test_proxy_user_from_headers_of_the_trusted_proxy(auth):
    header = _headers(X_Remote_User="cor", X_Remote_Name="Cor Jansen", X_Remote_Groups="onrust-lezen, onrust-beheer")
    assert proxy_user(header, "10.1.2.3", _proxy(auth, "10.1.2.0/24")) == User(
        "cor", "Cor Jansen", ("beheerder", "alleen_lezen"), "proxy")
    assert proxy_user(header, "::1", _proxy(auth, "::1/128")).id == "cor"


@pytest.mark.parametrize("peer, headers, message", [
    ("10.9.9.9", {"X_Remote_User": "cor", "X_Remote_Groups": "onrust-lezen"}, "verbinding van 10.9.9.9"),
    (None, {"X_Remote_User": "cor", "X_Remote_Groups": "onrust-lezen"}, "verbinding van onbekend"),
    ("not-an-ip", {"X_Remote_User": "cor"}, "verbinding van not-an-ip"),
    ("10.1.2.3", {"X_Remote_Groups": "onrust-lezen"}, "stuurde geen X-Remote-User"),
    ("10.1.2.3", {"X_Remote_User": " "}, "stuurde geen X-Remote-User"),
    ("10.1.2.3", {"X_Remote_User": "cor", "X_Remote_Groups": "iedereen"}, "cor heeft geen rol"),
])
def test_proxy_requests_not_from_the_proxy_or_without_user_are_refused(auth, peer, headers, message):
    with pytest.raises(AccessRefused, match=message):
        proxy_user(_headers(**headers), peer, _proxy(auth, "10.1.2.0/24"))


def test_local_user_is_the_setting_or_the_os_account(auth):
    assert local_user(auth) == User(getpass.getuser(), getpass.getuser(), auth.local.roles, "local")
    named = replace(auth, local=replace(auth.local, user="analist"))
    assert local_user(named).id == "analist"


def test_the_permission_table_says_what_a_role_may_not_do():
    table = load_permissions()
    reader = User("lezer", "lezer", ("alleen_lezen",), "oidc")
    assert not table.may(reader, "signalen_invoeren") and table.may_open(reader, "signalen")
    assert table.refusal(reader, "signalen_invoeren") == (
        "Uw rol (alleen-lezen) mag geen signalen invoeren, wijzigen, doorleiden of importeren.")
    assert not table.may_open(reader, "beheer")
    both = User("jan", "jan", ("kernteam", "alleen_lezen"), "oidc")
    assert table.may(both, "fase_vaststellen")  # rights add up
    with pytest.raises(KeyError, match="onbekende actie 'signaal_invoeren'"):
        table.may(reader, "signaal_invoeren")
    assert sorted(table.labels) == sorted(ROLES)


def test_only_the_communicatieadviseur_writes_and_the_kernteam_approves_press_releases():
    table = load_permissions()
    writers = {r for r in ROLES if "persbericht_schrijven" in table.role_actions[r]}
    approvers = {r for r in ROLES if "persbericht_goedkeuren" in table.role_actions[r]}
    assert (writers, approvers) == ({"communicatieadviseur"}, {"communicatieadviseur", "kernteam"})


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["roles"].pop("beheerder"), "rollen in permissions.toml moeten"),
    (lambda raw: raw["roles"]["kernteam"]["pages"].append("geheim"), "roles.kernteam noemt onbekende pagina"),
    (lambda raw: raw["roles"]["kernteam"].update(actions="alles"), "roles.kernteam.actions moet een lijst"),
])
def test_a_broken_permission_table_is_refused(change, message):
    import tomllib

    from onrust.auth import PERMISSIONS_FILE

    raw = tomllib.loads(PERMISSIONS_FILE.read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(ValueError, match=message):
        parse_permissions(raw)


def _user_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mijn.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ('[auth]\nmode = "ldap"', "'auth.mode' moet een van oidc, proxy, local zijn"),
    ('[auth]\nmode = "oidc"', "'auth.oidc.redirect_uri' is nodig bij auth.mode = \"oidc\""),
    ('[auth]\nmode = "proxy"', "'auth.proxy.trusted_proxies' is nodig bij auth.mode = \"proxy\""),
    ('[auth.proxy]\ntrusted_proxies = ["proxy.gemeente.nl"]', "is geen netwerk"),
    ('[auth.proxy]\nuser_header = "X Remote User"', "is geen HTTP-headernaam"),
    ('[auth.oidc]\nredirect_uri = "https://onrust.gemeente.nl/"', "moet op /oauth2callback eindigen"),
    ('[auth.oidc]\nscope = "profile"', "moet 'openid' bevatten"),
    ('[auth.local]\nroles = ["burgemeester"]', "bevat 'burgemeester'"),
    ('[auth.local]\nroles = []', "'auth.local.roles' mag niet leeg zijn"),
    ('[auth.groups]\nkernteam = [""]', "'auth.groups.kernteam' bevat ''"),
])
def test_auth_settings_are_checked_at_load(tmp_path, text, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(_user_file(tmp_path, text))
