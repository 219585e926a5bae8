"""Import of signals from CSV or XLSX, with a report of every row.

Policy: every row is validated on its own. Valid rows go in, rows with errors are reported with
their reasons and skipped; the valid rows of one file are stored in ONE transaction, so a crash
while saving stores none of them (never half a file, never half a row) and the import can simply
be repeated. The template's example rows (column Voorbeeld = VOORBEELD, or a text that starts with
VOORBEELD) are refused, so an untouched template never adds a fictional signal. Each signal's key
(a hash of its normalised content: incident, kind, source type, place, times, text) makes
re-imports idempotent: a row already stored is reported as duplicate.
A file that cannot be read, lacks required columns or exceeds the size limits imports nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from collectors.signals import FIELDS, LABELS, as_int, as_raw, is_blank, parse_when, scales, validate_signal
from onrust.archives import ArchiveError, check_zip
from onrust.errors import IncidentClosed, UserError
from onrust.models import SignalInput
from onrust.paths import DATA_DIR
from onrust.settings import Settings, load_settings
from onrust.text import decode_text, excel_original, excel_safe
from onrust.timeutil import local, utcnow

if TYPE_CHECKING:
    from onrust.store import Store

TEMPLATE = DATA_DIR / "signals_template.csv"  # Dutch headers (LABELS); the English field names still import
EXAMPLE_COLUMN = "Voorbeeld"  # the template's marker column ...
EXAMPLE_MARK = "VOORBEELD"  # ... and what it says on an example row (its text starts with it too)
_EXAMPLE_TEXT = re.compile(rf"^\s*{EXAMPLE_MARK}\b")
REQUIRED_COLUMNS = ("kind", "source_type", "reliability", "severity", "municipality",
                    "occurred_at", "reported_at", "text")
Status = Literal["ok", "duplicate", "error"]
STATUS_LABELS = {"ok": "toegevoegd", "duplicate": "dubbel", "error": "fout"}


class TableError(UserError):
    """The file as a whole cannot be used; nothing from it is imported."""


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int                      # as the spreadsheet numbers it: the header is row 1
    status: Status
    reasons: tuple[str, ...] = ()
    signal_id: int | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    file: str
    rows: tuple[RowResult, ...] = ()
    problems: tuple[str, ...] = ()  # file-level: nothing was imported
    warnings: tuple[str, ...] = ()  # file-level, harmless (an ignored column)
    detail: str = ""  # the database's own text when storing failed (a read-only file), for support

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        """True when nothing needs the user's attention."""
        return not self.problems and self.count("error") == 0

    def summary(self) -> str:
        if self.problems:
            return f"{self.file}: niets geïmporteerd. " + " ".join(self.problems)
        return (f"{self.file}: {self.count('ok')} toegevoegd, {self.count('duplicate')} dubbel, "
                f"{self.count('error')} met fouten (overgeslagen)")

    def as_dict(self) -> dict:
        return {**asdict(self), "added": self.count("ok"), "duplicates": self.count("duplicate"),
                "errors": self.count("error")}


# -- reading ------------------------------------------------------------------------------------
# The template has 13 columns; a row with content beyond this many is no signal list (and a sheet
# claiming the whole width of Excel would otherwise cost 16,384 cells per row).
MAX_COLUMNS = 100
EXCEL_MAX_ROWS = 1_048_576  # no real workbook has more; a row number beyond it is a forgery
# One shared, read-only blank row: a sheet with a million empty rows costs a list, not a million dicts.
_BLANK: Mapping[str, object] = MappingProxyType({})


