"""The `onrust` command: one module per command group registers its commands here."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.cli import (
    bench,
    comms,
    core,
    evaluation,
    incidents,
    logbook,
    meetings,
    omgevingsbeeld,
    press,
    privacy,
    review,
    rumours,
    share,
    signals,
    sources,
    tag,
    tasks,
    temperature,
)
from app.cli.context import Cli, Context, time_arg
from onrust.errors import UserError
from onrust.settings import SettingsError, load_settings
from onrust.store import DatabaseLocked

__all__ = ["Cli", "Context", "build_cli", "main", "time_arg"]

# In the order `onrust --help` lists them.
REGISTRARS = (
    core.register, incidents.register, tasks.register, logbook.register, sources.register, bench.register,
    signals.register, press.register, comms.register, omgevingsbeeld.register, rumours.register,
    temperature.register, review.register, evaluation.register, tag.register,
    meetings.register,
    privacy.register,
    share.register,
)


def build_cli() -> Cli:
    cli = Cli()
    for register in REGISTRARS:
        register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    cli = build_cli()
    args = cli.parser.parse_args(argv)
    try:
        # Loaded up front so a broken user file is reported by every command.
        return int(args.func(Context(args, load_settings(args.config))) or 0)
    except (UserError, SettingsError, DatabaseLocked) as exc:
        print(f"onrust: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
