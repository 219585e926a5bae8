"""Real `onrust` processes for the resilience tests: started, killed and rerun like an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT

# Loopback feeds are refused by default (SSRF guard); the tests' feed server lives on 127.0.0.1.
LOOPBACK_CONFIG = "[collect]\nallow_private_networks = true\n"


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("ONRUST_CONFIG", "ONRUST_DB")}
    clean["PYTHONPATH"] = str(ROOT)
    return clean


def config(tmp: Path) -> Path:
    path = tmp / "loopback.toml"
    path.write_text(LOOPBACK_CONFIG, encoding="utf-8")
    return path


def onrust(*args: str, preexec: Callable[[], None] | None = None, timeout: float = 240
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env(), capture_output=True,
                          text=True, timeout=timeout, check=False, preexec_fn=preexec)


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
