"""`onrust incident ...` and `onrust log ...` through the real command line on a real DuckDB file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest

from app.cli import main
from onrust.store import Store


def _run(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def _open(capsys, db: Path, *extra: str) -> dict:
    code, out, err = _run(capsys, db, "incident", "open", "--name", "Brand woonwijk De Hoven",
                          "--municipality", "den haag", "--scenario", "zedenzaak",
                          "--opened", "14-11-2026 21:05", "--json", *extra)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_incident_open_show_list_with_the_sidebar_rules(capsys, db_path):
    opened = _open(capsys, db_path)
    assert (opened["id"], opened["name"], opened["municipality"], opened["scenario"], opened["status"]) == (
        1, "Brand woonwijk De Hoven", "'s-Gravenhage", "zedenzaak", "open")
    assert opened["opened_at"] == "2026-11-14T20:05:00+00:00"
    # the default watch profile: the municipality, from two days before the start
    assert opened["watch_profile"]["revision"] == 0 and opened["watch_profile"]["places"] == ["'s-Gravenhage"]
    assert opened["watch_profile"]["period_start"] == "2026-11-12T20:05:00+00:00"
    code, out, _ = _run(capsys, db_path, "incident", "show", "1")
    assert code == 0 and "scenario:   zedenzaak" in out and "volgprofiel: standaard" in out
    code, out, _ = _run(capsys, db_path, "incident", "list", "--json")
    assert [i["id"] for i in json.loads(out)] == [1]


def test_incident_open_refuses_each_bad_field_in_dutch(capsys, db_path):
    code, out, err = _run(capsys, db_path, "incident", "open", "--name", " ", "--municipality", "Amsterdm",
                          "--scenario", "brand", "--opened", "2030-01-01 10:00")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "onrust: Vul een naam in.",
        "Gemeente 'Amsterdm' staat niet in de lijst van gemeenten; bedoelt u Amsterdam?",
        "Onbekend scenario 'brand'; kies uit: zedenzaak, evenement, polarisatie, schulden_geweld, familiedrama,"
        " media_ophef_zorg, ernstig_geweld, misbruik_zorgaanbieder.",
        "Het begin ligt in de toekomst.",
    ]
    code, _, err = _run(capsys, db_path, "incident", "open", "--name", "X", "--municipality", "Uithoorn",
                        "--opened", "morgenavond laat")
    assert code == 2 and err.startswith("onrust: Onbekend tijdstip")
    with Store.open(db_path) as store:
        assert store.incidents() == []


def test_close_and_reopen_are_logged_decisions_and_closed_means_read_only(capsys, db_path):
    _open(capsys, db_path)
    code, _, err = _run(capsys, db_path, "incident", "close", "1", "--by", " ")
    assert (code, err) == (2, "onrust: Vul in wie het incident afsluit.\n")
    code, _, err = _run(capsys, db_path, "incident", "close", "1", "--by", "teamleider", "--at", "13-11-2026 10:00")
    assert code == 2 and "vóór de start" in err
    code, out, _ = _run(capsys, db_path, "incident", "close", "1", "--by", "teamleider", "--at", "2026-11-16T09:30",
                        "--json")
    assert code == 0 and json.loads(out)["closed_at"] == "2026-11-16T08:30:00+00:00"
    code, _, err = _run(capsys, db_path, "log", "add", "--incident", "1", "--kind", "actie", "--text", "Nog iets")
    assert code == 2 and err == ("onrust: Het incident is afgesloten; het logboek is alleen te lezen. "
                                 "Heropen het incident om aan te vullen.\n")
    code, out, _ = _run(capsys, db_path, "incident", "reopen", "1", "--by", "burgemeester")
    assert code == 0 and "heropend" in out
    code, out, _ = _run(capsys, db_path, "log", "list", "--incident", "1", "--besluiten", "--json")
    assert [(e["text"], e["author"], e["kind"]) for e in json.loads(out)] == [
        ("Incident afgesloten", "teamleider", "besluit"), ("Incident heropend", "burgemeester", "besluit")]


def test_log_add_correct_list_round_trip(capsys, db_path):
    _open(capsys, db_path)
    code, _, err = _run(capsys, db_path, "log", "add", "--incident", "1", "--kind", "notitie", "--text", " ",
                        "--author", "", "--link", "signaal:999")
    assert code == 2 and err.splitlines() == [
        "onrust: Onbekende soort 'notitie'; kies uit: gebeurtenis, actie, besluit, informatie gedeeld.",
        "Vul de tekst van de logboekregel in.", "Vul in wie de regel schrijft.",
        "Koppeling signaal 999 bestaat niet bij dit incident."]
    code, _, err = _run(capsys, db_path, "log", "add", "--incident", "1", "--kind", "actie", "--text", "x",
                        "--link", "tweet:4")
    assert code == 2 and "Onbekende koppeling 'tweet:4'" in err
    code, out, _ = _run(capsys, db_path, "log", "add", "--incident", "1", "--kind", "informatie gedeeld",
                        "--text", "Ouders per brief geïnformeerd", "--author", "wethouder", "--json")
    first = json.loads(out)
    assert (first["id"], first["kind"], first["author"], first["corrects"]) == (
        1, "informatie gedeeld", "wethouder", None)
    code, out, _ = _run(capsys, db_path, "log", "add", "--incident", "1", "--kind", "informatie gedeeld",
                        "--text", "Ouders en school per brief geïnformeerd", "--author", "wethouder",
                        "--corrects", "1", "--json")
    assert code == 0 and json.loads(out)["corrects"] == 1
    code, out, _ = _run(capsys, db_path, "log", "list", "--incident", "1")
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].endswith("wethouder: Ouders per brief geïnformeerd  [gecorrigeerd]")
    assert lines[1].endswith("wethouder: Ouders en school per brief geïnformeerd  [corrigeert #1]")
    code, _, err = _run(capsys, db_path, "log", "list", "--incident", "7")
    assert (code, err) == (2, "onrust: Incident 7 bestaat niet.\n")


@pytest.mark.parametrize("name", ["logboek.txt", "logboek"])
def test_log_export_needs_docx_or_csv(capsys, db_path, tmp_path, name):
    _open(capsys, db_path)
    code, _, err = _run(capsys, db_path, "log", "export", "--incident", "1", "--out", str(tmp_path / name))
    assert code == 2 and "Kies een .docx- of .csv-bestand" in err


def test_log_export_docx_and_neutralised_csv(capsys, db_path, tmp_path):
    _open(capsys, db_path)
    for kind, text in (("gebeurtenis", "=HYPERLINK(\"http://x\")"), ("besluit", "Opvang in sporthal")):
        code, _, _ = _run(capsys, db_path, "log", "add", "--incident", "1", "--kind", kind, "--text", text,
                          "--author", "@teamleider")
        assert code == 0
    out_csv, out_docx = tmp_path / "logboek.csv", tmp_path / "besluiten.docx"
    code, out, _ = _run(capsys, db_path, "log", "export", "--incident", "1", "--out", str(out_csv))
    assert code == 0 and out == f"2 regels geschreven naar {out_csv}.\n"
    rows = list(csv.reader(io.StringIO(out_csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["nummer", "tijd", "soort", "tekst", "door", "corrigeert", "koppelingen"]
    assert [(r[2], r[3], r[4]) for r in rows[1:]] == [
        ("Gebeurtenis", "'=HYPERLINK(\"http://x\")", "'@teamleider"), ("Besluit", "Opvang in sporthal", "'@teamleider")]
    code, _, _ = _run(capsys, db_path, "log", "export", "--incident", "1", "--besluiten", "--out", str(out_docx))
    assert code == 0
    document = docx.Document(str(out_docx))
    texts = [p.text for p in document.paragraphs]
    assert "Besluitenlijst Brand woonwijk De Hoven" in texts
    [table] = document.tables
    assert [[c.text for c in row.cells][2:5] for row in table.rows] == [
        ["soort", "tekst", "door"], ["Besluit", "Opvang in sporthal", "@teamleider"]]
    assert document.core_properties.author == "Gemeente 's-Gravenhage"
