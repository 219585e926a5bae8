"""`onrust press check` and `onrust press person`: output, JSON and exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.cli import main

T0 = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)

CLEAN = (
    "Uithoorn, 22 november 2026 – Bij een brand in een woning is zaterdagavond een bewoner om het leven gekomen.\n"
    "Burgemeester Heiliegers: \"Onze gedachten zijn bij de familie.\"\n"
)


def test_clean_text_exits_zero(tmp_path, capsys):
    path = tmp_path / "persbericht.txt"
    path.write_text(CLEAN, encoding="utf-8")
    assert main(["press", "check", str(path), "--db", str(tmp_path / "x.duckdb")]) == 0
    assert "Geen bevindingen." in capsys.readouterr().out
    assert not (tmp_path / "x.duckdb").exists()  # without --incident no database is opened


def test_registered_name_blocks_with_exit_one(tmp_path, capsys, db_path, store):
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    store.close()
    assert main(["press", "person", "add", "--incident", str(incident), "--name", "Mark de Vries",
                 "--role", "slachtoffer", "--by", "Anna", "--db", str(db_path)]) == 0
    path = tmp_path / "persbericht.md"
    path.write_text("Het slachtoffer, M. de Vries, was 47 jaar.\nDe dader zou zijn gevlucht.\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["press", "check", str(path), "--incident", str(incident), "--db", str(db_path), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["blocking"] is True
    first = [(f["rule"], f["passage"], f["start"]) for f in out["findings"]][:1]
    assert first == [("betrokkene_naam", "M. de Vries", 17)]
    assert {f["rule"] for f in out["findings"]} >= {"dader", "speculatie"}
    assert out["counts"]["blokkerend"] == 1

    main(["press", "check", str(path), "--incident", str(incident), "--db", str(db_path)])
    text = capsys.readouterr().out
    assert '[BLOKKEREND] Naam van een betrokkene (regel 1, kolom 18)\n  Passage: "M. de Vries"' in text
    assert "Bron: 000 Bijlage 6" in text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig", "cp1252"])
def test_registered_name_is_found_in_every_usual_encoding(tmp_path, capsys, db_path, store, encoding):
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    store.close()
    assert main(["press", "person", "add", "--incident", str(incident), "--name", "Mark de Vries",
                 "--role", "slachtoffer", "--by", "Anna", "--db", str(db_path)]) == 0
    path = tmp_path / "persbericht.txt"
    text = "Het slachtoffer, Mark de Vries, was 47 jaar. Geïnformeerd is de buurt."
    path.write_bytes(text.encode(encoding))
    capsys.readouterr()
    code = main(["press", "check", str(path), "--incident", str(incident), "--db", str(db_path), "--json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["rule"], f["passage"], f["start"]) for f in findings][:1] == [
        ("betrokkene_naam", "Mark de Vries", 17)]


def test_word_bomb_and_broken_package_are_clear_errors(tmp_path, capsys):
    import io
    import zipfile

    from onrust.docx import Paragraph, write_docx

    plain = write_docx("Persbericht", "Uithoorn", T0, [Paragraph("Tekst.")])
    with zipfile.ZipFile(tmp_path / "los.docx", "w") as dst, zipfile.ZipFile(io.BytesIO(plain)) as src:
        for info in src.infolist():
            if info.filename != "[Content_Types].xml":
                dst.writestr(info.filename, src.read(info))
    assert main(["press", "check", str(tmp_path / "los.docx")]) == 2
    assert "los.docx is geen leesbaar Word-bestand (.docx)" in capsys.readouterr().err
    with zipfile.ZipFile(tmp_path / "bom.docx", "w", zipfile.ZIP_DEFLATED) as dst, \
            zipfile.ZipFile(io.BytesIO(plain)) as src:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info) if info.filename != "word/document.xml"
                         else b"<w:p/>" * 10_000_000)
    assert main(["press", "check", str(tmp_path / "bom.docx")]) == 2
    assert "bom.docx is uitgepakt meer dan 50 MB" in capsys.readouterr().err


def test_a_two_megabyte_text_is_checked_in_linear_time(tmp_path, db_path, store):
    """Every rule used to rescan the text per finding (19 s for 0.5 MB, 207 s for 2 MB); a real
    process gets a minute for 2 MB, several times what the linear checks need."""
    import subprocess
    import sys

    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    store.add_incident_person(incident, "Mark Bakker", "slachtoffer", "Anna")
    store.close()
    paragraph = ("Burgemeester Jan Jansen sprak woensdag met bewoners. Volgens Piet de Vries zou de dader "
                 "zo snel mogelijk worden opgepakt. Mark Bakker en Anna Smit waren erbij, net als wethouder "
                 "Karin Visser. De politie meldt dat niemand gewond is geraakt bij de onrust in Veldwijk.\n")
    path = tmp_path / "lang.txt"
    path.write_text(paragraph * (2_000_000 // len(paragraph) + 1), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "app.cli", "press", "check", str(path), "--incident",
                          str(incident), "--db", str(db_path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1, out.stderr[-2000:]
    assert out.stdout.rstrip().endswith("hint.") and "[BLOKKEREND] Naam van een betrokkene" in out.stdout


def test_fields_file_checks_mandatory_parts(tmp_path, capsys):
    path = tmp_path / "velden.toml"
    path.write_text('titel = "Brand in woning"\nwat = "Er was brand."\n', encoding="utf-8")
    assert main(["press", "check", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    missing = [f["where"] for f in out["findings"] if f["severity"] == "blokkerend"]
    assert missing == ["contact_pers", "duiding", "empathie", "telefoon", "vervolginfo", "waar", "wanneer"]


def test_bad_input_is_a_user_error(tmp_path, capsys):
    assert main(["press", "check", str(tmp_path / "bestaat-niet.txt")]) == 2
    assert "Bestand niet gevonden" in capsys.readouterr().err
    path = tmp_path / "p.txt"
    path.write_text(CLEAN, encoding="utf-8")
    assert main(["press", "check", str(path), "--incident", "99", "--db", str(tmp_path / "y.duckdb")]) == 2
    assert "Incident 99 bestaat niet" in capsys.readouterr().err


def test_word_file_is_read(tmp_path, capsys):
    from onrust.docx import Paragraph, write_docx

    path = tmp_path / "persbericht.docx"
    promise = Paragraph("Wij garanderen dat dit nooit meer gebeurt.")
    path.write_bytes(write_docx("Persbericht", "Uithoorn", T0, [promise]))
    assert main(["press", "check", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["passage"]) for f in out["findings"]] == [
        ("belofte", "garanderen"), ("belofte", "nooit meer gebeurt")]
    (tmp_path / "kapot.docx").write_bytes(b"geen zip")
    assert main(["press", "check", str(tmp_path / "kapot.docx")]) == 2


def test_render_writes_variants_and_docx(tmp_path, capsys):
    from onrust.docx import read_docx_text

    path = tmp_path / "velden.toml"
    path.write_text(
        'titel = "Brand in woning"\nwat = "Er was brand in een woning."\nwaar = "in de wijk Thamerdal"\n'
        'wanneer = "zaterdagavond"\nwebsite = "uithoorn.nl/calamiteit"\n',
        encoding="utf-8",
    )
    assert main(["press", "render", str(path), "--municipality", "Uithoorn", "--variant", "social"]) == 0
    # A fields file has no approval behind it: what comes out is a CONCEPT (as on the page).
    assert capsys.readouterr().out == (
        "===== Sociale media =====\nCONCEPT – Sociale media: Brand in woning\n\n"
        "CONCEPT – niet verspreiden: status concept, nog niet goedgekeurd.\n\n"
        "Brand in woning\nEr was brand in een woning.\nMeer informatie: uithoorn.nl/calamiteit\n"
    )
    out = tmp_path / "persbericht.docx"
    assert main(["press", "render", str(path), "--municipality", "Uithoorn", "--variant", "persbericht",
                 "--docx", str(out)]) == 0
    lines = read_docx_text(out.read_bytes()).split("\n")
    assert lines[0] == "CONCEPT – Persbericht: Brand in woning"
    assert "CONCEPT – niet verspreiden: status concept, nog niet goedgekeurd." in lines[:4]
    assert main(["press", "render", str(path), "--municipality", "Uithoorn", "--docx", str(out)]) == 2


def test_render_masks_the_names_registered_for_the_incident(tmp_path, capsys, db_path, store):
    """Issue: a registered name reached an exported draft; the CLI texts mask it like the page."""
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    store.add_incident_person(incident, "Mark de Vries", "slachtoffer", "Anna")
    store.close()
    path = tmp_path / "velden.toml"
    path.write_text('titel = "Brand in woning"\nwat = "Mark de Vries en M. de Vries zijn gewond."\n',
                    encoding="utf-8")
    assert main(["press", "render", str(path), "--municipality", "Uithoorn", "--variant", "persbericht",
                 "--incident", str(incident), "--db", str(db_path), "--json"]) == 0
    text = json.loads(capsys.readouterr().out)["variants"][0]["text"]
    assert "Vries" not in text and text.count("[naam]") == 2


def test_shipped_example_is_clean(capsys):
    from onrust.paths import DATA_DIR

    example = DATA_DIR / "press_templates" / "voorbeeld_velden.toml"
    assert main(["press", "check", str(example), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"blokkerend": 0, "waarschuwing": 0, "hint": 0}
