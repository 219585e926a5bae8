"""`onrust share publish|status`: the store as date-partitioned Parquet for other machines (docs/scale.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.cli.context import Cli, Context
from onrust.errors import UserError
from onrust.store.lake import LakeStore, current_snapshot, publish, read_manifest
from onrust.timeutil import fmt_local, utcnow


def _root(ctx: Context) -> Path:
    return Path(ctx.args.to) if ctx.args.to else ctx.settings.shared_path


def _publish(ctx: Context) -> int:
    if ctx.settings.scale.mode == "read" and not ctx.args.db:
        raise UserError("Deze machine leest de gedeelde map (scale.mode = \"read\"); publiceren doet de "
                        "collector, of geef de database met --db FILE.")
    store = ctx.open_store(reads_only=True)
    try:
        report = publish(store, _root(ctx), keep_seconds=ctx.settings.scale.keep_seconds)
    finally:
        store.close()
    if report.snapshot is None:
        text = f"Niets veranderd sinds de vorige publicatie in {_root(ctx)} ({report.seconds} s)."
    else:
        text = (f"Momentopname {report.snapshot} gepubliceerd in {_root(ctx)}: {report.tables} tabellen, "
                f"{report.rows} rijen, {report.partitions_written} partities geschreven, "
                f"{report.partitions_linked} ongewijzigd overgenomen, {report.bytes / 1e6:.1f} MB, "
                f"{report.seconds} s.")
    ctx.emit(report.as_dict(), text)
    return 0


def _status(ctx: Context) -> int:
    root = _root(ctx)
    name = current_snapshot(root)
    if name is None:
        raise UserError(f"In {root} is nog niets gepubliceerd.")
    manifest = read_manifest(root, name)
    lake = LakeStore.open_shared(root)  # proves a reader can open it, as a dashboard would
    try:
        rows = {table: int(lake.scalar(f'select count(*) from "{table}"')) for table in manifest["tables"]}
    finally:
        lake.close()
    published = datetime.fromisoformat(manifest["published_at"])
    age = (utcnow() - published).total_seconds()
    kept = sorted((p.name for p in (root / "snapshots").iterdir() if p.name.isdigit()), key=int)
    data = {"root": str(root), "snapshot": name, "published_at": manifest["published_at"], "age_seconds": age,
            "schema_version": manifest["schema_version"], "snapshots_kept": kept, "rows": rows}
    biggest = sorted(rows.items(), key=lambda kv: -kv[1])[:6]
    text = (f"{root}: momentopname {name} van {fmt_local(published)} "
            f"({age:.0f} s geleden), schemaversie {manifest['schema_version']}, "
            f"{len(kept)} bewaard; grootste tabellen: " + ", ".join(f"{t} {n}" for t, n in biggest))
    ctx.emit(data, text)
    return 0


def register(cli: Cli) -> None:
    p = cli.command("share publish", "de database publiceren als Parquet-momentopname in de gedeelde map",
                    _publish)
    p.add_argument("--to", help="gedeelde map (standaard scale.shared_dir)")
    p.add_argument("--json", action="store_true")
    p = cli.command("share status", "de nieuwste momentopname in de gedeelde map: tijd en rijen per tabel",
                    _status)
    p.add_argument("--to", help="gedeelde map (standaard scale.shared_dir)")
    p.add_argument("--json", action="store_true")
