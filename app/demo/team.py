"""What the demo's team recorded during the incident, done again in the live replay at its moment.

The feeds arrive by themselves; signals, logbook entries (with the official phase decisions)
and "geïnformeerd" marks are people's work. The live replay does that work for them when the
replay clock reaches its moment, through the same import and store methods the pages use, so the
official phase, the signals in the temperature and the doelgroep deadlines move as they did.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from app.demo.build import inform
from collectors.signal_import import import_signal_bytes
from onrust.settings import Settings
from onrust.store import Store
from onrust.timeutil import to_utc

log = logging.getLogger("onrust.demo.team")
ACTOR = "demo"
SIGNAL_TIME = "%d-%m-%Y %H:%M"  # signals.csv, Amsterdam time

# (store, settings, incident, the step's moment): one piece of recorded work.
Act = Callable[[Store, Settings, int, datetime], object]


@dataclass(frozen=True)
class Step:
    """One piece of the team's work, done when the replay clock reaches `due`, dated `due`."""

    due: datetime
    label: str
    act: Act


def _enter_signal(data: bytes, label: str, store: Store, settings: Settings, incident_id: int,
                  at: datetime) -> None:
    report = import_signal_bytes(store, data, label, incident_id=incident_id, entered_by=ACTOR,
                                 settings=settings, now=at)
    if not report.ok:  # the demo's own file: a refusal is a bug in the demo data
        log.error("live-replay: signaal %s geweigerd: %s", label, report.summary())


def signal_steps(config: dict[str, Any], folder: Path, shift: timedelta) -> list[Step]:
    """Each row of signals.csv as an upload of one signal, entered its entry delay after it was
    reported; its times moved by `shift` (naive Amsterdam times: by local clock time)."""
    text = (folder / config["signals"]["file"]).read_bytes().decode("utf-8")
    delay = timedelta(minutes=config["signals"]["entry_delay_minutes"])
    steps = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text), delimiter=";"), start=2):
        for column in ("occurred_at", "reported_at"):
            row[column] = (datetime.strptime(row[column], SIGNAL_TIME) + shift).strftime(SIGNAL_TIME)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(row), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
        label = f"{config['signals']['file']} rij {number}"
        due = to_utc(datetime.strptime(row["reported_at"], SIGNAL_TIME)) + delay
        steps.append(Step(due, label, partial(_enter_signal, out.getvalue().encode(), label)))
    return steps


def _log(entry: dict[str, Any], store: Store, settings: Settings, incident_id: int, at: datetime) -> None:
    if "fase" in entry:  # an official phase decision of the driehoek
        store.record_official_phase(incident_id, entry["fase"], entry["reason"], entry["author"],
                                    decided_at=at, text=entry["text"])
    else:
        store.add_log_entry(incident_id, entry["kind"], entry["text"], entry["author"], logged_at=at)


def _informed(entry: dict[str, Any], store: Store, settings: Settings, incident_id: int, at: datetime) -> None:
    inform(store, incident_id, {**entry, "at": at})


def team_steps(config: dict[str, Any], folder: Path, moved: Callable[[datetime], datetime],
               shift: timedelta, end: datetime) -> tuple[Step, ...]:
    """Everything recorded up to `end`, in order (what came before the replay's start is done
    at once, dated its own moment)."""
    steps = signal_steps(config, folder, shift)
    steps += [Step(moved(e["at"]), f"logboek: {e['text'][:40]}", partial(_log, e)) for e in config["log"]]
    steps += [Step(moved(e["at"]), f"geïnformeerd: {e['doelgroep']}", partial(_informed, e))
              for e in config.get("informed", [])]
    return tuple(sorted((s for s in steps if s.due <= end), key=lambda s: s.due))
