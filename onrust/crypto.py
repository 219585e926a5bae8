"""Encryption at rest of the names of people involved (AVG art. 32), with Fernet from `cryptography`.

The key lives outside the database: ONRUST_KEY holds the key itself, else the key file named in
settings (privacy.key_file). Without a key the names cannot be read or added; everything else works.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from onrust.errors import UserError

KEY_ENV = "ONRUST_KEY"


class NameKeyMissing(UserError):
    """Names of people involved are needed but no key is available."""

    def __init__(self) -> None:
        super().__init__(
            "De namen van betrokkenen worden versleuteld opgeslagen, maar er is geen sleutel. Zet de "
            f"sleutel in {KEY_ENV} of maak een sleutelbestand met `onrust key init` (instelling "
            "privacy.key_file). Andere onderdelen werken gewoon.")


class NameKeyWrong(UserError):
    """The key does not open the names in this database (another installation's key)."""

    def __init__(self) -> None:
        super().__init__(
            "De sleutel past niet bij de versleutelde namen in deze database; gebruik de sleutel "
            f"waarmee ze zijn opgeslagen ({KEY_ENV} of privacy.key_file).")


def _fernet(raw: bytes, where: str) -> Fernet:
    try:
        return Fernet(raw.strip())
    except ValueError as exc:
        raise UserError(f"{where} bevat geen geldige sleutel (verwacht: 44 tekens base64 van "
                        "`onrust key init`).") from exc


def load_key(key_file: Path | None) -> Fernet | None:
    """The key from ONRUST_KEY, else from `key_file` when it exists; None when neither."""
    if env := os.environ.get(KEY_ENV):
        return _fernet(env.encode("ascii", "replace"), KEY_ENV)
    if key_file is None or not key_file.exists():
        return None
    return read_key_file(key_file)


def read_key_file(key_file: Path) -> Fernet:
    try:
        return _fernet(key_file.read_bytes(), f"Sleutelbestand {key_file}")
    except OSError as exc:
        raise UserError(f"Sleutelbestand {key_file} kan niet gelezen worden: {exc.strerror}.") from exc


def init_key(path: Path) -> Path:
    """Write a new key readable by this user only; an existing key is never overwritten
    (the names it encrypted would be lost)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise UserError(f"Sleutelbestand {path} bestaat al; het wordt niet overschreven "
                        "(de namen die ermee versleuteld zijn, zouden onleesbaar worden).") from exc
    except OSError as exc:
        raise UserError(f"Sleutelbestand {path} kan niet worden aangemaakt: {exc.strerror}.") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(Fernet.generate_key() + b"\n")
    return path


def encrypt_name(key: Fernet, name: str) -> str:
    return key.encrypt(name.encode("utf-8")).decode("ascii")


def decrypt_name(key: Fernet, token: str) -> str:
    try:
        return key.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise NameKeyWrong() from exc
