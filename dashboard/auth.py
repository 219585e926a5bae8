"""Login, the header line, and the guards every page and write calls.

A view starts with one line, `user = auth.require_page("signalen")`, and wraps each write in
`if auth.allows(user, "signalen_invoeren"):`; a refused page or action says what the role may not
do instead of hiding it. Identities come only from the login (st.user), the trusted proxy's
headers (st.context.headers) or the local account: there is no test seam and no free-text name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import streamlit as st

from dashboard import data
from onrust.auth import AccessRefused, Permissions, User, load_permissions, local_user, oidc_user, proxy_user
from onrust.text import md_escape
from onrust.timeutil import fmt_local

READ_ONLY_ROLE = "alleen_lezen"  # the role of every user of a dashboard instance in read mode


def permissions() -> Permissions:
    return load_permissions()


def _proxy_peer() -> str | None:
    # Streamlit reports a loopback peer as None (st.context.ip_address); a session always has a
    # peer, so None here is the loopback proxy. The server's gate (app/proxy_gate.py) checked the
    # real address before the page was ever served.
    return st.context.ip_address or "127.0.0.1"


def current_user() -> User:
    """The user of this session; AccessRefused when there is none or it has no role. On a
    region's dashboard instance (scale.mode = "read") everyone reads only: the snapshot it shows
    cannot be written, and each page then says what the user may not do there."""
    user = _identified()
    if data.settings().scale.mode == "read":
        return replace(user, roles=(READ_ONLY_ROLE,))
    return user


def _identified() -> User:
    auth = data.settings().auth
    if auth.mode == "local":
        return local_user(auth)
    if auth.mode == "oidc":
        if not st.user.get("is_logged_in", False):
            raise AccessRefused("Niet ingelogd.")
        return oidc_user(st.user.to_dict(), auth)
    headers = st.context.headers
    return proxy_user(headers.get, _proxy_peer() if headers else None, auth)


def _signed_in() -> User:
    """The user, or the login button / the refusal drawn and the script stopped."""
    auth = data.settings().auth
    if auth.mode == "oidc" and not st.user.get("is_logged_in", False):
        st.title("Onrustmonitor")
        st.info("Log in met uw account van de gemeente om de monitor te gebruiken.")
        st.button("Inloggen", on_click=st.login, type="primary", key="auth_login")
        st.stop()
    try:
        return current_user()
    except AccessRefused as exc:
        st.error(md_escape(exc, one_line=False))
        if auth.mode == "oidc":
            st.button("Uitloggen", on_click=st.logout, key="auth_logout_refused")
        st.stop()
    raise AssertionError("st.stop() returned")  # for the type checker: st.stop never returns


def _seen(user: User) -> None:
    """The users table (login, roles, last seen) for the beheerder: written once per session."""
    if st.session_state.get("auth_seen") != user:
        if not data.store().read_only:  # an archived (read-only) file is shown without bookkeeping
            data.store().record_user(user.id, user.name, user.roles, user.mode)
        st.session_state["auth_seen"] = user


def sign_in() -> User:
    """Called once by the shell (dashboard/main.py): the user, with the header line that names them."""
    user = _signed_in()
    _seen(user)
    if (published := getattr(data.store(), "published_at", None)) is not None:
        st.info(f"Meekijken: gegevens van de centrale monitor, stand {fmt_local(published)}. "
                "Wijzigen kan alleen daar.", icon=":material/visibility:")
    if user.mode == "local" and published is not None:  # nothing is recorded on a read-only instance
        st.warning("Geen login: iedereen die deze machine bereikt, kijkt mee.", icon=":material/person_off:")
    elif user.mode == "local":
        st.warning(f"Demomodus: geen login. Alles wordt vastgelegd als {md_escape(user.id)}.",
                   icon=":material/person_off:")
    else:
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.caption(f"Ingelogd als **{md_escape(user.name)}** ({md_escape(user.id)}) · "
                     f"rol: {md_escape(permissions().role_label(user))}")
        if user.mode == "oidc":
            right.button("Uitloggen", on_click=st.logout, key="auth_logout")
    return user


def require_page(page: str) -> User:
    """The page guard, one line at the top of each view: the user, or the refusal and a stop."""
    user = _signed_in()
    if not permissions().may_open(user, page):
        st.warning(permissions().page_refusal(user, page))
        st.stop()
    return user


def allows(user: User, action: str, note: Callable[[str], Any] = st.info) -> bool:
    """Whether `user` may do `action`; when not, `note` says so where the form would be."""
    if permissions().may(user, action):
        return True
    note(permissions().refusal(user, action))
    return False


def may(user: User, action: str) -> bool:
    """The same check without a note, for a button that is drawn disabled next to the reason."""
    return permissions().may(user, action)
