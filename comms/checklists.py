"""The seed checklists (data/checklists/*.toml) and their per-incident state: progress, phase focus, exports.

The items are facts from the protocols, so they live in data files; this module only reads them
and combines them with the state a municipality records (status, owner, note, who and when).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from onrust.display import seed_title
from onrust.docx import Block, Bullets, Heading, Paragraph, Table
from onrust.paths import DATA_DIR
from onrust.timeutil import fmt_local, to_utc

CHECKLIST_DIR = DATA_DIR / "checklists"

Status = Literal["open", "gedaan", "n.v.t."]
STATUSES: tuple[Status, ...] = ("open", "gedaan", "n.v.t.")
PHASES = (1, 2, 3, 4, 5)

# Columns of a checklist's state as the store returns it and the page edits it.
STATE_COLUMNS = ["item_id", "status", "owner", "note", "updated_at", "updated_by"]
EDITABLE = ["status", "owner", "note"]
_MARK = {"open": "[ ]", "gedaan": "[x]", "n.v.t.": "[-]"}


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    section: str
    text: str
    ref: str
    phases: tuple[int, ...]
    parent: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    title: str
    seed: str
    reference: str
    order: int
    items: tuple[ChecklistItem, ...]

    @property
    def sections(self) -> tuple[str, ...]:
        """Sections in the order the seed gives them."""
        return tuple(dict.fromkeys(item.section for item in self.items))


class ChecklistError(ValueError):
    """A checklist data file is inconsistent; the message names the file and the item."""


def parse_checklist(data: Mapping, source: str = "<checklist>") -> Checklist:
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for raw in data.get("items", []):
        iid = raw.get("id", "")
        where = f"{source}: item {iid or '?'}"
        for key in ("id", "section", "text", "ref", "phases"):
            if not raw.get(key):
                raise ChecklistError(f"{where} mist '{key}'")
        if iid in seen:
            raise ChecklistError(f"{where} komt dubbel voor")
        phases = tuple(int(p) for p in raw["phases"])
        if any(p not in PHASES for p in phases):
            raise ChecklistError(f"{where}: fases moeten 1-5 zijn, niet {list(phases)}")
        parent = raw.get("parent")
        if parent is not None and parent not in seen:
            raise ChecklistError(f"{where}: parent '{parent}' staat niet vóór dit item")
        seen.add(iid)
        items.append(ChecklistItem(
            id=iid, section=raw["section"], text=raw["text"], ref=raw["ref"], phases=phases,
            parent=parent, group=raw.get("group"),
        ))
    if not items:
        raise ChecklistError(f"{source}: geen items")
    return Checklist(
        id=data["id"], title=data["title"], seed=data["seed"], reference=data["reference"],
        order=int(data.get("order", 99)), items=tuple(items),
    )


def load_checklist(path: Path) -> Checklist:
    with path.open("rb") as fh:
        return parse_checklist(tomllib.load(fh), path.name)


def load_checklists(folder: Path = CHECKLIST_DIR) -> dict[str, Checklist]:
    """Every checklist, keyed by id, in the order the page shows them."""
    found = [load_checklist(p) for p in sorted(folder.glob("*.toml"))]
    ids = [c.id for c in found]
    if len(set(ids)) != len(ids):
        raise ChecklistError(f"dubbele checklist-id's in {folder}: {ids}")
    item_ids = [i.id for c in found for i in c.items]
    if len(set(item_ids)) != len(item_ids):
        raise ChecklistError("item-id's moeten over alle checklists uniek zijn")
    return {c.id: c for c in sorted(found, key=lambda c: (c.order, c.id))}


def relevant_in_phase(item: ChecklistItem, phase: int | None) -> bool:
    return phase is not None and phase in item.phases


def merge_state(checklist: Checklist, state: pd.DataFrame, phase: int | None = None) -> pd.DataFrame:
    """One row per item (seed order) with its recorded state; unrecorded items are 'open'.

    `nu` marks items that matter most in the current MO-fase, so the page can highlight them.
    """
    rows = pd.DataFrame({
        "item_id": [i.id for i in checklist.items],
        "section": [i.section for i in checklist.items],
        "group": [i.group or "" for i in checklist.items],
        "parent": [i.parent or "" for i in checklist.items],
        "text": [i.text for i in checklist.items],
        "ref": [i.ref for i in checklist.items],
        "phases": [", ".join(str(p) for p in i.phases) for i in checklist.items],
        "nu": [relevant_in_phase(i, phase) for i in checklist.items],
    })
    recorded = state.reindex(columns=STATE_COLUMNS)
    merged = rows.merge(recorded, on="item_id", how="left")
    merged["status"] = merged["status"].fillna("open")
    merged["owner"] = merged["owner"].fillna("")
    merged["note"] = merged["note"].fillna("")
    merged["updated_by"] = merged["updated_by"].fillna("")
    return merged


def progress(merged: pd.DataFrame) -> pd.DataFrame:
    """Per section: counts and the share done of what applies (n.v.t. items do not count)."""
    counts = pd.crosstab(merged["section"], merged["status"]).reindex(columns=list(STATUSES), fill_value=0)
    order = list(dict.fromkeys(merged["section"]))
    counts = counts.reindex(order, fill_value=0)
    out = pd.DataFrame({
        "section": order,
        "totaal": counts.sum(axis=1).to_numpy(),
        "gedaan": counts["gedaan"].to_numpy(),
        "nvt": counts["n.v.t."].to_numpy(),
        "open": counts["open"].to_numpy(),
    })
    applies = out["totaal"] - out["nvt"]
    out["aandeel"] = (out["gedaan"] / applies.where(applies > 0)).fillna(1.0)
    return out


def overall(merged: pd.DataFrame) -> tuple[int, int]:
    """(done, applicable) over the whole checklist."""
    applicable = int((merged["status"] != "n.v.t.").sum())
    return int((merged["status"] == "gedaan").sum()), applicable


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The items whose status, owner or note differ after an edit, with the new values.

    Compared by item_id so a sorted or filtered editor view still maps to the right items.
    """
    old = before.set_index("item_id")[EDITABLE].fillna("").astype(str)
    new = after.set_index("item_id")[EDITABLE].fillna("").astype(str)
    new = new[new.index.isin(old.index)]
    bad = sorted(set(new["status"]) - set(STATUSES))
    if bad:
        raise ValueError(f"onbekende status {bad}; kies uit {', '.join(STATUSES)}")
    diff = (new != old.loc[new.index]).any(axis=1)
    return new[diff].reset_index()


