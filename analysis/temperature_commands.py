"""CLI: `onrust temperature`, `onrust eval temperature`, `onrust bench temperature`, and the
refresh step that computes, stores and alerts (used by the CLI and the collection pipeline)."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from analysis.alerts import decide_alerts, deliver
from analysis.diagnosis import record_summary
from analysis.phases import load_phases, series_start, temperature_view
from analysis.temperature import (
    COMPONENTS, LABELS, build_aggregates, explain, formula_version, history_bins, item_features,
    series_from_aggregates, temperature_explanation, trend,
)
from analysis.timelines import SCENARIOS, bulk_frames, evaluate
from onrust.cli import time_arg
from onrust.errors import UserError
from onrust.models import Incident
from onrust.settings import Settings, TemperatureSettings
from onrust.timeutil import fmt_local, utcnow


def inputs_since(opened_at: datetime, cfg: TemperatureSettings) -> datetime:
    """Earliest fetch time the series needs: its start minus the baseline's history."""
    return series_start(opened_at, cfg) - timedelta(minutes=cfg.step_minutes * (history_bins(cfg) + 1))


def incident_series(store: Any, incident: Incident, as_of: datetime, cfg: TemperatureSettings) -> pd.DataFrame:
    inputs = store.temperature_inputs(incident.id, inputs_since(incident.opened_at, cfg), as_of)
    return temperature_view(inputs, incident.opened_at, as_of, cfg)


