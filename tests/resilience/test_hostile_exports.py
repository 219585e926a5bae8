"""Every export of an OPEN incident whose items, signal, logbook, matrix and persbericht hold hostile
text (tests/resilience/hostile.py): built by the page as a user downloads it, opened with the
library that reads its format, and checked. The hostile text is in it as text; nothing in it can
run: no formula cell, no hyperlink in a Word file, no live HTML in the review report."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
from docx import Document
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from pypdf import PdfReader

from collectors.signals import validate_signal
from comms.logbook import add_entry
from comms.press import fields_to_dict
from onrust.store import Store
from onrust.store.shared import close_shared
from onrust.timeutil import utcnow
from tests.collectors.conftest import FeedServer
from tests.comms.press_example import EXAMPLE
from tests.pages.apptest import downloads, finish_job, open_page
from tests.resilience import hostile, procs

pytestmark = pytest.mark.slow

PLACE = "Uithoorn"
# A line typed by a person, as hostile as the feeds: into the signal, the logbook, the matrix, the persbericht.
TYPED = '=HYPERLINK("http://evil.example/t","klik") <script>alert(9)</script> [x](javascript:alert(8)) \u202eRTL'
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")  # a negative number is a value, not a formula
# The tables of `onrust export` that hold the hostile text.
CLI_CSVS = ("items.csv", "signals.csv", "logbook.csv", "info_matrix.csv", "press_versions.csv")


def _signal(incident: int) -> object:
    outcome = validate_signal({
        "kind": "gerucht", "source_type": "sociale media", "reliability": "C", "credibility": 3,
        "verification": "onbevestigd", "severity": 4, "municipality": PLACE, "occurred_at": "12-10-2026 11:00",
        "reported_at": "12-10-2026 11:05", "text": TYPED, "entered_by": "analist", "incident": incident},
        now=utcnow())
    assert not isinstance(outcome, list), outcome
    return outcome


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    tmp = tmp_path_factory.mktemp("vijandig")
    db = tmp / "onrust.duckdb"
    assert procs.onrust("init", "--db", str(db)).returncode == 0
    pixels = FeedServer()
    pixel = pixels.add("/pixel.png", body=b"\x89PNG", headers={"Content-Type": "image/png"})
    incident, linked = hostile.open_incident_with(db, PLACE, pixel, tmp)
    assert linked == len(hostile.items(pixel, PLACE))
    with Store.open(db) as store:
        store.add_signal(_signal(incident))
        add_entry(store, incident, "besluit", TYPED, "analist")
        store.save_info_matrix(incident, pd.DataFrame([{"doelgroep": "pers", "notes": TYPED}]), "analist")
        release = store.create_press_release(incident, fields_to_dict(replace(EXAMPLE, titel=TYPED, wat=TYPED)),
                                             "analist")
    yield db, incident, release
    pixels.close()


@pytest.fixture
def served(hostile_db, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Every file the pages offer for the hostile incident, by file name."""
    db, incident, release = hostile_db
    monkeypatch.setenv("ONRUST_DB", str(db))
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    session = {"incident_id": incident, f"press_release_{incident}": release}
    files: dict[str, bytes] = {}
    try:
        for page in ("signalen.py", "communicatie.py", "logboek.py", "overleg.py"):
            with downloads() as got:
                at = open_page(page, **session)
            assert not at.exception, (page, [e.value for e in at.exception])
            files.update(got)
        with downloads() as got:
            at = open_page("omgevingsbeeld.py", **session)
            next(b for b in at.button if b.label == "Omgevingsbeeld maken").click()
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        files.update(got)
        for page, button, job in (("temperatuur.py", "PDF voor het driehoekoverleg maken", f"brief_job_{incident}"),
                                  ("terugblik.py", "Rapport maken (HTML)", "terugblik_report_job")):
            at = open_page(page, **session)
            next(b for b in at.button if b.label == button).click()
            at.run()
            status = finish_job(at, job, timeout=240)
            assert status.state == "done", (page, status.message, status.error)
            name = f"{page.removesuffix('.py')}.{'pdf' if status.result[:4] == b'%PDF' else 'html'}"
            files[name] = status.result if isinstance(status.result, bytes) else status.result.encode()
    finally:
        close_shared(db)
    out = db.parent / "export"
    exported = procs.onrust("export", "--db", str(db), "--out", str(out))  # the CLI's CSVs, a real process
    assert exported.returncode == 0, exported.stderr
    files.update({f"export-{name}": (out / name).read_bytes() for name in CLI_CSVS})
    yield files


