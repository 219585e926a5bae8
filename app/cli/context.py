"""The `onrust` command tree (`Cli`) and what every command receives (`Context`)."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from onrust.crypto import load_key
from onrust.dates import parse_when
from onrust.errors import UserError
from onrust.settings import Settings
from onrust.store import Store
from onrust.store.lake import LakeStore
from onrust.timeutil import utcnow


@dataclass
class Context:
    args: argparse.Namespace
    settings: Settings

    def db_path(self) -> Path:
        return Path(self.args.db) if self.args.db else self.settings.db_path

    def open_store(self, *, reads_only: bool = False) -> Store:
        """Open read-write and migrate; DatabaseLocked names the server holding the file.

        A command that only reads (`reads_only`) opens a file this user may not write read-only,
        so an archived copy (chmod 444, a read-only mount) can still be consulted. Such a file
        cannot be migrated, so it must already have this version's schema.
        """
        if self.settings.scale.mode == "read" and not self.args.db:
            return self._open_shared(reads_only)
        path = self.db_path()
        if not (reads_only and path.is_file() and not os.access(path, os.W_OK)):
            store = Store.open(path)
            store.migrate()
        else:
            store = Store.open(path, read_only=True)
            if store.pending_migrations():
                store.close()
                raise UserError(f"De database {path} is alleen-lezen en mist schema-updates van deze versie "
                                "van Onrustmonitor; open hem eenmaal met schrijfrechten (`onrust init`).")
        try:
            store.use_name_key(load_key(self.settings.key_path))  # names of people involved (onrust.crypto)
        except BaseException:
            store.close()
            raise
        return store

    def _open_shared(self, reads_only: bool) -> Store:
        """A dashboard machine of a region (scale.mode = "read") reads the published snapshot;
        it has no database of its own to change."""
        if not reads_only:
            raise UserError("Deze machine kijkt alleen mee (scale.mode = \"read\"): wijzigen kan alleen op de "
                            "centrale monitor. Met --db FILE werkt de opdracht op een eigen database.")
        store = LakeStore.open_shared(self.settings.shared_path)
        try:
            store.use_name_key(load_key(self.settings.key_path))
        except BaseException:
            store.close()
            raise
        return store

    def emit(self, data: Any, text: str) -> None:
        if getattr(self.args, "json", False):
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            print(text)


Handler = Callable[[Context], int]


def cannot_write(target: Path | str, exc: OSError) -> UserError:
    """The one wording for a file or folder a command could not write."""
    return UserError(f"Kan {target} niet schrijven: {exc.strerror or exc}")


def write_output(out: Path, content: bytes | str, *, make_parents: bool = False) -> None:
    """Every file a command writes goes through here, so a missing folder, a full disk or a
    read-only path is one Dutch message (exit 2) instead of a traceback."""
    try:
        if make_parents:
            out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            out.write_text(content, encoding="utf-8")
        else:
            out.write_bytes(content)
    except OSError as exc:
        raise cannot_write(out, exc) from exc


def time_arg(text: str | None) -> datetime | None:
    """A moment given on the command line: ISO or Dutch ("14-11-2026 21:30", "gisteren 21:30"),
    Amsterdam time unless a zone is given; None when not given."""
    if not text:
        return None
    try:
        return parse_when(text, now=utcnow())
    except ValueError as exc:
        raise UserError(f"Onbekend tijdstip: {exc}") from exc


class Cli:
    """argparse with nested command paths such as `signal add` or `bench ingest`."""

    def __init__(self) -> None:
        self.common = argparse.ArgumentParser(add_help=False)
        self.common.add_argument("--db", help="DuckDB-bestand (anders ONRUST_DB of de instellingen)")
        self.common.add_argument("--config", help="eigen instellingenbestand (TOML)")
        self.parser = argparse.ArgumentParser(
            prog="onrust", description="Onrustmonitor: omgevingsbeeld bij maatschappelijke onrust"
        )
        from onrust import __version__

        self.parser.add_argument("--version", action="version", version=f"onrust {__version__}")
        self._groups: dict[tuple[str, ...], argparse._SubParsersAction] = {
            (): self.parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
        }
        self._group_parsers: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def _group(self, path: tuple[str, ...]) -> argparse._SubParsersAction:
        if path not in self._groups:
            parent = self._group(path[:-1])
            parser = parent.add_parser(path[-1], help=f"{path[-1]} ...")
            self._group_parsers[path] = parser
            self._groups[path] = parser.add_subparsers(
                dest="_".join(path) + "_command", metavar="COMMAND", required=True
            )
        return self._groups[path]

    def command(self, path: str, help: str, func: Handler) -> argparse.ArgumentParser:
        *group, name = path.split()
        parser = self._group(tuple(group)).add_parser(
            name, help=help, description=help, parents=[self.common]
        )
        parser.set_defaults(func=func)
        return parser
