"""The import direction the layout promises (README, docs/CONTRIBUTING.md): walked with `ast`, so
a back edge fails here before a reviewer has to spot it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from onrust.paths import ROOT

CORE = "onrust"
STAGES = ("collectors", "analysis", "comms")
# Who may import whom (top-level packages); anything not named is forbidden.
ALLOWED: dict[str, frozenset[str]] = {
    CORE: frozenset({CORE}),
    "collectors": frozenset({CORE, "collectors"}),
    "analysis": frozenset({CORE, "analysis"}),
    "comms": frozenset({CORE, "comms"}),
    "dashboard": frozenset({CORE, *STAGES, "dashboard"}),
    "devtools": frozenset({CORE, *STAGES, "devtools"}),
    "app": frozenset({CORE, *STAGES, "dashboard", "devtools", "app"}),
}
# The one sanctioned edge between stages: comms checks outward texts with the person detector.
EXTRA: frozenset[tuple[str, str]] = frozenset({("comms", "analysis.persons")})
OURS = frozenset(ALLOWED)


def imported(tree: ast.AST) -> list[tuple[str, int]]:
    """Absolute module names imported anywhere in a file (also inside functions)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
            "import_module", "__import__",
        }:
            found.append(("<dynamic import>", node.lineno))
    return found


def back_edges(root: Path) -> list[str]:
    bad = []
    for package, allowed in ALLOWED.items():
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for module, line in imported(tree):
                top = module.split(".")[0]
                where = f"{path.relative_to(root)}:{line}"
                if module == "<dynamic import>":
                    bad.append(f"{where} imports by string (wire with real references)")
                elif top in OURS and top not in allowed and (package, module) not in EXTRA:
                    bad.append(f"{where} {package} -> {module}")
    return bad


def test_imports_follow_the_layers() -> None:
    assert back_edges(ROOT) == []


def test_command_modules_live_in_the_cli_package() -> None:
    stray = [
        str(p.relative_to(ROOT)) for package in OURS for p in (ROOT / package).rglob("*command*.py")
        if "cli" not in p.relative_to(ROOT).parts
    ]
    assert stray == []


BAD_IMPORTS = [
    ("onrust/store/extra.py", "from comms.workflow import transition\n", "onrust -> comms.workflow"),
    ("onrust/models_x.py", "def f():\n    import collectors.dedupe\n", "onrust -> collectors.dedupe"),
    ("collectors/x.py", "from app.pipeline import after_ingest\n", "collectors -> app.pipeline"),
    ("analysis/x.py", "import comms.press\n", "analysis -> comms.press"),
    ("comms/x.py", "from analysis.temperature import x\n", "comms -> analysis.temperature"),
    ("dashboard/x.py", "from app.cli import main\n", "dashboard -> app.cli"),
    ("analysis/y.py", "import importlib\nimportlib.import_module('comms.press')\n", "imports by string"),
]


@pytest.mark.parametrize("where, source, expected", BAD_IMPORTS)
def test_a_back_edge_fails(tmp_path: Path, where: str, source: str, expected: str) -> None:
    """The check itself: a deliberately bad import in a copy of the layout is reported."""
    for package in OURS:
        (tmp_path / package).mkdir()
    (tmp_path / "comms" / "ok.py").write_text("from analysis.persons import find_person_names\n")
    (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / where).write_text(source)
    edges = back_edges(tmp_path)
    assert len(edges) == 1 and expected in edges[0]
