"""Concurrent browser sessions against a running dashboard: each walks pages and enters signals
through the form, as crisis staff do at the same time. Figures are printed, never asserted on.

    python -m devtools.load_sessions --url http://127.0.0.1:8501 --sessions 20 --signals 2

One headless Chromium (Debian's /usr/bin/chromium, or BROWSER_PATH), one context per session,
driven with Playwright's async API. Needs the test extra (playwright).

A choice made in the signal form and seen in its field was sometimes gone when the form was sent
(1 to 5 of 40 entries per run with 20 sessions): the "binnengekomen" watcher, a run_every fragment
drawn above the page, made the browser drop it when it ticked. It now sits in the sidebar
(dashboard/components/notices.py has the figures). Should a refusal still name a choice that was
made, a session picks it again and saves once more, as a person would, and the run prints how
often that happened: it should say 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# (path, heading) of the pages each session walks, in order; signals are entered on "signalen".
# The start page (Omgevingsbeeld) is opened at the root, as the address people are given.
WALK = (("", "Omgevingsbeeld"), ("signalen", "Signalen"), ("temperatuur", "Temperatuur"))
SAVED_NUMBER = re.compile(r"Signaal #(\d+) opgeslagen")
TIMEOUT_MS = 180_000
RETRY_MS = 20_000  # a choice list that did not open is tried again after this
_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
CHOICES = (("Soort", "gerucht"), ("Brontype", "sociale media"), ("Betrouwbaarheid bron", "C"),
           ("Geloofwaardigheid informatie", "3"), ("Ernst", "3"))
REFUSED = "niet opgeslagen|staat al in de database"  # the page's words for a signal it did not store
_NEW_NUMBER = """prev => [...document.body.innerText.matchAll(/Signaal #(\\d+) opgeslagen/g)]
  .some(m => !prev.includes(m[1]))"""
# Either the page confirms a new signal number, or it shows why it did not store the signal (also
# in a tab that a redraw has hidden: textContent, not innerText).
_ANSWERED = _NEW_NUMBER + f" || /{REFUSED}/i.test(document.body.textContent)"


@dataclass
class SessionLog:
    """What one browser session saw: page times, the signals it saved, every error."""

    number: int
    times: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)
    saved: list[str] = field(default_factory=list)  # the texts of the signals the page confirmed
    errors: list[str] = field(default_factory=list)  # page errors, exception blocks, a step that failed
    timeout: str = ""  # the step that did not finish within TIMEOUT_MS (a starved machine, or a hang)
    step: str = ""  # the step under way: a timeout names it and what the page showed then
    corrections: list[str] = field(default_factory=list)  # refused for a lost choice, picked again


@dataclass
class LoadResult:
    sessions: list[SessionLog]
    seconds: float

    @property
    def errors(self) -> list[str]:
        return [f"sessie {s.number}: {e}" for s in self.sessions for e in s.errors]

    @property
    def corrections(self) -> list[str]:
        return [f"sessie {s.number}: {c}" for s in self.sessions for c in s.corrections]

    @property
    def timeouts(self) -> list[str]:
        return [f"sessie {s.number}: {s.timeout}" for s in self.sessions if s.timeout]

    def table(self) -> str:
        """Per step: how often, median, 95th percentile and slowest, in seconds."""
        steps: dict[str, list[float]] = {}
        for s in self.sessions:
            for step, took in s.times:
                steps.setdefault(step, []).append(took)
        lines = [f"{len(self.sessions)} sessies, {sum(len(s.saved) for s in self.sessions)} signalen "
                 f"opgeslagen, {len(self.timeouts)} sessies niet op tijd klaar, {len(self.corrections)} keer een "
                 f"verloren keuze opnieuw gekozen, {self.seconds:.0f} s in totaal",
                 f"{'stap':<24}{'aantal':>7}{'mediaan':>9}{'p95':>8}{'max':>8}"]
        for step, seconds in steps.items():
            ordered = sorted(seconds)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            lines.append(f"{step:<24}{len(ordered):>7}{statistics.median(ordered):>8.1f}s{p95:>7.1f}s"
                         f"{ordered[-1]:>7.1f}s")
        return "\n".join(lines)


def signal_text(session: int, n: int) -> str:
    return f"Lastsessie {session} signaal {n}: oproep in de buurtapp om samen te komen"


async def _settled(page: Any, log: SessionLog, step: str) -> None:
    """Streamlit has finished the run: the app says it is connected and not running (its own
    end-to-end tests wait for the same attributes) and no status widget is shown; exception
    blocks are errors. The status widget alone appears only some time after a run starts, so a
    step could begin while the page was still being redrawn."""
    await page.wait_for_function(_IDLE, timeout=TIMEOUT_MS)
    blocks = await page.locator("[data-testid='stException']").all_inner_texts()
    log.errors += [f"{step}: {b[:300]}" for b in blocks]


async def _open(page: Any, url: str, path: str, heading: str | None, log: SessionLog) -> None:
    """The first page by its address, the next ones by the sidebar's link, as people move on (a
    link keeps the session: no new page load, no new websocket)."""
    started = time.monotonic()
    log.step = f"openen {path or 'omgevingsbeeld'}"
    link = page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']")
    if await link.count():
        await link.first.click()
        await page.wait_for_url(f"**/{path}", timeout=TIMEOUT_MS)
    else:
        await page.goto(f"{url}/{path}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    target = page.get_by_role("heading", name=heading, exact=True).first if heading else page.locator(
        "[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    await target.wait_for(timeout=TIMEOUT_MS)
    await _settled(page, log, path or heading or "start")
    log.times.append((path or "omgevingsbeeld", time.monotonic() - started))


async def _choose(form: Any, page: Any, label: str, typed: str) -> bool:
    """Pick an option by typing it, and look that it was taken, as a person does: on a starved
    machine the list may open after the keys were typed, leaving the field at 'Kies…'. False:
    three tries did not take it."""
    field = form.get_by_label(label, exact=True)
    for _ in range(3):
        await field.click()
        await page.keyboard.type(typed)
        try:  # a click that landed while the page moved opens no list: try again
            await page.get_by_role("option").first.wait_for(timeout=RETRY_MS)
        except Exception:
            await page.keyboard.press("Escape")
            continue
        await page.keyboard.press("Enter")
        if await _shows(form, label, typed):
            return True
    return False


async def _choose_all(form: Any, page: Any, choices: Sequence[tuple[str, str]], text: str,
                      log: SessionLog) -> bool:
    """Every (label, typed) chosen; False, with the harness's error (not the page's), when a list
    never opened."""
    for label, typed in choices:
        if not await _choose(form, page, label, typed):
            log.errors.append(f"keuze niet gemaakt ({text}): de lijst van {label} opende niet")
            return False
    return True


async def _shows(form: Any, label: str, typed: str) -> bool:
    return (await form.get_by_label(label, exact=True).input_value()).lower().startswith(typed.lower())


async def _enter_signal(page: Any, text: str, log: SessionLog) -> None:
    """Fill the 'Nieuw signaal' form as a person does and wait for the page's confirmation."""
    started = time.monotonic()
    log.step = f"signaal invoeren ({text})"
    await page.get_by_role("tab", name="Nieuw signaal").click()
    form = page.locator("[data-testid='stForm']:visible").first
    await form.wait_for(timeout=TIMEOUT_MS)
    if not await _choose_all(form, page, CHOICES, text, log):
        return
    await form.get_by_label("Gebeurd op", exact=True).fill("gisteren 21:30")
    box = form.get_by_label("Tekst van het signaal", exact=True)
    await box.fill(text)
    # A run that redraws the form (the header's watcher, a slow rerun) may replace a field while it
    # is typed in: wait for the page to be idle and check the text is still there, as a person looks
    # before pressing the button.
    await _settled(page, log, "signaal invoeren")
    if await box.input_value() != text:
        await box.fill(text)
        await _settled(page, log, "signaal invoeren")
    # The confirmation of the previous signal may still be shown: wait for a new signal number.
    before = SAVED_NUMBER.findall(await page.inner_text("body"))
    for attempt in range(2):
        await form.get_by_role("button", name="Signaal opslaan").click()
        log.step = f"bevestiging afwachten ({text})"
        await page.wait_for_function(_ANSWERED if attempt == 0 else _NEW_NUMBER, arg=before, timeout=TIMEOUT_MS)
        await _settled(page, log, "signaal invoeren")
        refusals = [a for a in await page.locator("[data-testid='stAlert']").all_text_contents()
                    if re.search(REFUSED, a, re.IGNORECASE)]
        if not refusals:
            break
        lost = [(label, typed) for label, typed in CHOICES if not await _shows(form, label, typed)]
        if attempt or not lost:  # a double, or a refusal that no lost choice explains
            log.errors.append(f"signaal niet opgeslagen ({text}): {' | '.join(refusals)[:400]}")
            return
        # A choice made and seen was gone when the form was sent (see the module docstring): the
        # page names the field, and the person picks it again and saves once more.
        log.corrections.append(f"{text}: {', '.join(label for label, _ in lost)}")
        if not await _choose_all(form, page, lost, text, log):
            return
    log.saved.append(text)
    log.times.append(("signaal invoeren", time.monotonic() - started))