def read_table(path: str | Path, *, max_rows: int | None = None) -> list[Mapping[str, object]]:
    """Rows of a CSV (; , or tab; UTF-8 with or without BOM, UTF-16, else Windows-1252) or XLSX file.

    Row i of the result is spreadsheet row i + 2; blank rows stay as empty mappings so the
    numbering matches what the user sees in Excel. More than `max_rows` rows with content is
    refused while reading, so a huge sheet is never built in memory.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(f"Bestand {path} kan niet worden gelezen: {exc.strerror or exc}") from exc
    return parse_table(data, path.name, max_rows=max_rows)


def parse_table(data: bytes, name: str, *, max_rows: int | None = None) -> list[Mapping[str, object]]:
    """As read_table, for bytes that came from an upload."""
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        return _parse_xlsx(data, name, max_rows)
    return _parse_csv(data, name, max_rows)


def _parse_csv(data: bytes, name: str, max_rows: int | None) -> list[Mapping[str, object]]:
    try:
        text = decode_text(data)  # Excel "CSV (puntkomma)" on Windows is cp1252, "Unicode-tekst" UTF-16
    except ValueError as exc:
        raise TableError(f"{name} is geen tekstbestand (CSV) en geen Excel-bestand (XLSX)") from exc
    header = next((line for line in text.splitlines() if line.strip()), "")
    if not header:
        raise TableError(f"{name} is leeg")
    delimiter = max(";,\t", key=header.count)
    try:
        return _rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), name, max_rows)
    except csv.Error as exc:
        raise TableError(f"{name} is geen geldig CSV-bestand: {exc}") from exc


def _parse_xlsx(data: bytes, name: str, max_rows: int | None) -> list[Mapping[str, object]]:
    from openpyxl import load_workbook

    try:
        check_zip(data, name, "Excel-bestand (XLSX)")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ArchiveError as exc:
        raise TableError(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(f"{name} is geen leesbaar Excel-bestand (XLSX): {exc}") from exc
    try:
        sheet = next((ws for ws in book.worksheets if ws.title.casefold() == "signalen"),
                     book.worksheets[0])
        sheet.reset_dimensions()  # the stated size is not trusted: rows come as stored, unpadded
        return _rows(sheet.iter_rows(values_only=True), name, max_rows)
    finally:
        book.close()


def _rows(records: Iterable[Sequence[object]], name: str, max_rows: int | None) -> list[Mapping[str, object]]:
    """Streamed: stops at the first row that breaks a limit, before the rest is read."""
    header: list[str] | None = None
    rows: list[Mapping[str, object]] = []
    filled = 0
    for number, record in enumerate(records, start=1):
        if number > EXCEL_MAX_ROWS:
            raise TableError(f"{name} heeft meer dan {EXCEL_MAX_ROWS} rijen; dit is geen signalenlijst.")
        width = len(record)
        while width and is_blank(record[width - 1]):
            width -= 1
        if width > MAX_COLUMNS:
            raise TableError(f"Rij {number} heeft meer dan {MAX_COLUMNS} kolommen; "
                             "dit is geen signalenlijst.")
        if header is None:  # blank lines above the header are skipped
            if width:
                header = [str(h).strip() if h is not None else "" for h in record[:width]]
            continue
        if not width:
            rows.append(_BLANK)
            continue
        filled += 1
        if max_rows is not None and filled > max_rows:
            raise TableError(f"Meer dan {max_rows} rijen; splits het bestand.")
        # Values as exported (excel_original); a row may be shorter or longer than the header.
        row: dict[str, object] = {h: excel_original(v) for h, v in zip(header, record, strict=False) if h}
        extra = [v for v in record[len(header):width] if not is_blank(v)]
        if extra:
            row["__extra__"] = extra
        rows.append(row)
    if header is None:
        raise TableError(f"{name} is leeg")
    return rows


def column_field(header: str) -> str | None:
    """Map a column header to a field: the field name itself or a Dutch alias (data file)."""
    key = re.sub(r"\(.*?\)", "", str(header)).strip().casefold()
    key = re.sub(r"[\s\-]+", "_", key).strip("_*")
    if key in FIELDS or key == "entered_at":
        return key
    if key in (EXAMPLE_COLUMN.casefold(), "example"):
        return "example"
    return scales().column_aliases.get(key)


def export_csv(signals: list[dict]) -> bytes:
    """Stored signals as an import file (template columns, Dutch local times, ';', UTF-8 BOM for
    Excel): what is exported can be edited in Excel and imported elsewhere without duplicates.
    Text that Excel would run as a formula is neutralised; the import restores it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([LABELS[f] for f in FIELDS])
    for signal in signals:
        raw = as_raw(signal)
        writer.writerow(["" if is_blank(raw[f]) else excel_safe(raw[f]) for f in FIELDS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(rows: int = 500) -> bytes:
    """The template as an Excel workbook: the example row, date cells and drop-down lists for
    the coded fields (so most typing errors never reach the import), plus a sheet of meanings."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sc = scales()
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook has exactly one sheet
    sheet.title = "signalen"
    sheet.append([LABELS[f] for f in FIELDS] + [EXAMPLE_COLUMN])
    example = {column_field(header): value for header, value in read_table(TEMPLATE)[0].items()}
    sheet.append([_cell(field, example.get(field)) for field in FIELDS] + [example.get("example")])
    choices: dict[str, Sequence[object]] = {"kind": list(sc.kinds), "source_type": list(sc.source_types),
               "reliability": list(sc.reliability), "credibility": list(sc.credibility),
               "verification": list(sc.verification), "severity": list(sc.severity)}
    for index, field in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 60 if field == "text" else 18
        if field in choices:
            check = DataValidation(type="list", formula1='"' + ",".join(map(str, choices[field])) + '"',
                                   allow_blank=True, showErrorMessage=True,
                                   errorTitle=LABELS[field], error="Kies een waarde uit de lijst.")
            check.add(f"{letter}2:{letter}{rows + 1}")
            sheet.add_data_validation(check)
        if field in ("occurred_at", "reported_at"):
            sheet.cell(row=2, column=index).number_format = "dd-mm-yyyy hh:mm"
    legend = book.create_sheet("toelichting")
    legend.append(["veld", "waarde", "betekenis"])
    for field, scale in (("kind", sc.kinds), ("source_type", sc.source_types),
                         ("reliability", sc.reliability), ("credibility", sc.credibility),
                         ("verification", sc.verification), ("severity", sc.severity)):
        for value, meaning in scale.items():
            legend.append([LABELS[field], value, meaning])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(field: str, value: object) -> object:
    """Template values as Excel would hold them: numbers as numbers, times as date cells."""
    if field in ("occurred_at", "reported_at") and not is_blank(value):
        return local(parse_when(value, now=utcnow(), allow_relative=False)).replace(tzinfo=None)
    number = as_int(value) if field in ("credibility", "severity") else None
    return number if number is not None else ("" if is_blank(value) else value)


# -- importing ----------------------------------------------------------------------------------
def import_signals(
    store: Store,
    path: str | Path,
    *,
    incident_id: int | None,
    entered_by: str,
    settings: Settings | None = None,
    now: datetime | None = None,
    backfill: bool = False,
) -> ImportReport:
    """Read, validate and store one file (see the module docstring for the policy).

    `backfill` (archives, the demo): each signal counts as entered when it was reported, so a
    replay "as of" a moment shows it from then on instead of from the import.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportReport(path.name, problems=(f"Bestand kan niet worden gelezen: {exc.strerror or exc}",))
    return import_signal_bytes(store, data, path.name, incident_id=incident_id,
                               entered_by=entered_by, settings=settings, now=now, backfill=backfill)


def import_signal_bytes(
    store: Store,
    data: bytes,
    name: str,
    *,
    incident_id: int | None,
    entered_by: str,
    settings: Settings | None = None,
    now: datetime | None = None,
    backfill: bool = False,
) -> ImportReport:
    """As import_signals, for an upload."""
    limits = (settings or load_settings()).signals
    if len(data) > limits.max_import_bytes:
        return ImportReport(name, problems=(
            f"Het bestand is {_size(len(data))}; de grens is {_size(limits.max_import_bytes)}. "
            "Splits het bestand.",))
    try:
        table = parse_table(data, name, max_rows=limits.max_import_rows)
    except TableError as exc:
        return ImportReport(name, problems=(str(exc),))
    mapping, problems, warnings = _columns(table)
    if problems:
        return ImportReport(name, problems=tuple(problems), warnings=tuple(warnings))
    incidents = {i.id: i for i in store.incidents()}
    if (problem := _incident_problem(incident_id, incidents)) is not None:
        return ImportReport(name, problems=(problem,))
    now = now or utcnow()

    results: dict[int, RowResult] = {}
    valid: list[tuple[int, SignalInput]] = []
    first_row: dict[str, int] = {}
    for index, source in enumerate(table):
        number = index + 2
        if not source:
            continue
        outcome = _validate_row(source, mapping, incident_id, incidents, entered_by, now)
        if isinstance(outcome, list):
            results[number] = RowResult(number, "error", tuple(outcome))
        elif outcome.key in first_row:
            results[number] = RowResult(number, "duplicate", (
                f"zelfde signaal als rij {first_row[outcome.key]} in dit bestand",))
        else:
            first_row[outcome.key] = number
            valid.append((number, replace(outcome, entered_at=outcome.reported_at) if backfill else outcome))
    return _store_valid(store, name, valid, results, warnings)


def _store_valid(store: Store, name: str, valid: list[tuple[int, SignalInput]], results: dict[int, RowResult],
                 warnings: list[str]) -> ImportReport:
    """Store the valid rows in one transaction and complete the per-row report."""
    try:
        stored = store.add_signals([signal for _, signal in valid])
    except Exception as exc:  # the transaction rolled back; say so, keep the report
        why = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"  # read-only: in Dutch
        problem = f"Opslaan mislukt, er is niets uit dit bestand opgeslagen ({why})."
        for number, _ in valid:
            results[number] = RowResult(number, "error", ("niet opgeslagen: opslaan mislukt",))
        return ImportReport(name, tuple(results[n] for n in sorted(results)), (problem,), tuple(warnings),
                            detail=getattr(exc, "detail", ""))
    for (number, _), (signal_id, is_new) in zip(valid, stored, strict=True):
        results[number] = (RowResult(number, "ok", (), signal_id) if is_new else RowResult(
            number, "duplicate", (f"staat al in de database als signaal #{signal_id}",), signal_id))
    return ImportReport(name, tuple(results[n] for n in sorted(results)), (), tuple(warnings))


def _incident_problem(incident_id: int | None, incidents: dict) -> str | None:
    """Why no row can go to the chosen incident (it does not exist, or is closed: read-only)."""
    if incident_id is None:
        return None
    if incident_id not in incidents:
        return f"Incident #{incident_id} bestaat niet."
    return IncidentClosed.MESSAGE if incidents[incident_id].is_closed else None


def _size(n: int) -> str:
    text = f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.1f} kB"
    return text.replace(".", ",")


def _columns(table: Sequence[Mapping[str, object]]) -> tuple[dict[str, str], list[str], list[str]]:
    headers = next((list(row) for row in table if row), [])
    mapping: dict[str, str] = {}
    problems: list[str] = []
    warnings: list[str] = []
    for header in headers:
        if header == "__extra__":
            continue
        target = column_field(header)
        if target is None:
            warnings.append(f"Kolom '{header}' is onbekend en wordt genegeerd.")
        elif target == "entered_at":
            warnings.append(f"Kolom '{header}' wordt genegeerd: het invoermoment is het moment van import.")
        elif target in mapping.values():
            problems.append(f"Twee kolommen voor {LABELS.get(target, header)} ('{header}' en een eerdere).")
        else:
            mapping[header] = target
    missing = [LABELS[f] + f" ({f})" for f in REQUIRED_COLUMNS if f not in mapping.values()]
    if missing and headers:
        problems.append("Verplichte kolommen ontbreken: " + ", ".join(missing)
                        + ". Gebruik de kopregel van data/signals_template.csv.")
    if not headers:
        problems.append("Het bestand heeft geen rijen onder de kopregel.")
    return mapping, problems, warnings


def example_reason(marker: object, text: object) -> str | None:
    """Why a row is one of the template's examples, which are never imported; None for a real row."""
    if str(marker or "").strip().upper() == EXAMPLE_MARK:
        return (f"voorbeeldrij uit het sjabloon ({EXAMPLE_COLUMN}: {EXAMPLE_MARK}): vervang de "
                f"voorbeeldwaarden door een echt signaal en maak de kolom {EXAMPLE_COLUMN} leeg, "
                "of verwijder de rij")
    if _EXAMPLE_TEXT.match(str(text or "")):
        return (f"voorbeeldrij uit het sjabloon (de tekst begint met {EXAMPLE_MARK}): vervang de "
                "voorbeeldwaarden door een echt signaal, of verwijder de rij")
    return None


def _validate_row(source: Mapping[str, object], mapping: dict[str, str], incident_id: int | None,
                  incidents: dict,
                  entered_by: str, now: datetime) -> SignalInput | list[str]:
    raw = {field: source.get(header) for header, field in mapping.items()}
    example = example_reason(raw.pop("example", None), raw.get("text"))
    if example:
        return [example]
    reasons: list[str] = []
    if source.get("__extra__"):
        reasons.append("de rij heeft meer cellen dan de kopregel kolommen heeft (een scheidingsteken te veel?)")
    row_incident = raw.get("incident")
    if is_blank(row_incident):
        raw["incident"] = incident_id
    elif incident_id is not None and as_int(row_incident) != incident_id:
        reasons.append(f"{LABELS['incident']}: de rij noemt incident {row_incident}, de import is "
                       f"voor incident #{incident_id}")
    if is_blank(raw.get("entered_by")):
        raw["entered_by"] = entered_by
    own = incidents.get(as_int(raw["incident"])) if not is_blank(raw["incident"]) else None
    outcome = validate_signal(raw, now=now, allow_relative=False,
                              extra_municipalities=[own.municipality] if own else [])
    if isinstance(outcome, list):
        return reasons + [str(e) for e in outcome]
    if outcome.incident_id is not None and outcome.incident_id not in incidents:
        reasons.append(f"{LABELS['incident']}: incident #{outcome.incident_id} bestaat niet")
    elif own is not None and own.is_closed:
        reasons.append(f"{LABELS['incident']}: incident #{own.id} is gesloten; heropen het om te wijzigen")
    return reasons or outcome
