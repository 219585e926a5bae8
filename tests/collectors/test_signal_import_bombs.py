"""Hostile XLSX files given to the signal import: refused with a clear message, in bounded memory.

Each import runs as a real `onrust signal import` process under an address-space cap, so a reader
that trusts the sheet's dimension or unpacks a zip bomb fails the test instead of the machine.
"""

from __future__ import annotations

import io
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.collectors.test_signals_import import HEADER, ROWS

MEMORY_CAP = 1_500_000_000  # the import process needs about 0.5 GB of address space on its own


def _plain_xlsx() -> bytes:
    book = Workbook()
    book.active.title = "signalen"
    book.active.append(HEADER.split(";"))
    book.active.append(ROWS[0].split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(tmp_path: Path, change: dict[str, bytes], extra: int = 0, shared_strings: int = 0) -> Path:
    """The plain workbook with some members replaced, `extra` tiny members added, and a shared
    string table of `shared_strings` entries (written in pieces: it unpacks to 22 bytes each)."""
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(io.BytesIO(_plain_xlsx())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change.get(info.filename, src.read(info))
            if shared_strings and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                    b'sharedStrings+xml"/></Types>')
            dst.writestr(info.filename, data)
        for i in range(extra):
            dst.writestr(f"customXml/item{i}.xml", b"<a/>")
        if shared_strings:
            with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
                table.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                for _ in range(shared_strings // 100_000):
                    table.write(b"<si><t>gerucht</t></si>" * 100_000)
                table.write(b"</sst>")
    return path


def _capped_import(path: Path, db: Path) -> subprocess.CompletedProcess:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run([sys.executable, "-m", "app.cli", "signal", "import", str(path),
                           "--db", str(db)], capture_output=True, text=True, timeout=60, preexec_fn=cap)


def test_a_huge_sheet_dimension_is_not_trusted(tmp_path):
    """7 KB: the dimension claims every cell of the sheet and one cell sits in the last one."""
    with zipfile.ZipFile(io.BytesIO(_plain_xlsx())) as plain:
        sheet = plain.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                           b'<is><t>x</t></is></c></row></sheetData>')
    path = _rewrite(tmp_path, {"xl/worksheets/sheet1.xml": sheet})
    assert path.stat().st_size < 10_000
    out = _capped_import(path, tmp_path / "t.duckdb")
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr, out.stderr[-2000:]
    assert out.returncode == 2
    assert ("bom.xlsx: niets geïmporteerd. Rij 1048576 heeft meer dan 100 kolommen; "
            "dit is geen signalenlijst.") in out.stdout


def test_many_rows_stop_at_the_row_limit(tmp_path):
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>gerucht</t></is></c></row>' % (i, i)
                    for i in range(3, 200_003))
    with zipfile.ZipFile(io.BytesIO(_plain_xlsx())) as plain:
        sheet = plain.read("xl/worksheets/sheet1.xml").replace(b"</sheetData>", rows + b"</sheetData>")
    out = _capped_import(_rewrite(tmp_path, {"xl/worksheets/sheet1.xml": sheet}), tmp_path / "t.duckdb")
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert "bom.xlsx: niets geïmporteerd. Meer dan 5000 rijen; splits het bestand." in out.stdout


@pytest.mark.parametrize("extra, shared_strings, says", [
    (0, 20_000_000, "is uitgepakt meer dan 50 MB; dat is geen gewoon Excel-bestand (XLSX)"),  # 440 MB
    (2000, 0, "is geen gewoon Excel-bestand (XLSX): het bevat meer dan 1000 onderdelen"),
])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, extra, shared_strings, says):
    path = _rewrite(tmp_path, {}, extra, shared_strings)
    assert path.stat().st_size < 2_000_000
    out = _capped_import(path, tmp_path / "t.duckdb")
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert f"bom.xlsx: niets geïmporteerd. bom.xlsx {says}" in out.stdout
