"""The after-action report of one incident (`onrust review`, the Terugblik download) as HTML.

Sections render what analysis.review and analysis.review_replay compute; every text from feeds,
signals and users is masked for registered names and escaped (dashboard.review_html.esc). Two
sections take records from modules that live elsewhere and render only when given: the task
lists (`tasks`: mappings with title, due_at, done_at, optional phase and ref) and the
evaluation answers (`evaluation`: mappings with question, answer, optional ref). `build_report`
fills the tasks from the incident's task list (comms.tasks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis import review as rv
from analysis.phases import load_phases
from analysis.review_data import ReviewInputs, load_review, review_end
from analysis.review_replay import replay
from comms.evaluation import load_form
from comms.tasks import load_protocol, task_rows
from dashboard.charts import temperature_chart, volume_chart
from dashboard.review_html import esc, figure, page, table
from onrust.models import Incident
from onrust.settings import Settings
from onrust.timeutil import fmt_local, utcnow

Records = Sequence[Mapping[str, Any]]


def _hours(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f} uur"


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{esc(title)}</h2>{''.join(parts)}</section>"


def _masked(frame: pd.DataFrame, mask: rv.Masker, *columns: str) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].map(lambda v: mask(str(v)) if isinstance(v, str) else v)
                           for c in columns if c in frame})


def _header(inputs: ReviewInputs, generated_at: datetime) -> str:
    inc = inputs.incident
    t = rv.totals(inputs)
    demo = '<p class="note">FICTIEF demo-incident: alle namen en berichten zijn verzonnen.</p>' if inc.is_demo else ""
    facts = {
        "Gemeente": inc.municipality, "Scenario": inc.scenario or "—",
        "Geopend": fmt_local(inc.opened_at), "Gesloten": fmt_local(inc.closed_at),
        "Terugblik over": f"{fmt_local(inputs.start)} – {fmt_local(inputs.end)}",
        "Berichten / verhalen / uitgevers / bronnen": f"{t.items} / {t.stories} / {t.publishers} / {t.sources}",
        "Signalen": str(t.signals),
        "Hoogste temperatuur": "—" if t.peak_temperature is None
        else f"{t.peak_temperature:.0f} ({fmt_local(t.peak_at)})",
        "Hoogste fase (indicator / officieel)": f"{t.highest_indicator or '—'} / {t.highest_official or '—'}",
    }
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts.items())
    return (f"<h1>Terugblik: {esc(inc.name)}</h1>{demo}<table>{rows}</table>"
            f'<p class="muted">Gemaakt op {esc(fmt_local(generated_at))}. Namen van betrokkenen zijn '
            "vervangen door [betrokkene] of [naam]. Tijden in Nederlandse tijd.</p>")


def _timeline(inputs: ReviewInputs, mask: rv.Masker) -> str:
    names = {k: f"fase {k}: {p.naam}" for k, p in load_phases().items()}
    events = _masked(inputs.events, mask, "label")
    chart = temperature_chart(inputs.series, _masked(inputs.decisions, mask, "reason"), events, names)
    return _section("Temperatuur, fase en officiële fase", figure(chart, "temperature"),
                    '<p class="muted">Elk punt is berekend met alleen wat op dat moment bekend was.</p>')


def _moments(inputs: ReviewInputs) -> list[pd.Timestamp]:
    """The replayed moments: every official phase decision and the end of the review."""
    return [pd.Timestamp(t) for t in inputs.decisions["logged_at"]] + [pd.Timestamp(inputs.end)]


def _replays(inputs: ReviewInputs, tasks: Records | None) -> str:
    rows = []
    for at in _moments(inputs):
        m = replay(inputs, at, inputs.series, tasks)
        sent = m.releases[m.releases["to_status"] == "verstuurd"] if len(m.releases) else m.releases
        done = m.checklist[m.checklist["status"] == "gedaan"] if len(m.checklist) else m.checklist
        rows.append({
            "moment": at, "berichten": len(m.items), "signalen": len(m.signals),
            "temperatuur": None if m.point is None else float(m.point["temperature"]),
            "indicator": None if m.point is None else int(m.point["phase"]),
            "officieel": None if m.official is None else int(m.official["phase"]),
            "persberichten": len(sent), "geinformeerd": len(m.informed), "checklist": len(done),
            "taken_te_laat": None if m.tasks is None else int(m.tasks["late"].sum()),
        })
    headers = {"moment": "Moment", "berichten": "Berichten bekend", "signalen": "Signalen bekend",
               "temperatuur": "Temperatuur", "indicator": "Fase (indicator)", "officieel": "Officiële fase",
               "persberichten": "Persberichten verstuurd", "geinformeerd": "Doelgroepen geïnformeerd",
               "checklist": "Checklistpunten gedaan"}
    if tasks is not None:
        headers["taken_te_laat"] = "Taken te laat"
    return _section("Wat was bekend op de beslismomenten", table(pd.DataFrame(rows), headers),
                    '<p class="muted">Op de pagina Terugblik kunt u elk ander moment terugspelen.</p>')


def tags_chart(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Stacked bars of items per day and tag; `frame` as from analysis.review.tags_over_time."""
    fig = px.bar(frame, x="bucket", y="aantal", color="tag", title=title or None,
                 labels={"bucket": "dag", "aantal": "berichten", "tag": "tag"})
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


