"""Information-needs matrix: seed defaults, overdue rows, the press pre-send check, history, exports."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pandas as pd
import pytest

from comms.matrix import (
    COLUMNS,
    changed_rows,
    export_frame,
    load_defaults,
    mark_informed,
    merge_defaults,
    next_due,
    not_yet_informed,
    press_first_groups,
    to_blocks,
    to_xlsx,
    with_due,
)
from onrust.docx import read_docx_text, write_docx

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)
GROUPS = [
    "slachtoffers en verwanten", "verdachte/dader en verwanten", "direct betrokkenen",
    "buurt en bewoners", "scholen, kinderopvang, verenigingen", "zorgaanbieders en professionals",
    "medewerkers gemeente (balie, telefoon, website)", "burgemeester, wethouder, college",
    "gemeenteraad", "pers", "sleutelfiguren, bewonersorganisaties, religieuze instellingen",
    "ketenpartners (politie, OM, GGD, Veilig Thuis, OZJT)", "inspectie/toezichthouder", "buurgemeenten",
]


@pytest.fixture(scope="module")
def defaults() -> pd.DataFrame:
    return load_defaults()


def fresh(defaults: pd.DataFrame) -> pd.DataFrame:
    return merge_defaults(pd.DataFrame(columns=COLUMNS), defaults)


def test_defaults_hold_every_seed_doelgroep_with_timing(defaults):
    assert list(defaults["doelgroep"]) == GROUPS
    raad = defaults.set_index("doelgroep").loc["gemeenteraad"]
    assert (raad["lijn"], raad["prioriteit"], raad["eerste_binnen_uren"]) == ("2e lijn", "need-to-know", 4)
    assert "000 Bijlage 8" in raad["bron"]
    assert set(defaults["lijn"]) == {"1e lijn", "2e lijn"}
    assert defaults.set_index("doelgroep").loc["buurgemeenten", "prioriteit"] == "nice-to-know"
    filled = ("informatiebehoefte", "kanaal", "afzender", "timing", "privacy")
    assert all(defaults[c].str.len().gt(0).all() for c in filled)
    assert press_first_groups() == ("slachtoffers en verwanten", "direct betrokkenen", "gemeenteraad")


def test_council_is_due_before_the_press(defaults):
    """000 §2.3, 003 fase 2.7 and 004 Bijlage 4: the raad hears it before the media."""
    rows = defaults.set_index("doelgroep")
    assert rows.loc["gemeenteraad", "eerste_binnen_uren"] < rows.loc["pers", "eerste_binnen_uren"]
    assert GROUPS.index("gemeenteraad") < GROUPS.index("pers")
    assert "structurele problemen" in rows.loc["gemeenteraad", "informatiebehoefte"]


def test_overdue_follows_first_deadline_then_frequency(defaults):
    matrix = fresh(defaults)
    at_4h = with_due(matrix, T0, T0 + timedelta(hours=4)).set_index("doelgroep")
    assert sorted(at_4h.index[at_4h["achterstallig"]]) == [
        "burgemeester, wethouder, college", "ketenpartners (politie, OM, GGD, Veilig Thuis, OZJT)",
        "slachtoffers en verwanten",
    ]
    assert at_4h.loc["gemeenteraad", "volgende_keer"] == pd.Timestamp(T0 + timedelta(hours=4))
    informed = mark_informed(matrix, "slachtoffers en verwanten", T0 + timedelta(hours=2), "Burgemeester", "bezoek")
    matrix = merge_defaults(informed, defaults)
    later = with_due(matrix, T0, T0 + timedelta(hours=25)).set_index("doelgroep")
    assert not later.loc["slachtoffers en verwanten", "achterstallig"]  # due at 26h
    assert later.loc["slachtoffers en verwanten", "volgende_keer"] == pd.Timestamp(T0 + timedelta(hours=26))
    overdue = with_due(matrix, T0, T0 + timedelta(hours=27)).set_index("doelgroep")
    assert overdue.loc["slachtoffers en verwanten", "achterstallig"]


def test_closed_incident_is_not_overdue_past_its_close(defaults):
    closed = T0 + timedelta(hours=4)
    informed = mark_informed(fresh(defaults), "slachtoffers en verwanten", T0 + timedelta(hours=2), "Burgemeester",
                             "bezoek")
    matrix = merge_defaults(informed, defaults)
    month_later = with_due(matrix, T0, T0 + timedelta(days=30), closed).set_index("doelgroep")
    # Only deadlines missed while the incident was open count; the repeat due at 26h falls after the close.
    assert sorted(month_later.index[month_later["achterstallig"]]) == [
        "burgemeester, wethouder, college", "ketenpartners (politie, OM, GGD, Veilig Thuis, OZJT)",
    ]
    assert pd.isna(month_later.loc["slachtoffers en verwanten", "volgende_keer"])
    assert month_later.loc["gemeenteraad", "volgende_keer"] == pd.Timestamp(closed)  # due at the close: not late
    assert pd.isna(month_later.loc["pers", "volgende_keer"])
    open_still = with_due(matrix, T0, T0 + timedelta(days=30)).set_index("doelgroep")
    assert open_still.loc["gemeenteraad", "achterstallig"]
    assert open_still.loc["slachtoffers en verwanten", "achterstallig"]


def test_not_applicable_and_no_repeat_rows_are_never_overdue(defaults):
    row = defaults.set_index("doelgroep").loc["inspectie/toezichthouder"].to_dict()
    assert next_due(row, T0) == T0 + timedelta(hours=48)
    assert next_due({**row, "last_informed_at": pd.Timestamp(T0)}, T0) is None  # herhaal_uren = 0
    assert next_due({**row, "van_toepassing": False}, T0) is None
    assert next_due({**row, "eerste_binnen_uren": None}, T0) is None


def test_not_yet_informed_for_the_press_warning(defaults):
    groups = press_first_groups()
    rows = [
        {"doelgroep": "Slachtoffers en verwanten", "last_informed_at": T0},
        {"doelgroep": "gemeenteraad", "last_informed_at": None},
    ]
    assert not_yet_informed(rows, groups) == ["direct betrokkenen", "gemeenteraad"]
    assert not_yet_informed(rows, groups, since=T0 + timedelta(minutes=1)) == list(groups)
    assert not_yet_informed(pd.DataFrame(columns=COLUMNS), groups) == list(groups)
    frame = mark_informed(fresh(defaults), "direct betrokkenen", T0, "Wijkteam", "gesprek")
    assert not_yet_informed(frame, ["direct betrokkenen"]) == []


def test_store_round_trip_keeps_history(store, defaults):
    iid = store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    matrix = merge_defaults(store.info_matrix(iid), defaults)
    assert store.save_info_matrix(iid, matrix, "Anna", at=T0) == 14
    stored = merge_defaults(store.info_matrix(iid), defaults)
    assert list(stored["doelgroep"]) == GROUPS
    row = mark_informed(stored, "gemeenteraad", T0 + timedelta(hours=3), "Burgemeester", "raadsinformatiebrief")
    store.save_info_matrix(iid, row, "Anna", at=T0 + timedelta(hours=3))
    raad = store.info_matrix(iid).set_index("doelgroep").loc["gemeenteraad"]
    assert raad["last_informed_at"] == pd.Timestamp(T0 + timedelta(hours=3))
    assert (raad["last_informed_by"], raad["last_informed_what"]) == ("Burgemeester", "raadsinformatiebrief")
    assert raad["eerste_binnen_uren"] == 4
    history = store.info_matrix_history(iid)
    assert len(history) == 15
    raad = history[history["doelgroep"] == "gemeenteraad"]
    assert list(raad["last_informed_what"].fillna("")) == ["", "raadsinformatiebrief"]
    assert not_yet_informed(store.info_matrix(iid), press_first_groups()) == [
        "slachtoffers en verwanten", "direct betrokkenen"]
    with pytest.raises(ValueError, match="één keer"):
        store.save_info_matrix(iid, pd.concat([row, row]), "Anna")


def test_changed_rows_and_validation(defaults):
    before = fresh(defaults)
    after = before.copy()
    after.loc[after["doelgroep"] == "pers", "notes"] = "RTV Oost belt elk uur"
    after.loc[after["doelgroep"] == "buurgemeenten", "van_toepassing"] = False
    changes = changed_rows(before, after)
    assert list(changes["doelgroep"]) == ["pers", "buurgemeenten"]
    assert list(changes.columns) == COLUMNS
    after.loc[after["doelgroep"] == "pers", "lijn"] = "3e lijn"
    with pytest.raises(ValueError, match="Lijn: onbekende waarde"):
        changed_rows(before, after)
    with pytest.raises(ValueError, match="door wie"):
        mark_informed(before, "pers", T0, "", "persbericht")


def test_xlsx_and_docx_exports(defaults):
    matrix = mark_informed(fresh(defaults), "pers", T0, "Woordvoerder", "persbericht 1")
    matrix = with_due(merge_defaults(matrix, defaults), T0, T0 + timedelta(hours=4))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(matrix, incident="Onrust Veldwijk")))
    sheet = book["Informatiebehoefte"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Doelgroep", "Van toepassing", "Informatiebehoefte"]
    assert "Achterstallig" in header and sheet.max_row == 15
    pers = [c.value for c in sheet[11]]
    assert pers[0] == "pers" and pers[header.index("Laatst geïnformeerd")] == "ma 05-10-2026 14:00"
    assert pers[header.index("Wat")] == "persbericht 1"
    assert export_frame(matrix)["Achterstallig"].tolist().count("ja") == 3
    blocks = to_blocks(matrix, incident="Onrust Veldwijk", when=T0)
    text = read_docx_text(write_docx("Informatiebehoefte", "Veldwijk", T0, blocks))
    assert ("Achterstallig: slachtoffers en verwanten, burgemeester, wethouder, college, "
            "ketenpartners (politie, OM, GGD, Veilig Thuis, OZJT)") in text
    assert any(line.startswith("pers | Feiten (wat, waar, waarom)") and "Woordvoerder | persbericht 1" in line
               for line in text.splitlines())


def test_xlsx_export_writes_formula_like_text_as_text(defaults):
    formula = '=HYPERLINK("https://evil.example","Klik")'
    matrix = mark_informed(fresh(defaults), "pers", T0, "@woordvoerder", formula)
    matrix["notes"] = "+31 6 12345678"
    matrix = merge_defaults(matrix, defaults)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(matrix, incident="=1+1")))["Informatiebehoefte"]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    header = [c.value for c in sheet[1]]
    pers = {h: c.value for h, c in zip(header, sheet[11], strict=True)}
    assert (pers["Wat"], pers["Door"], pers["Notities"]) == (
        "'" + formula, "'@woordvoerder", "'+31 6 12345678")


def test_cli_exports_the_matrix(db_path, tmp_path, capsys):
    import json

    from app.cli import main
    from onrust.store import Store

    with Store.open(db_path) as s:
        s.migrate()
        iid = s.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    out = tmp_path / "matrix.xlsx"
    assert main(["informatiebehoefte", "export", "--db", str(db_path), "--incident", str(iid),
                 "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["achterstallig"]) == 14  # opened weeks ago, nobody informed yet
    assert openpyxl.load_workbook(out)["Informatiebehoefte"].max_row == 15
