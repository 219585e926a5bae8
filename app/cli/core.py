"""Core commands: init, serve, demo, export."""

from __future__ import annotations

import os
from pathlib import Path

from app.cli.context import Cli, Context, cannot_write


def _init(ctx: Context) -> int:
    store = ctx.open_store()  # open_store migrates
    try:
        ctx.emit(
            {"db": str(store.path), "schema_version": store.schema_version()},
            f"Database {store.path} is klaar (schemaversie {store.schema_version()}).",
        )
    finally:
        store.close()
    return 0


def _serve(ctx: Context) -> int:
    from app.server import serve
    from onrust.store.shared import shared_lake, shared_store

    settings = ctx.settings
    db = ctx.db_path()
    host = ctx.args.host or settings.server.host
    port = ctx.args.port or settings.server.port
    if settings.scale.mode == "read":  # a dashboard instance: no database, no collection (docs/scale.md)
        shared_lake(settings.shared_path)  # refuse now, clearly, when nothing was published yet
        print(f"Onrustmonitor (alleen-lezen) op http://{host}:{port} "
              f"(momentopnamen uit {settings.shared_path}, PID {os.getpid()})")
        serve(db, settings, host=host, port=port, collect=False, purge=False)
        return 0
    shared_store(db)  # take the lock now so a second server fails with a clear message
    print(f"Onrustmonitor op http://{host}:{port} (database {db}, PID {os.getpid()})")
    serve(db, settings, host=host, port=port, collect=not ctx.args.no_collect)
    return 0


def _demo(ctx: Context) -> int:
    from app.demo.build import build_demo

    settings = ctx.settings
    db = Path(ctx.args.db) if ctx.args.db else _demo_path(settings)
    summary = build_demo(db, settings)
    ctx.emit(summary, "Demodatabase gebouwd: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    if ctx.args.build_only:
        return 0
    from app.demo.build import demo_key, own_demo_key
    from app.demo.live import live_settings, start_live
    from app.server import serve
    from onrust.crypto import KEY_ENV
    from onrust.store.shared import shared_store

    store = shared_store(db)
    if own := own_demo_key(db, settings):  # the pages read the demo's names with the demo's key
        os.environ[KEY_ENV] = own.read_text(encoding="ascii").strip()
    store.use_name_key(demo_key(db, settings))  # the live incident registers the same people
    pace = ctx.args.seconds_per_hour or settings.demo.replay_seconds_per_hour
    settings = live_settings(settings)
    replay = start_live(store, settings, seconds_per_hour=pace)
    port = ctx.args.port or settings.server.port
    host = settings.server.host
    print(f"Demo (fictief incident) op http://{host}:{port}; live-replay: {pace:g} s per incidentuur, "
          f"klaar na {(replay.clock.wall_end - replay.clock.wall_start).total_seconds() / 60:.0f} minuten")
    # No purge: the demo's fictional dates would age past the retention period and empty it.
    serve(db, settings, host=host, port=port, collect=True, purge=False, companions=[replay.run])
    return 0


def _pace(value: str) -> float:
    """The replay pace within the range the settings allow (demo.replay_seconds_per_hour)."""
    import argparse

    from onrust.settings import RULES

    try:
        pace = float(value.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen getal: {value!r}") from None
    if (problem := RULES["demo.replay_seconds_per_hour"](pace)) is not None:
        raise argparse.ArgumentTypeError(problem)
    return pace


def _demo_path(settings) -> Path:
    from onrust.paths import ROOT

    path = Path(settings.demo.db_path).expanduser()
    return path if path.is_absolute() else ROOT / path


def _export(ctx: Context) -> int:
    store = ctx.open_store(reads_only=True)
    try:
        written = store.export_tables(Path(ctx.args.out))
    except OSError as exc:
        raise cannot_write(ctx.args.out, exc) from exc
    finally:
        store.close()
    ctx.emit([str(p) for p in written], f"{len(written)} bestanden geschreven naar {ctx.args.out}")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("init", "database aanmaken of bijwerken (migraties)", _init)
    p.add_argument("--json", action="store_true")
    p = cli.command("serve", "dashboard en collectie starten (eigenaar van de database)", _serve)
    p.add_argument("--host", help="adres (standaard uit instellingen: 127.0.0.1)")
    p.add_argument("--port", type=int, help="poort (standaard 8501)")
    p.add_argument("--no-collect", action="store_true", help="geen geplande collectie")
    p = cli.command("demo", "demodatabase (fictief incident) bouwen en serveren", _demo)
    p.add_argument("--port", type=int)
    p.add_argument("--build-only", action="store_true", help="alleen bouwen, niet serveren")
    p.add_argument("--seconds-per-hour", type=_pace, metavar="S",
                   help="tempo van de live-replay: seconden per incidentuur (standaard uit instellingen: 10)")
    p.add_argument("--json", action="store_true")
    p = cli.command("export", "alle tabellen als Parquet en CSV", _export)
    p.add_argument("--out", required=True, help="doelmap")
    p.add_argument("--json", action="store_true")
