"""`onrust demo`: a fresh database holding the fictional demo incident of data/demo/.

The feed snapshots go through the product's own ingestion (`collectors.ingest.ingest_file`) in
collection order, so stories, wire copies and corrections form exactly as they would live;
signals go through the signal import, names, profile and decisions through the same store
methods the dashboard uses. Nothing is written straight into tables.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from analysis.diagnosis import diagnose
from analysis.jobs import tag_and_link
from analysis.omgevingsbeeld_data import snapshot
from analysis.temperature_runs import refresh_incident
from app.demo.generator import DEMO_DIR, load_config
from app.pipeline import after_ingest
from collectors.feeds import parse_feed
from collectors.ingest import FeedReport, ingest_file, record_run
from collectors.signal_import import import_signal_bytes
from collectors.signals import as_raw, describe_routing, validate_routing, validate_signal
from comms.checklists import load_checklists
from comms.involved import add_incident_person
from comms.matrix import load_defaults, mark_informed, merge_defaults
from comms.press import fields_from_dict, fields_to_dict
from comms.rules import check_release, counts
from comms.strategy import (
    WoordvoeringVraag,
    accent_value,
    advice_for_phase,
    load_strategy_data,
    press_policy_value,
    wie_voert_het_woord,
)
from comms.tasks import complete_task, load_protocol, note_task, record_triage, set_moment
from comms.workflow import press_step, save_press_version
from onrust.models import WatchProfile
from onrust.settings import Settings
from onrust.store import Store
from onrust.timeutil import to_utc

# Simulated polling of each source. The temperature shows "geen gegevens" without a run of any
# source in the last [temperature] max_gap_hours (2 h); the eleven sources are staggered, so one
# of them runs every ~22 minutes. (Live polling is every few minutes; one run per row is slow.)
RUN_EVERY = timedelta(hours=4)
# Temperature refreshes while replaying. The server refreshes after every collection; each
# refresh decides alerts for every point since the previous one, so a coarser step gives the same
# points and alerts and only keeps the build quick.
REPLAY_EVERY = timedelta(hours=12)


@dataclass(frozen=True)
class Snapshot:
    """One feed file: the feed as it looked when it was 'collected' at `at`."""

    at: datetime
    source_key: str
    path: Path


T = TypeVar("T")


def _made(found: T | None, what: str) -> T:
    """A record this builder stored a moment ago: the store returns None only if it lost it."""
    if found is None:
        raise RuntimeError(f"demo: {what} niet teruggevonden na het opslaan")
    return found


def snapshots(folder: Path = DEMO_DIR) -> list[Snapshot]:
    """All feed files in collection order (the UTC moment is the file name)."""
    found = [
        Snapshot(datetime.strptime(path.stem, "%Y%m%dT%H%MZ").replace(tzinfo=UTC), path.parent.name, path)
        for path in (folder / "feeds").glob("*/*.xml")
    ]
    return sorted(found, key=lambda s: (s.at, s.source_key))


def build_demo(db: Path, settings: Settings, *, folder: Path = DEMO_DIR) -> dict[str, int]:
    """Replace `db` with a database holding only the demo incident; returns what it holds."""
    db = Path(db)
    if db.exists():
        # Raises DatabaseLocked while a server uses the file; deleting it under a running
        # server would leave that server writing to a file nobody can open any more.
        Store.open(db).close()
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    store = Store.open(db)
    try:
        store.migrate()
        return populate(store, settings, load_config(folder), folder)
    finally:
        store.close()


def populate(store: Store, settings: Settings, config: dict[str, Any], folder: Path) -> dict[str, int]:
    """Everything in the order it happened to the product: collection, then the case work."""
    meta = config["incident"]
    incident_id = store.create_incident(
        meta["name"], meta["municipality"], meta["opened_at"], scenario=meta["scenario"],
        description=meta["description"], is_demo=True,
    )
    summary: dict[str, int] = {"incident_id": incident_id}
    summary |= collect(store, settings, config, folder)
    summary |= case_work(store, settings, config, folder, incident_id)
    # The pipeline's first step now, while the incident is open (only open incidents are linked),
    # so the temperature can be replayed over the period before the incident is closed.
    tag_and_link(store, settings)
    summary["omgevingsbeelden"] = save_omgevingsbeelden(
        store, incident_id, config.get("omgevingsbeeld", []), settings.relevance.lead_days)
    alerts = replay_temperature(store, settings, incident_id, config["collection"]["until"])
    if "closed_at" in meta:
        store.close_incident(incident_id, meta["closed_at"])
    # Every step processes only what is pending, so this finishes whatever the steps above left.
    after_ingest(store, settings)
    coverage = store.coverage_counts()
    return summary | {
        "items": coverage["items"],
        "stories": coverage["stories"],
        "original_publishers": coverage["original_publishers"],
        "alerts": alerts,
        "log_entries": len(store.logbook(incident_id)),
        "linked_items": store.linked_item_count(incident_id),
    }


def save_omgevingsbeelden(store: Store, incident_id: int, entries: list[dict[str, Any]], lead_days: int) -> int:
    """Versions as the analist stored them during the incident: each built from the period up to
    its moment (what was published by then), dated at that moment, with the analist's conclusions."""
    incident = _made(store.incident(incident_id), f"incident {incident_id}")
    start = incident.opened_at - timedelta(days=lead_days)
    for entry in entries:
        at = to_utc(entry["at"])
        beeld = snapshot(store, incident, start, at, at)
        store.save_omgevingsbeeld(incident_id, beeld.to_dict(), entry["conclusions"], entry["author"],
                                  start, at, created_at=at)
    return len(entries)