async def _state(page: Any) -> str:
    """What the page showed when a step ran out of time: the status widget (running, connecting)
    and the last lines of the page text."""
    try:
        status = await page.locator("[data-testid='stStatusWidget']").all_inner_texts()
        app = page.locator("[data-testid='stApp']")
        run = (await app.get_attribute("data-test-script-state", timeout=5_000),
               await app.get_attribute("data-test-connection-state", timeout=5_000))
        alerts = await page.locator("[data-testid='stAlert']").all_inner_texts()
        body = (await page.inner_text("body", timeout=5_000)).split("\n")
        # Still typed in (the save never finished) or empty again (saved, confirmation not shown)?
        texts = await page.locator("[data-testid='stForm']:visible textarea").evaluate_all(
            "boxes => boxes.map(b => b.value.slice(0, 40))")
    except Exception as exc:  # a page that hangs this hard says so instead
        return f"pagina onleesbaar: {type(exc).__name__}"
    return (f"status {status or 'geen'}, script {run[0]}, verbinding {run[1]}; formuliertekst {texts}; "
            f"meldingen: {' | '.join(alerts)[:400] or 'geen'}; pagina: "
            f"{' | '.join(line for line in body if line.strip())[-300:]}")


async def _session(browser: Any, url: str, number: int, signals: int, delay: float) -> SessionLog:
    log = SessionLog(number)
    await asyncio.sleep(delay)  # people open the dashboard within seconds of each other, not in one ms
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)  # every click waits as long as a page may take under load
    page.on("pageerror", lambda e: log.errors.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: log.errors.append(f"dialog: {d.message}"))
    try:
        for path, heading in WALK:
            await _open(page, url, path, heading, log)
            if path == "signalen":
                for n in range(signals):
                    await _enter_signal(page, signal_text(number, n), log)
    except Exception as exc:  # a timeout or a missing element is this session's failure, not the run's
        message = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        if type(exc).__name__ == "TimeoutError":
            log.timeout = f"{log.step}: {message}; {await _state(page)}"
        else:
            log.errors.append(message)
    finally:
        await context.close()
    return log


async def _run(url: str, sessions: int, signals: int, executable: str, ramp: float) -> LoadResult:
    from playwright.async_api import async_playwright

    started = time.monotonic()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            logs = await asyncio.gather(*(_session(browser, url, n, signals, ramp * n / sessions)
                                          for n in range(sessions)))
        finally:
            await browser.close()
    return LoadResult(list(logs), time.monotonic() - started)


def run_sessions(url: str, sessions: int, signals: int, *, ramp: float = 10.0,
                 executable: str | None = None) -> LoadResult:
    """`sessions` start spread over `ramp` seconds and run side by side."""
    browser = executable or os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
    return asyncio.run(_run(url, sessions, signals, browser, ramp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--signals", type=int, default=2, help="signalen per sessie")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconden waarover de sessies starten")
    args = parser.parse_args()
    result = run_sessions(args.url, args.sessions, args.signals, ramp=args.ramp)
    print(result.table())
    for line in result.errors + result.timeouts:
        print(line)


if __name__ == "__main__":
    main()
