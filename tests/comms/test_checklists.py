"""The seed checklists: every item present, state per incident, progress, phase focus, exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from comms.checklists import (
    STATE_COLUMNS,
    ChecklistError,
    changed_rows,
    focus_items,
    load_checklists,
    merge_state,
    overall,
    parse_checklist,
    progress,
    to_blocks,
    to_markdown,
)
from onrust.docx import read_docx_text, write_docx

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)
EMPTY = pd.DataFrame(columns=STATE_COLUMNS)

# Counted by hand in the seeds (see the comment at the top of each data file):
# 000 Bijlage 6: vragen 1-5 (5); contact slachtoffers (1 + 3 bullets); vraag 6-9 with the 7
#   kernbegrippen and 3 elementen (4 + 10); persboodschap 1-7 + 'later stadium' + 'geen namen' (9);
#   slotvragen 1-4 with website/calamiteitenpagina/persbericht and the 2 netwerkpartners (4 + 5).
# 004 Bijlage 4 checklist: 11 actions; sub-items 3 doelen, 3 doelgroepen, 6 functies, 9 kanalen
#   bevolking, 3 pers-bullets + OM-noot, 3 contact-bullets, 3 strafzaakfases + driehoek.
# 004 Bijlage 4 werkwijze: 7 steps with 2, 4, 3, 3, 7, 5, 0 points.
# 004 Bijlage 5: stap 1 11 + 7, stap 2 5 + 2, stap 3 doel + 4, stap 4 3 + 6 + 2, stap 5 6 + na
#   afloop, stap 6 intro + 2 + 3, stap 7 2 + 3, communicatie 3 + 5 + 11 + 3 + 4 + slotzin.
EXPECTED_ITEMS = {"perscommunicatie": 41, "communicatie": 43, "werkwijze": 31, "aanpak": 86}
EXPECTED_SECTIONS = {
    "perscommunicatie": [5, 4, 14, 9, 9],
    "communicatie": [4, 1, 4, 7, 1, 1, 1, 10, 5, 4, 5],
    "werkwijze": [3, 5, 4, 4, 8, 6, 1],
    "aanpak": [18, 7, 5, 11, 7, 6, 5, 27],
}


@pytest.fixture(scope="module")
def lists():
    return load_checklists()


def test_every_seed_item_is_in_the_data_files(lists):
    assert {cid: len(c.items) for cid, c in lists.items()} == EXPECTED_ITEMS
    assert list(lists) == ["perscommunicatie", "communicatie", "werkwijze", "aanpak"]
    for cid, counts in EXPECTED_SECTIONS.items():
        per_section = [sum(1 for i in lists[cid].items if i.section == s) for s in lists[cid].sections]
        assert per_section == counts, cid


def test_sections_follow_the_seed_order(lists):
    assert lists["aanpak"].sections == (
        "Stap 1: Beeldvorming", "Stap 2: Oordeelsvorming", "Stap 3: Besluitvorming",
        "Stap 4: Uitvoering", "Stap 5: Nazorg", "Stap 6: Evaluatie", "Stap 7: Verankering",
        "Communicatie",
    )
    assert lists["werkwijze"].sections[6] == "Stap 7: Cyclus continu herhalen"
    assert lists["perscommunicatie"].sections[1] == "Contact met (verwanten van) slachtoffers"


def test_items_carry_seed_reference_and_phases(lists):
    for checklist in lists.values():
        prefix = checklist.seed[:3]
        for item in checklist.items:
            assert item.ref.startswith(f"{prefix} Bijlage"), item.id
            assert set(item.phases) <= {1, 2, 3, 4, 5} and item.phases, item.id
    pers = {i.id: i for i in lists["perscommunicatie"].items}
    assert pers["pers.msg.geen_namen"].text == "Noem geen namen van slachtoffers en betrokkenen."
    assert pers["pers.v6"].ref == "000 Bijlage 6, vraag 6"
    assert pers["pers.v8.boegbeeld"].parent == "pers.v8"
    aanpak = {i.id: i for i in lists["aanpak"].items}
    assert aanpak["aanpak.c.speculeer"].text == "Speculeer nooit! Bericht alleen als je iets zeker weet."
    assert aanpak["aanpak.c.speculeer"].group == "De boodschap"


@pytest.mark.parametrize("items, message", [
    ([{"id": "a", "section": "S", "text": "t", "ref": "r", "phases": [2]},
      {"id": "a", "section": "S", "text": "t", "ref": "r", "phases": [2]}], "dubbel"),
    ([{"id": "a", "section": "S", "text": "t", "ref": "r", "phases": [6]}], "fases moeten 1-5"),
    ([{"id": "a", "section": "S", "text": "t", "ref": "r", "phases": [2], "parent": "x"}], "parent 'x'"),
    ([{"id": "a", "section": "S", "text": "", "ref": "r", "phases": [2]}], "mist 'text'"),
    ([], "geen items"),
])
def test_inconsistent_data_files_are_refused(items, message):
    data = {"id": "x", "title": "X", "seed": "000", "reference": "B", "items": items}
    with pytest.raises(ChecklistError, match=message):
        parse_checklist(data, "x.toml")


def test_merge_state_defaults_to_open_and_marks_phase_items(lists):
    werkwijze = lists["werkwijze"]
    state = pd.DataFrame([
        {"item_id": "ww.2.lokaal", "status": "gedaan", "owner": "Anna", "note": "alleen lokaal",
         "updated_at": T0, "updated_by": "Anna"},
    ])
    merged = merge_state(werkwijze, state, phase=2)
    row = merged.set_index("item_id").loc["ww.2.lokaal"]
    assert (row["status"], row["owner"], row["note"], row["nu"]) == ("gedaan", "Anna", "alleen lokaal", True)
    assert merged.set_index("item_id").loc["ww.7", "status"] == "open"
    # ww.2.pool matters in phases 3-4, not in 2; ww.6.nazorg only in 4-5
    assert not merged.set_index("item_id").loc["ww.2.pool", "nu"]
    assert merged["nu"].sum() == 22
    assert merge_state(werkwijze, EMPTY, phase=None)["nu"].sum() == 0
    assert "ww.2.lokaal" not in set(focus_items(merged)["item_id"])


def test_progress_per_section_ignores_not_applicable(lists):
    pers = lists["perscommunicatie"]
    state = pd.DataFrame({
        "item_id": ["pers.v1", "pers.v2", "pers.v5", "pers.contact.bezoek"],
        "status": ["gedaan", "gedaan", "n.v.t.", "gedaan"],
        "owner": "", "note": "", "updated_at": T0, "updated_by": "Anna",
    })
    merged = merge_state(pers, state)
    stats = progress(merged).set_index("section")
    first = stats.loc["Vraag 1-5: wat is er aan de hand"]
    assert (first["totaal"], first["gedaan"], first["nvt"], first["open"]) == (5, 2, 1, 2)
    assert first["aandeel"] == pytest.approx(0.5)
    assert stats.loc["Contact met (verwanten van) slachtoffers", "aandeel"] == pytest.approx(0.25)
    assert stats.loc["Heldere persboodschappen", "aandeel"] == 0
    assert overall(merged) == (3, 40)


def test_changed_rows_finds_only_real_edits_by_item_id(lists):
    merged = merge_state(lists["werkwijze"], EMPTY)
    edited = merged.copy()
    edited.loc[edited["item_id"] == "ww.3", "status"] = "gedaan"
    edited.loc[edited["item_id"] == "ww.4.analyse", "owner"] = "Omgevingsanalist"
    shuffled = edited.iloc[::-1]  # the editor may show the rows sorted differently
    changes = changed_rows(merged, shuffled)
    assert sorted(changes["item_id"]) == ["ww.3", "ww.4.analyse"]
    assert changes.set_index("item_id").loc["ww.4.analyse", "owner"] == "Omgevingsanalist"
    edited.loc[edited["item_id"] == "ww.1", "status"] = "klaar"
    with pytest.raises(ValueError, match="onbekende status"):
        changed_rows(merged, edited)


def test_store_keeps_state_and_history(store, lists):
    iid = store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    first = pd.DataFrame({"item_id": ["pers.v1", "pers.v7"], "status": ["gedaan", "open"],
                          "owner": ["Anna", "Bram"], "note": ["", "OM en gemeente"]})
    assert store.save_checklist_changes(iid, "perscommunicatie", first, "Anna", at=T0) == 2
    again = pd.DataFrame({"item_id": ["pers.v7"], "status": ["gedaan"], "owner": ["Bram"], "note": ["afgestemd"]})
    store.save_checklist_changes(iid, "perscommunicatie", again, "Bram", at=T0 + timedelta(hours=1))
    state = store.checklist_state(iid, "perscommunicatie").set_index("item_id")
    assert state.loc["pers.v7", "status"] == "gedaan" and state.loc["pers.v7", "updated_by"] == "Bram"
    assert state.loc["pers.v1", "updated_at"] == pd.Timestamp(T0)
    history = store.checklist_history(iid, "pers.v7")
    assert list(history["status"]) == ["open", "gedaan"]
    assert list(history["changed_by"]) == ["Anna", "Bram"]
    assert store.checklist_state(iid, "aanpak").empty
    with pytest.raises(ValueError, match="wie"):
        store.save_checklist_changes(iid, "perscommunicatie", again, " ")
    other = store.create_incident("Ander incident", "Veldwijk", T0)
    assert store.checklist_state(other).empty


def test_markdown_export_lists_every_item_with_state(lists):
    state = pd.DataFrame([{"item_id": "ww.1", "status": "gedaan", "owner": "Anna", "note": "beeld klaar",
                           "updated_at": T0, "updated_by": "Anna"},
                          {"item_id": "ww.2.extern", "status": "n.v.t.", "owner": "", "note": "",
                           "updated_at": T0, "updated_by": "Bram"}])
    merged = merge_state(lists["werkwijze"], state, phase=2)
    text = to_markdown(lists["werkwijze"], merged, incident="Onrust Veldwijk", municipality="Veldwijk",
                       phase=2, when=T0)
    lines = text.splitlines()
    assert lines[0] == "# Werkwijze crisiscommunicatie (7 stappen)"
    assert "Voortgang: 1 van 30 gedaan (n.v.t. niet meegeteld)." in lines
    assert "## Stap 1: Beeld vormen van maatschappelijke impact, informatiebehoefte (1/3)" in lines
    assert any(line.startswith("- [x] Beeld vormen van maatschappelijke impact") and "★" in line for line in lines)
    assert "  - eigenaar: Anna; notitie: beeld klaar; gedaan door Anna, ma 05-10-2026 14:00" in lines
    assert ("  - [-] Bij een projectteam/werkgroep communicatie: externe expertise inhuren? "
            "(004 Bijlage 4, werkwijze stap 2)") in lines
    assert sum(1 for line in lines if line.lstrip().startswith("- [")) == 31


def test_docx_export_round_trips(lists):
    state = pd.DataFrame([{"item_id": "aanpak.c.oneliners", "status": "gedaan", "owner": "Cor",
                           "note": "drie oneliners", "updated_at": T0, "updated_by": "Cor"}])
    merged = merge_state(lists["aanpak"], state, phase=3)
    blocks = to_blocks(lists["aanpak"], merged, incident="Onrust Veldwijk", municipality="Veldwijk",
                       phase=3, when=T0)
    data = write_docx(lists["aanpak"].title, "Veldwijk", T0, blocks)
    text = read_docx_text(data)
    assert "Checklist aanpak (dreigende) maatschappelijke onrust" in text
    assert "Communicatie (1/27)" in text
    assert ("Zorg voor een aantal oneliners die iedereen kan gebruiken. ★ | gedaan | Cor | drie oneliners | "
            "Cor, ma 05-10-2026 14:00") in text
    assert "Item | Status | Eigenaar | Notitie | Door, wanneer" in text
    assert text.count(" | open | ") == 85


def test_cli_exports_checklists(db_path, tmp_path, capsys):
    from app.cli import main
    from onrust.store import Store

    with Store.open(db_path) as s:
        s.migrate()
        iid = s.create_incident("Onrust Veldwijk", "Veldwijk", T0)
        s.save_checklist_changes(iid, "werkwijze", pd.DataFrame(
            {"item_id": ["ww.7"], "status": ["gedaan"], "owner": [""], "note": [""]}), "Anna")
    md = tmp_path / "out" / "werkwijze.md"
    assert main(["checklist", "export", "--db", str(db_path), "--incident", str(iid), "--out", str(md),
                 "--checklist", "werkwijze", "--fase", "3"]) == 0
    text = md.read_text(encoding="utf-8")
    assert "- [x] Cyclus continu herhalen: de aanpak doorlopend aanpassen aan de informatiebehoefte. ★" in text
    assert "Incident: Onrust Veldwijk (gemeente Veldwijk) · MO-fase 3" in text
    with Store.open(db_path) as s:
        s.record_official_phase(iid, 5, "Rust keert terug", "Burgemeester")
    docx_out = tmp_path / "alle.docx"
    assert main(["checklist", "export", "--db", str(db_path), "--incident", str(iid), "--out", str(docx_out)]) == 0
    text = read_docx_text(docx_out.read_bytes())
    assert text.count("Item | Status | Eigenaar | Notitie | Door, wanneer") == 5 + 11 + 7 + 8
    assert "MO-fase 5" in text  # no --fase: the official phase
    assert "Bedank betrokkenen en het netwerk voor hun rol. ★ | open" in text
    assert main(["checklist", "export", "--db", str(db_path), "--incident", "99", "--out", str(md)]) == 2
    pdf = str(tmp_path / "x.pdf")
    assert main(["checklist", "export", "--db", str(db_path), "--incident", str(iid), "--out", pdf]) == 2
    assert "Incident 99 bestaat niet" in capsys.readouterr().err


def test_state_as_of_replays_the_history(store, lists, db_path, tmp_path):
    from app.cli import main
    from comms.checklists import state_as_of

    iid = store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    for hours, status, who in ((1, "open", "Anna"), (2, "gedaan", "Bram"), (5, "n.v.t.", "Cor")):
        store.save_checklist_changes(iid, "werkwijze", pd.DataFrame(
            {"item_id": ["ww.3"], "status": [status], "owner": [who], "note": [""]}), who,
            at=T0 + timedelta(hours=hours))
    store.save_checklist_changes(iid, "werkwijze", pd.DataFrame(
        {"item_id": ["ww.4"], "status": ["gedaan"], "owner": [""], "note": [""]}), "Anna", at=T0 + timedelta(hours=4))
    history = store.checklist_history(iid)
    at_3h = state_as_of(history, T0 + timedelta(hours=3)).set_index("item_id")
    assert list(at_3h.index) == ["ww.3"]
    assert at_3h.loc["ww.3", ["status", "updated_by"]].tolist() == ["gedaan", "Bram"]
    at_6h = state_as_of(history, T0 + timedelta(hours=6)).set_index("item_id")
    assert at_6h.loc["ww.3", "status"] == "n.v.t." and at_6h.loc["ww.4", "status"] == "gedaan"
    assert state_as_of(history, T0).empty
    store.close()
    out = tmp_path / "stand.md"
    # 16:30 Amsterdam = 14:30 UTC = T0 + 2.5 h
    assert main(["checklist", "export", "--db", str(db_path), "--incident", str(iid), "--out", str(out),
                 "--checklist", "werkwijze", "--stand-van", "2026-10-05 16:30"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "- [x] Voorzien in maatschappelijke informatiebehoeften" in text
    assert "stand van ma 05-10-2026 16:30" in text and "Voortgang: 1 van 31 gedaan" in text
    assert main(["checklist", "export", "--db", str(db_path), "--incident", str(iid), "--out", str(out),
                 "--stand-van", "31-02-2026"]) == 2
