"""Settings: shipped defaults in data/onrust.toml, overridden by a user file."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrust.paths import DEFAULT_SETTINGS, ROOT


class SettingsError(ValueError):
    """A user settings file names an unknown key or has the wrong type."""


def _merge(base: dict[str, Any], override: Mapping[str, Any], where: str = "") -> dict[str, Any]:
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
            if isinstance(base[key], bool) != isinstance(value, bool) or (
                isinstance(base[key], (int, float)) and not isinstance(value, (int, float))
            ) or (isinstance(base[key], str) and not isinstance(value, str)):
                raise SettingsError(
                    f"Instelling '{path}' heeft het verkeerde type: {type(value).__name__}"
                )
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Settings:
    raw: dict[str, Any]
    user_file: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return self.raw[name]

    def __getitem__(self, name: str) -> dict[str, Any]:
        return self.raw[name]

    @property
    def db_path(self) -> Path:
        path = Path(self.raw["storage"]["db_path"]).expanduser()
        return path if path.is_absolute() else ROOT / path


def load_settings(config: str | Path | None = None) -> Settings:
    """Defaults, then `config` (else $ONRUST_CONFIG), then $ONRUST_DB for the database path."""
    with DEFAULT_SETTINGS.open("rb") as fh:
        raw = tomllib.load(fh)
    user = Path(config) if config else (Path(os.environ["ONRUST_CONFIG"]) if os.environ.get("ONRUST_CONFIG") else None)
    if user is not None:
        try:
            with user.open("rb") as fh:
                raw = _merge(raw, tomllib.load(fh))
        except FileNotFoundError as exc:
            raise SettingsError(f"Instellingenbestand niet gevonden: {user}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"Instellingenbestand {user} is geen geldige TOML: {exc}") from exc
    if os.environ.get("ONRUST_DB"):
        raw["storage"] = {**raw["storage"], "db_path": os.environ["ONRUST_DB"]}
    return Settings(raw=raw, user_file=user)
