"""What a page shows a user, as text, and the ways that text can fail to be Dutch.

Every label, body, option and table cell of a rendered page, and the text of every file its
download buttons serve, is checked for a UTC or ISO time, None/nan/NaT, a raw key from the label
registry (onrust/display.py), a seed file name and a table column that shows unformatted
datetimes or decimal points.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from functools import cache

import pandas as pd
from streamlit.testing.v1 import AppTest

from onrust import display

# An ISO date or time (a file name's "-2026-10-14-2130" is not one), an offset, or "UTC".
_ISO = re.compile(r"\b\d{4}-\d\d-\d\d(?![-\d])|\d\+\d\d:\d\d\b|\bUTC\b")
_MISSING = re.compile(r"\b(None|nan|NaN|NaT)\b")
_SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
_DECIMAL = re.compile(r"^-?\d+\.\d+%?$")
# A decimal point inside a sentence ("vanaf 0.4"); "20.30 uur", "5.000" and "§2.1" are Dutch.
_DECIMAL_IN_TEXT = re.compile(r"(?<![\d.])(\d+\.\d|0\.\d\d+)(?!\d|\.\d)")
_REFERENCE = re.compile(r"(§|bijlage |fase |stap |hoofdstuk |vraag )$", re.IGNORECASE)


def raw_keys() -> set[str]:
    """Keys whose label differs from the key: shown bare, they are a defect."""
    registry = display._registry()["values"]
    # Bare in a cell or an option they are a key (inside a sentence the Dutch ones are words).
    return {k for kind, values in registry.items() if kind not in ("bool", "phase", "press_status")
            for k, text in values.items() if text.lower() != k.lower()}


def _walk(node: object) -> Iterator[tuple[str, str]]:
    kind = str(getattr(node, "type", "?"))
    for attr in ("label", "body", "help", "placeholder"):
        text = getattr(node, attr, None)
        if isinstance(text, str) and text:
            yield kind, text
    proto = getattr(node, "proto", None)
    if kind == "metric" and proto is not None:
        yield "metric value", proto.body
    if kind in ("selectbox", "multiselect", "radio", "select_slider") and proto is not None:
        for option in getattr(proto, "options", []):
            yield f"{kind} option", option
    if kind == "dataframe":
        yield from _cells(node)
    elif proto is not None and hasattr(proto, "DESCRIPTOR") and "body" in proto.DESCRIPTOR.fields_by_name:
        if proto.body:
            yield kind, proto.body
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _cells(node: object) -> Iterator[tuple[str, str]]:
    frame: pd.DataFrame = node.value  # type: ignore[attr-defined]
    config = json.loads(node.proto.columns or "{}")  # type: ignore[attr-defined]
    for col in frame.columns:
        shown = (config.get(str(col)) or {}).get("label") or str(col)
        hidden = (config.get(str(col)) or {}).get("hidden")
        if hidden:
            continue
        yield "table header", shown
        dtype = frame[col].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            yield "table column", f"{shown}: datetime dtype (shown as ISO in the browser)"
        elif pd.api.types.is_float_dtype(dtype) and "format" not in (config.get(str(col)) or {}).get(
                "type_config", {}):
            yield "table column", f"{shown}: float dtype 0.5 (decimal point)"
        if "format" in (config.get(str(col)) or {}).get("type_config", {}):
            continue  # a number column with a format (a progress bar): the browser formats it
        for cell in frame[col].head(300):
            yield "table cell", "None" if display.is_missing(cell) else str(cell)


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    return list(_walk(at._tree))


@cache
def _coded_keys() -> re.Pattern[str]:
    """Keys no Dutch sentence contains ("media_ophef_zorg", "pers.v1", "ter_controle"): flagged anywhere."""
    coded = sorted((k for k in raw_keys() if "_" in k or "." in k), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, coded)) + r")(?![\w])")


def problems(texts: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(what, where, text) for every text that is not Dutch display."""
    keys = raw_keys()
    found = []
    for where, text in texts:
        if _coded_keys().search(text):
            found.append(("raw key in text", where, text[:160]))
        if any(not _REFERENCE.search(text[:m.start()]) for m in _DECIMAL_IN_TEXT.finditer(text)) \
                and where not in ("table cell", "metric value"):
            found.append(("decimal point in text", where, text[:160]))
        for what, pattern in (("ISO/UTC time", _ISO), ("None/nan", _MISSING), ("seed file name", _SEED_FILE)):
            if pattern.search(text):
                found.append((what, where, text[:160]))
        if where in ("table cell", "metric value", "selectbox option") and text.strip() in keys:
            found.append(("raw key", where, text))
        if where in ("table cell", "metric value") and _DECIMAL.match(text.strip()):
            found.append(("decimal point", where, text))
        if where == "table header" and ("_" in text or text in keys):
            found.append(("raw header", where, text))
        if where == "table column":
            found.append(("unformatted column", where, text))
    return found


def file_texts(name: str, data: bytes) -> list[tuple[str, str]]:
    """A download's text by cell or paragraph, so a cell "None" is told from a word in a sentence."""
    where = f"file {name}"
    if name.endswith(".docx"):
        from docx import Document

        doc = Document(io.BytesIO(data))
        out = [(where, p.text) for p in doc.paragraphs]
        for table in doc.tables:
            out += [(where + " table cell", cell.text) for row in table.rows for cell in row.cells]
        return out
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        # A date cell is a number that Excel formats itself (the cell's number_format).
        return [(where + " table cell", str(c.value)) for ws in book.worksheets for row in ws.iter_rows()
                for c in row if c.value is not None and not c.is_date]
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=_delimiter(data)))
        return [(where + " table header", h) for h in rows[0]] + [
            (where + " table cell", c) for row in rows[1:] for c in row if c]  # empty: nothing to show
    if name.endswith((".md", ".txt")):
        return [(where, line) for line in data.decode("utf-8").splitlines()]
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        pages = PdfReader(io.BytesIO(data)).pages
        return [(f"{where} page {n}", line) for n, page in enumerate(pages, 1)
                for line in page.extract_text().splitlines()]
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [t for inner in archive.namelist() for t in file_texts(inner, archive.read(inner))]
    return []


def _delimiter(data: bytes) -> str:
    first = data.decode("utf-8-sig").splitlines()[0] if data else ""
    return ";" if first.count(";") > first.count(",") else ","


def file_problems(name: str, data: bytes) -> list[tuple[str, str, str]]:
    texts = [(w.replace(f"file {name} ", "").replace(f"file {name}", "paragraph"), t)
             for w, t in file_texts(name, data)]
    return [(what, f"{name}: {where}", text) for what, where, text in problems(texts)]
