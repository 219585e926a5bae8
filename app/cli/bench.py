"""`onrust bench ingest|omgevingsbeeld|temperature|tag`: speed figures printed, never timed in tests."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import Cli, Context
from app.cli.tag import tagger
from devtools import bench_ingest, bench_temperature
from onrust.errors import UserError


def _bench_ingest(ctx: Context) -> int:
    bench = bench_ingest.run_bench(ctx.args.items, per_feed=ctx.args.per_feed, settings=ctx.settings)
    result = bench.as_dict()
    ctx.emit(result, "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


def _bench_omgevingsbeeld(ctx: Context) -> int:
    from devtools import bench_omgevingsbeeld  # loads spaCy: only this bench pays for it

    if ctx.args.items < 1:
        raise UserError("--items moet minstens 1 zijn.")
    result = bench_omgevingsbeeld.run_bench(ctx.args.items, ctx.settings).as_dict()
    width = max(len(k) for k in result)
    ctx.emit(result, "\n".join(f"{k.ljust(width)}  {v}" for k, v in result.items()))
    return 0


def _bench_temperature(ctx: Context) -> int:
    cfg = ctx.settings.temperature
    r = bench_temperature.run_bench(cfg, ctx.args.items, ctx.args.days, ctx.args.batch, ctx.args.repeat)
    text = (f"Temperatuurreeks {r.days} dagen ({r.points} punten) over "
            f"{r.items:_} items: {r.full_ms} ms (CPU {r.full_cpu_ms} ms; doel <= 200)\n".replace("_", ".")
            + f"Bijwerken na een nieuwe batch van {r.batch} items: {r.incremental_ms} ms "
            f"(CPU {r.incremental_cpu_ms} ms; doel <= 50)\n"
            f"(mediaan van {ctx.args.repeat}; rekenwerk in het geheugen op de frames zoals de "
            "store ze levert, zonder het laden uit DuckDB; CPU-tijd telt andere processen niet mee)")
    ctx.emit(r.as_dict(), text)
    return 0


def _render_page(page: str) -> None:
    """An AppTest script: the real shell opened on one page (AppTest runs this function's source)."""
    from dashboard.main import main

    main(default_page=page)


def _bench_dashboard(ctx: Context) -> int:
    from dashboard.main import PAGES
    from devtools.bench_dashboard import DashboardBench, run_bench  # Streamlit's AppTest: only here

    if ctx.args.items < 1 or ctx.args.days < 1:
        raise UserError("--items en --days moeten minstens 1 zijn.")
    r = run_bench(ctx.settings, Path(ctx.args.file), ctx.args.items, ctx.args.days, rebuild=ctx.args.rebuild,
                  pages=[(file, title) for file, title, _ in PAGES], render=_render_page)
    built = f"gebouwd in {r.build_seconds} s" if r.build_seconds else "hergebruikt (--rebuild bouwt opnieuw)"
    size = f"{r.items:_}".replace("_", ".")
    page_target, series_target = DashboardBench.TARGET_PAGE_MS, DashboardBench.TARGET_SERIES_MS
    lines = [f"Database {ctx.args.file}: {size} items over {r.days} dagen, {r.database_mb} MB, {built}",
             f"Belasting van de machine (1 min): {r.load[0]} voor, {r.load[1]} na de pagina's (2 cores: boven 2 "
             "rekenen andere processen mee in de wandkloktijd; CPU = dit proces)",
             f"Temperatuurreeks incl. laden uit DuckDB: {r.series_ms} ms (CPU {r.series_cpu_ms} ms); "
             f"doel <= {series_target} ms " + ("gehaald" if r.series_meets else "NIET gehaald"),
             f"  (uit de items zelf, zolang de opgeslagen bins verouderd zijn: {r.series_items_ms} ms, "
             f"CPU {r.series_items_cpu_ms} ms)",
             f"Pagina's (AppTest, hele shell; doel <= {page_target} ms, eerste en volgende weergave):"]
    width = max(len(p.page) for p in r.pages)
    for p in r.pages:
        verdict = "doel gehaald" if p.meets(page_target) else "doel NIET gehaald"
        lines.append(f"  {p.page.ljust(width)}  eerste {p.first_ms:>6.0f} ms (CPU {p.first_cpu_ms:>5.0f})"
                     f"  daarna {p.warm_ms:>6.0f} ms (CPU {p.warm_cpu_ms:>5.0f})  {verdict}"
                     + (f"  FOUT: {p.error}" if p.error else ""))
    ctx.emit(r.as_dict(), "\n".join(lines))
    return 0


def _bench_share(ctx: Context) -> int:
    from devtools.bench_share import run_bench

    a = ctx.args
    if a.items < 1 or a.days < 1 or a.batch < 1:
        raise UserError("--items, --days en --batch moeten minstens 1 zijn.")
    r = run_bench(ctx.settings, Path(a.folder), a.items, a.days, a.batch)
    size = f"{r.items:_}".replace("_", ".")
    text = "\n".join([
        f"Database: {size} items over {r.days} dagen, {r.database_mb} MB; momentopname {r.snapshot_mb} MB",
        f"Eerste publicatie (alles): {r.full_publish_s} s, {r.full_partitions} partities",
        f"Na een batch van {r.batch} nieuwe items: {r.batch_publish_s} s, {r.batch_partitions_written} "
        f"partities geschreven, {r.batch_partitions_linked} overgenomen (harde links)",
        f"Zonder wijziging: {r.unchanged_publish_s} s (geen nieuwe momentopname)",
        f"Lezer: openen {r.reader_open_ms} ms, naar nieuwe momentopname {r.reader_refresh_ms} ms",
        f"Temperatuurreeks incl. laden: uit DuckDB {r.series_duckdb_ms} ms, uit Parquet {r.series_parquet_ms} ms",
    ])
    ctx.emit(r.as_dict(), text)
    return 0


def _bench_tag(ctx: Context) -> int:
    from devtools.bench_tag import run_bench  # loads spaCy: only this bench pays for it

    if ctx.args.items < 1:
        raise UserError("--items moet minstens 1 zijn")
    found = tagger(ctx.settings)
    result = run_bench(found, ctx.args.items, ctx.settings.tagging.batch_size)
    text = (
        f"{result.items} items ({result.words / result.items:.0f} woorden per item), één core: "
        f"{result.items_per_second:,.0f} items/s, {result.words_per_second:,.0f} woorden/s "
        f"(beste van {result.runs}: {result.seconds:.2f} s CPU, {result.wall_seconds:.2f} s wandklok; "
        f"mediaan {result.items / result.median_seconds:,.0f} items/s), "
        f"{result.tags / result.items:.1f} tags per item (tagger {found.version})"
    )
    ctx.emit(
        {"items": result.items, "runs": result.runs, "cpu_seconds": result.seconds,
         "median_cpu_seconds": result.median_seconds, "wall_seconds": result.wall_seconds,
         "items_per_second": result.items_per_second,
         "words_per_second": result.words_per_second, "tags": result.tags, "tagger_version": found.version},
        text,
    )
    return 0


def register(cli: Cli) -> None:
    p = cli.command("bench ingest", "doorvoer meten: feedparser alleen vs. de hele ingest", _bench_ingest)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--per-feed", type=int, default=2000, help="items per feed (feeds onder de groottegrens)")
    p.add_argument("--json", action="store_true")
    p = cli.command("bench omgevingsbeeld", "taggen+koppelen, opnieuw koppelen en omgevingsbeeld bouwen "
                    "op N items", _bench_omgevingsbeeld)
    p.add_argument("--items", type=int, default=2000)
    p.add_argument("--json", action="store_true")
    p = cli.command("bench temperature", "Snelheid van de temperatuurreeks", _bench_temperature)
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--batch", type=int, default=500, help="items in de incrementele batch")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("bench dashboard", "elke pagina van begin tot eind uit een database van 1 miljoen items",
                    _bench_dashboard)
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--file", default="var/bench/dashboard.duckdb", help="benchmarkdatabase (wordt hergebruikt)")
    p.add_argument("--rebuild", action="store_true", help="de benchmarkdatabase opnieuw bouwen")
    p.add_argument("--json", action="store_true")
    p = cli.command("bench share", "publiceren naar en lezen uit de gedeelde map (Parquet) meten", _bench_share)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--batch", type=int, default=500, help="nieuwe items tussen twee publicaties")
    p.add_argument("--folder", default="var/bench/share", help="map voor database en momentopnamen (wordt gewist)")
    p.add_argument("--json", action="store_true")
    p = cli.command("bench tag", "Snelheid van tag_many op gegenereerde items (~80 woorden)", _bench_tag)
    p.add_argument("--items", type=int, default=2000, help="aantal items (standaard 2000)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
