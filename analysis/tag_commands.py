"""CLI: `onrust tag`, `onrust eval tagging`, `onrust bench tag` (thin shells over analysis.*)."""

from __future__ import annotations

import sys
from pathlib import Path

from onrust.cli import Cli, Context
from onrust.errors import UserError


def _tagger(ctx: Context):
    from analysis.tagging import load_tagger

    extra = ctx.settings.tagging.extra_lexicon_dir
    dirs: tuple[Path, ...] = ()
    if extra:
        path = Path(extra).expanduser()
        if not path.is_dir():
            raise UserError(f"Map met extra lexicons bestaat niet: {path}")
        dirs = (path,)
    return load_tagger(dirs)


def tag_text(ctx: Context) -> int:
    text = ctx.args.text
    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise UserError("Geef een tekst mee, of '-' om van standaardinvoer te lezen.")
    tagger = _tagger(ctx)
    tags = tagger.tag(text, extra_places=ctx.args.place or (), involved=ctx.args.involved or ())
    lines = [f"tagger {tagger.version}"]
    for t in tags:
        extra = "".join(
            f" {name}={value}" for name, value in (("waarde", t.value), ("bron", t.ref)) if value
        )
        shown = t.text if len(t.text) <= 60 else t.text[:57] + "..."
        lines.append(f"{t.tag_set:<9} {t.key:<26} {t.start:>5}-{t.end:<5} {t.score:.2f} {shown!r}{extra}")
    if not tags:
        lines.append("(geen tags)")
    ctx.emit({"tagger_version": tagger.version, "tags": [t._asdict() for t in tags]}, "\n".join(lines))
    return 0


def eval_tagging(ctx: Context) -> int:
    from analysis.tag_eval import EVAL_FILE, NAMES_FILE, evaluate, evaluate_names, load_examples, macro

    path = Path(ctx.args.set) if ctx.args.set else EVAL_FILE
    if not path.exists():
        raise UserError(f"Gelabelde set niet gevonden: {path}")
    examples = load_examples(path)
    scores, mistakes = evaluate(_tagger(ctx), examples)
    p, r, f = macro(scores)
    lines = [f"{len(examples)} items uit {path.name}", f"{'tag set':<10} {'P':>5} {'R':>5} {'F1':>5}  tp/fp/fn"]
    for s in scores:
        lines.append(f"{s.tag_set:<10} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.tp}/{s.fp}/{s.fn}")
    lines.append(f"{'macro':<10} {p:5.2f} {r:5.2f} {f:5.2f}")
    names = evaluate_names() if NAMES_FILE.exists() else None
    if names is not None:
        lines.append(
            f"persoonsnamen ({NAMES_FILE.name}): recall {names.recall:.3f} exact, "
            f"{names.overlap_recall:.3f} met overlap, {names.names} namen, {names.extra_spans} extra spans"
        )
    if ctx.args.errors:
        for m in mistakes:
            lines.append(f"- {m.text}\n    mist: {sorted(m.missing)}\n    extra: {sorted(m.extra)}")
    data = {
        "items": len(examples),
        "tag_sets": {s.tag_set: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                 "tp": s.tp, "fp": s.fp, "fn": s.fn} for s in scores},
        "macro": {"precision": p, "recall": r, "f1": f},
    }
    if names is not None:
        data["person_names"] = {"names": names.names, "recall": names.recall,
                                "overlap_recall": names.overlap_recall, "extra_spans": names.extra_spans}
    ctx.emit(data, "\n".join(lines))
    return 0


def bench_tag(ctx: Context) -> int:
    from analysis.tag_bench import run_bench

    if ctx.args.items < 1:
        raise UserError("--items moet minstens 1 zijn")
    tagger = _tagger(ctx)
    result = run_bench(tagger, ctx.args.items, ctx.settings.tagging.batch_size)
    text = (
        f"{result.items} items ({result.words / result.items:.0f} woorden per item), één core: "
        f"{result.items_per_second:,.0f} items/s, {result.words_per_second:,.0f} woorden/s "
        f"(beste van {result.runs}: {result.seconds:.2f} s CPU, {result.wall_seconds:.2f} s wandklok; "
        f"mediaan {result.items / result.median_seconds:,.0f} items/s), "
        f"{result.tags / result.items:.1f} tags per item (tagger {tagger.version})"
    )
    ctx.emit(
        {"items": result.items, "runs": result.runs, "cpu_seconds": result.seconds,
         "median_cpu_seconds": result.median_seconds, "wall_seconds": result.wall_seconds,
         "items_per_second": result.items_per_second,
         "words_per_second": result.words_per_second, "tags": result.tags, "tagger_version": tagger.version},
        text,
    )
    return 0


def register(cli: Cli) -> None:
    p = cli.command("tag", "Tag een tekst: scenario, fase, emotie, actoren, plaatsen, personen ...", tag_text)
    p.add_argument("text", nargs="?", help="de tekst, of '-' voor standaardinvoer")
    p.add_argument("--place", action="append", help="wijk of buurt van het incident (herhaalbaar)")
    p.add_argument("--involved", action="append", help="naam van een betrokkene (herhaalbaar)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("eval tagging", "Precisie/recall per tag set op de gelabelde set", eval_tagging)
    p.add_argument("--set", help="ander TSV-bestand met gelabelde items")
    p.add_argument("--errors", action="store_true", help="toon items met missende of extra labels")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("bench tag", "Snelheid van tag_many op gegenereerde items (~80 woorden)", bench_tag)
    p.add_argument("--items", type=int, default=2000, help="aantal items (standaard 2000)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
