"""Item list, filters and item view of the Omgevingsbeeld page.

Feed text is shown only as escaped Markdown or as HTML whose every piece went through
html.escape; tag keys come from our lexicons but are escaped the same way.
"""

from __future__ import annotations

import html
from datetime import datetime

import pandas as pd
import streamlit as st

from analysis.omgevingsbeeld import Config, ItemFilter, tag_options
from analysis.reading import RESOLVED_SETS, resolve
from analysis.relevance import item_text
from analysis.rumours import debunk_items
from dashboard import data
from onrust import display
from onrust.models import REACHES
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow

PAGE_SIZE = 25
SET_LABELS = {
    "scenario": "scenario", "phase": "fase", "dynamiek": "dynamiek", "emotion": "emotie",
    "polarity": "toon", "claim": "claim", "actor": "actor", "place": "plaats", "person": "persoon",
    "language": "taal",
}
# Badge colour per tag set; rumours get red whatever their set.
SET_COLOURS = {
    "scenario": "blue", "phase": "violet", "dynamiek": "red", "emotion": "orange", "polarity": "gray",
    "claim": "orange", "actor": "gray", "place": "green", "person": "gray", "language": "gray",
}
HIDDEN_CHIPS = frozenset({"language"})
REACH_LABELS = {"lokaal": "lokaal", "regionaal": "regionaal", "landelijk": "landelijk", "sociaal": "sociale media"}


def tag_label(tag_set: str, key: str) -> str:
    """Dutch chip text; a person chip never shows the name (privacy: names are sensitive)."""
    if tag_set == "person":
        return "betrokkene" if key == "betrokkene" else "persoon"
    return f"{SET_LABELS.get(tag_set, tag_set)}: {display.tag(f'{tag_set}: {key}').split(': ', 1)[1]}"


CLAIM_LABELS = {"ontkracht": "gerucht ontkracht", "feit, noemt gerucht": "feit (noemt gerucht)"}


def _chip(tag_set: str, key: str, rumour_refs: frozenset[str]) -> tuple[str, str]:
    if tag_set == "claim":
        label = f"claim: {CLAIM_LABELS.get(key, key)}"
        return label, "green" if key == "ontkracht" else "red" if f"claim:{key}" in rumour_refs else "orange"
    colour = "red" if f"{tag_set}:{key}" in rumour_refs else SET_COLOURS.get(tag_set, "gray")
    return tag_label(tag_set, key), colour


def chips_markdown(item_tags: pd.DataFrame, rumour_refs: frozenset[str] = frozenset(), *,
                   refuted: bool = False) -> str:
    """One Markdown line of coloured badges: one per distinct tag, but one resolved answer for
    tone, claim and phase (analysis.reading), at the place of that set's first tag."""
    reading = resolve(item_tags, refuted=refuted)
    resolved = dict(reading.chips())
    seen: dict[str, str] = {}
    for tag_set, key in zip(item_tags["tag_set"], item_tags["tag_key"], strict=True):
        if tag_set in HIDDEN_CHIPS or (tag_set, key) == ("person", "persoon"):
            continue  # any capitalised word may be a "persoon": as a chip it says nothing
        if tag_set in RESOLVED_SETS:
            if tag_set not in resolved:
                continue
            key = resolved[tag_set]
        label, colour = _chip(tag_set, key, rumour_refs)
        seen.setdefault(label, colour)
    return " ".join(f":{colour}-badge[{md_escape(label)}]" for label, colour in seen.items())


def raw_matches(item_tags: pd.DataFrame) -> pd.DataFrame:
    """The tagger's matches behind the resolved chips: what was found, where it reads so."""
    sub = item_tags[item_tags["tag_set"].isin(RESOLVED_SETS)]
    return pd.DataFrame({"herkend": [tag_label(s, k) for s, k in zip(sub["tag_set"], sub["tag_key"], strict=True)],
                         "tekst": sub["matched"].astype(str).tolist(),
                         "sterkte": [display.number(v, 2) for v in sub["score"]]})


def highlight_segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Split `text` into (piece, label-or-None); overlapping spans merge, labels joined."""
    marks: list[tuple[int, int, list[str]]] = []
    for start, end, label in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        if marks and start < marks[-1][1]:
            s, e, labels = marks[-1]
            marks[-1] = (s, max(e, end), labels if label in labels else [*labels, label])
        else:
            marks.append((start, end, [label]))
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, labels in marks:
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start:end], ", ".join(labels)))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def highlight_html(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Matched terms in <mark>; every piece of text and every label is html-escaped."""
    out = []
    for piece, label in highlight_segments(text, spans):
        if label is None:
            out.append(html.escape(piece))
        else:
            out.append(f'<mark title="{html.escape(label, quote=True)}">{html.escape(piece)}</mark>')
    return '<div style="line-height:1.6">' + "".join(out) + "</div>"


