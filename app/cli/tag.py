"""`onrust tag`: the tags of one text, for checking the lexicons by hand."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from analysis.jobs import settings_tagger
from app.cli.context import Cli, Context
from onrust.errors import UserError
from onrust.settings import Settings

if TYPE_CHECKING:  # spaCy loads with the tagger module: only commands that tag pay for it
    from analysis.tagging import Tagger


def tagger(settings: Settings) -> Tagger:
    """The tagger with the incident lexicons of the settings; a missing or broken lexicon is the
    user's to fix, so it is reported without a traceback."""
    try:
        return settings_tagger(settings)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def tag_text(ctx: Context) -> int:
    text = ctx.args.text
    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise UserError("Geef een tekst mee, of '-' om van standaardinvoer te lezen.")
    found = tagger(ctx.settings)
    tags = found.tag(text, extra_places=ctx.args.place or (), involved=ctx.args.involved or ())
    lines = [f"tagger {found.version}"]
    for t in tags:
        extra = "".join(
            f" {name}={value}" for name, value in (("waarde", t.value), ("bron", t.ref)) if value
        )
        shown = t.text if len(t.text) <= 60 else t.text[:57] + "..."
        lines.append(f"{t.tag_set:<9} {t.key:<26} {t.start:>5}-{t.end:<5} {t.score:.2f} {shown!r}{extra}")
    if not tags:
        lines.append("(geen tags)")
    ctx.emit({"tagger_version": found.version, "tags": [t._asdict() for t in tags]}, "\n".join(lines))
    return 0


def register(cli: Cli) -> None:
    p = cli.command("tag", "Tag een tekst: scenario, fase, emotie, actoren, plaatsen, personen ...", tag_text)
    p.add_argument("text", nargs="?", help="de tekst, of '-' voor standaardinvoer")
    p.add_argument("--place", action="append", help="wijk of buurt van het incident (herhaalbaar)")
    p.add_argument("--involved", action="append", help="naam van een betrokkene (herhaalbaar)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
