"""CLI: ingest, collect, sources."""

from __future__ import annotations

import getpass
import signal
import sys
import threading
from functools import partial
from types import FrameType
from typing import Any

from app.cli.context import Cli, Context
from app.pipeline import after_ingest
from collectors.catalog import install_defaults, plan_source
from collectors.fetch import FetchError, check_url
from collectors.health import source_statuses
from collectors.ingest import FeedReport, ingest_targets, refusals
from collectors.kinds import KINDS
from collectors.probe import probe, probe_source
from collectors.run import collect_due, collect_once
from onrust.errors import UserError
from onrust.models import REACHES
from onrust.timeutil import fmt_local, utcnow


def _report_line(r: FeedReport) -> str:
    if r.not_modified:
        return f"{r.source}: ongewijzigd (304)"
    line = f"{r.source}: {r.new} nieuw, {r.updated} bijgewerkt, {r.duplicates} dubbel"
    if r.warnings:
        line += f", {len(r.warnings)} waarschuwing(en): " + "; ".join(r.warnings)
    if r.error:
        line += f", FOUT: {r.error}"
    return line


def _ingest(ctx: Context) -> int:
    refused = refusals(ctx.args.targets, ctx.settings)
    if len(refused) == len(ctx.args.targets):
        raise UserError("; ".join(refused.values()))
    store = ctx.open_store()
    try:
        reports = ingest_targets(store, ctx.args.targets, settings=ctx.settings, after_ingest=after_ingest,
                                 refused=refused, source_name=ctx.args.source, reach=ctx.args.reach,
                                 backfill=ctx.args.backfill)
    finally:
        store.close()
    ctx.emit([r.__dict__ for r in reports], "\n".join(_report_line(r) for r in reports))
    return 0 if any(r.ok for r in reports) else 1


def _collect(ctx: Context) -> int:
    settings = ctx.settings
    store = ctx.open_store()
    try:
        if ctx.args.once:
            reports = collect_once(store, settings, after_ingest=after_ingest, force=ctx.args.force)
            ctx.emit([r.__dict__ for r in reports],
                     "\n".join(_report_line(r) for r in reports) or "Geen bronnen aan de beurt.")
            return 0 if not reports or any(r.ok for r in reports) else 1
        print("Collectie loopt; stoppen met Ctrl-C.")
        stop = _stop_on_signals()
        while not stop.is_set():
            wait = collect_due(store, settings, after_ingest=after_ingest)
            stop.wait(max(1.0, wait))
        print("Collectie gestopt.", file=sys.stderr)
        return 0
    finally:
        store.close()


