"""`onrust eval temperature|tagging`: quality figures of the indicator and the tagger.

Named `evaluation` rather than `eval` so the module never shadows the builtin where it is imported.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from app.cli.context import Cli, Context, write_output
from app.cli.tag import tagger
from devtools.eval_temperature import IncidentEvaluation, ScenarioEvaluation, evaluate_incident, evaluate_scenarios
from onrust.errors import UserError
from onrust.timeutil import fmt_local

if TYPE_CHECKING:
    from devtools.eval_tagging import Mistake, Score


def _scenario_lines(r: ScenarioEvaluation) -> list[str]:
    lines = [f"\n{r.title} [{r.name}]"]
    hours = r.hours_to_phase3
    if not r.has_marker:
        lines.append("  eerste escalatiekenmerk -> fase >= 3: geen kenmerk in dit scenario")
    else:
        reached = [h for h in hours if h is not None]
        lines.append("  eerste escalatiekenmerk -> fase >= 3: "
                     + (f"mediaan {statistics.median(reached):.1f} uur, hoogste {max(reached):.1f} uur"
                        if reached else "niet bereikt")
                     + (f" ({len(hours) - len(reached)} keer niet bereikt)"
                        if len(reached) < len(hours) else ""))
    lines.append(f"  valse episodes fase >= 3: {r.false_episodes} in {r.background_days:.0f} dagen zonder "
                 f"incident ({r.false_per_background_month:.2f} per maand)")
    for check in r.checkpoints:
        measured = check.measured
        counts = ", ".join(f"{v} x{measured.count(v)}" for v in sorted(set(measured)))
        lines.append(f"  {check.label:<28} verwacht {check.expected:<14} gemeten {counts}")
    return lines


def _incident_lines(r: IncidentEvaluation) -> list[str]:
    lines = [f"\nIncident in de database: {r.name} [#{r.incident}]"]
    if r.first_marker is None:
        lines.append("  geen escalatiekenmerk gevonden")
    else:
        lines.append(f"  eerste escalatiekenmerk {fmt_local(pd.Timestamp(r.first_marker))} -> fase >= 3: "
                     + ("niet bereikt" if r.hours_to_phase3 is None else f"{r.hours_to_phase3:.1f} uur"))
    if r.hours_compared:
        lines.append(f"  indicator gelijk aan officiële fase in {r.same_phase:.0f} van "
                     f"{r.hours_compared:.0f} uur; hoogstens één fase verschil in "
                     f"{r.within_one_phase:.0f} uur")
    events = sorted([(at, "indicator", p, why) for at, p, why in r.indicator_changes]
                    + [(at, "officieel", p, why) for at, p, why in r.official_phases])
    for at, who, phase, why in events:
        lines.append(f"  {fmt_local(pd.Timestamp(at))}  {who:<9} fase {phase}: {why[:90]}")
    return lines


def _background_lines(ctx: Context, path: Path, results: list[dict]) -> list[str]:
    from devtools.eval_background import evaluate_background, load_background  # loads spaCy

    report = evaluate_background(tagger(ctx.settings), load_background(path), ctx.settings.temperature)
    results.append({"background": report.as_dict()})
    hours = ", ".join(f"fase {p}: {h:.0f} uur" for p, h in report.hours_by_phase.items())
    return ["", f"Echt achtergrondnieuws ({path.name}): {report.items} items over {report.days:.0f} dagen, "
                f"{report.markers} met een fase- of dynamiekkenmerk, alle als relevant geteld",
            f"  hoogste fase {report.highest_phase}; {hours}; valse episodes fase >= 3: {report.false_episodes}"]


def _background_path(ctx: Context) -> Path | None:
    """--background, else the month `onrust eval corpus` wrote (when this machine has it)."""
    from devtools.eval_background import DEFAULT_BACKGROUND

    if ctx.args.background:
        path = Path(ctx.args.background)
        if not path.exists():
            raise UserError(f"Bestand met achtergrondnieuws niet gevonden: {path}")
        return path
    return DEFAULT_BACKGROUND if DEFAULT_BACKGROUND.exists() and not ctx.args.no_background else None


def _eval_temperature(ctx: Context) -> int:
    cfg = ctx.settings.temperature
    lines = [f"Detectie per scenario over {ctx.args.seeds} trekkingen (drempels uit data/onrust.toml, "
             "niet op deze scripts afgesteld)"]
    scenarios = evaluate_scenarios(cfg, ctx.args.seeds)
    results = [r.as_dict() for r in scenarios]
    for scenario in scenarios:
        lines.extend(_scenario_lines(scenario))
    if ctx.args.incidents:
        with ctx.open_store() as store:
            for incident in store.incidents():
                report = evaluate_incident(store, incident, cfg)
                results.append(report.as_dict())
                lines.extend(_incident_lines(report))
    background = _background_path(ctx)
    if background is not None:
        lines.extend(_background_lines(ctx, background, results))
    ctx.emit(results, "\n".join(lines))
    return 0


def _score_lines(scores: Sequence[Score], macro: tuple[float, float, float]) -> list[str]:
    lines = [f"{'tag set':<10} {'P':>5} {'R':>5} {'F1':>5}  tp/fp/fn"]
    for s in scores:
        lines.append(f"{s.tag_set:<10} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.tp}/{s.fp}/{s.fn}")
    p, r, f = macro
    lines.append(f"{'macro':<10} {p:5.2f} {r:5.2f} {f:5.2f}")
    return lines


def _mistake_lines(mistakes: Sequence[Mistake], width: int | None = None) -> list[str]:
    return [f"- {m.text[:width]}\n    mist: {sorted(m.missing)}\n    extra: {sorted(m.extra)}" for m in mistakes]


def _eval_real(ctx: Context) -> int:
    from devtools.eval_real import corpus_path, evaluate_real  # loads spaCy

    corpus = corpus_path(ctx.args.corpus)
    if not corpus.exists():
        raise UserError(
            f"Corpus met de echte nieuwsteksten niet gevonden: {corpus} (zie data/eval/README.md; "
            "de teksten staan niet in de repository)"
        )
    result = evaluate_real(tagger(ctx.settings), corpus)
    lines = [f"Echt nieuws ({corpus}); {result.missing} gelabelde items niet in dit corpus"]
    for split in result.splits:
        lines += ["", f"{split.split}: {split.items} items", *_score_lines(split.scores, split.macro)]
        if ctx.args.errors:
            lines += _mistake_lines(split.mistakes, width=200)
    ctx.emit(result.as_dict(), "\n".join(lines))
    return 0


def _eval_tagging(ctx: Context) -> int:
    if ctx.args.real:
        return _eval_real(ctx)
    from devtools.eval_tagging import EVAL_FILE, NAMES_FILE, evaluate_set  # loads spaCy

    path = Path(ctx.args.set) if ctx.args.set else EVAL_FILE
    if not path.exists():
        raise UserError(f"Gelabelde set niet gevonden: {path}")
    result = evaluate_set(tagger(ctx.settings), path)
    lines = [f"{result.items} items uit {path.name}", *_score_lines(result.scores, result.macro)]
    names = result.names
    if names is not None:
        lines.append(
            f"persoonsnamen ({NAMES_FILE.name}): recall {names.recall:.3f} exact, "
            f"{names.overlap_recall:.3f} met overlap, {names.names} namen, {names.extra_spans} extra spans"
        )
    if ctx.args.errors:
        lines += _mistake_lines(result.mistakes)
    ctx.emit(result.as_dict(), "\n".join(lines))
    return 0


def _pr(counts: tuple[int, int, int]) -> str:
    tp, fp, fn = counts
    return f"{tp / max(1, tp + fp):.2f}/{tp / max(1, tp + fn):.2f}"


def _eval_train(ctx: Context) -> int:
    from analysis.tagging import build_tagger  # loads spaCy
    from devtools.eval_real import corpus_path, load_real
    from devtools.train_tags import train, write_model

    corpus = corpus_path(ctx.args.corpus)
    if not corpus.exists():
        raise UserError(f"Corpus met de echte nieuwsteksten niet gevonden: {corpus} (zie data/eval/README.md)")
    loaded = load_real(corpus)
    if loaded.missing and not ctx.args.missing_ok:
        raise UserError(f"{loaded.missing} gelabelde items ontbreken in {corpus} of wijken af: het model zou "
                        "op een andere set getraind worden dan de gelabelde. Het openbare archief mist er "
                        "125 (data/eval/README.md); trainen op de gevonden items: --missing-ok.")
    dev = sum(e.split == "dev" for e in loaded.examples)
    if not dev:
        raise UserError(f"Geen enkel dev-item van de gelabelde set staat in {corpus}: niets om op te trainen.")
    data, reports = train(build_tagger(judged=False), loaded.examples)
    if loaded.missing:  # the file says on which set it was trained
        data["trained_on"] += f" ({loaded.missing} labelled items were not in the corpus)"
    out = Path(ctx.args.out) if ctx.args.out else None
    size = write_model(data, out) if out else write_model(data)
    lines = [f"Model op {data['trained_on']}: {len(data['labels'])} labels, {len(data['features'])} kenmerken, "
             f"{size:,} bytes", f"{'label':<38} {'n':>4} keep  add   regels P/R   met model P/R (5-voudig, dev)"]
    for r in reports:
        add = "nooit" if r.add > 1 else f"{r.add:.2f}"
        lines.append(f"{r.label:<38} {r.positives:>4} {r.keep:.2f} {add:>5}  {_pr(r.rules)}    {_pr(r.judged)}")
    families: dict[str, list[tuple[int, int, int]]] = {}
    for r in reports:
        families.setdefault(r.label.split(":")[0], []).extend([r.rules, r.judged])
    lines.append("per tag set (labels hierboven):")
    for family, counts in families.items():
        rules, judged = (tuple(sum(c[k] for c in counts[start::2]) for k in range(3)) for start in (0, 1))
        lines.append(f"  {family:<10} regels {_pr(rules)}  met model {_pr(judged)}")  # type: ignore[arg-type]
    ctx.emit({"labels": [r.label for r in reports], "bytes": size}, "\n".join(lines))
    return 0


def _eval_corpus(ctx: Context) -> int:
    from devtools.build_eval_corpus import build, jsonl, load_labels, unrest_ids
    from devtools.eval_background import DEFAULT_BACKGROUND
    from devtools.eval_real import LABELS_FILE, corpus_path

    git_dir = Path(ctx.args.git_dir)
    if not git_dir.is_dir():
        raise UserError(f"Git-map van het archief niet gevonden: {git_dir}")
    labels_file = Path(ctx.args.labels) if ctx.args.labels else LABELS_FILE
    if not labels_file.exists():
        raise UserError(f"Labelbestand niet gevonden: {labels_file}")
    result = build(git_dir, load_labels(labels_file), unrest_ids())
    out = corpus_path(ctx.args.out)
    background = Path(ctx.args.background_out) if ctx.args.background_out else DEFAULT_BACKGROUND
    write_output(out, jsonl(result.corpus), make_parents=True)
    write_output(background, jsonl(result.background), make_parents=True)
    lines = [f"{result.posts:,} berichten gelezen uit {git_dir}",
             f"Echte set -> {out}: {len(result.corpus)} items"]
    lines += [f"  {split}: {result.matched[split]} gevonden, {result.missing[split]} ontbreken"
              for split in result.matched]
    outlets = ", ".join(f"{name} {n}" for name, n in sorted(result.background_by_outlet.items()))
    lines.append(f"Achtergrondnieuws -> {background}: {len(result.background)} items ({outlets}); "
                 f"{result.background_unrest} over echte onrust weggelaten (data/eval/background_unrest.tsv)")
    ctx.emit({"posts": result.posts, "corpus": str(out), "matched": result.matched, "missing": result.missing,
              "missing_ids": list(result.missing_ids), "background": str(background),
              "background_items": len(result.background), "background_by_outlet": result.background_by_outlet,
              "background_unrest": result.background_unrest},
             "\n".join(lines))
    return 0


def _eval_agreement(ctx: Context) -> int:
    from devtools.eval_agreement import MIN_POSITIVES, compare
    from devtools.eval_tagging import macro

    second = Path(ctx.args.second)
    if not second.exists():
        raise UserError(f"Labelbestand van de tweede labeller niet gevonden: {second}")
    first = Path(ctx.args.first) if ctx.args.first else None
    result = compare(second, first) if first else compare(second)
    lines = [f"{result.items} items door beide gelabeld ({result.unmatched} van de tweede labeller niet in de set "
             "of met een andere tekst); de bestaande labels zijn de referentie",
             *_score_lines(result.scores, macro(result.scores)),
             "", f"Cohens kappa per label (labels die een van beiden {MIN_POSITIVES} keer of vaker gaf)",
             f"{'label':<38} {'kappa':>5}  eerste/tweede/beide"]
    lines += [f"{a.label:<38} {a.kappa:5.2f}  {a.first}/{a.second}/{a.both}" for a in result.labels]
    ctx.emit(result.as_dict(), "\n".join(lines))
    return 0


def register(cli: Cli) -> None:
    p = cli.command("eval temperature", "Detectiecijfers op gescripte scenario's", _eval_temperature)
    p.add_argument("--seeds", type=int, default=5, help="trekkingen per scenario")
    p.add_argument("--incidents", action="store_true",
                   help="ook de incidenten in de database (bijv. --db var/demo.duckdb) tegen hun "
                        "officiële fasen leggen")
    p.add_argument("--background", help="JSONL met een maand echt regionaal nieuws zonder onrust (anders "
                                        "var/eval/background.jsonl als die er is, zie `onrust eval corpus`): "
                                        "geen fase >= 3 verwacht")
    p.add_argument("--no-background", action="store_true", help="het achtergrondnieuws overslaan")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("eval tagging", "Precisie/recall per tag set op de gelabelde set", _eval_tagging)
    p.add_argument("--set", help="ander TSV-bestand met gelabelde items")
    p.add_argument("--real", action="store_true",
                   help="de echte nieuwsset (data/eval/real_news_labels.jsonl): dev en blind apart")
    p.add_argument("--corpus", help="JSONL met de teksten van de echte set (anders $ONRUST_EVAL_CORPUS of "
                                    "var/eval/real_news.jsonl)")
    p.add_argument("--errors", action="store_true", help="toon items met missende of extra labels")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("eval agreement", "Overeenstemming van een tweede labeller met de echte set",
                    _eval_agreement)
    p.add_argument("--second", required=True, help="JSONL met de labels van de tweede labeller (zelfde vorm als "
                                                   "data/eval/real_news_labels.jsonl)")
    p.add_argument("--first", help="ander referentiebestand (anders data/eval/real_news_labels.jsonl)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("eval corpus", "Bouw de lokale teksten van de echte set en het achtergrondnieuws uit een "
                                   "git-archief", _eval_corpus)
    p.add_argument("git_dir", help="git-map van het archief (github:wijnandb/leestmeer, zie data/eval/README.md)")
    p.add_argument("--labels", help="ander labelbestand (anders data/eval/real_news_labels.jsonl)")
    p.add_argument("--out", help="JSONL voor de teksten (anders $ONRUST_EVAL_CORPUS of var/eval/real_news.jsonl)")
    p.add_argument("--background-out", help="JSONL voor het achtergrondnieuws (anders var/eval/background.jsonl)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("eval train", "Train het tagmodel opnieuw op de dev-helft van de echte set", _eval_train)
    p.add_argument("--corpus", help="JSONL met de teksten van de echte set (anders $ONRUST_EVAL_CORPUS of "
                                    "var/eval/real_news.jsonl)")
    p.add_argument("--out", help="ander modelbestand (anders data/models/tag_classifier.json.gz)")
    p.add_argument("--missing-ok", action="store_true",
                   help="trainen op de dev-items die het corpus heeft, ook als er gelabelde items ontbreken")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