def replay_temperature(store: Store, settings: Settings, incident_id: int, until: datetime) -> int:
    """Temperature points and alerts stored as the server would have stored them while it ran.

    Each refresh stores the points up to its moment and decides alerts only for the new ones,
    so stepping through the period gives the alert history a live incident would have. Mail and
    webhooks are switched off: a municipality's kernteam must never be alerted about a fiction.
    """
    quiet = replace(settings, alerts=replace(settings.alerts, smtp_host="", webhook_url=""))
    incident = _made(store.incident(incident_id), f"incident {incident_id}")
    moment = incident.opened_at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    alerts = 0
    while moment < until:
        alerts += len(refresh_incident(store, incident, quiet, now=moment)[1])
        moment += REPLAY_EVERY
    return alerts + len(refresh_incident(store, incident, quiet, now=until)[1])


def collect(store: Store, settings: Settings, config: dict[str, Any], folder: Path) -> dict[str, int]:
    """Sources, every snapshot through the feed ingestion, and the collection runs around them."""
    sources = {
        s["key"]: _made(store.source_by_id(store.add_source(
            s["name"], kind="file", url=None, reach=s["reach"], publisher=s["publisher"],
            # Not enabled: the live collector must never poll a demo file.
            enabled=False, config={"demo_feed": f"feeds/{s['key']}", "format": s["format"]},
        )), f"bron {s['key']}")
        for s in config["source"]
    }
    shots = snapshots(folder)
    if not shots:
        raise RuntimeError(f"geen feedbestanden in {folder / 'feeds'}; maak ze met "
                           "`python -m app.demo.generator`")
    reports = [
        ingest_file(store, shot.path, sources[shot.source_key], fetched_at=shot.at, backfill=True,
                    settings=settings)
        for shot in shots
    ]
    failed = [f"{shot.path.name} ({shot.source_key}): {report.error}"
              for shot, report in zip(shots, reports, strict=True) if report.error]
    if failed:
        raise RuntimeError("demofeeds konden niet worden gelezen: " + "; ".join(failed))
    runs = record_simulated_runs(store, sources, shots, until=config["collection"]["until"])
    return {"sources": len(sources), "snapshots": len(shots),
            "corrections": sum(r.updated for r in reports), "collection_runs": runs}