def _state_line(row: Mapping) -> str:
    parts = []
    if row["owner"]:
        parts.append(f"eigenaar: {row['owner']}")
    if row["note"]:
        parts.append(f"notitie: {row['note']}")
    if row["updated_by"]:
        parts.append(f"{row['status']} door {row['updated_by']}, {fmt_local(row['updated_at'])}")
    return "; ".join(parts)


def _section_title(stats: pd.DataFrame, section: str) -> str:
    row = stats.loc[section]
    return f"{section} ({int(row['gedaan'])}/{int(row['totaal'] - row['nvt'])})"


def _header(checklist: Checklist, incident: str, municipality: str, phase: int | None, when: datetime) -> list[str]:
    phase_text = f"MO-fase {phase}" if phase else "MO-fase onbekend"
    return [
        f"Bron: {seed_title(checklist.seed[:3] + ' ' + checklist.reference)}",
        f"Incident: {incident} (gemeente {municipality}) · {phase_text} · stand van {fmt_local(when)}",
    ]


def to_markdown(
    checklist: Checklist, merged: pd.DataFrame, *, incident: str, municipality: str,
    phase: int | None, when: datetime,
) -> str:
    """A Markdown copy for e-mail or the logbook: [x] gedaan, [-] n.v.t., ★ = nu van belang."""
    done, applicable = overall(merged)
    lines = [f"# {checklist.title}", "", *(f"_{h}_  " for h in _header(checklist, incident, municipality, phase, when))]
    lines += ["", f"Voortgang: {done} van {applicable} gedaan (n.v.t. niet meegeteld).", ""]
    stats = progress(merged).set_index("section")
    for section, rows in merged.groupby("section", sort=False):
        lines += [f"## {_section_title(stats, section)}", ""]
        group = ""
        for row in rows.to_dict("records"):
            if row["group"] and row["group"] != group:
                group = row["group"]
                lines += [f"### {group}", ""]
            indent = "  " if row["parent"] else ""
            star = " ★" if row["nu"] else ""
            state = _state_line(row)
            lines.append(f"{indent}- {_MARK[row['status']]} {row['text']}{star} ({row['ref']})")
            if state:
                lines.append(f"{indent}  - {state}")
        lines.append("")
    if phase:
        lines.append(f"★ = van belang in MO-fase {phase}.")
    return "\n".join(lines).rstrip() + "\n"


def to_blocks(checklist: Checklist, merged: pd.DataFrame, *, incident: str, municipality: str,
              phase: int | None, when: datetime) -> list[Block]:
    """Document blocks for onrust.docx.write_docx: one table per section."""
    done, applicable = overall(merged)
    blocks: list[Block] = [Paragraph(h, italic=True) for h in _header(checklist, incident, municipality, phase, when)]
    blocks.append(Paragraph(f"Voortgang: {done} van {applicable} gedaan (n.v.t. niet meegeteld)."))
    stats = progress(merged).set_index("section")
    for section, rows in merged.groupby("section", sort=False):
        blocks.append(Heading(_section_title(stats, section), level=2))
        table_rows = tuple(
            (
                ("   " if r["parent"] else "") + r["text"] + (" ★" if r["nu"] else ""),
                r["status"], r["owner"], r["note"],
                f"{r['updated_by']}, {fmt_local(r['updated_at'])}" if r["updated_by"] else "",
            )
            for r in rows.to_dict("records")
        )
        blocks.append(Table(("Item", "Status", "Eigenaar", "Notitie", "Door, wanneer"), table_rows))
    if phase:
        blocks.append(Bullets((f"★ = van belang in MO-fase {phase}.",)))
    return blocks


def state_as_of(history: pd.DataFrame, when: datetime) -> pd.DataFrame:
    """Checklist state as it stood at `when`, rebuilt from checklist_history (for the evaluation)."""
    known = history[history["changed_at"] <= pd.Timestamp(to_utc(when))]
    last = known.drop_duplicates("item_id", keep="last")  # history comes in change order
    return last.rename(columns={"changed_at": "updated_at", "changed_by": "updated_by"}).reset_index(drop=True)


def focus_items(merged: pd.DataFrame) -> pd.DataFrame:
    """Open items that matter in the current phase: the communicatieadviseur's to-do list."""
    return merged[merged["nu"] & (merged["status"] == "open")]

