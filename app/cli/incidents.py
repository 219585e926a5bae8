"""`onrust incident open|list|show|close|reopen`: the sidebar's incident form on the command line,
with the same rules (analysis.incidents) and the same logbook decisions on close and reopen."""

from __future__ import annotations

import getpass

from analysis.incidents import check_incident, close_incident, open_incident, reopen_incident, scenarios
from analysis.relevance import default_profile
from app.cli.context import Cli, Context, time_arg
from comms.tasks import record_triage, triage_outcomes, triage_problems
from onrust.errors import UserError
from onrust.models import Incident, TriageDecision, WatchProfile
from onrust.store import Store
from onrust.timeutil import fmt_local, utcnow


def _line(i: Incident) -> str:
    scenario = f" · {i.scenario}" if i.scenario else ""
    demo = " · fictief" if i.is_demo else ""
    return f"#{i.id:<4} {i.status:<8} {fmt_local(i.opened_at)}  {i.name} ({i.municipality}){scenario}{demo}"


def _profile(ctx: Context, store: Store, incident: Incident) -> WatchProfile:
    """The saved watch profile, or the default every new incident starts with."""
    return store.watch_profile(incident.id) or default_profile(
        incident.id, incident.municipality, incident.opened_at, incident.closed_at,
        lead_days=ctx.settings.relevance.lead_days)


def _details(incident: Incident, profile: WatchProfile,
             triage: TriageDecision | None) -> tuple[dict[str, object], str]:
    period = f"{fmt_local(profile.period_start)} t/m {fmt_local(profile.period_end)}"
    watch = {"revision": profile.revision, "places": list(profile.all_places), "terms": list(profile.terms),
             "period_start": profile.period_start.isoformat() if profile.period_start else None,
             "period_end": profile.period_end.isoformat() if profile.period_end else None}
    text = "\n".join([
        _line(incident),
        f"  geopend:    {fmt_local(incident.opened_at)}",
        f"  afgesloten: {fmt_local(incident.closed_at)}",
        f"  scenario:   {incident.scenario or '—'}",
        f"  triage:     {triage_outcomes()[triage.outcome].text if triage else '—'}",
        f"  volgprofiel: {'revisie ' + str(profile.revision) if profile.revision else 'standaard'}"
        f" · plaatsen {', '.join(profile.all_places) or '—'} · {period}",
    ])
    return {**incident.as_dict(), "watch_profile": watch, "triage": triage.outcome if triage else None}, text


def _show_after(ctx: Context, store: Store, incident: Incident, prefix: str) -> None:
    data, text = _details(incident, _profile(ctx, store, incident), store.triage(incident.id))
    ctx.emit(data, f"{prefix}\n{text}")


def _open(ctx: Context) -> int:
    """Opened, and with --triage the outcome of 003's triage as the incident's first decision;
    every bad field (the triage too) is named before anything is stored."""
    a = ctx.args
    opened_at = time_arg(a.opened) or utcnow()
    with ctx.open_store() as store:
        _, problems = check_incident(a.name, a.municipality, opened_at, scenario=a.scenario, now=utcnow(),
                                     known_municipalities=[i.municipality for i in store.incidents()])
        problems += triage_problems(a.triage, a.by)
        if problems:
            raise UserError("\n".join(problems))
        incident = open_incident(store, a.name, a.municipality, opened_at, scenario=a.scenario,
                                 description=a.description, now=utcnow())
        if a.triage:
            record_triage(store, incident.id, a.triage, a.by)
        done = " Triage vastgelegd (besluit in het logboek)." if a.triage else ""
        _show_after(ctx, store, incident, f"Incident #{incident.id} geopend.{done}")
    return 0


def _list(ctx: Context) -> int:
    with ctx.open_store(reads_only=True) as store:
        incidents = store.incidents()
    ctx.emit([i.as_dict() for i in incidents], "\n".join(map(_line, incidents)) or "Geen incidenten.")
    return 0


def _show(ctx: Context) -> int:
    with ctx.open_store(reads_only=True) as store:
        incident = store.incident(ctx.args.id)
        if incident is None:
            raise UserError(f"Incident {ctx.args.id} bestaat niet.")
        data, text = _details(incident, _profile(ctx, store, incident), store.triage(incident.id))
    ctx.emit(data, text)
    return 0


def _close(ctx: Context) -> int:
    closed_at = time_arg(ctx.args.at) or utcnow()
    with ctx.open_store() as store:
        incident = close_incident(store, ctx.args.id, closed_at, ctx.args.by, now=utcnow())
        _show_after(ctx, store, incident, f"Incident #{incident.id} afgesloten (besluit in het logboek).")
    return 0


def _reopen(ctx: Context) -> int:
    with ctx.open_store() as store:
        incident = reopen_incident(store, ctx.args.id, ctx.args.by)
        _show_after(ctx, store, incident, f"Incident #{incident.id} heropend (besluit in het logboek).")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("incident open", "Open een incident (zoals in de zijbalk van het dashboard)", _open)
    p.add_argument("--name", required=True, help="naam, bijv. 'Brand woonwijk De Hoven'")
    p.add_argument("--municipality", required=True, help="gemeente (lijst in data/places/municipalities.csv)")
    p.add_argument("--scenario", help="scenario uit 004 Bijlage 2: " + ", ".join(scenarios()))
    p.add_argument("--opened", help="begonnen op, bijv. '14-11-2026 21:05' of ISO (standaard: nu)")
    p.add_argument("--description", default="", help="korte omschrijving (feiten, geen namen van betrokkenen)")
    p.add_argument("--triage", help="uitkomst van de triage (003 Deel II): " + "; ".join(
                       f"{k} = {o.label}" for k, o in triage_outcomes().items()))
    p.add_argument("--by", default=getpass.getuser(), help="wie de triage deed (standaard: gebruikersnaam)")
    p.add_argument("--json", action="store_true")
    p = cli.command("incident list", "Alle incidenten, nieuwste eerst", _list)
    p.add_argument("--json", action="store_true")
    p = cli.command("incident show", "Eén incident met zijn volgprofiel", _show)
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    for name, help_text, func in (("close", "Sluit een incident af (besluit in het logboek)", _close),
                                  ("reopen", "Heropen een afgesloten incident (besluit in het logboek)", _reopen)):
        p = cli.command(f"incident {name}", help_text, func)
        p.add_argument("id", type=int)
        p.add_argument("--by", default=getpass.getuser(), help="wie het besluit neemt (standaard: gebruikersnaam)")
        if name == "close":
            p.add_argument("--at", help="afgesloten op (standaard: nu)")
        p.add_argument("--json", action="store_true")