def case_work(store: Store, settings: Settings, config: dict[str, Any], folder: Path,
              incident_id: int) -> dict[str, int]:
    """What the municipality recorded, each through the store method its page or command uses."""
    meta = config["incident"]
    persons = [add_incident_person(store, incident_id, p["name"], p["role"], "demo",
                                   at=meta["opened_at"] + timedelta(hours=1))
               for p in config["person"]]
    watch = config["watch"]
    store.save_watch_profile(WatchProfile(
        incident_id, terms=tuple(watch["terms"]), places=tuple(watch["places"]),
        neighbourhoods=tuple(watch["neighbourhoods"]), actors=tuple(watch["actors"]),
        involved=tuple(p["name"] for p in config["person"]), period_start=watch["period_start"],
    ), watch["author"])
    signals, signal_ids = import_demo_signals(store, settings, config, folder, incident_id)
    verdicts = apply_signal_updates(store, config, signal_ids, meta["municipality"])
    routed = route_demo_signals(store, config["signals"], signal_ids)
    phase_decisions = write_logbook(store, incident_id, config["log"])
    diagnoses = [store.save_diagnosis(incident_id, diagnose(
        {q: "hoog" for q in d["hoog"]} | {q: "laag" for q in d["laag"]}
    ).as_record(d["at"], d["author"], d.get("note", ""))) for d in config.get("diagnosis", [])]
    releases = [add_press_release(store, settings, incident_id, meta["municipality"], release)
                for release in config.get("press_release", [])]
    strategy = [add_strategy_decision(store, incident_id, meta["municipality"], decision)
                for decision in config.get("strategy", [])]
    informed = [inform(store, incident_id, entry) for entry in config.get("informed", [])]
    checklists = load_checklists()
    ticked = sum(tick_checklist(store, incident_id, checklists, entry)
                 for entry in config.get("checklist", []))
    tasks_done, moments = record_task_work(store, incident_id, config)
    return {"tasks_done": tasks_done, "risk_moments": moments,
            "signals": signals, "signal_verdicts": verdicts, "signals_routed": routed, "persons": len(persons),
            "phase_decisions": phase_decisions, "diagnoses": len(diagnoses),
            "press_releases": len(releases), "strategy_decisions": len(strategy),
            "checklist_items": ticked, "informed": len(informed)}


def record_task_work(store: Store, incident_id: int, config: dict[str, Any]) -> tuple[int, int]:
    """Triage, tasks done (with notes) and dated risk moments, through the functions the Taken
    page uses, each logged at the moment it happened."""
    triage = config["triage"]
    record_triage(store, incident_id, triage["outcome"], triage["author"], decided_at=triage["at"])
    protocol = load_protocol("003")  # the demo's task ids are 003's
    for task in config["task"]:
        complete_task(store, protocol, incident_id, task["id"], task["author"], task["at"], now=task["at"],
                      logged_at=task["at"])
        if task.get("note"):
            note_task(store, protocol, incident_id, task["id"], task["note"], task["author"], logged_at=task["at"])
    for moment in config["risk_moment"]:
        set_moment(store, incident_id, moment["moment"], moment["expected_at"], moment["author"], moment["note"],
                   logged_at=moment["at"])
    return len(config["task"]), len(config["risk_moment"])


def write_logbook(store: Store, incident_id: int, entries: list[dict[str, Any]]) -> int:
    """Events, actions and decisions; an entry with `fase` is an official phase decision."""
    decisions = 0
    for entry in entries:
        if "fase" in entry:
            store.record_official_phase(incident_id, entry["fase"], entry["reason"], entry["author"],
                                        decided_at=entry["at"], text=entry["text"])
            decisions += 1
        else:
            store.add_log_entry(incident_id, entry["kind"], entry["text"], entry["author"],
                                logged_at=entry["at"])
    return decisions