def _coverage(inputs: ReviewInputs, mask: rv.Masker) -> str:
    items = inputs.items
    volume = rv.volume_by_reach(items).assign(maat="berichten")
    parts = [figure(volume_chart(volume, title="Berichten per dag en bereik"), "volume")]
    parts.append("<h3>Verspreiding: lokaal, regionaal, landelijk</h3>" + table(
        _masked(rv.spread(items), mask, "titel"),
        {"bereik": "Bereik", "eerste": "Eerste bericht", "uren_na_eerste": "Uren na het eerste", "bron": "Bron",
         "titel": "Titel"}, fmt={"uren_na_eerste": _hours}))
    parts.append("<h3>Per oorspronkelijke uitgever</h3>" + table(
        rv.volume_by_publisher(items), {"uitgever": "Uitgever", "berichten": "Berichten",
                                        "bronnen": "Overgenomen door (bronnen)", "eerste": "Eerste",
                                        "laatste": "Laatste"}))
    parts.append("<h3>Wanneer elke bron voor het eerst berichtte</h3>" + table(
        _masked(rv.first_reports(items), mask, "titel"),
        {"eerste": "Eerste bericht", "bron": "Bron", "bereik": "Bereik", "titel": "Titel",
         "berichten": "Berichten", "kopieen": "Kopieën van anderen"}))
    for tag_set, title in (("emotion", "Emoties per dag"), ("phase", "Fasekenmerken per dag"),
                           ("dynamiek", "Dynamiek per dag")):
        frame = rv.tags_over_time(items, inputs.tags, tag_set)
        if frame.empty:
            parts.append(f"<h3>{esc(title)}</h3><p class='muted'>Geen.</p>")
            continue
        parts.append(figure(tags_chart(frame, title), f"tags-{tag_set}"))
    return _section("Ontwikkeling van de berichtgeving", *parts)


def _rumours(inputs: ReviewInputs, mask: rv.Masker) -> str:
    r = rv.rumours(inputs)
    first = r.first_refutation
    return _section(
        "Geruchten en wanneer ze werden bevestigd of ontkracht",
        "<h3>Geruchten als signaal</h3>" + table(
            _masked(r.signals, mask, "text"),
            {"entered_at": "Ingevoerd", "text": "Gerucht", "verification": "Oordeel", "verdict_at": "Oordeel op"},
            empty="Geen geruchten als signaal ingevoerd."),
        "<h3>Geruchten in de berichtgeving</h3>" + table(
            _masked(r.items, mask, "title"),
            {"published_at": "Gepubliceerd", "source": "Bron", "reach": "Bereik", "title": "Titel",
             "ontkracht": "Ontkracht in dit bericht"}, empty="Geen berichten met een gerucht."),
        f"<p>Eerste ontkrachting in de media: {esc(fmt_local(first) if first is not None else 'geen')}.</p>",
    )


_MILESTONES = {"label": "Stap", "at": "Wanneer", "hours": "Uren na opening", "box": "Binnen (uur)",
               "late": "Te laat", "ref": "Protocol"}
_INFORMED = {"doelgroep": "Doelgroep", "eerste_keer": "Eerste keer", "uren": "Uren na opening",
             "binnen_uren": "Binnen (uur)", "te_laat": "Te laat"}
_DECISIONS = {"vastgesteld": "Vastgesteld", "fase": "Fase", "indicator_toen": "Indicator toen",
              "indicator_eerst": "Indicator voor het eerst in die fase (sinds het vorige besluit)",
              "uren_na_indicator": "Besluit na de indicator", "reden": "Reden"}


def _yes_no(value: Any) -> str:
    return "—" if value is None else "ja" if value else "nee"