def _docx(data: bytes) -> tuple[str, list[str]]:
    """Text of the paragraphs and tables, and what could act: hyperlinks, fields, external targets."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels")))
    live = [m for m in ("<w:hyperlink", 'TargetMode="External"', "<w:fldSimple", "<w:instrText") if m in xml]
    return "\n".join(parts), live


def _xlsx(data: bytes) -> tuple[str, list[str]]:
    book = load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    live = [f"{c.coordinate}: {str(c.value)[:40]}" for c in cells
            if c.data_type == "f" or (isinstance(c.value, str) and FORMULA.match(c.value))]
    live += [f"{c.coordinate}: link" for c in cells if c.hyperlink is not None]
    return "\n".join(str(c.value) for c in cells), live


def _csv(data: bytes) -> tuple[str, list[str]]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))
    return text, [cell[:40] for row in rows for cell in row if FORMULA.match(cell) and not NUMBER.match(cell)]


def _pdf(data: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    links = [a for page in reader.pages for a in (page.get("/Annots") or [])]
    return "\n".join(page.extract_text() for page in reader.pages), [f"{len(links)} annotations"] if links else []


def _live_html(html: str) -> list[str]:
    """Elements and attributes through which the hostile text would act in a browser: a script
    that calls alert, an event handler, a javascript: or pixel target, the img of a feed item.
    (The review report carries its own scripts, for the chart: those do not call alert.)"""
    found: list[str] = []
    for el in lxml.html.document_fromstring(html).iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "script" and (el.text or "").strip().startswith("alert("):  # injected, not chart data
            found.append("script")
        for attr, value in el.attrib.items():
            if attr.startswith("on") and "alert" in value:
                found.append(f"{el.tag} {attr}")
            if attr in ("href", "src") and (value.strip().lower().startswith("javascript:") or "pixel" in value
                                            or "evil.example" in value or value == "x"):
                found.append(f"{el.tag} {attr}={value[:40]}")
    return found


def _html(data: bytes) -> tuple[str, list[str]]:
    text = data.decode("utf-8")
    return text, _live_html(text)


def _markdown(data: bytes) -> tuple[str, list[str]]:
    """Rendered as a Markdown viewer would (CommonMark with HTML on), then checked as HTML."""
    text = data.decode("utf-8")
    return text, _live_html(f"<html><body>{MarkdownIt('commonmark').render(text)}</body></html>")


READERS = {".docx": _docx, ".xlsx": _xlsx, ".csv": _csv, ".pdf": _pdf, ".html": _html, ".md": _markdown,
           ".txt": lambda data: (data.decode("utf-8"), [])}
# Exports that hold no item, signal, logbook, matrix or press text (templates, checklist, evaluation).
WITHOUT = ("signalen-sjabloon-", "perscommunicatie-", "evaluatie-")
KINDS = ("signalen-", "persbericht-", "website-", "social-", "bewonersbrief-", "raadsinformatie-",
         "woordvoeringslijn-", "informatiebehoefte-", "logboek-", "agenda-", "overdracht-", "evaluatie-",
         "omgevingsbeeld-", "temperatuur.pdf", "terugblik.html", *(f"export-{name}" for name in CLI_CSVS))


def test_every_export_holds_the_hostile_text_as_inert_text(served, tmp_path: Path):
    assert [k for k in KINDS if not any(name.startswith(k) for name in served)] == []
    live, missing = {}, []
    for name, data in served.items():
        (tmp_path / name).write_bytes(data)  # kept to open by hand when this fails
        text, found = READERS[Path(name).suffix](data)
        if found:
            live[name] = found
        if not name.startswith(WITHOUT) and not ("alert(" in text and "HYPERLINK" in text):
            missing.append(name)
    assert live == {}, tmp_path
    assert missing == []