def record_simulated_runs(store: Store, sources: dict, shots: list[Snapshot], *, until: datetime) -> int:
    """Collection runs per source over the whole period, as if it had been polled live.

    Each run reports what was new or corrected since the source's previous run, read from the
    snapshots the way ingestion reads them (key and content hash), so runs and items agree.
    """
    new: Counter[tuple[str, datetime]] = Counter()
    updated: Counter[tuple[str, datetime]] = Counter()
    seen: dict[str, str] = {}
    for shot in shots:
        for item in parse_feed(shot.path.read_bytes(), shot.at).items:
            slot = _slot(item.published_at)
            if item.item_key not in seen:
                new[shot.source_key, slot] += 1
            elif seen[item.item_key] != item.content_hash:
                updated[shot.source_key, slot] += 1
            seen[item.item_key] = item.content_hash
    start = _slot(min(s.at for s in shots).replace(hour=0, minute=0)) - RUN_EVERY
    stagger = RUN_EVERY / len(sources)  # sources are polled at different moments
    count = 0
    for index, (key, source) in enumerate(sources.items()):
        slot = start
        # The run after a slot reports what appeared in it.
        while (started := slot + RUN_EVERY + stagger * index) <= until:
            report = FeedReport(source.name, new=new[key, slot], updated=updated[key, slot])
            record_run(store, source.id, started, started + timedelta(seconds=2), report)
            count += 1
            slot += RUN_EVERY
    return count


def _slot(moment: datetime) -> datetime:
    """Start of the polling interval (UTC) that holds `moment`."""
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return epoch + (moment.astimezone(UTC) - epoch) // RUN_EVERY * RUN_EVERY


def import_demo_signals(store: Store, settings: Settings, config: dict[str, Any], folder: Path,
                        incident_id: int) -> tuple[int, dict[str, int]]:
    """The signals file through the signal import, each row entered shortly after it was reported.

    One import per row, because the import stamps the moment of entry on every row of a file
    and the temperature must see each signal only from when it was entered.
    """
    data = (folder / config["signals"]["file"]).read_bytes().decode("utf-8")
    header, *lines = data.splitlines()
    delay = timedelta(minutes=config["signals"]["entry_delay_minutes"])
    added = 0
    ids: dict[str, int] = {}
    for number, line in enumerate(lines, start=2):
        row = next(csv.DictReader(io.StringIO(header + "\n" + line), delimiter=";"))
        reported = datetime.strptime(row["reported_at"], "%d-%m-%Y %H:%M")
        report = import_signal_bytes(
            store, f"{header}\n{line}\n".encode(), f"{config['signals']['file']} rij {number}",
            incident_id=incident_id, entered_by="demo", settings=settings,
            now=to_utc(reported) + delay,  # naive = Amsterdam time
        )
        if not report.ok:
            raise RuntimeError("demosignaal niet geïmporteerd: " + report.summary()
                               + " " + "; ".join(r for res in report.rows for r in res.reasons))
        added += report.count("ok")
        ids[row["text"]] = _made(report.rows[0].signal_id, f"signaal van rij {number}")
    return added, ids


def route_demo_signals(store: Store, config: dict[str, Any], ids: dict[str, int]) -> int:
    """Each signal to its driehoek member (004 §3.1) through the Doorleiden tab's validation."""
    delay = timedelta(minutes=config["routing_delay_minutes"])
    rules = config["routing"]
    for signal_id in ids.values():
        stored = _made(store.signal(signal_id), f"signaal #{signal_id}")
        kind = "aangifte" if stored["kind"] == "aangifte" else stored["source_type"]
        member, received = rules.get(kind, rules["default"])
        at = stored["entered_at"] + delay
        routing = validate_routing(signal_id, {"member": member, "received_by": received, "routed_at": at},
                                   now=at, recorded_by=config["routing_by"])
        if isinstance(routing, list):
            raise RuntimeError(f"doorleiding signaal #{signal_id}: " + "; ".join(map(str, routing)))
        store.route_signal(routing, log_text=describe_routing(routing))
    return len(ids)


def apply_signal_updates(store: Store, config: dict[str, Any], ids: dict[str, int],
                         municipality: str) -> int:
    """Later verdicts (bevestigd/ontkracht) through the signal editor's store method."""
    for update in config.get("signal_update", []):
        matches = [sid for text, sid in ids.items() if text.startswith(update["text"])]
        if len(matches) != 1:
            raise RuntimeError(f"signal_update '{update['text']}' past op {len(matches)} signalen")
        stored = _made(store.signal(matches[0]), f"signaal #{matches[0]}")
        raw = as_raw(stored) | {"verification": update["verification"]}
        new = validate_signal(raw, now=update["at"], allow_relative=False,
                              extra_municipalities=[municipality])
        if isinstance(new, list):
            raise RuntimeError(f"signal_update '{update['text']}': " + "; ".join(map(str, new)))
        store.update_signal(matches[0], new, changed_by=update["by"], changed_at=update["at"])
    return len(config.get("signal_update", []))


