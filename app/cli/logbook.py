"""`onrust log add|list|export`: the incident's logbook and besluitenlijst (003 fase 1.5; 000 §2.3)."""

from __future__ import annotations

import getpass
from pathlib import Path

from app.cli.context import Cli, Context, write_output
from comms.logbook import KIND_LABELS, add_entry, corrected_ids, export_csv, export_docx, format_link, parse_link
from onrust.errors import UserError
from onrust.models import LOG_KINDS, Incident, LogEntry
from onrust.store import Store
from onrust.timeutil import fmt_local, utcnow


def _line(entry: LogEntry, corrected: set[int]) -> str:
    marks = [f"corrigeert #{entry.corrects}"] if entry.corrects else []
    marks += ["gecorrigeerd"] if entry.id in corrected else []
    marks += [format_link(link) for link in entry.links]
    extra = f"  [{'; '.join(marks)}]" if marks else ""
    text = " ".join(entry.text.split())
    return f"#{entry.id:<4} {fmt_local(entry.logged_at)}  {KIND_LABELS[entry.kind]:<18} {entry.author}: {text}{extra}"


def _incident(store: Store, incident_id: int) -> Incident:
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet.")
    return incident


def _add(ctx: Context) -> int:
    links = [parse_link(text) for text in ctx.args.link]
    with ctx.open_store() as store:
        entry = add_entry(store, ctx.args.incident, ctx.args.kind, ctx.args.text, ctx.args.author,
                          corrects=ctx.args.corrects, links=links)
    ctx.emit(entry.as_dict(), f"Logboekregel #{entry.id} toegevoegd.\n{_line(entry, set())}")
    return 0


def _list(ctx: Context) -> int:
    with ctx.open_store(reads_only=True) as store:
        _incident(store, ctx.args.incident)
        entries = store.log_entries(ctx.args.incident, decisions_only=ctx.args.besluiten)
    corrected = corrected_ids(entries)
    empty = "Nog geen besluiten." if ctx.args.besluiten else "Het logboek is leeg."
    ctx.emit([e.as_dict() for e in entries], "\n".join(_line(e, corrected) for e in entries) or empty)
    return 0


def _export(ctx: Context) -> int:
    out = Path(ctx.args.out)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".csv"):
        raise UserError(f"Kies een .docx- of .csv-bestand, niet '{out.name}'.")
    with ctx.open_store(reads_only=True) as store:
        incident = _incident(store, ctx.args.incident)
        entries = store.log_entries(incident.id, decisions_only=ctx.args.besluiten)
    if suffix == ".csv":
        content = export_csv(entries)
    else:
        content = export_docx(incident, entries, utcnow(), decisions_only=ctx.args.besluiten)
    write_output(out, content)
    ctx.emit({"path": str(out), "entries": len(entries)}, f"{len(entries)} regels geschreven naar {out}.")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("log add", "Schrijf een regel in het logboek van een incident", _add)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--kind", required=True, help="soort: " + ", ".join(f"'{k}'" for k in LOG_KINDS))
    p.add_argument("--text", required=True)
    by = getpass.getuser()
    p.add_argument("--author", default=by, help=f"wie de regel schrijft (standaard {by})")
    p.add_argument("--corrects", type=int, help="nummer van de regel die deze corrigeert")
    p.add_argument("--link", action="append", default=[],
                   help="koppeling, herhaalbaar: item:12, signaal:3, persbericht:2, diagnose:1")
    p.add_argument("--json", action="store_true")
    for name, help_text, func in (("list", "Het logboek van een incident, oudste eerst", _list),
                                  ("export", "Logboek als Word (.docx) of CSV (veilig in Excel)", _export)):
        p = cli.command(f"log {name}", help_text, func)
        p.add_argument("--incident", type=int, required=True)
        p.add_argument("--besluiten", action="store_true", help="alleen besluiten (de besluitenlijst)")
        if name == "export":
            p.add_argument("--out", required=True, help="FILE.docx of FILE.csv")
        p.add_argument("--json", action="store_true")
