"""CLI: `retag`, `watch show|set` and `omgevingsbeeld` (export of the snapshot)."""

from __future__ import annotations

import getpass
from dataclasses import asdict
from pathlib import Path

from analysis import omgevingsbeeld as ob
from analysis.jobs import links_up_to_date, relink, tag_and_link
from analysis.omgevingsbeeld_data import default_period, snapshot
from analysis.omgevingsbeeld_export import to_docx, to_markdown
from analysis.relevance import default_profile
from app.cli.context import Cli, Context, time_arg, write_output
from onrust.errors import UserError
from onrust.models import Incident, WatchProfile
from onrust.settings import RelevanceSettings
from onrust.timeutil import fmt_local, utcnow

_LISTS = ("terms", "places", "neighbourhoods", "actors", "involved")
_DUTCH = {"terms": "termen", "places": "plaatsen", "neighbourhoods": "wijken", "actors": "actoren",
          "involved": "betrokkenen"}


def _incident(store, incident_id: int) -> Incident:
    incident = store.incident(incident_id)
    if incident is None:
        raise UserError(f"Incident {incident_id} bestaat niet (zie het dashboard of `onrust demo`).")
    return incident



def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


# -- retag ---------------------------------------------------------------------------------
def _retag(ctx: Context) -> int:
    store = ctx.open_store()
    try:
        reset = store.reset_tag_state() if ctx.args.all else 0
        report = tag_and_link(store, ctx.settings)
    finally:
        store.close()
    linked = ", ".join(f"incident {k}: {v}" for k, v in report["gekoppeld"].items()) or "geen open incidenten"
    ctx.emit({**report, "opnieuw_klaargezet": reset},
             f"{report['getagd']} items getagd met {report['tagger']}; nieuw gekoppeld: {linked}.")
    return 0


# -- watch profile -------------------------------------------------------------------------
def _profile(store, incident: Incident, cfg: RelevanceSettings) -> WatchProfile:
    return store.watch_profile(incident.id) or default_profile(
        incident.id, incident.municipality, incident.opened_at, incident.closed_at, lead_days=cfg.lead_days)


def _profile_text(profile: WatchProfile, linked: int) -> str:
    lines = [f"Kijkprofiel incident {profile.incident_id} (revisie {profile.revision or 'standaard'})"]
    lines += [f"  {_DUTCH[k]}: {', '.join(getattr(profile, k)) or '—'}" for k in _LISTS]
    end = fmt_local(profile.period_end) if profile.period_end else "open"
    lines.append(f"  periode: {fmt_local(profile.period_start)} tot {end}")
    lines.append(f"  gekoppelde items: {linked}")
    return "\n".join(lines)


def _watch_show(ctx: Context) -> int:
    store = ctx.open_store(reads_only=True)
    try:
        incident = _incident(store, ctx.args.incident)
        profile = _profile(store, incident, ctx.settings.relevance)
        linked = store.linked_item_count(incident.id)
    finally:
        store.close()
    ctx.emit({**asdict(profile), "linked_items": linked}, _profile_text(profile, linked))
    return 0


def _watch_set(ctx: Context) -> int:
    args = ctx.args
    store = ctx.open_store()
    try:
        incident = _incident(store, args.incident)
        profile = _profile(store, incident, ctx.settings.relevance)
        changes: dict[str, object] = {k: _split(getattr(args, k)) for k in _LISTS if getattr(args, k) is not None}
        if args.start is not None:
            changes["period_start"] = time_arg(args.start)
        if args.end is not None:
            changes["period_end"] = time_arg(args.end)  # "" clears the end: watch until closed
        profile = profile.edited(**changes)
        if profile.period_start and profile.period_end and profile.period_end <= profile.period_start:
            raise UserError("Het einde van de periode moet na het begin liggen.")
        store.save_watch_profile(profile, args.author)
        linked = relink(store, ctx.settings, incident.id)
        profile = _profile(store, incident, ctx.settings.relevance)  # the one just saved
    finally:
        store.close()
    ctx.emit({**asdict(profile), "linked_items": linked}, _profile_text(profile, linked))
    return 0


# -- omgevingsbeeld ------------------------------------------------------------------------
def _omgevingsbeeld(ctx: Context) -> int:
    args = ctx.args
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".md", ".docx"):
        raise UserError("--out moet eindigen op .md of .docx")
    store = ctx.open_store()
    try:
        incident = _incident(store, args.incident)
        if args.version is not None:
            stored = store.omgevingsbeeld_version(incident.id, args.version)
            if stored is None:
                raise UserError(f"Versie {args.version} van het omgevingsbeeld bestaat niet.")
            beeld = ob.Omgevingsbeeld.from_dict(stored["content"])
            conclusions, version = stored["conclusions"], args.version
        else:
            cfg = ctx.settings.relevance
            links_up_to_date(store, ctx.settings, incident.id)
            start, end = default_period(incident, cfg.lead_days, utcnow())
            start, end = time_arg(args.start) or start, time_arg(args.end) or end
            beeld = snapshot(store, incident, start, end, utcnow())
            conclusions = Path(args.conclusions).read_text(encoding="utf-8") if args.conclusions else ""
            version = (store.save_omgevingsbeeld(incident.id, beeld.to_dict(), conclusions, args.author, start, end)
                       if args.save else None)
    finally:
        store.close()
    if out is None:
        print(to_markdown(beeld, conclusions, version=version), end="")
        return 0
    if out.suffix.lower() == ".docx":
        write_output(out, to_docx(beeld, conclusions, version=version))
    else:
        write_output(out, to_markdown(beeld, conclusions, version=version))
    print(f"Omgevingsbeeld geschreven naar {out}" + (f" (versie {version})" if version else ""))
    return 0


def register(cli: Cli) -> None:
    p = cli.command("retag", "items opnieuw taggen na een lexiconwijziging, daarna opnieuw koppelen", _retag)
    p.add_argument("--all", action="store_true", help="alle items, ook die al met deze versie getagd zijn")
    p.add_argument("--json", action="store_true")
    p = cli.command("watch show", "kijkprofiel van een incident tonen", _watch_show)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p = cli.command("watch set", "kijkprofiel wijzigen (lijsten met komma's; vervangt de lijst) en opnieuw koppelen",
                    _watch_set)
    p.add_argument("--incident", type=int, required=True)
    for key in _LISTS:
        hint = " ('brand*' = woordbegin)" if key == "terms" else ""
        p.add_argument(f"--{key}", help=f"{_DUTCH[key]}, gescheiden door komma's{hint}")
    p.add_argument("--from", dest="start", help="begin van de periode (ISO, lokale tijd)")
    p.add_argument("--until", dest="end", help="einde van de periode (ISO, lokale tijd; leeg = open)")
    p.add_argument("--author", default=getpass.getuser(), help="wie het vastlegt (standaard: gebruikersnaam)")
    p.add_argument("--json", action="store_true")
    p = cli.command("omgevingsbeeld", "omgevingsbeeld maken (Markdown op stdout, of --out .md/.docx)", _omgevingsbeeld)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--out", help="bestand .md of .docx")
    p.add_argument("--from", dest="start", help="begin van de periode (ISO, lokale tijd)")
    p.add_argument("--until", dest="end", help="einde van de periode (ISO, lokale tijd)")
    p.add_argument("--conclusions", help="Markdownbestand met de conclusies van de analist")
    p.add_argument("--save", action="store_true", help="als nieuwe versie bewaren")
    p.add_argument("--author", default=getpass.getuser(), help="wie het vastlegt (standaard: gebruikersnaam)")
    p.add_argument("--version", type=int, help="een bewaarde versie exporteren")
