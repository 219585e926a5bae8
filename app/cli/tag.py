"""`onrust tag`: the tags of one text, for checking the lexicons by hand, or of a file of texts
(`--jsonl`), one JSON result per line."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO, cast

from analysis.batch import result_line, tag_lines
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


@contextlib.contextmanager
def _opened(name: str, mode: str, standard: TextIO) -> Iterator[TextIO]:
    """A named file, or the standard stream for '-'; bytes that are not UTF-8 are replaced
    (U+FFFD) on reading, so one such line never stops the file."""
    if name == "-":
        yield standard
        return
    try:
        # A text mode ("r"/"w") given as a variable: open() can't tell mypy the result is text.
        fh = cast(TextIO, open(name, mode, encoding="utf-8", errors="replace" if mode == "r" else "strict"))
    except FileNotFoundError as exc:
        raise UserError(f"Bestand niet gevonden: {name}") from exc
    with fh:
        yield fh


def tag_jsonl(ctx: Context) -> int:
    args = ctx.args
    found = tagger(ctx.settings)
    done = failed = 0
    with _opened(args.jsonl, "r", sys.stdin) as lines, _opened(args.out or "-", "w", sys.stdout) as out:
        for result in tag_lines(found, lines, batch_size=ctx.settings.tagging.batch_size,
                                extra_places=args.place or (), involved=args.involved or ()):
            out.write(result_line(result) + "\n")
            done += 1
            failed += result["error"] is not None
    print(f"{done} regels getagd, {failed} met een fout (tagger {found.version})", file=sys.stderr)
    return 0


def tag_text(ctx: Context) -> int:
    if ctx.args.jsonl is not None:
        if ctx.args.text is not None:
            raise UserError("Geef een tekst of --jsonl BESTAND, niet allebei.")
        return tag_jsonl(ctx)
    if ctx.args.out is not None:
        raise UserError("--out hoort bij --jsonl.")
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
    p.add_argument("--jsonl", metavar="BESTAND",
                   help="tag elke regel: een JSON-tekst of {\"text\": ..., \"id\": ...}"
                        " ('-' = standaardinvoer); één JSON-resultaat per regel")
    p.add_argument("--out", metavar="BESTAND",
                   help="met --jsonl: resultaten naar dit bestand (standaard: standaarduitvoer)")
