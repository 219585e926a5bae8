"""Settings: data/onrust.toml, overridden by a user file, loaded once into typed frozen sections.

data/onrust.toml is the only source of every value and of the reason for it. The dataclasses here
name and type the settings but hold no defaults, so a number cannot drift between two places;
`RULES` says which values make sense, and `load_settings` refuses anything else with a Dutch
message before any command or page runs.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_args, get_origin, get_type_hints

from onrust.paths import DATA_DIR, DEFAULT_SETTINGS, ROOT


class SettingsError(ValueError):
    """A settings file cannot be read, names an unknown key, or has a wrong type or value."""


@dataclass(frozen=True, slots=True)
class StorageSettings:
    db_path: str


@dataclass(frozen=True, slots=True)
class ServerSettings:
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class DemoSettings:
    db_path: str


@dataclass(frozen=True, slots=True)
class CollectSettings:
    min_interval_seconds: int
    max_interval_seconds: int
    incident_interval_factor: float
    incident_min_interval_seconds: int
    max_backoff_seconds: int
    max_retry_after_seconds: int
    parallel_fetches: int
    stale_factor: float
    stale_min_seconds: int
    story_window_hours: int
    contact: str
    connect_timeout_seconds: float
    total_timeout_seconds: float
    max_bytes: int
    max_redirects: int
    allow_private_networks: bool
    allowed_networks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TemperaturePhaseSettings:
    behaviour_min: float


@dataclass(frozen=True, slots=True)
class TemperatureNoiseSettings:
    marker_noise_rate: float
    marker_noise_stories: float
    marker_noise_sigmas: float


@dataclass(frozen=True, slots=True)
class TemperatureSettings:
    step_minutes: int
    window_hours: int
    lead_hours: int
    min_relevance: float
    baseline_days: int
    guard_days: int
    baseline_weeks: int
    volume_floor: float
    volume_log10_cap: float
    spread_publishers_full: int
    tone_emotions: tuple[str, ...]
    tone_prior_stories: float
    escalation_scale: float
    politicisation_scale: float
    signal_half_life_hours: float
    signal_scale: float
    max_gap_hours: int
    enter: tuple[float, ...]
    exit: tuple[float, ...]
    min_dwell_hours: int
    calm_hours: int
    severity_phase: tuple[int, ...]
    override_hours: int
    weights: Mapping[str, float]
    reach_points: Mapping[str, float]
    escalation_markers: Mapping[str, float]
    politicisation_markers: Mapping[str, float]
    reliability_weights: Mapping[str, float]
    credibility_weights: Mapping[str, float]
    verification_weights: Mapping[str, float]
    phases: TemperaturePhaseSettings
    noise: TemperatureNoiseSettings


@dataclass(frozen=True, slots=True)
class AlertSettings:
    spike_delta: float
    spike_lookback_hours: int
    spike_min: float
    cooldown_hours: int
    signal_min_severity: int
    smtp_host: str
    smtp_port: int
    smtp_from: str
    smtp_to: tuple[str, ...]
    smtp_starttls: bool
    webhook_url: str
    timeout_seconds: float


@dataclass(frozen=True, slots=True)
class RelevanceSettings:
    threshold: float
    weight_terms: float
    weight_places: float
    weight_actors: float
    weight_involved: float
    weight_unrest: float
    term_saturation: int
    unrest_tag_sets: tuple[str, ...]
    lead_days: int
    tag_batch_size: int
    link_batch_size: int


@dataclass(frozen=True, slots=True)
class PressSettings:
    max_sentence_words: int


@dataclass(frozen=True, slots=True)
class SignalSettings:
    max_import_bytes: int
    max_import_rows: int


@dataclass(frozen=True, slots=True)
class TaggingSettings:
    extra_lexicon_dir: str
    batch_size: int


@dataclass(frozen=True, slots=True)
class MapSettings:
    tile_url: str  # empty: the map draws points on plain axes, offline
    attribution: str


@dataclass(frozen=True, slots=True)
class TaskSettings:
    protocol: str


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    key_file: str
    retention_days: int
    purge_interval_hours: int
    show_account_handles: bool

    def retention_cutoff(self, now: datetime) -> datetime:
        """What closed before this moment is past its retention period."""
        return now - timedelta(days=self.retention_days)
@dataclass(frozen=True, slots=True)
class ScaleSettings:
    mode: str  # "single", "publish" or "read" (docs/scale.md)
    shared_dir: str
    keep_seconds: int


@dataclass(frozen=True, slots=True)
class AuthRoleGroups:
    """Per role, the groups (OIDC claim values or proxy header values) that grant it."""
    omgevingsanalist: tuple[str, ...]
    communicatieadviseur: tuple[str, ...]
    kernteam: tuple[str, ...]
    beheerder: tuple[str, ...]
    alleen_lezen: tuple[str, ...]


ROLES = tuple(f.name for f in fields(AuthRoleGroups))  # the five roles of issue 11, in this order


@dataclass(frozen=True, slots=True)
class AuthOidcSettings:
    redirect_uri: str
    server_metadata_url: str
    client_id: str
    client_secret_env: str
    cookie_secret_env: str
    scope: str
    user_claim: str
    name_claim: str
    groups_claim: str


@dataclass(frozen=True, slots=True)
class AuthProxySettings:
    trusted_proxies: tuple[str, ...]
    user_header: str
    name_header: str
    groups_header: str
    groups_separator: str


@dataclass(frozen=True, slots=True)
class AuthLocalSettings:
    user: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuthSettings:
    mode: str
    groups: AuthRoleGroups
    oidc: AuthOidcSettings
    proxy: AuthProxySettings
    local: AuthLocalSettings


@dataclass(frozen=True, slots=True)
class Settings:
    storage: StorageSettings
    server: ServerSettings
    demo: DemoSettings
    collect: CollectSettings
    temperature: TemperatureSettings
    alerts: AlertSettings
    relevance: RelevanceSettings
    press: PressSettings
    signals: SignalSettings
    tagging: TaggingSettings
    map: MapSettings
    tasks: TaskSettings
    privacy: PrivacySettings
    scale: ScaleSettings
    auth: AuthSettings
    user_file: Path | None  # the override file that was read, so `serve` can pass it on

    @property
    def db_path(self) -> Path:
        path = Path(self.storage.db_path).expanduser()
        return path if path.is_absolute() else ROOT / path

    @property
    def shared_path(self) -> Path:
        """The folder the collector publishes to and dashboard instances read from."""
        path = Path(self.scale.shared_dir).expanduser()
        return path if path.is_absolute() else ROOT / path

    @property
    def key_path(self) -> Path:
        path = Path(self.privacy.key_file).expanduser()
        return path if path.is_absolute() else ROOT / path


_SECTIONS = tuple(f.name for f in fields(Settings) if f.name != "user_file")


# --- value rules: one table, checked once at load ---------------------------------------------

Rule = Callable[[Any], str | None]  # a value -> why it is refused (Dutch), or None when fine


def _positive(value: float) -> str | None:
    return None if value > 0 else f"moet groter dan 0 zijn, niet {value}"


def _at_least(low: float) -> Rule:
    return lambda value: None if value >= low else f"moet ten minste {low} zijn, niet {value}"


def _between(low: float, high: float) -> Rule:
    return lambda value: None if low <= value <= high else f"moet tussen {low} en {high} liggen, niet {value}"


def _filled(value: str) -> str | None:
    return None if value.strip() else "mag niet leeg zijn"


def _network(value: str) -> str | None:
    try:
        ipaddress.ip_network(value, strict=False)  # as collectors.fetch reads it
    except ValueError:
        return "is geen netwerk (CIDR zoals 10.1.2.0/24)"
    return None


def _email(value: str) -> str | None:
    return None if "@" in value.strip(" @") else "is geen e-mailadres"


def _web_or_empty(value: str) -> str | None:
    if not value or value.startswith(("http://", "https://")):
        return None
    return "moet met http:// of https:// beginnen"


def _task_list(value: str) -> str | None:
    # The task lists are seed files (data/tasks/<key>.toml, read by comms.tasks).
    shipped = sorted(p.stem for p in (DATA_DIR / "tasks").glob("*.toml"))
    return None if value in shipped else f"moet een van de takenlijsten {', '.join(shipped)} zijn, niet {value!r}"


def _divides_day(value: int) -> str | None:
    # The volume baseline compares the same clock window on earlier days: a day must be whole steps.
    if value > 0 and 1440 % value == 0:
        return None
    return f"moet een deler van 1440 (een dag) zijn, niet {value}"


def _length(n: int) -> Rule:
    return lambda value: None if len(value) == n else f"moet precies {n} waarden hebben, niet {len(value)}"


def _ascending(value: tuple[float, ...]) -> str | None:
    return None if list(value) == sorted(value) else "moet oplopen"


def _some_positive(value: Mapping[str, float]) -> str | None:
    return None if sum(value.values()) > 0 else "moet samen meer dan 0 zijn"


def _each(rule: Rule) -> Rule:
    """The rule for every entry of a list or every value of a table."""
    def check(values: tuple[Any, ...] | Mapping[str, Any]) -> str | None:
        pairs = values.items() if isinstance(values, Mapping) else ((None, v) for v in values)
        for key, value in pairs:
            if (problem := rule(value)) is not None:
                return f"bij '{key}' {problem}" if key is not None else f"bevat {value!r}, dat {problem}"
        return None
    return check


def _one_of(*choices: str) -> Rule:
    return lambda value: None if value in choices else f"moet een van {', '.join(choices)} zijn, niet {value!r}"


def _header_name(value: str) -> str | None:
    # An HTTP header name: letters, digits and dashes (RFC 9110 tokens, kept simple).
    ok = bool(value) and all(c.isascii() and (c.isalnum() or c == "-") for c in value)
    return None if ok else f"is geen HTTP-headernaam (letters, cijfers en '-'), niet {value!r}"


def _all(*rules: Rule) -> Rule:
    def check(value: Any) -> str | None:
        return next((p for r in rules if (p := r(value)) is not None), None)
    return check


def _tile_url(value: str) -> str | None:
    if not value:
        return None
    if not value.startswith("https://") or not all(p in value for p in ("{z}", "{x}", "{y}")):
        return f"moet leeg zijn of een https-adres met {{z}}, {{x}} en {{y}}, niet '{value}'"
    return None


_share = _between(0, 1)
_score = _between(0, 100)
_port = _between(1, 65535)

# Every number, list and table has a rule here (a test checks it), so a new setting gets one too.
RULES: dict[str, Rule] = {
    "storage.db_path": _filled,
    "server.host": _filled,
    "server.port": _port,
    "demo.db_path": _filled,
    "collect.min_interval_seconds": _positive,
    "collect.max_interval_seconds": _positive,
    "collect.incident_interval_factor": _all(_positive, _between(0, 1)),
    "collect.incident_min_interval_seconds": _positive,
    "collect.max_backoff_seconds": _positive,
    "collect.max_retry_after_seconds": _positive,
    "collect.parallel_fetches": _between(1, 64),
    "collect.stale_factor": _positive,
    "collect.stale_min_seconds": _at_least(0),
    "collect.story_window_hours": _positive,
    "collect.contact": _filled,
    "collect.connect_timeout_seconds": _positive,
    "collect.total_timeout_seconds": _positive,
    "collect.max_bytes": _positive,
    "collect.max_redirects": _at_least(0),
    "collect.allowed_networks": _each(_network),
    "temperature.step_minutes": _divides_day,
    "temperature.window_hours": _positive,
    "temperature.lead_hours": _at_least(0),
    "temperature.min_relevance": _share,
    "temperature.baseline_days": _at_least(0),
    "temperature.guard_days": _at_least(0),
    "temperature.baseline_weeks": _at_least(0),
    "temperature.volume_floor": _positive,
    "temperature.volume_log10_cap": _positive,
    "temperature.spread_publishers_full": _at_least(1),
    "temperature.tone_emotions": _each(_filled),
    "temperature.tone_prior_stories": _at_least(0),
    "temperature.escalation_scale": _positive,
    "temperature.politicisation_scale": _positive,
    "temperature.signal_half_life_hours": _positive,
    "temperature.signal_scale": _positive,
    "temperature.max_gap_hours": _positive,
    "temperature.enter": _all(_length(3), _each(_score), _ascending),  # phases 2, 3, 4
    "temperature.exit": _all(_length(3), _each(_score), _ascending),
    "temperature.min_dwell_hours": _at_least(0),
    "temperature.calm_hours": _at_least(0),
    "temperature.severity_phase": _all(_length(5), _each(_between(1, 5))),  # severity 1..5 -> phase
    "temperature.override_hours": _at_least(0),
    "temperature.weights": _all(_each(_at_least(0)), _some_positive),
    "temperature.reach_points": _each(_at_least(0)),
    "temperature.escalation_markers": _each(_at_least(0)),
    "temperature.politicisation_markers": _each(_at_least(0)),
    "temperature.reliability_weights": _each(_share),
    "temperature.credibility_weights": _each(_share),
    "temperature.verification_weights": _each(_share),
    "temperature.phases.behaviour_min": _score,
    "temperature.noise.marker_noise_rate": _share,
    "temperature.noise.marker_noise_stories": _at_least(0),
    "temperature.noise.marker_noise_sigmas": _at_least(0),
    "alerts.spike_delta": _score,
    "alerts.spike_lookback_hours": _positive,
    "alerts.spike_min": _score,
    "alerts.cooldown_hours": _at_least(0),
    "alerts.signal_min_severity": _between(1, 5),
    "alerts.smtp_port": _port,
    "alerts.smtp_to": _each(_email),
    "alerts.webhook_url": _web_or_empty,
    "alerts.timeout_seconds": _positive,
    # Noisy-or weights: each must be a share, or the relevance leaves 0..1.
    "relevance.threshold": _share,
    "relevance.weight_terms": _share,
    "relevance.weight_places": _share,
    "relevance.weight_actors": _share,
    "relevance.weight_involved": _share,
    "relevance.weight_unrest": _share,
    "relevance.term_saturation": _at_least(1),
    "relevance.unrest_tag_sets": _each(_filled),
    "relevance.lead_days": _at_least(0),
    "relevance.tag_batch_size": _at_least(1),
    "relevance.link_batch_size": _at_least(1),
    "press.max_sentence_words": _at_least(1),
    "map.tile_url": _tile_url,
    "signals.max_import_bytes": _positive,
    "signals.max_import_rows": _at_least(1),
    "tagging.batch_size": _at_least(1),
    "tasks.protocol": _task_list,
    "privacy.key_file": _filled,
    "privacy.retention_days": _at_least(1),
    "privacy.purge_interval_hours": _at_least(1),
    "scale.mode": _one_of("single", "publish", "read"),
    "scale.shared_dir": _filled,
    "scale.keep_seconds": _at_least(1),
    "auth.mode": _one_of("oidc", "proxy", "local"),
    **{f"auth.groups.{role}": _each(_filled) for role in ROLES},
    "auth.oidc.redirect_uri": _all(_web_or_empty,
                                   lambda v: None if not v or v.endswith("/oauth2callback")
                                   else "moet op /oauth2callback eindigen (Streamlit)"),
    "auth.oidc.server_metadata_url": _web_or_empty,
    "auth.oidc.client_secret_env": _filled,
    "auth.oidc.cookie_secret_env": _filled,
    "auth.oidc.scope": lambda v: None if "openid" in v.split() else "moet 'openid' bevatten",
    "auth.oidc.user_claim": _filled,
    "auth.oidc.name_claim": _filled,
    "auth.oidc.groups_claim": _filled,
    "auth.proxy.trusted_proxies": _each(_network),
    "auth.proxy.user_header": _header_name,
    "auth.proxy.name_header": _header_name,
    "auth.proxy.groups_header": _header_name,
    "auth.proxy.groups_separator": _filled,
    "auth.local.roles": _all(lambda v: None if v else "mag niet leeg zijn", _each(_one_of(*ROLES))),
}

# Pairs that must not cross (entry by entry for lists): the scheduler and the phase machine
# assume a slowest poll no faster than the fastest, and each exit level at or below its entry.
ORDERED: tuple[tuple[str, str], ...] = (
    ("collect.min_interval_seconds", "collect.max_interval_seconds"),
    ("temperature.exit", "temperature.enter"),
)

# Old top-level tables of a user file -> where they live now; read with a warning.
MOVED: dict[str, tuple[str, str]] = {
    "temperature_phases": ("temperature", "phases"),
    "temperature_noise": ("temperature", "noise"),
}


# --- loading ----------------------------------------------------------------------------------

_TYPE_NAMES = {bool: "true of false", int: "een geheel getal", float: "een getal", str: "tekst"}


def _merge(base: dict[str, Any], override: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """The shipped values with the user's on top; a key the shipped file lacks is a typo."""
    merged = dict(base)
    for key, value in override.items():
        path = f"{where}.{key}" if where else key
        if key not in base:
            raise SettingsError(f"Onbekende instelling '{path}' (unknown setting)")
        if isinstance(base[key], dict):
            if not isinstance(value, Mapping):
                raise SettingsError(f"Instelling '{path}' moet een tabel zijn")
            merged[key] = _merge(base[key], value, path)
        else:
            merged[key] = value
    return merged


