"""CLI for manual signals: `onrust signal add|import|list|edit|history`."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from app.cli.context import Cli, Context, write_output
from collectors.signal_import import STATUS_LABELS, TEMPLATE, import_signals, template_xlsx
from collectors.signals import LABELS, as_raw, describe, describe_routing, scales, validate_routing, validate_signal
from onrust.errors import UserError
from onrust.store import Store
from onrust.timeutil import fmt_local, utcnow

# (option, field, help); the same options serve `add` and `edit`.
_OPTIONS = (
    ("--kind", "kind", "soort: " + ", ".join(scales().kinds)),
    ("--source-type", "source_type", "brontype: " + ", ".join(scales().source_types)),
    ("--reliability", "reliability", "betrouwbaarheid bron A-F (of gecombineerd, bv. B2)"),
    ("--credibility", "credibility", "geloofwaardigheid informatie 1-6"),
    ("--verification", "verification", "onbevestigd (standaard), bevestigd of ontkracht"),
    ("--severity", "severity", "ernst 1-5"),
    ("--municipality", "municipality", "gemeente"),
    ("--neighbourhood", "neighbourhood", "wijk of buurt (optioneel)"),
    ("--occurred", "occurred_at", "wanneer het gebeurde, bv. '14-11-2026 21:30' of 'gisteren 21:30'"),
    ("--reported", "reported_at", "wanneer het gemeld werd (bij add standaard: nu)"),
    ("--text", "text", "het signaal zelf"),
)


def _incident_municipalities(store: Store, incident_id: int | None) -> list[str]:
    if incident_id is None:
        return []
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident #{incident_id} bestaat niet (zie het dashboard of `onrust signal list`).")
    return [incident.municipality]


def _refuse(errors: list) -> UserError:
    return UserError("Signaal niet opgeslagen:\n" + "\n".join(f"  - {e}" for e in errors))


def _add(ctx: Context) -> int:
    raw = {field: getattr(ctx.args, field) for _, field, _ in _OPTIONS}
    raw.update(incident=ctx.args.incident, entered_by=ctx.args.by)
    store = ctx.open_store()
    try:
        outcome = validate_signal(
            raw, now=utcnow(), extra_municipalities=_incident_municipalities(store, ctx.args.incident)
        )
        if isinstance(outcome, list):
            raise _refuse(outcome)
        signal_id = store.add_signal(outcome)
    finally:
        store.close()
    ctx.emit({"id": signal_id, "key": outcome.key},
             f"Signaal #{signal_id} opgeslagen: {describe(outcome)}, {outcome.municipality}.")
    return 0


def _import(ctx: Context) -> int:
    path = Path(ctx.args.file)
    if not path.is_file():
        raise UserError(f"Bestand niet gevonden: {path}")
    store = ctx.open_store()
    try:
        report = import_signals(store, path, incident_id=ctx.args.incident, entered_by=ctx.args.by,
                                settings=ctx.settings, backfill=ctx.args.backfill)
    finally:
        store.close()
    lines = [report.summary(), *report.warnings]
    for row in report.rows:
        if row.status == "ok":
            continue
        lines.append(f"rij {row.row}: {STATUS_LABELS[row.status]}")
        lines += [f"    - {reason}" for reason in row.reasons]
    ctx.emit(report.as_dict(), "\n".join(lines))
    if report.problems:
        return 2
    return 1 if report.count("error") else 0


def _list(ctx: Context) -> int:
    store = ctx.open_store(reads_only=True)
    try:
        frame = store.signals(incident_id=ctx.args.incident)
    finally:
        store.close()
    records = frame.drop(columns=["import_key"]).astype(object).where(frame.notna(), None).to_dict("records")
    lines = [
        f"#{r['id']:<4} {fmt_local(r['occurred_at'])}  {describe(r)}  {r['verification']}  "
        f"{r['municipality']}{' (' + r['neighbourhood'] + ')' if r['neighbourhood'] else ''}  "
        f"{' '.join(r['text'].split())[:70]}"
        for r in records
    ]
    ctx.emit(records, "\n".join(lines) or "Geen signalen.")
    return 0


def _edit(ctx: Context) -> int:
    store = ctx.open_store()
    try:
        current = store.signal(ctx.args.id)
        if current is None:
            raise UserError(f"Signaal #{ctx.args.id} bestaat niet.")
        raw = as_raw(current)
        raw.update({f: getattr(ctx.args, f) for _, f, _ in _OPTIONS if getattr(ctx.args, f) is not None})
        if ctx.args.incident is not None:
            raw["incident"] = ctx.args.incident
        incident = raw["incident"] if isinstance(raw["incident"], int) else None
        outcome = validate_signal(raw, now=utcnow(), extra_municipalities=[
            current["municipality"], *_incident_municipalities(store, incident)])
        if isinstance(outcome, list):
            raise _refuse(outcome)
        changed = store.update_signal(ctx.args.id, outcome, changed_by=ctx.args.by, expected=current)
    finally:
        store.close()
    text = (f"Signaal #{ctx.args.id} gewijzigd: " + ", ".join(LABELS.get(f, f) for f in changed)
            if changed else f"Signaal #{ctx.args.id}: niets gewijzigd.")
    ctx.emit({"id": ctx.args.id, "changed": changed}, text)
    return 0


def _history(ctx: Context) -> int:
    store = ctx.open_store(reads_only=True)
    try:
        if store.signal(ctx.args.id) is None:
            raise UserError(f"Signaal #{ctx.args.id} bestaat niet.")
        frame = store.signal_history(ctx.args.id)
    finally:
        store.close()
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    lines = [f"{fmt_local(r['changed_at'])}  {r['changed_by']}: {LABELS.get(r['field'], r['field'])} "
             f"{r['old']!r} -> {r['new']!r}" for r in records]
    ctx.emit(records, "\n".join(lines) or "Nog geen wijzigingen.")
    return 0


def _template(ctx: Context) -> int:
    target = Path(ctx.args.file)
    if target.exists() and not ctx.args.force:
        raise UserError(f"{target} bestaat al; kies een andere naam of gebruik --force.")
    data = template_xlsx() if target.suffix.lower() == ".xlsx" else TEMPLATE.read_bytes()
    write_output(target, data)
    ctx.emit({"file": str(target)}, f"Sjabloon geschreven: {target}")
    return 0


def _route(ctx: Context) -> int:
    raw = {"member": ctx.args.lid, "received_by": ctx.args.ontvanger, "routed_at": ctx.args.at}
    outcome = validate_routing(ctx.args.id, raw, now=utcnow(), recorded_by=ctx.args.by)
    if isinstance(outcome, list):
        raise UserError("Doorleiding niet vastgelegd:\n" + "\n".join(f"  - {e}" for e in outcome))
    text = describe_routing(outcome)
    store = ctx.open_store()
    try:
        routing_id = store.route_signal(outcome, log_text=text)
    finally:
        store.close()
    ctx.emit({"id": routing_id, "signal": outcome.signal_id, "member": outcome.member,
              "received_by": outcome.received_by, "routed_at": outcome.routed_at.isoformat()},
             f"{text} ({fmt_local(outcome.routed_at)})")
    return 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is geen nummer")
    return int(value)


def register(cli: Cli) -> None:
    by = getpass.getuser()
    p = cli.command("signal add", "een signaal (gerucht, melding, aangifte, berichtgeving) invoeren", _add)
    for option, field, help_text in _OPTIONS:
        p.add_argument(option, dest=field, help=help_text,
                       default="nu" if field == "reported_at" else None)
    p.add_argument("--incident", type=_positive, help="incidentnummer")
    p.add_argument("--by", default=by, help=f"wie invoert (standaard {by})")
    p.add_argument("--json", action="store_true")

    p = cli.command("signal import", "signalen inlezen uit CSV of XLSX (zie data/signals_template.csv)",
                    _import)
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--incident", type=_positive, help="incidentnummer voor rijen zonder incident")
    p.add_argument("--by", default=by, help=f"wie importeert, voor rijen zonder entered_by (standaard {by})")
    p.add_argument("--backfill", action="store_true",
                   help="archief: 'ingevoerd op' = meldtijd (voor terugkijken)")
    p.add_argument("--json", action="store_true")

    p = cli.command("signal list", "signalen tonen", _list)
    p.add_argument("--incident", type=_positive)
    p.add_argument("--json", action="store_true")

    p = cli.command("signal edit", "een signaal wijzigen (de oude waarden blijven in de historie)", _edit)
    p.add_argument("id", type=_positive, metavar="ID")
    for option, field, help_text in _OPTIONS:
        p.add_argument(option, dest=field, help=help_text)
    p.add_argument("--incident", type=_positive)
    p.add_argument("--by", default=by, help=f"wie wijzigt (standaard {by})")
    p.add_argument("--json", action="store_true")

    p = cli.command("signal template", "importsjabloon schrijven (.xlsx met keuzelijsten, anders CSV)",
                    _template)
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--force", action="store_true", help="bestaand bestand overschrijven")
    p.add_argument("--json", action="store_true")

    p = cli.command("signal route", "vastleggen aan welk driehoekslid een signaal is doorgeleid (004 §3.1)",
                    _route)
    p.add_argument("id", type=_positive, metavar="ID")
    p.add_argument("--lid", required=True, help="driehoekslid: " + ", ".join(scales().driehoek))
    p.add_argument("--ontvanger", required=True, help="wie het signaal ontving (naam of functie)")
    p.add_argument("--at", help="wanneer doorgeleid (standaard: nu), bv. '14-11-2026 21:30'")
    p.add_argument("--by", default=by, help=f"wie dit vastlegt (standaard {by})")
    p.add_argument("--json", action="store_true")

    p = cli.command("signal history", "wijzigingen van een signaal", _history)
    p.add_argument("id", type=_positive, metavar="ID")
    p.add_argument("--json", action="store_true")
