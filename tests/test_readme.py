"""The README is the user's reference: it must name every command and settings section."""

from __future__ import annotations

import tomllib

from app.cli import build_cli
from onrust.paths import DEFAULT_SETTINGS, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths() -> list[str]:
    cli = build_cli()
    paths = []

    def walk(parser, prefix):
        for action in parser._subparsers._group_actions if parser._subparsers else []:
            for name, sub in action.choices.items():
                path = f"{prefix} {name}".strip()
                if sub._subparsers:
                    walk(sub, path)
                else:
                    paths.append(path)

    walk(cli.parser, "")
    return paths


def test_readme_opens_with_the_two_commands():
    head = README.split("\n## ")[0]
    assert "make run" in head and "make test" in head


def test_every_command_is_documented():
    missing = [p for p in _command_paths() if f"onrust {p}" not in README]
    assert missing == []


def test_every_settings_section_is_documented():
    with DEFAULT_SETTINGS.open("rb") as fh:
        sections = tomllib.load(fh)
    missing = [s for s in sections if f"[{s}]" not in README]
    assert missing == []
