"""CLI: export an incident's checklists and information-needs matrix (for the logbook or e-mail)."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import Cli, Context, time_arg, write_output
from comms.checklists import load_checklists, merge_state, state_as_of, to_blocks, to_markdown
from comms.matrix import load_defaults, merge_defaults, to_xlsx, with_due
from comms.matrix import to_blocks as matrix_blocks
from comms.strategy import phase_status
from onrust.docx import Block, Heading, write_docx
from onrust.errors import UserError
from onrust.models import Incident
from onrust.timeutil import utcnow


def _incident(store, incident_id: int) -> Incident:
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet (zie `onrust` in het dashboard of de demo).")
    return incident


def _suffix(out: Path, allowed: tuple[str, ...]) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        raise UserError(f"Kies een bestandsnaam op {' of '.join(allowed)}, niet '{out.name}'.")
    return suffix



def _checklist_export(ctx: Context) -> int:
    out = Path(ctx.args.out)
    suffix = _suffix(out, (".md", ".docx"))
    lists = load_checklists()
    wanted = ctx.args.checklist or list(lists)
    unknown = sorted(set(wanted) - set(lists))
    if unknown:
        raise UserError(f"Onbekende checklist {unknown}; kies uit {', '.join(lists)}.")
    if ctx.args.fase is not None and ctx.args.fase not in range(1, 6):
        raise UserError("De MO-fase is 1 tot en met 5.")
    store = ctx.open_store()
    try:
        incident = _incident(store, ctx.args.incident)
        now = time_arg(ctx.args.stand_van) or utcnow()
        phase = ctx.args.fase
        if phase is None:  # the phase the page works to then: official decision, else computed
            phase = phase_status(store.official_phases(incident.id, as_of=now),
                                 store.temperature_points(incident.id, until=now)).phase
        kwargs = dict(incident=incident.name, municipality=incident.municipality, phase=phase, when=now)
        history = store.checklist_history(incident.id) if ctx.args.stand_van else None
        markdown: list[str] = []
        blocks: list[Block] = []
        for cid in wanted:
            if history is not None:
                state = state_as_of(history[history["checklist"] == cid], now)
            else:
                state = store.checklist_state(incident.id, cid)
            merged = merge_state(lists[cid], state, phase)
            markdown.append(to_markdown(lists[cid], merged, **kwargs))
            blocks += [Heading(lists[cid].title, level=1), *to_blocks(lists[cid], merged, **kwargs)]
    finally:
        store.close()
    if suffix == ".md":
        write_output(out, "\n".join(markdown), make_parents=True)
    else:
        write_output(out, write_docx(f"Checklists {incident.name}", incident.municipality, now, blocks),
                     make_parents=True)
    ctx.emit({"file": str(out), "checklists": wanted}, f"{len(wanted)} checklist(s) geschreven naar {out}")
    return 0


def _matrix_export(ctx: Context) -> int:
    out = Path(ctx.args.out)
    suffix = _suffix(out, (".xlsx", ".docx"))
    store = ctx.open_store()
    try:
        incident = _incident(store, ctx.args.incident)
        now = incident.closed_at or utcnow()
        matrix = with_due(merge_defaults(store.info_matrix(incident.id), load_defaults()), incident.opened_at, now,
                          incident.closed_at)
    finally:
        store.close()
    if suffix == ".xlsx":
        write_output(out, to_xlsx(matrix, incident=incident.name), make_parents=True)
    else:
        write_output(out, write_docx(f"Informatiebehoefte {incident.name}", incident.municipality, now,
                                     matrix_blocks(matrix, incident=incident.name, when=now)), make_parents=True)
    late = list(matrix.loc[matrix["achterstallig"], "doelgroep"])
    ctx.emit({"file": str(out), "achterstallig": late},
             f"Matrix geschreven naar {out}" + (f"; te laat: {', '.join(late)}" if late else ""))
    return 0


def register(cli: Cli) -> None:
    p = cli.command("checklist export", "checklists van een incident als Markdown (.md) of Word (.docx)",
                    _checklist_export)
    p.add_argument("--incident", type=int, required=True, help="incident-id")
    p.add_argument("--out", required=True, help="bestand: .md of .docx")
    p.add_argument("--checklist", action="append",
                   help="alleen deze checklist (perscommunicatie, communicatie, werkwijze, aanpak); herhaalbaar")
    p.add_argument("--fase", type=int,
                   help="MO-fase (1-5) om de items van nu te markeren; "
                        "standaard de officiële, anders de berekende fase")
    p.add_argument("--stand-van", help="de stand op dit tijdstip (Amsterdamse tijd, bv. '2026-10-05 14:00'), "
                   "opgebouwd uit de geschiedenis: voor de evaluatie")
    p.add_argument("--json", action="store_true")
    p = cli.command("informatiebehoefte export", "informatiebehoefte-matrix als Excel (.xlsx) of Word (.docx)",
                    _matrix_export)
    p.add_argument("--incident", type=int, required=True, help="incident-id")
    p.add_argument("--out", required=True, help="bestand: .xlsx of .docx")
    p.add_argument("--json", action="store_true")