def add_press_release(store: Store, settings: Settings, incident_id: int, municipality: str,
                      release: dict[str, Any]) -> int:
    """Versions and workflow steps as the press page would record them; every step is checked
    by the press rules against the registered names, so a demo release that breaks them fails."""
    author = release["author"]
    fields: dict[str, Any] = {}
    release_id = None
    for version in release["version"]:
        fields |= {k: v for k, v in version.items() if k not in ("at", "note")}
        stored = fields_to_dict(fields_from_dict(fields))
        if release_id is None:
            release_id = store.create_press_release(incident_id, stored, author, at=version["at"])
        else:
            save_press_version(store, release_id, stored, author, note=version.get("note", ""),
                               at=version["at"])
    findings = check_release(
        fields_from_dict(fields), involved=store.names_to_protect(incident_id), places=[municipality],
        max_sentence_words=settings.press.max_sentence_words,
    )
    blocking = counts(findings)["blokkerend"]
    release_id = _made(release_id, "persbericht zonder versie in de demodata")
    for step in release["step"]:
        press_step(store, release_id, step["action"], step["actor"], blocking=blocking,
                   warnings=[f for f in findings if f.severity != "blokkerend"], at=step["at"])
    return release_id


def add_strategy_decision(store: Store, incident_id: int, municipality: str, decision: dict[str, Any]) -> int:
    """Value and details exactly as the Strategie tab records them (comms.strategy)."""
    kind, data = decision["kind"], load_strategy_data()
    incident = store.incident(incident_id)
    advice = advice_for_phase(decision["phase"], data, incident.scenario if incident else None)
    if kind == "accent":
        value = accent_value(decision["aims"], data)
        details = {"aims": decision["aims"], "advies": list(advice.accent) if advice else []}
    elif kind == "persbeleid":
        value = press_policy_value(decision["policy"], data)
        details = {"beleid": decision["policy"], "advies": advice.press_policy if advice else None}
    else:
        vraag = WoordvoeringVraag(decision["driehoek"], "overig", municipality, municipality,
                                  strafbaar_feit=decision["strafbaar"])
        advies = wie_voert_het_woord(vraag)
        value, details = advies.answer, advies.details(vraag)
    return store.add_strategy_decision(incident_id, kind, value, decision["author"],
                                       phase=decision["phase"], details=details,
                                       note=decision.get("note", ""), at=decision["at"])


def tick_checklist(store: Store, incident_id: int, checklists: dict, entry: dict[str, Any]) -> int:
    """Items marked gedaan / n.v.t. at one moment; unknown item ids are an error in the demo data."""
    known = {item.id for item in checklists[entry["checklist"]].items}
    marks = [(i, "gedaan") for i in entry.get("gedaan", [])] + [(i, "n.v.t.") for i in entry.get("nvt", [])]
    unknown = sorted({i for i, _ in marks} - known)
    if unknown:
        raise RuntimeError(f"onbekende items in checklist {entry['checklist']}: {unknown}")
    changes = pd.DataFrame({"item_id": [i for i, _ in marks], "status": [m for _, m in marks],
                            "owner": entry["author"], "note": ""})
    return store.save_checklist_changes(incident_id, entry["checklist"], changes, entry["author"],
                                        at=entry["at"])


def inform(store: Store, incident_id: int, entry: dict[str, Any]) -> int:
    """One 'geïnformeerd' mark in the information-needs matrix, as the Communicatie page saves it."""
    matrix = merge_defaults(store.info_matrix(incident_id), load_defaults())
    row = mark_informed(matrix, entry["doelgroep"], entry["at"], entry["by"], entry["what"])
    return store.save_info_matrix(incident_id, row, entry["by"], at=entry["at"])
