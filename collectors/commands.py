"""CLI: ingest feed files."""

from __future__ import annotations

from pathlib import Path

from collectors.ingest import ingest_file
from onrust.cli import Cli, Context
from onrust.errors import UserError
from onrust.pipeline import after_ingest


def _ingest(ctx: Context) -> int:
    store = ctx.open_store()
    try:
        reports = []
        for target in ctx.args.paths:
            path = Path(target)
            if not path.is_file():
                raise UserError(f"Bestand niet gevonden: {target}")
            name = ctx.args.source or path.stem
            source_id = store.add_source(name, kind="file", url=None, reach=ctx.args.reach)
            source = next(s for s in store.sources() if s.id == source_id)
            reports.append(ingest_file(store, path, source, backfill=ctx.args.backfill))
        if any(r.new or r.updated for r in reports):
            after_ingest(store, ctx.settings)
    finally:
        store.close()
    lines = [
        f"{r.source}: {r.new} nieuw, {r.updated} bijgewerkt, {r.duplicates} dubbel"
        + (f", {len(r.warnings)} waarschuwingen" if r.warnings else "")
        + (f", FOUT: {r.error}" if r.error else "")
        for r in reports
    ]
    ctx.emit([r.__dict__ for r in reports], "\n".join(lines))
    return 0 if any(r.ok for r in reports) else 1


def register(cli: Cli) -> None:
    p = cli.command("ingest", "feedbestanden inlezen (RSS/Atom/RDF)", _ingest)
    p.add_argument("paths", nargs="+", metavar="PAD")
    p.add_argument("--source", help="bronnaam (standaard de bestandsnaam)")
    p.add_argument("--reach", default="regionaal", choices=["lokaal", "regionaal", "landelijk", "sociaal"])
    p.add_argument("--backfill", action="store_true",
                   help="archief: 'bekend sinds' = publicatietijd (voor terugkijken)")
    p.add_argument("--json", action="store_true")