def _timing(inputs: ReviewInputs, markers: Sequence[str], mask: rv.Masker) -> str:
    ms = pd.DataFrame([{"label": m.label, "at": m.at, "hours": m.hours, "box": m.box_hours, "ref": m.ref,
                        "late": m.late} for m in rv.milestones(inputs)])
    lag = rv.detection_lag(inputs, markers)
    lag_rows = pd.DataFrame([
        {"wat": "Eerste escalatiekenmerk in de berichtgeving", "wanneer": lag.first_marker, "uren": None,
         "toelichting": lag.marker},
        {"wat": "Officiële fase 3 of hoger", "wanneer": lag.official, "uren": lag.to_official_hours,
         "toelichting": "na het eerste kenmerk"},
        {"wat": "Fase 3 of hoger volgens de indicator", "wanneer": lag.indicator, "uren": lag.to_indicator_hours,
         "toelichting": "na het eerste kenmerk"},
    ])
    return _section(
        "Responstijden tegen de tijdvakken van het protocol",
        table(ms, _MILESTONES, late="late", fmt={"hours": _hours, "late": _yes_no}),
        "<h3>Doelgroepen voor het eerst geïnformeerd</h3>"
        + table(rv.first_informed(inputs), _INFORMED, late="te_laat", fmt={"uren": _hours, "te_laat": _yes_no}),
        "<h3>Fasebesluiten en de indicator</h3>"
        + table(_masked(rv.phase_decisions(inputs), mask, "reden"), _DECISIONS, fmt={"uren_na_indicator": _hours},
                empty="Geen officiële fase vastgesteld."),
        "<h3>Detectievertraging</h3>" + table(lag_rows, {"wat": "Wat", "wanneer": "Wanneer", "uren": "Uren",
                                                        "toelichting": "Toelichting"}, fmt={"uren": _hours}),
    )


def _tasks(tasks: Records, end: datetime) -> str:
    late = rv.late_tasks(tasks, end)
    return _section(f"Taken te laat ({len(late)} van {len(tasks)})", table(
        late, {"phase": "Fase", "title": "Taak", "due_at": "Uiterlijk", "done_at": "Gedaan", "state": "Stand",
               "ref": "Protocol"}, late="late", empty="Alle taken op tijd gedaan."))


def _evaluation(answers: Records, mask: rv.Masker) -> str:
    frame = pd.DataFrame([{"question": a["question"], "answer": mask(str(a.get("answer", ""))), "ref": a.get("ref", "")}
                          for a in answers])
    return _section("Evaluatie", table(frame, {"question": "Vraag", "answer": "Antwoord", "ref": "Protocol"},
                                       empty="Nog geen antwoorden."))


def render_report(inputs: ReviewInputs, escalation_markers: Sequence[str], generated_at: datetime, *,
                  tasks: Records | None = None, evaluation: Records | None = None) -> str:
    """The whole report as one HTML document without any external reference."""
    mask = rv.name_mask(inputs)
    parts = [_header(inputs, generated_at), _timeline(inputs, mask), _replays(inputs, tasks),
             _coverage(inputs, mask), _rumours(inputs, mask), _timing(inputs, escalation_markers, mask)]
    if tasks is not None:
        parts.append(_tasks(tasks, inputs.end))
    if evaluation is not None:
        parts.append(_evaluation(evaluation, mask))
    return page(f"Terugblik {inputs.incident.name}", "".join(parts))



def task_records(store: Any, incident: Incident, settings: Settings) -> list[dict[str, Any]]:
    """The incident's tasks of the chosen protocol list (tasks.protocol) as the review's records."""
    protocol = load_protocol(settings.tasks.protocol)
    rows = task_rows(protocol, incident.opened_at, store.task_states(incident.id), review_end(incident))
    return [{"title": r.task.title, "phase": r.task.phase, "ref": r.task.ref, "due_at": r.due_at,
             "done_at": r.done_at} for r in rows]


def evaluation_records(store: Any, incident: Incident) -> list[dict[str, Any]]:
    """The evaluation form's questions in seed order (comms.evaluation) with the stored answers."""
    answers = store.evaluation_answers(incident.id)
    out = []
    for section in load_form():
        for q in section.questions:
            text, by, at = answers.get(q.id, ("", "", None))
            answer = f"{text} ({by}, {fmt_local(at)})" if text else "Nog niet beantwoord."
            out.append({"question": q.label, "answer": answer, "ref": section.ref})
    return out


def build_report(store: Any, incident: Incident, settings: Settings, *, now: datetime | None = None) -> str:
    """Read the incident's record and render the report (the CLI and the page's job)."""
    generated = now or utcnow()
    inputs = load_review(store, incident, settings.temperature, generated)
    return render_report(inputs, list(settings.temperature.escalation_markers), generated,
                         tasks=task_records(store, incident, settings),
                         evaluation=evaluation_records(store, incident))