def filters(tags: pd.DataFrame, new_since: datetime | None) -> tuple[str, ItemFilter]:
    """Search text and filter widgets; returns the search (done in SQL) and the rest."""
    search = st.text_input("Zoeken in titel en tekst", key="ob_search",
                           placeholder="bijv. school of brand (vindt ook brandstichting)")
    cols = st.columns([2, 3])
    reaches = cols[0].multiselect("Bereik", list(REACHES), format_func=REACH_LABELS.__getitem__, key="ob_reach",
                                  placeholder="alle")
    options = tag_options(tags)
    chosen = cols[1].multiselect("Labels", options, format_func=lambda r: tag_label(*r.split(":", 1)), key="ob_tags",
                                 placeholder="alle")
    toggles = st.columns(2)
    rumours = toggles[0].toggle("Alleen berichten met geruchten", key="ob_rumours")
    only_new = toggles[1].toggle("Alleen nieuw sinds je laatste bezoek", key="ob_new", disabled=new_since is None)
    return search.strip(), ItemFilter(tuple(reaches), tuple(chosen), new_since if only_new else None, rumours)


def last_visit(incident_id: int, viewer: str) -> datetime | None:
    """The viewer's previous visit, fixed for this browser session; the visit is recorded once."""
    key = f"ob_last_visit_{incident_id}"
    if key not in st.session_state:
        st.session_state[key] = data.fresh(Store.last_visit, viewer=viewer, incident_id=incident_id,
                                           page="omgevingsbeeld")
        if not data.store().read_only:  # an archived (read-only) file is shown without a visit
            data.store().record_visit(viewer, incident_id, "omgevingsbeeld", utcnow())
    return st.session_state[key]


def mark_read(incident_id: int, viewer: str) -> None:
    """From now on 'nieuw' means newer than this moment."""
    now = utcnow()
    if not data.store().read_only:  # an archived file: 'nieuw' is reset for this session only
        data.store().record_visit(viewer, incident_id, "omgevingsbeeld", now)
    st.session_state[f"ob_last_visit_{incident_id}"] = now


def item_list(items: pd.DataFrame, tags: pd.DataFrame, cfg: Config, new_since: datetime | None) -> None:
    """Newest first, PAGE_SIZE at a time, with chips, source, reach and 'kopie van'."""
    limit = st.session_state.get("ob_limit", PAGE_SIZE)
    shown = items.head(limit)
    own_tags = tags[tags["item_id"].isin(shown["id"])] if not tags.empty else tags  # not a frame per item of all
    by_item = dict(tuple(own_tags.groupby("item_id"))) if not own_tags.empty else {}
    empty = tags.iloc[0:0]
    refuting = debunk_items(shown, tags, cfg.rumours)
    for row in shown.itertuples(index=False):
        with st.container(border=True):
            fresh = new_since is not None and pd.Timestamp(row.fetched_at) > pd.Timestamp(new_since)
            st.markdown((":green-badge[nieuw] " if fresh else "") + f"**{md_escape(row.title)}**")
            meta = [md_escape(row.publisher), REACH_LABELS.get(row.reach, row.reach), fmt_local(row.published_at)]
            if isinstance(row.copy_of, str):
                meta.append(f"kopie van {md_escape(row.copy_of)}")
            st.caption(" · ".join(meta) + f" · relevantie {row.relevance:.2f}".replace(".", ","))
            own = by_item.get(row.id, empty)
            chips = chips_markdown(own, cfg.rumour_tags, refuted=row.id in refuting)
            if chips:
                st.markdown(chips)
            conflicts = resolve(own).conflicts
            if conflicts:  # the answer above is resolved; what it was resolved from, on request
                with st.expander(f"Herkenningen ({', '.join(conflicts)} tegenstrijdig)"):
                    st.dataframe(raw_matches(own), hide_index=True)
    if len(items) > limit and st.button(f"Meer tonen ({len(items) - limit} over)", key="ob_more"):
        st.session_state["ob_limit"] = limit + PAGE_SIZE
        st.rerun()


def item_view(items: pd.DataFrame, tags: pd.DataFrame) -> None:
    """One item in full with the matched terms highlighted, and why it is linked."""
    if items.empty:
        return
    titles = dict(zip(items["id"], items["title"], strict=True))
    chosen = st.selectbox("Bericht bekijken", list(titles), format_func=lambda i: titles[i][:120],
                          index=None, placeholder="Kies een bericht…", key="ob_item")
    if chosen is None:
        return
    row = items[items["id"] == chosen].iloc[0]
    own = tags[tags["item_id"] == chosen] if not tags.empty else tags
    spans = [(int(s), int(e), tag_label(ts, k)) for s, e, ts, k in
             zip(own.get("start_char", []), own.get("end_char", []), own.get("tag_set", []), own.get("tag_key", []),
                 strict=True)
             if ts not in HIDDEN_CHIPS and (ts, k) != ("person", "persoon")]
    with st.container(border=True):
        st.html(highlight_html(item_text(row["title"], row["summary"] or ""), spans))
        st.caption(f"{md_escape(row['publisher'])} · {fmt_local(row['published_at'])} · "
                   f"gekoppeld om: {md_escape(row['reasons'] or '—')}")
        url = row["url"]
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            st.link_button("Open bij de bron", url)
