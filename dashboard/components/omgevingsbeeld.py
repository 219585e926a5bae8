"""The live picture and the snapshot editor of the Omgevingsbeeld page."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial

import pandas as pd
import streamlit as st

from analysis import geo
from analysis import omgevingsbeeld as ob
from analysis.omgevingsbeeld_export import to_docx, to_markdown
from dashboard import charts, data
from dashboard.components.forms import refused
from dashboard.components.items import REACH_LABELS
from onrust import display
from onrust.display import export_name
from onrust.errors import UserError
from onrust.models import REACHES, Incident
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow


def metrics(beeld: ob.Omgevingsbeeld, new: int | None) -> None:
    cols = st.columns(5)
    cols[0].metric("Berichten", beeld.totals.items)
    cols[1].metric("Verhalen", beeld.totals.stories, help="Kopieën van hetzelfde verhaal tellen één keer")
    cols[2].metric("Uitgevers", beeld.totals.publishers, help="Oorspronkelijke uitgevers (persbureau telt één keer)")
    cols[3].metric("Nieuw sinds je laatste bezoek", "—" if new is None else new)
    cols[4].metric("Signalen", beeld.signals)


def _counts(title: str, counts: tuple[ob.Count, ...], empty: str) -> None:
    st.markdown(f"**{title}**")
    if not counts:
        st.caption(empty)
        return
    st.dataframe(pd.DataFrame({"": [display.tag(c.label) for c in counts],
                               "berichten": [c.count for c in counts]}),
                 hide_index=True)


def _refs(refs: tuple[ob.ItemRef, ...], empty: str) -> None:
    if not refs:
        st.caption(empty)
    for ref in refs:
        note = f" · {md_escape(ref.note)}" if ref.note else ""
        st.markdown(f"- {md_escape(ref.title)}  \n  :gray[{md_escape(ref.publisher)} · "
                    f"{fmt_local(ref.published_at)}{note}]")


def spread_table(beeld: ob.Omgevingsbeeld) -> pd.DataFrame:
    """Per story or rumour, when it first reached each level (004 Bijlage 4 stap 1)."""
    rows = []
    for sp in beeld.spread:
        at = {step.reach: f"{fmt_local(step.at)} ({step.publisher})" for step in sp.steps}
        rows.append({"Verhaal of gerucht": sp.title, **{REACH_LABELS[r]: at.get(r, "—") for r in REACHES},
                     "Volgorde": " → ".join(REACH_LABELS[step.reach] for step in sp.steps)})
    return pd.DataFrame(rows)


def spread_view(beeld: ob.Omgevingsbeeld) -> None:
    st.markdown("**Verspreiding: lokaal → regionaal → landelijk**")
    if not beeld.spread:
        st.caption("Geen verhaal of gerucht bereikte meer dan één niveau.")
        return
    st.dataframe(spread_table(beeld), hide_index=True)


def map_view(items: pd.DataFrame, tags: pd.DataFrame, signals: pd.DataFrame, incident: Incident) -> None:
    """Items and signals per wijk or plaats; offline (no map tiles)."""
    st.markdown("**Kaart: berichten en signalen per plaats of wijk**")
    paths = (geo.LOCATIONS, geo.DEMO_LOCATIONS) if incident.is_demo else (geo.LOCATIONS,)
    points, unplaced = geo.map_points(items, tags, signals, geo.load_locations(paths), incident.municipality)
    if points.empty and unplaced.empty:
        st.caption("Geen plaatsen in de berichten en signalen.")
        return
    if not points.empty:
        tiles = data.settings().map
        st.plotly_chart(charts.place_map(points, tiles.tile_url, tiles.attribution), key="ob_map")
    if not unplaced.empty:
        st.caption("Zonder coördinaten (niet op de kaart):")
        st.dataframe(unplaced.rename(columns=str.capitalize), hide_index=True)


def overview(beeld: ob.Omgevingsbeeld, items: pd.DataFrame) -> None:
    """Volume by reach over time, the top lists and rumours beside facts."""
    measure = st.segmented_control("Tel", ["berichten", "verhalen", "uitgevers"], default="berichten",
                                   key="ob_measure") or "berichten"
    volume = ob.volume_over_time(items, ob.bucket_freq(beeld.period_start, beeld.period_end))
    if volume.empty:
        st.info("Geen berichten in deze periode.")
    else:
        st.plotly_chart(charts.volume_chart(volume, measure))
        st.caption(f"Piek: {beeld.peak}")
    cols = st.columns(3)
    with cols[0]:
        _counts("Categorieën en duiding", beeld.meanings, "Geen scenario of dynamiek herkend.")
        _counts("Fasekenmerken", beeld.phases, "Geen fasekenmerken herkend.")
    with cols[1]:
        _counts("Emoties", beeld.emotions, "Geen emoties herkend.")
        _counts("Wie krijgt de schuld", beeld.blamed, "Niemand duidelijk aangewezen.")
    with cols[2]:
        _counts("Plaatsen", beeld.places, "Geen plaatsen herkend.")
        _counts("Actoren", beeld.actors, "Geen actoren herkend.")
    left, right = st.columns(2)
    with left:
        st.markdown("**Geruchten**")
        _refs(beeld.rumours, "Geen geruchten gevonden.")
    with right:
        st.markdown("**Feiten en ontkrachte geruchten**")
        _refs(beeld.facts, "Geen feitenberichten gevonden.")


def _downloads(beeld: ob.Omgevingsbeeld, conclusions: str, version: int | None, key: str) -> None:
    left, right = st.columns(2)
    name = partial(export_name, "omgevingsbeeld", beeld.incident, beeld.generated_at)
    # Built on click (Streamlit's download thread): a rerun of a busy picture renders no Word file.
    left.download_button("Markdown", partial(to_markdown, beeld, conclusions, version=version), name("md"),
                         "text/markdown", key=f"{key}_md", icon=":material/download:")
    right.download_button("Word", partial(to_docx, beeld, conclusions, version=version), name("docx"),
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          key=f"{key}_docx", icon=":material/download:")


def editor(incident: Incident, beeld: ob.Omgevingsbeeld, period: tuple[datetime, datetime], author: str,
           *, locked: bool) -> None:
    """Generate with one click, edit the conclusions, save as a new version (as `author`; not when
    `locked`: closed, or the role may not), export."""
    draft_key, conclusions_key = f"ob_draft_{incident.id}", f"ob_conclusions_{incident.id}"
    versions = data.query(Store.omgevingsbeeld_versions, incident_id=incident.id)
    if st.button("Omgevingsbeeld maken", type="primary", key="ob_generate", icon=":material/auto_awesome:"):
        st.session_state[draft_key] = replace(beeld, generated_at=utcnow()).to_dict()  # dated at the click
        latest = data.query(Store.omgevingsbeeld_version, incident_id=incident.id, version=None)
        if latest is not None and not st.session_state.get(conclusions_key):
            st.session_state[conclusions_key] = latest["conclusions"]  # edit the last ones, not retype
    draft = st.session_state.get(draft_key)
    if draft is not None:
        snapshot = ob.Omgevingsbeeld.from_dict(draft)
        st.caption(f"Concept van {fmt_local(snapshot.generated_at)}; bewaarde versies blijven ongewijzigd.")
        conclusions = st.text_area(
            "Conclusies van de omgevingsanalist (opmaak met Markdown; links en afbeeldingen worden tekst)",
            key=conclusions_key, height=160,
            placeholder="Wat betekent dit beeld voor de kernteam-vergadering? Welk doel krijgt accent?")
        if st.button(f"Bewaar als versie {len(versions) + 1}", key="ob_save", icon=":material/save:",
                     disabled=locked):
            try:
                number = data.store().save_omgevingsbeeld(incident.id, draft, conclusions, author, *period)
            except UserError as exc:
                refused(exc, md_escape(exc))
            else:
                st.session_state["ob_flash"] = f"Versie {number} bewaard."
                st.rerun()
        _downloads(snapshot, conclusions, None, "ob_draft")
        with st.container(border=True):
            st.markdown(to_markdown(snapshot, conclusions))
    if (flash := st.session_state.pop("ob_flash", None)) is not None:
        st.success(flash)
    if versions.empty:
        st.caption("Nog geen bewaarde versies.")
        return
    labels = {int(v): f"versie {v} · {fmt_local(c)} · {a}" for v, c, a in
              zip(versions["version"], versions["created_at"], versions["author"], strict=True)}
    chosen = st.selectbox("Bewaarde versies", list(labels), format_func=labels.__getitem__, key="ob_version")
    stored = data.query(Store.omgevingsbeeld_version, incident_id=incident.id, version=chosen)
    if stored is not None:
        saved = ob.Omgevingsbeeld.from_dict(stored["content"])
        _downloads(saved, stored["conclusions"], chosen, "ob_saved")
        with st.expander(f"Versie {chosen} lezen"):
            st.markdown(to_markdown(saved, stored["conclusions"], version=chosen))


def new_count(items: pd.DataFrame, since: datetime | None) -> int | None:
    if since is None:
        return None
    return int((pd.to_datetime(items["fetched_at"], utc=True) > pd.Timestamp(since)).sum())
