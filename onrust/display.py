"""How a value looks to a Dutch user, on every page and in every export: one place decides.

Times in Europe/Amsterdam ("di 14-10-2026 21:30"), numbers with a decimal comma, labels instead
of keys, "—" for a missing value, seed references as document titles, errors in plain Dutch.
Labels come from the data files that hold them (checklists, phases) and data/labels.toml.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from onrust.errors import UserError
from onrust.paths import DATA_DIR
from onrust.settings import SettingsError
from onrust.timeutil import fmt_local, local

MISSING = "—"
LABELS_FILE = DATA_DIR / "labels.toml"
_DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


@cache
def _registry() -> dict[str, Any]:
    """data/labels.toml plus the labels kept beside their data (checklist items, MO-fases)."""
    with LABELS_FILE.open("rb") as fh:
        found = tomllib.load(fh)
    values: dict[str, dict[str, str]] = found.setdefault("values", {})
    items: dict[str, str] = {}
    for path in sorted((DATA_DIR / "checklists").glob("*.toml")):
        with path.open("rb") as fh:
            for item in tomllib.load(fh).get("items", []):
                items[item["id"]] = item["text"]
    values["checklist_item"] = items
    with (DATA_DIR / "phases.toml").open("rb") as fh:
        phases = tomllib.load(fh)
    values["phase"] = {str(f["nummer"]): f"{f['nummer']}: {f['naam']}" for f in phases["fase"]}
    return found


def is_missing(value: object) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def label(kind: str, key: object) -> str:
    """The Dutch label of `key` among the values of `kind` (advies, scenario, press_action, ...);
    an unknown key is shown as it is, a missing one as "—"."""
    if is_missing(key):
        return MISSING
    if isinstance(key, float) and key.is_integer():  # an int column with a gap is read as floats
        key = int(key)
    text = str(key).lower() if isinstance(key, bool) else str(key)
    return _registry()["values"].get(kind, {}).get(text, text)


def any_label(key: object) -> str:
    """The label of a key whose kind the caller does not know (a row key in the audit trail)."""
    text = str(key)
    for values in _registry()["values"].values():
        if text in values:
            return str(values[text])
    return text


_ISO_TEXT = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _stored(raw: object) -> object:
    """A value as the audit JSON holds it: ISO text back to a moment, so it shows in local time."""
    if isinstance(raw, str) and _ISO_TEXT.match(raw):
        try:
            return datetime.fromisoformat(raw.replace(" ", "T", 1).replace("+00", "+00:00", 1)
                                          if raw.endswith("+00") else raw)
        except ValueError:
            return raw
    return raw


def audit_change(before: str | None, after: str | None) -> str:
    """One Dutch line for an audit record: the fields that changed, old → new, in display form.
    The raw before/after JSON stays in the CSV export, which is the evidence."""
    old: dict[str, Any] | None = json.loads(before) if before else None
    new: dict[str, Any] | None = json.loads(after) if after else None
    if old is None or new is None:
        shown = new if new is not None else old
        if shown is None:
            return MISSING
        fields = [f"{header(k)}: {any_label(value(_stored(v)))}" for k, v in list(shown.items())[:4]
                  if not is_missing(v)]
        return ("nieuw — " if old is None else "verwijderd — ") + "; ".join(fields)
    changed = [k for k in new if new.get(k) != old.get(k)]
    return "; ".join(f"{header(k)}: {any_label(value(_stored(old.get(k))))} → "
                     f"{any_label(value(_stored(new.get(k))))}"
                     for k in changed) or "geen wijziging in de velden"


def tag(text: str) -> str:
    """A tag as counted ("scenario: media_ophef_zorg" or a bare key) in words: a scenario by its
    title from 004 Bijlage 2, any other key with spaces for underscores."""
    tag_set, _, key = text.rpartition(": ")
    scenarios = _registry()["values"]["scenario"]
    shown = scenarios.get(key, key.replace("_", " ")) if tag_set in ("scenario", "") else key.replace("_", " ")
    return f"{tag_set}: {shown}" if tag_set else shown


def header(column: str) -> str:
    """A column's Dutch header; a column without one keeps its name, with spaces for underscores."""
    return _registry()["headers"].get(column, column.replace("_", " "))


def seed_title(ref: str) -> str:
    """"004 Bijlage 4" -> "004 Handreiking, Bijlage 4"; a seed file name gives just the title."""
    titles: Mapping[str, str] = _registry()["seeds"]

    def title(match: re.Match[str]) -> str:
        number, rest = match.group(1), match.group(2) or ""
        name = titles.get(number)
        if name is None:
            return match.group(0)
        rest = rest.strip()
        return f"{number} {name}" + (f", {rest}" if rest else "")

    ref = re.sub(r"\b(\d{3})_[0-9a-f]{16}\.txt\b", lambda m: m.group(1), ref)
    return re.sub(r"\b(\d{3})\b((?: (?:§|Bijlage|bijlage|fase|hoofdstuk)[^;,)]*)?)", title, ref)


def number(value: float | int | None, digits: int = 1) -> str:
    """A decimal comma and a thousands point; a whole number without decimals."""
    if value is None or is_missing(value):
        return MISSING
    if float(value).is_integer():
        return format_decimal(int(value), format="#,##0", locale="nl_NL")
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale="nl_NL")


def percent(share: float | None, digits: int = 0) -> str:
    """A share 0..1 as "45%"."""
    return MISSING if share is None or is_missing(share) else f"{number(round(share * 100, digits), digits)}%"


def when(value: object) -> str:
    """A moment as Amsterdam time ("di 14-10-2026 21:30"); a date alone as "di 14-10-2026"."""
    if is_missing(value):
        return MISSING
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return fmt_local(value)
    if isinstance(value, date):
        return f"{_DAYS[value.weekday()]} {value:%d-%m-%Y}"
    return str(value)