def _stop_on_signals() -> threading.Event:
    """Ctrl-C and SIGTERM end the loop once the running round is done. Raised as KeyboardInterrupt,
    Ctrl-C landed inside a DuckDB query, became a pipeline step's "Query interrupted" error, was
    logged like any failing step and the loop went on; a flag is never swallowed."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():  # asked twice: stop now, as Ctrl-C did before
            raise KeyboardInterrupt
        stop.set()
        print("Stoppen na de lopende ronde (nogmaals Ctrl-C: direct).", file=sys.stderr)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)
    return stop


def _sources_list(ctx: Context) -> int:
    settings = ctx.settings
    store = ctx.open_store(reads_only=True)
    try:
        overview = store.source_overview()
    finally:
        store.close()
    statuses = source_statuses(overview, utcnow(), settings.collect)
    text = "\n".join(
        f"{'aan' if r.enabled else 'uit'}  {r.name} [{r.kind}] {r.health.label}"
        f" · {r.items} items"
        + (f" · {r.item_errors} {'item' if r.item_errors == 1 else 'items'} met een fout"
           if r.item_errors else "")
        + f" · opgehaald {fmt_local(r.last_fetch_at)}"
        + (f" · {r.health.detail}" if r.health.detail else "")
        for r in statuses
    ) or "Geen bronnen. Laad de standaardlijst met `onrust sources defaults`."
    ctx.emit([r.as_dict() for r in statuses], text)
    return 0


def _sources_add(ctx: Context) -> int:
    a = ctx.args
    settings = ctx.settings
    try:
        target, url, config = plan_source(a.kind, a.url, a.terms, a.mapping,
                                         allow_accounts=ctx.settings.privacy.show_account_handles)
        check_url(target, settings)
    except (ValueError, FetchError) as exc:
        raise UserError(str(exc)) from exc
    if a.check:
        result = probe(target, a.kind, settings, config)
        if result.error:
            raise UserError(f"Testophalen mislukt: {result.error} (toevoegen zonder test: --no-check)")
    store = ctx.open_store()
    try:
        if store.source_by_name(a.name) is not None:
            raise UserError(f"Er is al een bron met de naam {a.name!r}.")
        sid = store.add_source(a.name, kind=a.kind, url=url, reach=a.reach,
                               publisher=a.publisher, enabled=not a.disabled, config=config or None,
                               actor=getpass.getuser())
    finally:
        store.close()
    ctx.emit({"id": sid, "name": a.name, "url": url, "config": config},
             f"Bron {a.name!r} toegevoegd ({'uit' if a.disabled else 'aan'}).")
    return 0


def _sources_check(ctx: Context) -> int:
    """Test-fetch sources without storing anything: does the address still give items?"""
    settings = ctx.settings
    store = ctx.open_store()
    try:
        sources = store.sources() if ctx.args.names else store.sources(enabled_only=True)
    finally:
        store.close()
    if ctx.args.names:
        sources = [s for s in sources if s.name in ctx.args.names]
        missing = set(ctx.args.names) - {s.name for s in sources}
        if missing:
            raise UserError(f"Onbekende bron(nen): {', '.join(sorted(missing))}")
    results: list[dict[str, Any]] = []
    for s in sources:
        if s.kind == "file":
            continue
        r = probe_source(s, settings)
        results.append({"name": s.name, "url": r.url, "error": r.error, "items": r.items,
                        "warnings": r.warnings, "title": r.title})
    text = "\n".join(
        f"{r['name']}: " + (f"FOUT: {r['error']}" if r["error"] else f"ok, {r['items']} items")
        + (f" ({'; '.join(r['warnings'])})" if r["warnings"] else "")
        for r in results
    ) or "Geen bronnen om te testen."
    ctx.emit(results, text)
    return 0 if all(not r["error"] for r in results) else 1


def _sources_toggle(ctx: Context, enabled: bool) -> int:
    store = ctx.open_store()
    try:
        for name in ctx.args.names:
            source = store.source_by_name(name)
            if source is None:
                raise UserError(f"Onbekende bron: {name}")
            store.set_source_enabled(source.id, enabled, actor=getpass.getuser())
    finally:
        store.close()
    ctx.emit(ctx.args.names, f"{len(ctx.args.names)} bron(nen) {'aan' if enabled else 'uit'}gezet.")
    return 0


def _sources_defaults(ctx: Context) -> int:
    store = ctx.open_store()
    try:
        added = install_defaults(store)
    finally:
        store.close()
    ctx.emit(added, f"{len(added)} standaardbronnen toegevoegd (uitgeschakeld); zet aan wat u nodig heeft"
                    " met `onrust sources enable NAAM`.")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("ingest", "feeds inlezen uit bestanden of http(s)-adressen", _ingest)
    p.add_argument("targets", nargs="+", metavar="PAD_OF_URL")
    p.add_argument("--source", help="bronnaam (standaard de bestandsnaam of host)")
    p.add_argument("--reach", default="regionaal", choices=list(REACHES))
    p.add_argument("--backfill", action="store_true",
                   help="archief: 'bekend sinds' = publicatietijd (voor terugkijken)")
    p.add_argument("--json", action="store_true")

    p = cli.command("collect", "bronnen ophalen die aan de beurt zijn (zonder --once: blijven lopen)", _collect)
    p.add_argument("--once", action="store_true", help="één ronde en stoppen")
    p.add_argument("--force", action="store_true", help="met --once: alle bronnen, ook als ze niet aan de beurt zijn")
    p.add_argument("--json", action="store_true")

    p = cli.command("sources list", "bronnen met gezondheid, laatste ophaal en fouten", _sources_list)
    p.add_argument("--json", action="store_true")
    p = cli.command("sources add", "bron toevoegen (adres wordt gecontroleerd en getest)", _sources_add)
    p.add_argument("name")
    p.add_argument("url", nargs="?")
    p.add_argument("--kind", default="rss", choices=list(KINDS))
    p.add_argument("--reach", default="regionaal", choices=list(REACHES))
    p.add_argument("--publisher", help="naam van de uitgever (standaard de bronnaam)")
    p.add_argument("--term", dest="terms", action="append", help="zoekterm (search/gdelt), herhaalbaar")
    p.add_argument("--mapping", help="json: veldkoppeling als JSON, of de naam van een standaardbron"
                                     " (standaard 'Politie nieuws')")
    p.add_argument("--disabled", action="store_true", help="toevoegen maar nog niet ophalen")
    p.add_argument("--no-check", dest="check", action="store_false", help="niet testophalen")
    p.add_argument("--json", action="store_true")
    p = cli.command("sources check", "bronnen testophalen zonder op te slaan", _sources_check)
    p.add_argument("names", nargs="*", metavar="NAAM")
    p.add_argument("--json", action="store_true")
    for verb, on in (("enable", True), ("disable", False)):
        p = cli.command(f"sources {verb}", f"bron(nen) {'aan' if on else 'uit'}zetten",
                        partial(_sources_toggle, enabled=on))
        p.add_argument("names", nargs="+", metavar="NAAM")
        p.add_argument("--json", action="store_true")
    p = cli.command("sources defaults", "standaardlijst Nederlandse bronnen laden (uitgeschakeld)", _sources_defaults)
    p.add_argument("--json", action="store_true")
