"""The core (records, settings, store) imports no stage, no dashboard and no composition code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted(
    [*(ROOT / "onrust" / "store").rglob("*.py")]
    + [ROOT / "onrust" / f"{name}.py" for name in ("models", "settings", "dates", "text", "timeutil",
                                                    "errors", "paths")]
)
FORBIDDEN = ("collectors", "analysis", "comms", "dashboard", "app", "onrust.cli", "onrust.commands",
             "onrust.demo", "onrust.demo_generator", "onrust.pipeline", "onrust.server")


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_only_the_core(path):
    against = [m for m in _imports(path) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert against == []