def value(item: object, kind: str | None = None, digits: int = 1) -> str:
    """Any single value as text: the one rule pages and exports share."""
    if is_missing(item):
        return MISSING
    if isinstance(item, (datetime, date, pd.Timestamp)):
        return when(item)
    if isinstance(item, bool):
        return label(kind or "bool", item)
    if isinstance(item, (list, tuple)):
        return ", ".join(value(v, kind, digits) for v in item) or MISSING
    if kind is not None:
        return label(kind, item)
    if isinstance(item, float):
        return number(item, digits)
    return str(item)


def _texts(series: pd.Series, kind: str | None, digits: int) -> list[str]:
    """value() of every cell, computed once per distinct value where values cannot be equal across
    types (1, 1.0 and True hash alike in an object column): a replay's hundred thousand items share
    their sources, reaches and fetch times."""
    times = series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype)
    if times:
        series = series.dt.floor("min")  # shown to the minute (fmt_local)
    elif series.dtype.kind != "f" and pd.api.types.infer_dtype(series, skipna=True) != "string":
        return [value(v, kind, digits) for v in series]
    codes, distinct = pd.factorize(series)
    texts = np.array([value(v, kind, digits) for v in distinct] + [MISSING], dtype=object)
    return list(texts[codes])  # a missing value has code -1: the last text


def frame(
    df: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    digits: int = 1,
    keep: tuple[str, ...] = (),
    plain: bool = False,
    rename: bool = True,
) -> pd.DataFrame:
    """A copy of `df` for display or export: Dutch headers, every value through value().

    `kinds` names the label kind of a column (data/labels.toml [columns] gives the defaults),
    `formats` a column's own formatter; columns in `keep` stay typed (an editor's checkbox or
    select). Booleans stay booleans (a checkbox in a table) unless `plain` (CSV, Word). Without
    `rename` the columns keep their names (an editor whose column_config names them)."""
    column_kinds = {**_registry()["columns"], **(kinds or {})}
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        series = df[col]
        if col in keep or (not plain and series.dtype == bool):
            out[col] = series
        elif formats and col in formats:
            out[col] = [MISSING if is_missing(v) else formats[col](v) for v in series]
        elif pd.api.types.is_integer_dtype(series.dtype) and col not in column_kinds:
            out[col] = series
        else:
            out[col] = _texts(series, column_kinds.get(col), digits)
    if not rename:
        return out
    names = {col: (headers or {}).get(col) or header(col) for col in df.columns}
    return out.rename(columns=names)


def export_name(what: str, incident: str | None, moment: datetime, ext: str) -> str:
    """One pattern for every download: "omgevingsbeeld-<incident>-<yyyy-mm-dd-hhmm>.docx", local time."""
    parts = [_slug(what)]
    if incident:
        parts.append(_slug(incident))
    parts.append(f"{local(moment):%Y-%m-%d-%H%M}")
    return "-".join(p for p in parts if p) + "." + ext.lstrip(".")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


_SETTING = re.compile(r"\[[a-z_.]+\]\s*[a-z_]+")  # "[collect] max_bytes": a settings key
_ERRNO = re.compile(r"\s*[(:]?\s*\[(?:Errno|WinError) -?\d+\]")
_OS_MESSAGES = {
    FileNotFoundError: "Het bestand is niet gevonden.",
    PermissionError: "Geen toegang tot het bestand: de rechten staan het niet toe.",
    IsADirectoryError: "Dit is een map, geen bestand.",
    TimeoutError: "Het duurde te lang; probeer het later opnieuw.",
    ConnectionError: "Geen verbinding met de server.",
}
# What an operating system says in English, in the words of the sentence that precedes it.
_OS_PHRASES = {
    "connection refused": "de server weigert de verbinding",
    "name or service not known": "de servernaam bestaat niet",
    "temporary failure in name resolution": "de servernaam is nu niet op te zoeken (geen netwerk?)",
    "network is unreachable": "geen netwerk",
    "no such file or directory": "het bestand bestaat niet",
    "permission denied": "geen toegang",
    "timed out": "de server reageerde niet op tijd",
}


def plain_error(exc: BaseException | str) -> tuple[str, str]:
    """(what the user reads, the technical detail for behind an expander; "" when there is none).

    A UserError is already plain Dutch; an OS error gets a Dutch sentence; an error text with an
    Errno keeps its Dutch lead and says the cause in Dutch; anything else says nothing was lost."""
    if isinstance(exc, str):
        return _plain_text(exc)
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, UserError):
        return str(exc), ""
    if isinstance(exc, SettingsError):  # names a settings key: for the administrator, not the user
        return ("De instellingen van Onrustmonitor kloppen niet; er is niets gewijzigd. De beheerder kan "
                "het instellingenbestand herstellen (zie de technische details)."), str(exc)
    for kind, text in _OS_MESSAGES.items():
        if isinstance(exc, kind):
            return text, detail
    if isinstance(exc, OSError):
        return "Het bestand of de verbinding kon niet worden gebruikt.", detail
    return "Er ging iets mis; er is niets verloren gegaan. Probeer het opnieuw.", detail


def _plain_text(text: str) -> tuple[str, str]:
    found = _ERRNO.search(text)
    if found is None and not _SETTING.search(text):
        return text, ""
    lead = (text[:found.start()] if found else _SETTING.split(text)[0]).strip(" :(")
    cause = next((dutch for english, dutch in _OS_PHRASES.items() if english in text.lower()), "")
    message = ": ".join(part for part in (lead, cause) if part) or "Er ging iets mis."
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else "."), text
