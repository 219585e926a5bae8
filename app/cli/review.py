"""`onrust review`: the after-action report of one incident as a self-contained HTML file (and PDF)."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import Cli, Context, write_output
from dashboard.review_html import html_to_pdf
from dashboard.review_report import build_report
from onrust.errors import UserError


def _writable(path: Path, what: str) -> Path:
    if path.is_dir():
        raise UserError(f"{what} {path} is een map; geef een bestandsnaam.")
    if not path.parent.is_dir():
        raise UserError(f"De map {path.parent} voor {what.lower()} bestaat niet.")
    return path


def _review(ctx: Context) -> int:
    out = _writable(Path(ctx.args.out), "Het HTML-bestand")
    pdf = _writable(Path(ctx.args.pdf), "Het PDF-bestand") if ctx.args.pdf else None
    with ctx.open_store(reads_only=True) as store:
        incident = store.incident(ctx.args.incident)
        if incident is None:
            raise UserError(f"Incident {ctx.args.incident} bestaat niet (`onrust incident list` toont ze).")
        document = build_report(store, incident, ctx.settings)
    write_output(out, document)
    if pdf is not None:
        html_to_pdf(document, pdf)
    written = [str(out)] + ([str(pdf)] if pdf else [])
    ctx.emit({"incident": incident.id, "files": written},
             f"Terugblik van incident {incident.id} geschreven: {', '.join(written)}")
    return 0


def register(cli: Cli) -> None:
    p = cli.command("review", "Terugblik op een incident: zelfstandig HTML-rapport (en PDF)", _review)
    p.add_argument("--incident", type=int, required=True, help="incident-id")
    p.add_argument("--out", required=True, help="HTML-bestand om te schrijven")
    p.add_argument("--pdf", help="ook een PDF schrijven (via headless Chromium)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
