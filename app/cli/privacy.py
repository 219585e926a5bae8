"""`onrust key init`, `onrust purge` and `onrust audit export`: privacy by design (issue 11)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from app.cli.context import Cli, Context, time_arg, write_output
from onrust.crypto import KEY_ENV, init_key
from onrust.errors import UserError
from onrust.store.audit import audit_csv
from onrust.timeutil import fmt_local, utcnow

# Dutch labels of the purge counts, in the order they are reported.
PURGE_LABELS = {
    "items": "berichten", "item_incidents": "koppelingen bericht-incident", "item_tags": "tags",
    "item_tag_state": "tagstatus", "item_revisions": "berichtversies", "link_state": "koppelstatus",
    "signals": "signalen", "signal_revisions": "signaalwijzigingen",
    "signal_routing": "doorgeleid aan driehoek", "signal_notices": "meldingen over signalen",
    "names": "geregistreerde namen",
    "profile_names": "volgprofielen met namen",
}


def _key_init(ctx: Context) -> int:
    path = init_key(Path(ctx.args.file) if ctx.args.file else ctx.settings.key_path)
    note = f" Let op: {KEY_ENV} is gezet en gaat voor dit bestand." if KEY_ENV in os.environ else ""
    ctx.emit({"key_file": str(path)},
             f"Sleutel geschreven naar {path} (alleen leesbaar voor u). Bewaar een kopie op een veilige "
             f"plek buiten de database: zonder sleutel zijn de namen van betrokkenen onleesbaar.{note}")
    return 0


def _purge(ctx: Context) -> int:
    cutoff = ctx.settings.privacy.retention_cutoff(utcnow())
    with ctx.open_store() as store:
        counts = store.purge(cutoff, dry_run=ctx.args.dry_run, actor=ctx.args.by)
    verb = "zou verwijderen" if ctx.args.dry_run else "verwijderd"
    lines = [f"Bewaartermijn {ctx.settings.privacy.retention_days} dagen: alles van voor {fmt_local(cutoff)} "
             f"({'proef, er is niets gewist' if ctx.args.dry_run else 'gewist en vastgelegd in het auditspoor'})."]
    lines += [f"  {PURGE_LABELS[k]:<30} {counts[k]:>8} {verb}" for k in PURGE_LABELS]
    ctx.emit({"cutoff": cutoff.isoformat(), "dry_run": ctx.args.dry_run, "counts": counts}, "\n".join(lines))
    return 0


def _audit_export(ctx: Context) -> int:
    out = Path(ctx.args.out)
    if out.suffix.lower() != ".csv":
        raise UserError(f"Kies een .csv-bestand, niet '{out.name}'.")
    with ctx.open_store(reads_only=True) as store:
        frame = store.audit_log(table=ctx.args.table, actor=ctx.args.actor,
                                start=time_arg(ctx.args.since), end=time_arg(ctx.args.until))
    write_output(out, audit_csv(frame))
    ctx.emit({"path": str(out), "rows": len(frame)}, f"{len(frame)} auditregels geschreven naar {out}.")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("key init", "sleutel voor de namen van betrokkenen aanmaken (bestand, 0600)", _key_init)
    p.add_argument("--file", help="sleutelbestand (standaard privacy.key_file uit de instellingen)")
    p.add_argument("--json", action="store_true")
    p = cli.command("purge", "verwijderen wat de bewaartermijn voorbij is (privacy.retention_days)", _purge)
    p.add_argument("--dry-run", action="store_true", help="alleen tellen wat zou verdwijnen")
    by = getpass.getuser()
    p.add_argument("--by", default=by, help=f"wie de opschoning uitvoert (standaard {by})")
    p.add_argument("--json", action="store_true")
    p = cli.command("audit export", "het auditspoor als CSV (veilig in Excel)", _audit_export)
    p.add_argument("--out", required=True, help="FILE.csv")
    p.add_argument("--table", help="alleen deze tabel (bijv. signals, incidents)")
    p.add_argument("--actor", help="alleen deze persoon")
    p.add_argument("--since", help="vanaf (bijv. '14-11-2026 20:00')")
    p.add_argument("--until", help="tot")
    p.add_argument("--json", action="store_true")
