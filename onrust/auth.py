"""Who is using the monitor and what their roles allow (issue 11 "Login and roles").

Identities come from OIDC claims, a trusted reverse-proxy header or the local account; roles from
the groups in [auth.groups]; rights from data/permissions.toml. Pure functions over values, so the
dashboard, the server's proxy gate and the tests all decide the same way.
"""

from __future__ import annotations

import getpass
import ipaddress
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from onrust.errors import UserError
from onrust.paths import DATA_DIR
from onrust.settings import ROLES, AuthRoleGroups, AuthSettings

PERMISSIONS_FILE = DATA_DIR / "permissions.toml"


class AccessRefused(UserError):
    """No (trusted) identity, or an identity without a role: the message says why in Dutch."""


@dataclass(frozen=True, slots=True)
class User:
    id: str  # written with every change and compared for four-eyes: the login name, never free text
    name: str  # shown in the header
    roles: tuple[str, ...]
    mode: str  # "oidc", "proxy" or "local"


@dataclass(frozen=True, slots=True)
class Permissions:
    """The table of data/permissions.toml: what each role may open and do."""
    actions: Mapping[str, str]  # action -> refusal phrase
    pages: Mapping[str, str]  # page -> Dutch name
    labels: Mapping[str, str]  # role -> label
    role_pages: Mapping[str, frozenset[str]]
    role_actions: Mapping[str, frozenset[str]]

    def role_label(self, user: User) -> str:
        return ", ".join(self.labels[r] for r in user.roles)

    def may_open(self, user: User, page: str) -> bool:
        self._known(page, self.pages, "pagina")
        return any(page in self.role_pages[r] for r in user.roles)

    def may(self, user: User, action: str) -> bool:
        self._known(action, self.actions, "actie")
        return any(action in self.role_actions[r] for r in user.roles)

    def refusal(self, user: User, action: str) -> str:
        return f"Uw rol ({self.role_label(user)}) mag {self.actions[action]}."

    def page_refusal(self, user: User, page: str) -> str:
        return f"Uw rol ({self.role_label(user)}) mag de pagina {self.pages[page]} niet openen."

    @staticmethod
    def _known(key: str, table: Mapping[str, str], what: str) -> None:
        if key not in table:  # a typo in a page would otherwise refuse everyone silently
            raise KeyError(f"onbekende {what} '{key}' (niet in {PERMISSIONS_FILE.name})")


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} moet een lijst met tekst zijn")
    return value


def parse_permissions(raw: Mapping[str, Any]) -> Permissions:
    """The table checked once: exactly the five roles of the settings, only known pages and actions."""
    actions, pages, roles = dict(raw["actions"]), dict(raw["pages"]), dict(raw["roles"])
    if sorted(roles) != sorted(ROLES):
        raise ValueError(f"rollen in {PERMISSIONS_FILE.name} moeten {', '.join(ROLES)} zijn")
    role_pages, role_actions = {}, {}
    for role, spec in roles.items():
        role_pages[role] = frozenset(_strings(spec["pages"], f"roles.{role}.pages"))
        role_actions[role] = frozenset(_strings(spec["actions"], f"roles.{role}.actions"))
        if unknown := sorted((role_pages[role] - pages.keys()) | (role_actions[role] - actions.keys())):
            raise ValueError(f"roles.{role} noemt onbekende pagina of actie '{unknown[0]}'")
    return Permissions(actions=actions, pages=pages, labels={r: roles[r]["label"] for r in roles},
                       role_pages=role_pages, role_actions=role_actions)


@cache
def load_permissions(path: Path = PERMISSIONS_FILE) -> Permissions:
    return parse_permissions(tomllib.loads(path.read_text(encoding="utf-8")))


def roles_for(groups: Iterable[str], mapping: AuthRoleGroups) -> tuple[str, ...]:
    """Every role one of `groups` grants, in the settings' order."""
    have = {g.strip() for g in groups}
    return tuple(role for role in ROLES if have & set(getattr(mapping, role)))


def _with_roles(user_id: str, name: str, groups: Iterable[str], auth: AuthSettings) -> User:
    roles = roles_for(groups, auth.groups)
    if not roles:
        raise AccessRefused(f"{user_id} heeft geen rol in de Onrustmonitor: vraag de beheerder om u "
                            "toe te voegen aan een van de groepen in [auth.groups].")
    return User(id=user_id, name=name or user_id, roles=roles, mode=auth.mode)


def oidc_user(claims: Mapping[str, Any], auth: AuthSettings) -> User:
    """The user of a logged-in OIDC session (st.user), from the claims the settings name."""
    user_id = claims.get(auth.oidc.user_claim)
    if not isinstance(user_id, str) or not user_id.strip():
        raise AccessRefused(f"De identiteitsprovider stuurde geen '{auth.oidc.user_claim}': de beheerder "
                            "moet auth.oidc.user_claim of de provider aanpassen.")
    groups = claims.get(auth.oidc.groups_claim) or []
    groups = [groups] if isinstance(groups, str) else [str(g) for g in groups]
    name = claims.get(auth.oidc.name_claim)
    return _with_roles(user_id.strip(), name.strip() if isinstance(name, str) else "", groups, auth)


def trusted_peer(peer: str | None, networks: Iterable[str]) -> bool:
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)


def proxy_refusal(header: Callable[[str], str | None], peer: str | None, auth: AuthSettings) -> str | None:
    """Why a request may not be served in proxy mode (not from the proxy, or no user), or None.

    The server's gate asks this for every HTTP and WebSocket request; the page asks it again."""
    proxy = auth.proxy
    if not trusted_peer(peer, proxy.trusted_proxies):
        return f"Toegang alleen via de proxy van de gemeente (verbinding van {peer or 'onbekend'})."
    if not (header(proxy.user_header) or "").strip():
        return f"Niet ingelogd: de proxy stuurde geen {proxy.user_header}."
    return None


def proxy_user(header: Callable[[str], str | None], peer: str | None, auth: AuthSettings) -> User:
    """The user a trusted reverse proxy names; `header(name)` reads one request header."""
    if (refused := proxy_refusal(header, peer, auth)) is not None:
        raise AccessRefused(refused)
    proxy = auth.proxy
    user_id = (header(proxy.user_header) or "").strip()
    groups = (header(proxy.groups_header) or "").split(proxy.groups_separator)
    return _with_roles(user_id, (header(proxy.name_header) or "").strip(), groups, auth)


def local_user(auth: AuthSettings) -> User:
    """Single-user demo mode: the configured name, else the operating-system account."""
    user_id = auth.local.user.strip() or getpass.getuser()
    return User(id=user_id, name=user_id, roles=auth.local.roles, mode="local")
