"""The information-needs matrix: who needs what, through which channel, and who is overdue.

Default doelgroepen come from data/stakeholders.toml (seed facts); a municipality edits them per
incident. "Overdue" is computed from the row's timing (first informing within N hours of the
incident, then every M hours) and when the group was last informed.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from onrust import display
from onrust.docx import Block, Paragraph, Table
from onrust.paths import DATA_DIR
from onrust.text import excel_safe
from onrust.timeutil import fmt_local, to_utc

STAKEHOLDERS = DATA_DIR / "stakeholders.toml"

TEXT_COLUMNS = ["informatiebehoefte", "lijn", "prioriteit", "kanaal", "afzender", "timing", "privacy", "notes"]
COLUMNS = [
    "doelgroep", "van_toepassing", *TEXT_COLUMNS[:6], "eerste_binnen_uren", "herhaal_uren",
    "last_informed_at", "last_informed_by", "last_informed_what", *TEXT_COLUMNS[6:],
]
LIJNEN = ("1e lijn", "2e lijn")
PRIORITEITEN = ("need-to-know", "nice-to-know")
# Dutch headers for exports (the page uses the same labels).
LABELS = {
    "doelgroep": "Doelgroep", "van_toepassing": "Van toepassing", "informatiebehoefte": "Informatiebehoefte",
    "lijn": "Lijn", "prioriteit": "Need/nice", "kanaal": "Kanaal/middel", "afzender": "Afzender",
    "timing": "Timing/frequentie", "eerste_binnen_uren": "Eerste keer binnen (uur)",
    "herhaal_uren": "Daarna elke (uur)", "last_informed_at": "Laatst geïnformeerd",
    "last_informed_by": "Door", "last_informed_what": "Wat", "privacy": "Privacygrenzen",
    "notes": "Notities", "volgende_keer": "Volgende keer uiterlijk", "achterstallig": "Achterstallig",
    "bron": "Bron (seed)",
}


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_defaults(path: Path = STAKEHOLDERS) -> pd.DataFrame:
    """The default matrix rows in seed order, with `bron` naming where each default comes from."""
    groups = _load(path)["groups"]
    frame = pd.DataFrame(groups).rename(columns={"ref": "bron"})
    frame["van_toepassing"] = True
    frame["notes"] = ""
    for col in ("last_informed_at", "last_informed_by", "last_informed_what"):
        frame[col] = None
    frame["last_informed_at"] = pd.to_datetime(frame["last_informed_at"], utc=True)
    if frame["doelgroep"].duplicated().any():
        raise ValueError(f"dubbele doelgroep in {path.name}")
    return frame[[*COLUMNS, "bron"]]


def press_first_groups(path: Path = STAKEHOLDERS) -> tuple[str, ...]:
    """Groups to inform before any press release (see the comment in stakeholders.toml)."""
    return tuple(_load(path)["press_first"])


def merge_defaults(stored: pd.DataFrame, defaults: pd.DataFrame) -> pd.DataFrame:
    """Stored rows win; default groups not yet stored are shown with their defaults.

    Order: default groups in seed order, then groups the municipality added, alphabetically.
    """
    stored = stored.reindex(columns=COLUMNS).copy()
    stored["last_informed_at"] = pd.to_datetime(stored["last_informed_at"], utc=True)
    missing = defaults[~defaults["doelgroep"].isin(stored["doelgroep"])]
    parts = [f for f in (stored, missing[COLUMNS]) if not f.empty]
    merged = pd.concat(parts, ignore_index=True) if parts else defaults[COLUMNS].iloc[0:0].copy()
    rank = {g: i for i, g in enumerate(defaults["doelgroep"])}
    merged["_rank"] = [rank.get(g, len(rank)) for g in merged["doelgroep"]]
    merged = merged.sort_values(["_rank", "doelgroep"], kind="stable").drop(columns="_rank")
    merged = merged.merge(defaults[["doelgroep", "bron"]], on="doelgroep", how="left")
    merged["bron"] = merged["bron"].fillna("")
    merged["van_toepassing"] = merged["van_toepassing"].fillna(True).astype(bool)
    return merged.reset_index(drop=True)


def _hours(value: Any) -> float | None:
    """Hours from a cell of any kind (number, numeric text, empty, NaN); None when it holds none."""
    try:
        hours = float(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(hours) else hours


def next_due(row: Mapping, opened_at: datetime) -> datetime | None:
    """When the group must be informed (again); None when nothing is due."""
    if not bool(row.get("van_toepassing", True)):
        return None
    last = row.get("last_informed_at")
    if last is None or pd.isna(last):
        first = _hours(row.get("eerste_binnen_uren"))
        return None if first is None else to_utc(opened_at) + timedelta(hours=first)
    repeat = _hours(row.get("herhaal_uren"))
    if not repeat:  # 0 or empty: only on new facts
        return None
    return to_utc(pd.Timestamp(last).to_pydatetime()) + timedelta(hours=repeat)


def with_due(
    frame: pd.DataFrame, opened_at: datetime, now: datetime, closed_at: datetime | None = None,
) -> pd.DataFrame:
    """A copy with `volgende_keer` (deadline) and `achterstallig` (deadline passed).

    A closed incident has no deadlines after its close: those are blanked, and only a
    deadline missed while the incident was open still counts as overdue. Judged at the close,
    only a group never informed is overdue: repeats keep people up to date while the incident
    runs and end with it (otherwise nearly every group of a closed incident reads as late).
    """
    out = frame.copy()
    due = [next_due(row, opened_at) for row in frame.to_dict("records")]
    deadline = pd.to_datetime(pd.Series(due, index=frame.index, dtype=object), utc=True)
    cutoff = pd.Timestamp(to_utc(now))
    late_at_close = pd.Series(True, index=frame.index)
    if closed_at is not None:
        closed = pd.Timestamp(to_utc(closed_at))
        deadline = deadline.where(deadline.isna() | (deadline <= closed))
        if cutoff >= closed:
            late_at_close = frame.get("last_informed_at", pd.Series(None, index=frame.index)).isna()
        cutoff = min(cutoff, closed)
    out["volgende_keer"] = deadline
    out["achterstallig"] = deadline.notna() & (deadline < cutoff) & late_at_close
    return out


def not_yet_informed(
    rows: pd.DataFrame | Iterable[Mapping], groups: Sequence[str], *, since: datetime | None = None,
) -> list[str]:
    """Which of `groups` have not been informed (at all, or not since `since`), in `groups` order.

    `rows` are info_matrix rows (a DataFrame or mappings with doelgroep and last_informed_at);
    names match case-insensitively. A group without a row counts as not informed.
    """
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    informed: dict[str, datetime] = {}
    for row in records:
        last = row.get("last_informed_at")
        if last is None or pd.isna(last):
            continue
        informed[str(row["doelgroep"]).strip().lower()] = to_utc(pd.Timestamp(last).to_pydatetime())
    cutoff = to_utc(since) if since else None
    missing = []
    for group in groups:
        at = informed.get(group.strip().lower())
        if at is None or (cutoff is not None and at < cutoff):
            missing.append(group)
    return missing


def mark_informed(frame: pd.DataFrame, doelgroep: str, at: datetime, by: str, what: str) -> pd.DataFrame:
    """The one matrix row for `doelgroep` with its last-informed fields set, ready to save."""
    if not by.strip() or not what.strip():
        raise ValueError("vul in door wie en wat er is gedeeld")
    row = frame[frame["doelgroep"] == doelgroep]
    if row.empty:
        raise ValueError(f"onbekende doelgroep '{doelgroep}'")
    row = row[COLUMNS].copy()
    row["last_informed_at"] = pd.Timestamp(to_utc(at))
    row["last_informed_by"] = by.strip()
    row["last_informed_what"] = what.strip()
    return row.reset_index(drop=True)


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.set_index("doelgroep").reindex(columns=COLUMNS[1:]).astype(object)
    return out.where(out.notna(), "").astype(str)


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Rows (whole, new values) whose content differs after an edit, matched by doelgroep."""
    old, new = _norm(before), _norm(after)
    new = new[new.index.isin(old.index)]
    for col, allowed in (("lijn", LIJNEN), ("prioriteit", PRIORITEITEN)):
        bad = sorted(set(new[col]) - set(allowed) - {""})
        if bad:
            raise ValueError(f"{LABELS[col]}: onbekende waarde {bad}; kies uit {', '.join(allowed)}")
    diff = (new != old.loc[new.index]).any(axis=1)
    keys = new.index[diff]
    return after[after["doelgroep"].isin(keys)][COLUMNS].reset_index(drop=True)


