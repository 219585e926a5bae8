"""Plotly figures for the dashboard pages: one function per chart, data in, figure out."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from onrust.models import REACHES

# One colour per reach, the same on every chart: local warm to national cool, social apart.
REACH_COLOURS = {"lokaal": "#e07b39", "regionaal": "#d4a72c", "landelijk": "#3b6ea8", "sociaal": "#8e5ba8"}


def volume_chart(volume: pd.DataFrame, measure: str = "berichten", *, title: str = "") -> go.Figure:
    """Stacked bars per reach over time; `volume` as from analysis.omgevingsbeeld.volume_over_time."""
    frame = volume[volume["maat"] == measure]
    fig = px.bar(
        frame, x="bucket", y="aantal", color="reach",
        category_orders={"reach": list(REACHES)}, color_discrete_map=REACH_COLOURS,
        labels={"bucket": "tijd", "aantal": measure, "reach": "bereik"}, title=title or None,
    )
    fig.update_layout(barmode="stack", bargap=0.1, legend_title_text="bereik",
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10}, height=320)
    _dutch_time_axis(fig)
    return fig


def _dutch_time_axis(fig: go.Figure) -> None:
    """Dutch day-month ticks instead of plotly's English "Oct 8"; clock times when zoomed in."""
    fig.update_xaxes(hoverformat="%d-%m-%Y %H:%M", tickformatstops=[
        {"dtickrange": [None, 86_400_000], "value": "%H:%M\n%d-%m"},
        {"dtickrange": [86_400_000, None], "value": "%d-%m"},
    ])


def _local(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Plotly draws a timestamp's own wall-clock time: convert UTC to Amsterdam time first."""
    if frame.empty:
        return frame
    return frame.assign(**{column: pd.to_datetime(frame[column], utc=True).dt.tz_convert("Europe/Amsterdam")})


# Phase colours: calm green to escalation red; 5 (terugkeer naar rust) a cooling blue.
PHASE_COLOURS = {1: "#d9eed9", 2: "#fff1c2", 3: "#ffd2a8", 4: "#f4a6a6", 5: "#cfe0f3"}


def temperature_chart(series: pd.DataFrame, official: pd.DataFrame, events: pd.DataFrame,
                      phase_names: dict[int, str]) -> go.Figure:
    """Temperature, the indicator's phase bands, the official phase and key events on one time axis.

    `series` as from analysis.phases.temperature_view; `official` from Store.official_phases;
    `events` from Store.temperature_events. Windows without data are shaded grey and the line
    breaks there: missing data never reads as a low temperature. Hover texts are escaped:
    plotly renders a few HTML tags in them, and reasons and labels are typed by users.
    """
    import html  # here, not at the top: this module is appended to by several packages

    series, official, events = _local(series, "at"), _local(official, "logged_at"), _local(events, "at")
    fig = go.Figure()
    if not series.empty:
        block = (series["phase"] != series["phase"].shift()).cumsum()
        for _, seg in series.groupby(block):
            phase = int(seg["phase"].iloc[0])
            fig.add_vrect(x0=seg["at"].iloc[0], x1=seg["at"].iloc[-1], fillcolor=PHASE_COLOURS[phase],
                          opacity=0.6, layer="below", line_width=0)
        gaps = (~series["has_data"]).astype(int)
        for _, seg in series[~series["has_data"]].groupby((gaps.diff() != 0).cumsum()):
            fig.add_vrect(x0=seg["at"].iloc[0], x1=seg["at"].iloc[-1], fillcolor="#9e9e9e",
                          opacity=0.5, layer="below", line_width=0,
                          annotation_text="geen gegevens", annotation_position="top left")
        fig.add_trace(go.Scatter(x=series["at"], y=series["temperature"], name="temperatuur",
                                 mode="lines", line={"color": "#b3261e", "width": 2}, connectgaps=False,
                                 customdata=series["phase"].map(phase_names),
                                 hovertemplate="%{x}<br>temperatuur %{y:.0f}<br>%{customdata}<extra></extra>"))
        for phase in sorted(series["phase"].unique()):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"fase {phase}",
                                     marker={"size": 12, "symbol": "square", "color": PHASE_COLOURS[int(phase)]}))
    if not official.empty:
        end = series["at"].iloc[-1] if not series.empty else official["logged_at"].iloc[-1]
        xs = list(official["logged_at"]) + [end]
        ys = list(official["phase"]) + [official["phase"].iloc[-1]]
        fig.add_trace(go.Scatter(x=xs, y=ys, name="officiële fase", yaxis="y2", mode="lines+markers",
                                 line={"shape": "hv", "color": "#1f3b73", "width": 3, "dash": "dot"},
                                 text=[html.escape(str(r)) for r in official["reason"]] + [""],
                                 hovertemplate="%{x}<br>officiële fase %{y}<br>%{text}<extra></extra>"))
    if not events.empty:
        fig.add_trace(go.Scatter(x=events["at"], y=[97] * len(events), name="gebeurtenissen",
                                 mode="markers", marker={"symbol": "triangle-down", "size": 10, "color": "#333"},
                                 text=[html.escape(f"{k}: {v}")
                                       for k, v in zip(events["kind"], events["label"], strict=True)],
                                 hovertemplate="%{x}<br>%{text}<extra></extra>"))
    fig.update_layout(
        height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10}, hovermode="x unified",
        yaxis={"title": "temperatuur (0-100)", "range": [0, 100]},
        yaxis2={"title": "officiële fase", "overlaying": "y", "side": "right", "range": [0.5, 5.5],
                "tickvals": [1, 2, 3, 4, 5], "showgrid": False},
        legend={"orientation": "h", "y": -0.15},
    )
    _dutch_time_axis(fig)
    return fig


def add_risk_moments(fig: go.Figure, moments: pd.DataFrame) -> go.Figure:
    """Dated risk moments (000 Bijlage 7: rechtszaak, uitspraak, ...) as dashed vertical lines with
    their name, so the team sees them coming on the same time axis. `moments` has `at` and `label`
    (comms.tasks.moments_frame). Shapes and annotations, not add_vline: plotly's vline annotation
    fails on a datetime axis."""
    import html

    for row in _local(moments, "at").itertuples():
        fig.add_shape(type="line", x0=row.at, x1=row.at, xref="x", y0=0, y1=1, yref="paper",
                      line={"color": "#6a1b9a", "width": 2, "dash": "dash"})
        fig.add_annotation(x=row.at, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=html.escape(str(row.label)), font={"color": "#6a1b9a", "size": 11})
    return fig
