"""Every page under every role, through the real shell and an OIDC login (AppTest.user): the page
opens, says what the role may not do, and offers no write the role lacks."""

from __future__ import annotations

import getpass
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.main import PAGES
from onrust.auth import load_permissions
from onrust.settings import ROLES
from onrust.text import md_escape
from onrust.timeutil import utcnow
from tests.pages.apptest import open_page, sign_in

# The writes each page offers (data/permissions.toml actions); the sidebar adds incident_beheren.
PAGE_ACTIONS = {
    "omgevingsbeeld.py": ("omgevingsbeeld_opstellen",),
    "temperatuur.py": ("fase_vaststellen", "diagnose_vastleggen"),
    "signalen.py": ("signalen_invoeren",),
    "communicatie.py": ("communicatie_bewerken", "strategie_besluiten", "persbericht_schrijven"),
    "taken.py": ("taken_bewerken",),
    "logboek.py": ("logboek_schrijven",),
    "bronnen.py": ("bronnen_beheren",),
    "overleg.py": ("overleg_vastleggen", "terugblik_schrijven"),
    "terugblik.py": (),
    "beheer.py": (),
    "over.py": (),
}
# Buttons that only read or draft (nothing is stored).
READING = {"Omgevingsbeeld maken", "Alles gelezen", "Opnieuw laden (uw invoer vervalt)", "Uitloggen",
           "PDF voor het driehoekoverleg maken", "Rapport maken (HTML)", "Rapport maken (PDF)"}


def _incident(app_store) -> int:
    opened = utcnow() - timedelta(days=6)
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", opened)
    app_store.record_official_phase(incident, 3, "rellen", "burgemeester", decided_at=opened + timedelta(hours=2))
    app_store.add_source("NOS", kind="rss", url="https://feeds.nos.nl/nosnieuwsalgemeen", reach="landelijk")
    return incident


def _refusals(at: AppTest) -> set[str]:
    return {e.value for e in [*at.info, *at.caption] if e.value.startswith("Uw rol")}


def _enabled_writes(at: AppTest) -> list[str]:
    return [b.label for b in at.button if not b.disabled and b.label not in READING]


def test_every_page_of_the_shell_is_in_the_permission_table():
    table = load_permissions()
    assert [f.removesuffix(".py") for f, _, _ in PAGES if f.removesuffix(".py") not in table.pages] == []
    assert sorted(PAGE_ACTIONS) == sorted(f for f, _, _ in PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGE_ACTIONS))
def test_each_page_under_each_role(oidc_mode, app_store, page, role):
    incident = _incident(app_store)
    user = f"{role}@uithoorn.nl"
    at = open_page(page, user=user, roles=(role,), incident_id=incident)
    assert not at.exception, at.exception
    table = load_permissions()
    label = table.labels[role]
    header = f"Ingelogd als **{md_escape(user)}** ({md_escape(user)}) · rol: {md_escape(label)}"
    assert header in [c.value for c in at.caption]
    lacking = [a for a in (*PAGE_ACTIONS[page], "incident_beheren") if a not in table.role_actions[role]]
    assert _refusals(at) == {f"Uw rol ({label}) mag {table.actions[a]}." for a in lacking}
    if not table.role_actions[role]:
        assert _enabled_writes(at) == []  # alleen-lezen: reading, downloads and drafts only


def test_read_only_role_says_it_may_not_enter_signals(oidc_mode, app_store):
    _incident(app_store)
    at = open_page("signalen.py", user="lezer", roles=("alleen_lezen",))
    refusal = "Uw rol (alleen-lezen) mag geen signalen invoeren, wijzigen, doorleiden of importeren."
    assert refusal in [i.value for i in at.info]
    assert [b.label for b in at.button if b.label == "Signaal opslaan"] == []
    assert [b.label for b in at.sidebar.button] == []  # no incident forms either


def test_roles_add_up_and_the_kernteam_may_decide_the_phase(oidc_mode, app_store):
    _incident(app_store)
    at = open_page("temperatuur.py", user="jan", roles=("kernteam", "alleen_lezen"))
    assert any(c.value.endswith(f"rol: {md_escape('kernteam (driehoek), alleen-lezen')}") for c in at.caption)
    assert _refusals(at) == set()
    assert {"Vastleggen", "Diagnose vastleggen"} <= set(_enabled_writes(at))
    at.run()  # the login is recorded once per session, for the beheerder
    users = app_store.users()
    assert users["user_id"].tolist() == ["jan"] and list(users["roles"][0]) == ["kernteam", "alleen_lezen"]
    assert users["first_seen"][0] == users["last_seen"][0]


def test_a_user_without_a_known_group_is_refused_everywhere(oidc_mode, app_store):
    _incident(app_store)
    at = AppTest.from_function(_shell, args=("signalen.py",), default_timeout=60)
    at.user = {"is_logged_in": True, "preferred_username": "gast", "groups": ["iedereen"]}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [md_escape(
        "gast heeft geen rol in de Onrustmonitor: vraag de beheerder om u toe te voegen aan een van de "
        "groepen in [auth.groups].")]
    assert not at.title and not at.sidebar.selectbox  # no page, no incident list


def test_not_logged_in_shows_only_the_login(oidc_mode, app_store):
    _incident(app_store)
    at = AppTest.from_function(_shell, args=("signalen.py",), default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Inloggen"]
    assert not at.sidebar.selectbox and [t.value for t in at.title] == ["Onrustmonitor"]


def test_a_page_a_role_may_not_open_says_so(oidc_mode, app_store):
    at = sign_in(AppTest.from_function(_beheer_page, default_timeout=30), "lezer", ("alleen_lezen",)).run()
    assert [w.value for w in at.warning] == ["Uw rol (alleen-lezen) mag de pagina Beheer niet openen."]
    assert [t.value for t in at.title] == []
    at = sign_in(AppTest.from_function(_beheer_page, default_timeout=30), "root", ("beheerder",)).run()
    assert [t.value for t in at.title] == ["Beheer"]


def test_local_mode_is_labelled_as_demo_without_login(app_db, app_store):
    _incident(app_store)
    at = open_page("over.py")
    assert [w.value for w in at.warning][0] == (
        f"Demomodus: geen login. Alles wordt vastgelegd als {md_escape(getpass.getuser())}.")


def _shell(page: str) -> None:
    from dashboard.main import main

    main(default_page=page)


def _beheer_page() -> None:
    """A page guarded like the ones other helpers add (Beheer: beheerder only)."""
    import streamlit as st

    from dashboard import auth

    auth.require_page("beheer")
    st.title("Beheer")