def refresh_incident(store: Any, incident: Incident, settings: Settings,
                     now: datetime | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute up to now, store the new points, decide and deliver alerts for them."""
    cfg = settings.temperature
    now = now or utcnow()
    series = incident_series(store, incident, now, cfg)
    if series.empty:
        return series, pd.DataFrame()
    stored = store.temperature_points(incident.id)
    stored = stored[stored["formula_version"] == formula_version(cfg)]
    # Only points not stored before may alert; on the first run only the latest point (the
    # history of an incident opened after the fact is no news).
    since = stored["at"].max() if len(stored) else series["at"].iloc[-2] if len(series) > 1 else None
    store.save_temperature_points(incident.id, series)
    alerts = decide_alerts(series, store.alert_cooldowns(incident.id), settings.alerts, since=since,
                           incident=incident.name)
    rows = deliver(alerts, settings.alerts, incident.id)
    store.save_alerts(incident.id, rows)
    return series, rows


def refresh_all(store: Any, settings: Settings) -> dict[str, int]:
    """Pipeline step: every open incident, after each collection pass."""
    report = {}
    for incident in store.incidents():
        if incident.status == "open":
            series, alerts = refresh_incident(store, incident, settings)
            report[f"incident {incident.id}"] = len(alerts)
    return report


def _pick_incident(store: Any, wanted: int | None) -> Incident:
    if wanted is not None:
        incident = store.incident(wanted)
        if incident is None:
            raise UserError(f"Incident {wanted} bestaat niet.")
        return incident
    candidates = [i for i in store.incidents() if i.status == "open"] or store.incidents()
    if not candidates:
        raise UserError("Er is nog geen incident. Maak er een aan of start de demo (`onrust demo`).")
    return candidates[0]



def summary(series: pd.DataFrame, cfg: TemperatureSettings, official: pd.DataFrame | None = None) -> dict[str, Any]:
    """What the CLI, the page and the PDF say about the latest point."""
    last = series.iloc[-1]
    phases = load_phases()
    changes = series[series["reason"] != ""]
    change = changes.iloc[-1] if len(changes) else None
    official_row = official.iloc[-1] if official is not None and len(official) else None
    expl = explain(last, cfg)
    return {
        "at": last["at"].isoformat(),
        "at_local": fmt_local(last["at"].to_pydatetime()),
        "temperature": None if pd.isna(last["temperature"]) else round(float(last["temperature"]), 1),
        "trend_6h": trend(series, 6),
        "phase": int(last["phase"]),
        "phase_name": phases[int(last["phase"])].naam,
        "phase_since": change["at"].isoformat() if change is not None else None,
        "phase_reason": change["reason"] if change is not None else "",
        "official_phase": None if official_row is None else {
            "phase": int(official_row["phase"]), "reason": official_row["reason"],
            "author": official_row["author"], "at": official_row["logged_at"].isoformat()},
        "components": {k: {"label": LABELS[k],
                           "value": None if pd.isna(last[k]) else round(float(last[k]), 1),
                           "weight": cfg.weights.get(k, 0.0), "explanation": expl[k]}
                       for k in COMPONENTS},
        "formula": temperature_explanation(last, cfg),
        "formula_version": formula_version(cfg),
        "thresholds": list(cfg.enter),
    }


def _text(s: dict[str, Any], incident: Incident) -> str:
    temp = "geen gegevens" if s["temperature"] is None else f"{s['temperature']:.0f}"
    trend_txt = "" if s["trend_6h"] is None else f" (trend {s['trend_6h']:+.0f} in 6 uur)"
    off = s["official_phase"]
    lines = [
        f"{incident.name} (#{incident.id}) — stand per {s['at_local']}",
        f"Fase {s['phase']}: {s['phase_name']}" + (f" — {s['phase_reason']}" if s["phase_reason"] else ""),
        "Officiële fase: " + (f"{off['phase']} ({off['reason']}; {off['author']})" if off else "nog niet vastgesteld"),
        f"Temperatuur: {temp}{trend_txt}",
        f"  {s['formula']}",
        "Waarom:",
    ]
    for comp in s["components"].values():
        value = "—" if comp["value"] is None else f"{comp['value']:.0f}"
        lines.append(f"  {comp['label']:<13} {value:>4}  {comp['explanation']}")
    lines.append(f"Formuleversie: {s['formula_version']}")
    return "\n".join(lines)


def cmd_temperature(ctx: Any) -> int:
    cfg = ctx.settings.temperature
    at = time_arg(ctx.args.at)
    with ctx.open_store() as store:
        incident = _pick_incident(store, ctx.args.incident)
        if at is None:
            series, _ = refresh_incident(store, incident, ctx.settings)
        else:
            series = incident_series(store, incident, at, cfg)
        if series.empty:
            raise UserError("Nog geen temperatuur: het tijdstip ligt voor het begin van het incident.")
        official = store.official_phases(incident.id, as_of=at)
        history = store.diagnoses(incident.id)
    if at is not None:
        history = history[history["assessed_at"] <= at]
    s = summary(series, cfg, official)
    s["diagnosis"] = None if history.empty else {
        "at": history.iloc[-1]["assessed_at"].isoformat(), "author": history.iloc[-1]["author"],
        "advice": history.iloc[-1]["advice"], "lines": record_summary(history.iloc[-1])}
    text = _text(s, incident)
    if s["diagnosis"]:
        text += (f"\nCrisisdiagnose {fmt_local(history.iloc[-1]['assessed_at'])} "
                 f"({s['diagnosis']['author']}):\n  " + "\n  ".join(s["diagnosis"]["lines"]))
    ctx.emit({"incident": incident.id, **s}, text)
    return 0


def cmd_eval(ctx: Any) -> int:
    """Each scenario under several seeds: figures that hold for one random draw may not hold."""
    cfg = ctx.settings.temperature
    results = []
    lines = [f"Detectie per scenario over {ctx.args.seeds} trekkingen (drempels uit data/onrust.toml, "
             "niet op deze scripts afgesteld)"]
    for name, make in SCENARIOS.items():
        base = make()
        runs = [evaluate(replace(base, seed=base.seed + k), cfg)[0] for k in range(ctx.args.seeds)]
        hours = [r.hours_to_phase3 for r in runs]
        false = sum(r.false_episodes for r in runs)
        days = sum(r.background_days for r in runs)
        per_month = false / days * 30 if days else 0.0
        checks = {}
        for r in runs:
            for label, when, expected, measured in r.checkpoints:
                checks.setdefault(label, (expected, []))[1].append(measured.split(" (")[0])
        results.append({"name": name, "title": base.title, "seeds": ctx.args.seeds,
                        "hours_to_phase3": hours, "false_episodes": false,
                        "background_days": round(days, 1),
                        "false_per_background_month": round(per_month, 2),
                        "checkpoints": {k: {"expected": e, "measured": m} for k, (e, m) in checks.items()}})
        lines.append(f"\n{base.title} [{name}]")
        if base.first_marker is None:
            lines.append("  eerste escalatiekenmerk -> fase >= 3: geen kenmerk in dit scenario")
        else:
            reached = [h for h in hours if h is not None]
            lines.append("  eerste escalatiekenmerk -> fase >= 3: "
                         + (f"mediaan {statistics.median(reached):.1f} uur, hoogste {max(reached):.1f} uur"
                            if reached else "niet bereikt")
                         + (f" ({len(hours) - len(reached)} keer niet bereikt)" if len(reached) < len(hours) else ""))
        lines.append(f"  valse episodes fase >= 3: {false} in {days:.0f} dagen zonder incident "
                     f"({per_month:.2f} per maand)")
        for label, (expected, measured) in checks.items():
            counts = ", ".join(f"{v} x{measured.count(v)}" for v in sorted(set(measured)))
            lines.append(f"  {label:<28} verwacht {expected:<14} gemeten {counts}")
    if ctx.args.incidents:
        with ctx.open_store() as store:
            for incident in store.incidents():
                report = evaluate_incident(store, incident, cfg)
                results.append(report)
                lines.extend(_incident_lines(report))
    ctx.emit(results, "\n".join(lines))
    return 0


def evaluate_incident(store: Any, incident: Incident, cfg: TemperatureSettings) -> dict[str, Any]:
    """A recorded incident (the demo, or a real one afterwards): the indicator against the
    official phases the driehoek decided, and the delay from the first escalation marker."""
    end = (incident.closed_at or utcnow()) + timedelta(days=2)
    inputs = store.temperature_inputs(incident.id, inputs_since(incident.opened_at, cfg), end)
    series = temperature_view(inputs, incident.opened_at, end, cfg)
    official = store.official_phases(incident.id)
    markers = {m.split(":", 1)[1] for m in cfg.escalation_markers}
    tags = inputs["tags"]
    tagged = tags[tags["tag_key"].astype(str).isin(markers)
                  & tags["tag_set"].astype(str).isin(["phase", "dynamiek"])]
    items = inputs["items"][inputs["items"]["item_id"].isin(tagged["item_id"])
                            & (inputs["items"]["relevance"] >= cfg.min_relevance)]
    signals = inputs["signals"][inputs["signals"]["severity"] >= 4]
    # Markers before the incident opened are the tagger's everyday noise, not its beginning.
    opened = pd.Timestamp(incident.opened_at)
    firsts = [t for t in (items.loc[items["fetched_at"] >= opened, "fetched_at"].min(),
                          signals.loc[signals["entered_at"] >= opened, "entered_at"].min()) if pd.notna(t)]
    first = min(firsts) if firsts else None
    high = series[series["phase"].isin([3, 4]) & (series["at"] >= first)] if first is not None else series.iloc[:0]
    hours = (high["at"].iloc[0] - first) / pd.Timedelta(hours=1) if len(high) else None
    agree = near = total = 0
    if len(official):
        decided = official[["logged_at", "phase"]].rename(columns={"logged_at": "at", "phase": "official"})
        decided["at"] = decided["at"].astype(series["at"].dtype)
        steps = pd.merge_asof(series[["at", "phase"]], decided, on="at").dropna(subset=["official"])
        rank = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0, 5: 2.5}
        total = len(steps)
        agree = int((steps["phase"] == steps["official"]).sum())
        near = int(((steps["phase"].map(rank) - steps["official"].map(rank)).abs() <= 1).sum())
    changes = series[series["reason"] != ""]
    return {
        "incident": incident.id, "name": incident.name,
        "first_marker": None if first is None else first.isoformat(),
        "hours_to_phase3": None if hours is None else round(hours, 1),
        # points are step_minutes apart: report hours
        "hours_compared": total * cfg.step_minutes / 60, "same_phase": agree * cfg.step_minutes / 60,
        "within_one_phase": near * cfg.step_minutes / 60,
        "indicator_changes": [(r.at.isoformat(), int(r.phase), r.reason) for r in changes.itertuples()],
        "official_phases": [(r.logged_at.isoformat(), int(r.phase), r.reason) for r in official.itertuples()],
    }


def _incident_lines(r: dict[str, Any]) -> list[str]:
    lines = [f"\nIncident in de database: {r['name']} [#{r['incident']}]"]
    if r["first_marker"] is None:
        lines.append("  geen escalatiekenmerk gevonden")
    else:
        lines.append(f"  eerste escalatiekenmerk {fmt_local(pd.Timestamp(r['first_marker']))} -> fase >= 3: "
                     + ("niet bereikt" if r["hours_to_phase3"] is None else f"{r['hours_to_phase3']:.1f} uur"))
    if r["hours_compared"]:
        lines.append(f"  indicator gelijk aan officiële fase in {r['same_phase']:.0f} van {r['hours_compared']:.0f} "
                     f"uur; hoogstens één fase verschil in {r['within_one_phase']:.0f} uur")
    events = sorted([(at, "indicator", p, why) for at, p, why in r["indicator_changes"]]
                    + [(at, "officieel", p, why) for at, p, why in r["official_phases"]])
    for at, who, phase, why in events:
        lines.append(f"  {fmt_local(pd.Timestamp(at))}  {who:<9} fase {phase}: {why[:90]}")
    return lines


def cmd_bench(ctx: Any) -> int:
    cfg = ctx.settings.temperature
    n, days = ctx.args.items, ctx.args.days
    frames = bulk_frames(n, days)
    end = frames.items["fetched_at"].max() + pd.Timedelta(minutes=1)
    start = end - pd.Timedelta(days=days)
    full, full_cpu = [], []
    for _ in range(ctx.args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        agg = build_aggregates(frames.items, frames.tags, start, end, cfg)
        series = series_from_aggregates(agg, frames.signals, frames.coverage, start, end, cfg)
        full.append((time.perf_counter() - t0) * 1000)
        full_cpu.append((time.process_time() - c0) * 1000)
    batch_n = ctx.args.batch
    incremental, incremental_cpu = [], []
    for k in range(ctx.args.repeat):
        later = end + pd.Timedelta(minutes=10 * (k + 1))
        batch = frames.items.tail(batch_n).assign(
            item_id=lambda d, k=k: d["item_id"] + n * (k + 1), fetched_at=later)
        t0, c0 = time.perf_counter(), time.process_time()
        agg.extend(agg.n_bins + 1)
        agg.add(item_features(batch, frames.tags.iloc[:0], cfg))
        series_from_aggregates(agg, frames.signals, frames.coverage, start, later, cfg)
        incremental.append((time.perf_counter() - t0) * 1000)
        incremental_cpu.append((time.process_time() - c0) * 1000)
    med = statistics.median
    data = {"items": n, "days": days, "points": len(series), "batch": batch_n,
            "full_ms": round(med(full), 1), "full_cpu_ms": round(med(full_cpu), 1),
            "incremental_ms": round(med(incremental), 1),
            "incremental_cpu_ms": round(med(incremental_cpu), 1),
            "targets_ms": {"full": 200, "incremental": 50}}
    ctx.emit(data, f"Temperatuurreeks {days} dagen ({len(series)} punten) over "
                   f"{n:_} items: {data['full_ms']} ms (CPU {data['full_cpu_ms']} ms; doel <= 200)\n"
                   .replace("_", ".")
                   + f"Bijwerken na een nieuwe batch van {batch_n} items: {data['incremental_ms']} ms "
                   f"(CPU {data['incremental_cpu_ms']} ms; doel <= 50)\n"
                   f"(mediaan van {ctx.args.repeat}; rekenwerk in het geheugen op de frames zoals de "
                   "store ze levert, zonder het laden uit DuckDB; CPU-tijd telt andere processen niet mee)")
    return 0


def register(cli: Any) -> None:
    p = cli.command("temperature", "Temperatuur, fase en onderbouwing van een incident", cmd_temperature)
    p.add_argument("--incident", type=int, help="incident-id (anders het nieuwste open incident)")
    p.add_argument("--at", help="tijdstip (ISO, lokale tijd): toon wat toen bekend was")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("eval temperature", "Detectiecijfers op gescripte scenario's", cmd_eval)
    p.add_argument("--seeds", type=int, default=5, help="trekkingen per scenario")
    p.add_argument("--incidents", action="store_true",
                   help="ook de incidenten in de database (bijv. --db var/demo.duckdb) tegen hun "
                        "officiële fasen leggen")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = cli.command("bench temperature", "Snelheid van de temperatuurreeks", cmd_bench)
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--batch", type=int, default=500, help="items in de incrementele batch")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")


_LATIN1 = str.maketrans({"≥": ">=", "≤": "<=", "×": "x", "—": "-", "–": "-", "“": '"', "”": '"',
                         "‘": "'", "’": "'", "…": "..."})


def _pdf_text(text: str) -> str:
    """The PDF core fonts are Latin-1: keep Dutch accents, spell out the few symbols we use."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def summary_pdf(incident: Incident, s: dict[str, Any], series: pd.DataFrame,
                diagnosis: dict[str, Any] | None = None) -> bytes:
    """One page for the driehoek meeting: phase, temperature, why, the curve, the diagnosis."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, _pdf_text(f"Temperatuur - {incident.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, _pdf_text(f"Stand per {s['at_local']} - formule {s['formula_version']}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, _pdf_text(f"Fase {s['phase']}: {s['phase_name']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    temp = "geen gegevens" if s["temperature"] is None else f"{s['temperature']:.0f}"
    trend_txt = "" if s["trend_6h"] is None else f" (trend {s['trend_6h']:+.0f} in 6 uur)"
    off = s["official_phase"]
    for line in (f"Temperatuur: {temp}{trend_txt}",
                 f"Reden fase: {s['phase_reason'] or '-'}",
                 "Officiële fase: " + (f"{off['phase']} - {off['reason']} ({off['author']})" if off
                                       else "nog niet vastgesteld"),
                 s["formula"]):
        pdf.multi_cell(0, 5, _pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pdf_curve(pdf, series[series["at"] > series["at"].iloc[-1] - pd.Timedelta(days=14)], s["thresholds"])
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Waarom (componenten)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(col_widths=(28, 14, 148), text_align=("LEFT", "RIGHT", "LEFT")) as table:
        table.row(["Component", "Waarde", "Toelichting"])
        for comp in s["components"].values():
            value = "-" if comp["value"] is None else f"{comp['value']:.0f}"
            table.row([comp["label"], value, _pdf_text(comp["explanation"])])
    if diagnosis is not None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _pdf_text(f"Laatste crisisdiagnose ({diagnosis['when']}, {diagnosis['author']})"),
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        for line in diagnosis["lines"]:
            pdf.multi_cell(0, 5, _pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_curve(pdf: Any, series: pd.DataFrame, thresholds: list[float]) -> None:
    """A small temperature curve drawn with lines: no browser or image library needed."""
    x0, y0, w, h = pdf.l_margin, pdf.get_y(), 190.0, 40.0
    pdf.set_draw_color(180, 180, 180)
    pdf.rect(x0, y0, w, h)
    for level in thresholds:
        y = y0 + h - h * level / 100
        pdf.line(x0, y, x0 + w, y)
    known = series.dropna(subset=["temperature"])
    if len(known) >= 2:
        t = (known["at"] - series["at"].iloc[0]) / (series["at"].iloc[-1] - series["at"].iloc[0])
        pts = list(zip(x0 + w * t.to_numpy(), y0 + h - h * known["temperature"].to_numpy() / 100, strict=True))
        pdf.set_draw_color(179, 38, 30)
        for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
            pdf.line(xa, ya, xb, yb)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_xy(x0, y0 + h)
    pdf.cell(0, 4, _pdf_text(f"Temperatuur {fmt_local(series['at'].iloc[0].to_pydatetime())} - "
                             f"{fmt_local(series['at'].iloc[-1].to_pydatetime())}; lijnen: drempels "
                             "fase 2, 3, 4"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2)