def _scalar(kind: type, value: Any, path: str) -> Any:
    fits = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not fits:
        raise SettingsError(f"Instelling '{path}' heeft het verkeerde type: {type(value).__name__} "
                            f"(verwacht {_TYPE_NAMES[kind]})")
    return value


def _typed(hint: Any, value: Any, path: str) -> Any:
    """`value` as the field type says: tuples for lists, read-only mappings for tables."""
    if isinstance(hint, type) and is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise SettingsError(f"Instelling '{path}' moet een tabel zijn")
        return _section(hint, value, path)
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise SettingsError(f"Instelling '{path}' heeft het verkeerde type: {type(value).__name__} "
                                "(verwacht een lijst)")
        return tuple(_scalar(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin is Mapping:
        if not isinstance(value, Mapping):
            raise SettingsError(f"Instelling '{path}' moet een tabel zijn")
        return MappingProxyType({k: _scalar(args[1], v, f"{path}.{k}") for k, v in value.items()})
    return _scalar(hint, value, path)


def _section(cls: type, raw: Mapping[str, Any], where: str) -> Any:
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    for key in raw:
        if key not in hints:
            raise SettingsError(f"Onbekende instelling '{where}.{key}' (unknown setting)")
    missing = [name for name in names if name not in raw]
    if missing:  # only the shipped file can cause this: user values are merged into it
        raise SettingsError(f"Instelling '{where}.{missing[0]}' ontbreekt in {DEFAULT_SETTINGS}")
    return cls(**{name: _typed(hints[name], raw[name], f"{where}.{name}") for name in names})


def _lookup(settings: Settings, path: str) -> Any:
    value: Any = settings
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _check(settings: Settings) -> None:
    for path, rule in RULES.items():
        if (problem := rule(_lookup(settings, path))) is not None:
            raise SettingsError(f"Instelling '{path}' {problem}")
    for low_path, high_path in ORDERED:
        low, high = _lookup(settings, low_path), _lookup(settings, high_path)
        pairs = zip(low, high, strict=True) if isinstance(low, tuple) else [(low, high)]
        if any(a > b for a, b in pairs):
            raise SettingsError(
                f"Instelling '{low_path}' ({low}) mag niet boven '{high_path}' ({high}) liggen")
    _check_auth(settings.auth)


def _check_auth(auth: AuthSettings) -> None:
    """The chosen mode needs its own values; the others may stay empty."""
    needed = {"oidc": ("auth.oidc.redirect_uri", "auth.oidc.server_metadata_url", "auth.oidc.client_id"),
              "proxy": ("auth.proxy.trusted_proxies",)}.get(auth.mode, ())
    section = {"oidc": auth.oidc, "proxy": auth.proxy}.get(auth.mode)
    for path in needed:
        if not getattr(section, path.rsplit(".", 1)[1]):
            raise SettingsError(f"Instelling '{path}' is nodig bij auth.mode = \"{auth.mode}\"")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SettingsError(f"Instellingenbestand niet gevonden: {path}") from exc
    except IsADirectoryError as exc:
        raise SettingsError(f"Instellingenbestand {path} is een map, geen bestand") from exc
    except OSError as exc:
        raise SettingsError(f"Instellingenbestand {path} kan niet gelezen worden: {exc.strerror}") from exc
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SettingsError(f"Instellingenbestand {path} is geen tekstbestand (TOML in UTF-8)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Instellingenbestand {path} is geen geldige TOML: {exc}") from exc


def _moved(user: dict[str, Any], path: Path) -> dict[str, Any]:
    """Old table names of a user file put in their new place, so existing files keep working."""
    for old, (parent, child) in MOVED.items():
        if old not in user:
            continue
        warnings.warn(f"[{old}] in {path} heet nu [{parent}.{child}]; de oude naam werkt nog, "
                      "maar verdwijnt (verouderd)", FutureWarning, stacklevel=3)
        table, home = user.pop(old), user.get(parent, {})
        for name, value in ((old, table), (parent, home)):
            if not isinstance(value, Mapping):
                raise SettingsError(f"Instelling '{name}' moet een tabel zijn")
        here = home.get(child, {})
        if both := sorted(set(table) & set(here)):
            raise SettingsError(f"Instelling '{parent}.{child}.{both[0]}' staat zowel in [{old}] "
                                f"als in [{parent}.{child}]")
        user[parent] = {**home, child: {**here, **table}}
    return user


def user_overrides(settings: Settings) -> dict[str, Any]:
    """What the user's own settings file changes (empty without one), as read at load."""
    return _read_toml(settings.user_file) if settings.user_file else {}


def load_settings(config: str | Path | None = None) -> Settings:
    """Defaults, then `config` (else $ONRUST_CONFIG), then $ONRUST_DB for the database path."""
    raw = _read_toml(DEFAULT_SETTINGS)
    env_config = os.environ.get("ONRUST_CONFIG")
    user = Path(config) if config else (Path(env_config) if env_config else None)
    if user is not None:
        raw = _merge(raw, _moved(_read_toml(user), user))
    if os.environ.get("ONRUST_DB"):
        raw["storage"] = {**raw["storage"], "db_path": os.environ["ONRUST_DB"]}
    if unknown := sorted(raw.keys() - set(_SECTIONS)):  # a section the shipped file has but code lacks
        raise SettingsError(f"Onbekende instelling '{unknown[0]}' (unknown setting)")
    hints = get_type_hints(Settings)
    settings = Settings(**{name: _typed(hints[name], raw.get(name), name) for name in _SECTIONS},
                        user_file=user)
    _check(settings)
    return settings
