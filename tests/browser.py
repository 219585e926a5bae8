"""A real `onrust serve` on the demo database and the steps a user takes in it with Playwright
(Debian's Chromium): shared by the end-to-end tests and the per-user workflow walks."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.pages.dutch_scan import problems

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server stopped: {proc.stdout.read() if proc.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError("server did not start listening")


@contextmanager
def serve_demo(folder: Path, config: Path | None = None) -> Iterator[tuple[str, Path, str]]:
    """Build the demo database in `folder`, serve it on a free port: (url, database, incident name).
    `config`: the server's own settings file (ONRUST_CONFIG) over data/onrust.toml."""
    db = folder / "demo.duckdb"
    build = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--build-only", "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    from onrust.store import Store

    with Store.open(db) as store:
        name = store.scalar("select name from incidents where is_demo")
    assert name
    port = free_port()
    # The server's output goes to a file: a pipe nobody reads blocks the server once it is full.
    log = folder / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **({"ONRUST_CONFIG": str(config)} if config else {})},
        )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", db, name
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        print(f"\nonrust serve ({log}), last lines:\n" + "\n".join(log.read_text(encoding="utf-8").splitlines()[-20:]))


def launch(p: Any) -> Any:
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def selected_incident(page: Any) -> str:
    return page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first.input_value()


def open_nav(page: Any, title: str, heading: str) -> None:
    # The label exactly: "Over" is also the start of "Overleg" (the link also holds its icon's name).
    page.locator("[data-testid='stSidebarNav'] a").filter(has=page.get_by_text(title, exact=True)).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # the sidebar reruns with the page


# Seen on screen, a text the product controls that is not Dutch display (tests/pages/dutch_scan.py
# checks the same in AppTest); the raw-key checks of cells need the table structure, so the screen
# scan runs the text checks per line.
_TRACEBACK = re.compile(r"Traceback|Errno|Exception:")
# Streamlit's own English where the product can pass Dutch (placeholder=, label=).
_ENGLISH = ("Choose an option", "Choose options", "No results", "Drag and drop file", "Browse files")


@dataclass
class Walk:
    """One user's walk through the app: screenshots per step, page errors, and what the screen showed."""

    page: Any
    shots: Path
    user: str
    errors: list[str] = field(default_factory=list)
    found: list[tuple[str, str, str, str]] = field(default_factory=list)
    taken: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def idle(self) -> None:
        """Wait for Streamlit to finish the run a click or a typed value started."""
        self.page.wait_for_timeout(300)
        self.page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        # Elements of the previous run stay on screen, faded, until the new run replaces them.
        self.page.wait_for_function("document.querySelectorAll('[data-stale=\"true\"]').length === 0",
                                    timeout=60_000)
        self.page.wait_for_timeout(300)

    def step(self, name: str) -> None:
        """Screenshot and check the screen as the user sees it after a step."""
        self.idle()
        path = self.shots / f"{self.user}-{len(self.taken) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        main = self.page.locator("[data-testid='stMain']")
        assert main.locator("[data-testid='stException']").count() == 0, (name, main.inner_text()[:2000])
        lines = [line for line in main.inner_text().splitlines() if line.strip()]
        self.found += [(name, *p) for p in problems([("screen", line) for line in lines])]
        self.found += [(name, "traceback", "screen", line) for line in lines if _TRACEBACK.search(line)]
        shown = main.locator("input[placeholder]").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null && e.value === '').map(e => e.placeholder)")
        self.found += [(name, "English", "placeholder", text) for text in [*lines, *shown]
                       if any(e in text for e in _ENGLISH)]

    def main(self) -> Any:
        return self.page.locator("[data-testid='stMain']")

    def sidebar(self) -> Any:
        return self.page.locator("[data-testid='stSidebar']")

    def tab(self, name: str) -> None:
        self.main().get_by_role("tab", name=name, exact=True).click()
        self.idle()

    def choose(self, label: str, option: str, scope: Any | None = None) -> None:
        """Open the select box `label` and pick the option that contains `option`."""
        box = (scope or self.main()).locator("[data-testid='stSelectbox']").filter(
            has=self.page.get_by_text(label, exact=True)).first
        if option in box.locator("input").input_value():
            return  # already chosen
        wanted = self.page.locator("[role='option']").filter(has_text=option).first
        for _ in range(3):  # a late rerun (a chart drawn) can close the list just opened
            box.locator("input").click()
            try:
                wanted.wait_for(timeout=5_000)
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError: open it again
                self.page.keyboard.press("Escape")
                self.idle()
                continue
            wanted.click()
            break
        else:
            raise AssertionError(f"{self.user}: no option {option!r} in {label!r}")
        self.page.wait_for_timeout(200)

    def until(self, check: Any, what: str, timeout: float = 20) -> None:
        """Poll `check()` (a rerun may follow the first one, as after st.rerun)."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user}: {what} (screen: {self.main().inner_text()[:1500]})")
            self.page.wait_for_timeout(250)

    def chosen(self, label: str, scope: Any | None = None) -> str:
        """What the select box `label` shows."""
        return (scope or self.main()).locator("[data-testid='stSelectbox']").filter(
            has=self.page.get_by_text(label, exact=True)).first.locator("input").input_value()

    def fill(self, label: str, text: str, scope: Any | None = None) -> None:
        field_ = (scope or self.main()).get_by_label(label, exact=True).first
        field_.fill(text)
        field_.press("Tab")  # a text input sends its value on blur

    def click(self, name: str, scope: Any | None = None) -> None:
        (scope or self.main()).get_by_role("button", name=name, exact=True).first.click()
        self.idle()

    def download(self, name: str, scope: Any | None = None) -> tuple[str, bytes]:
        """Click a download button: (file name, bytes) as the browser saved them."""
        with self.page.expect_download(timeout=120_000) as info:
            (scope or self.main()).get_by_role("button", name=name).first.click()
        saved = info.value
        path = saved.path()
        return saved.suggested_filename, Path(path).read_bytes()

    def new_incident(self, name: str, municipality: str) -> None:
        side = self.sidebar()
        side.get_by_text("Nieuw incident", exact=True).click()
        side.get_by_label("Naam", exact=True).fill(name)
        side.get_by_label("Gemeente", exact=True).fill(municipality)
        side.get_by_role("button", name="Incident openen").click()
        self.page.get_by_role("heading", name=name).first.wait_for(timeout=120_000)  # the first write of a fresh server
        self.idle()
        assert name in selected_incident(self.page)