def _cell(value: object) -> str:
    """An export cell through the display layer; nothing stays an empty cell (a spreadsheet's none)."""
    return "" if display.is_missing(value) else display.value(value)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Display/export copy: Dutch headers, local times, plain text."""
    cols = [c for c in [*COLUMNS, "volgende_keer", "achterstallig", "bron"] if c in frame.columns]
    return display.frame(frame[cols], headers=LABELS, plain=True)


def to_blocks(frame: pd.DataFrame, *, incident: str, when: datetime) -> list[Block]:
    """Word blocks: one compact table (the whole matrix is too wide for a page in portrait)."""
    blocks: list[Block] = [Paragraph(f"Incident: {incident} · stand van {fmt_local(when)}", italic=True)]
    late = frame[frame["achterstallig"]] if "achterstallig" in frame.columns else frame.iloc[0:0]
    if not late.empty:
        blocks.append(Paragraph("Achterstallig: " + ", ".join(late["doelgroep"]), bold=True))
    cols = ["doelgroep", "informatiebehoefte", "lijn", "prioriteit", "kanaal", "afzender", "timing",
            "last_informed_at", "last_informed_by", "last_informed_what", "privacy", "notes"]
    rows = tuple(tuple(_cell(r[c]) for c in cols) for r in frame.to_dict("records"))
    blocks.append(Table(tuple(LABELS[c] for c in cols), rows))
    return blocks


def to_xlsx(frame: pd.DataFrame, *, incident: str) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        export_frame(frame).map(excel_safe).to_excel(writer, sheet_name="Informatiebehoefte", index=False)
        sheet = writer.sheets["Informatiebehoefte"]
        sheet.freeze_panes = "B2"
        writer.book.properties.title = f"Informatiebehoefte {incident}"
    return out.getvalue()


def matrix_as_of(history: pd.DataFrame, moment: datetime) -> pd.DataFrame:
    """The stored matrix rows as they stood at `moment`, rebuilt from info_matrix_history (the same
    columns as Store.info_matrix): a past period shows who had been informed by its end."""
    cutoff = pd.Timestamp(to_utc(moment))
    past = history[pd.to_datetime(history["changed_at"], utc=True) <= cutoff]
    last = past.groupby("doelgroep", sort=False).tail(1)
    return last.rename(columns={"changed_at": "updated_at", "changed_by": "updated_by"}).reset_index(drop=True)
