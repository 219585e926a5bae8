"""Manual signals (004 §3.1): turn what people type or import into a checked record, in Dutch.

Validation is pure: the caller passes `now` (for "in de toekomst" and "gisteren") and any
municipality it wants accepted besides the official list (a demo incident's fictional one).
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from onrust.dates import DATE_EXAMPLES, parse_when
from onrust.models import SignalInput, SignalRouting
from onrust.paths import DATA_DIR
from onrust.text import loose_name
from onrust.timeutil import AMSTERDAM, local, to_utc

SCALES_FILE = DATA_DIR / "signal_scales.toml"
MUNICIPALITIES_FILE = DATA_DIR / "places" / "municipalities.csv"

# The record's fields in form, template and import order; entered_at is set at entry.
FIELDS = (
    "kind", "source_type", "reliability", "credibility", "verification", "severity",
    "municipality", "neighbourhood", "occurred_at", "reported_at", "incident", "text", "entered_by",
)
LABELS = MappingProxyType({
    "kind": "Soort",
    "source_type": "Brontype",
    "reliability": "Betrouwbaarheid bron",
    "credibility": "Geloofwaardigheid informatie",
    "verification": "Verificatie",
    "severity": "Ernst",
    "municipality": "Gemeente",
    "neighbourhood": "Wijk",
    "occurred_at": "Gebeurd op",
    "reported_at": "Gemeld op",
    "entered_at": "Ingevoerd op",
    "incident": "Incident",
    "text": "Tekst",
    "entered_by": "Ingevoerd door",
    # passing on to the driehoek (validate_routing)
    "member": "Driehoekslid",
    "received_by": "Ontvangen door",
    "routed_at": "Doorgeleid op",
    "recorded_by": "Vastgelegd door",
})
MAX_TEXT = 10_000          # a signal is a note, not a document; longer input is a paste error
MAX_NAME = 120             # names of people, neighbourhoods and municipalities
FUTURE_TOLERANCE = timedelta(minutes=5)   # clocks of laptops differ a little
EARLIEST = datetime(2000, 1, 1, tzinfo=AMSTERDAM)  # earlier is a typo in the year, not a signal

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{LABELS.get(self.field, self.field)}: {self.message}"


@dataclass(frozen=True, slots=True)
class Scales:
    kinds: Mapping[str, str]
    source_types: Mapping[str, str]
    reliability: Mapping[str, str]
    credibility: Mapping[int, str]
    verification: Mapping[str, str]
    severity: Mapping[int, str]
    municipality_aliases: Mapping[str, str]
    column_aliases: Mapping[str, str]
    driehoek: Mapping[str, str]  # the members a signal is passed on to (004 §3.1)


@cache
def scales(path: Path = SCALES_FILE) -> Scales:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return Scales(
        kinds=MappingProxyType(raw["kinds"]),
        source_types=MappingProxyType(raw["source_types"]),
        reliability=MappingProxyType(raw["reliability"]),
        credibility=MappingProxyType({int(k): v for k, v in raw["credibility"].items()}),
        verification=MappingProxyType(raw["verification"]),
        severity=MappingProxyType({int(k): v for k, v in raw["severity"].items()}),
        municipality_aliases=MappingProxyType(raw["municipality_aliases"]),
        column_aliases=MappingProxyType(raw["column_aliases"]),
        driehoek=MappingProxyType(raw["driehoek"]),
    )


@dataclass(frozen=True, slots=True)
class Municipalities:
    """Official names by folded spelling; `official` is False when no list file was found."""

    index: Mapping[str, str]
    official: bool

    def resolve(self, name: str, extra: Iterable[str] = ()) -> str | None:
        folded = loose_name(name)
        for candidate in extra:
            if candidate and loose_name(candidate) == folded:
                return candidate
        return self.index.get(folded)

    def suggest(self, name: str) -> list[str]:
        close = difflib.get_close_matches(loose_name(name), list(self.index), n=3, cutoff=0.75)
        return sorted({self.index[c] for c in close})


def municipalities(path: Path = MUNICIPALITIES_FILE) -> Municipalities:
    """The official list (data/places/municipalities.csv), re-read when the file changes."""
    stamp = path.stat().st_mtime_ns if path.exists() else None
    return _municipalities(path, stamp)


@lru_cache(maxsize=4)
def _municipalities(path: Path, stamp: int | None) -> Municipalities:
    names: list[str] = []
    aliases = dict(scales().municipality_aliases)
    if stamp is not None:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            lines = [line for line in fh if not line.startswith("#")]  # the file's comment lines
        reader = csv.DictReader(lines)
        fields = reader.fieldnames or []
        column = next((c for c in ("name", "naam", "gemeente", "municipality") if c in fields),
                      fields[0] if fields else None)
        for row in reader:
            name = (row.get(column) or "").strip() if column else ""
            if name:
                names.append(name)
                for alias in (row.get("aliases") or "").split("|"):
                    if alias.strip():
                        aliases.setdefault(alias.strip(), name)
    index = {loose_name(n): n for n in names}
    for alias, target in aliases.items():
        # Aliases point at the list's own spelling of the target when the list has it.
        index.setdefault(loose_name(alias), index.get(loose_name(target), target))
    return Municipalities(index=MappingProxyType(index), official=bool(names))


# -- parsing single values --------------------------------------------------------------------
def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def _clean(value: object) -> str:
    """NFC, so "é" typed on a Mac and on Windows is the same text (and the same import key)."""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _choice(value: object, allowed: Iterable[str], what: str) -> str:
    options = list(allowed)
    wanted = loose_name(str(value)).replace(" ", "")
    for option in options:
        if loose_name(option).replace(" ", "") == wanted:
            return option
    raise ValueError(f"'{value}' is geen {what}; kies uit {_or(options)}")


def _or(options: list[str]) -> str:
    return ", ".join(options[:-1]) + " of " + options[-1] if len(options) > 1 else options[0]


def as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    head = re.match(r"\s*(\d+)(?:[.,]0+)?\s*(?:$|[-–:(]|\s)", str(value))
    return int(head.group(1)) if head else None


def _scale_int(value: object, scale: Mapping[int, str], what: str) -> int:
    number = as_int(value)
    if number is None:
        by_text = {loose_name(v): k for k, v in scale.items()}
        number = by_text.get(loose_name(str(value)))
    if number is None or number not in scale:
        lo, hi = min(scale), max(scale)
        ends = f"{lo} ({scale[lo]}) t/m {hi} ({scale[hi]})" if len(scale[lo] + scale[hi]) < 60 else f"{lo} t/m {hi}"
        raise ValueError(f"'{value}' is geen {what}; kies {ends}")
    return number


def _reliability(value: object, scale: Mapping[str, str]) -> tuple[str, int | None]:
    """A letter A-F, a description, or the combined code such as "B2" (then also credibility)."""
    text = str(value).strip()
    combined = re.fullmatch(r"([A-Fa-f])\s*([1-6])", text)
    if combined:
        return combined.group(1).upper(), int(combined.group(2))
    head = re.match(r"([A-Fa-f])(?:$|[\s\-–:.(])", text)
    if head:
        return head.group(1).upper(), None
    by_text = {loose_name(v): k for k, v in scale.items()}
    if loose_name(text) in by_text:
        return by_text[loose_name(text)], None
    letters = list(scale)
    raise ValueError(
        f"'{value}' is geen betrouwbaarheid; kies {letters[0]} ({scale[letters[0]]}) t/m "
        f"{letters[-1]} ({scale[letters[-1]]})"
    )


def _short(value: object, limit: int) -> str:
    text = " ".join(_clean(value).split())
    if len(text) > limit:
        raise ValueError(f"te lang ({len(text)} tekens, maximaal {limit})")
    return text


# -- the record -------------------------------------------------------------------------------
_MISSING = {
    "kind": "vul de soort in",
    "source_type": "vul het brontype in",
    "reliability": "vul de betrouwbaarheid van de bron in (A t/m F)",
    "credibility": "vul de geloofwaardigheid van de informatie in (1 t/m 6)",
    "severity": "vul de ernst in (1 t/m 5)",
    "municipality": "vul de gemeente in",
    "occurred_at": f"vul in wanneer het gebeurde, bijvoorbeeld {DATE_EXAMPLES}",
    "reported_at": f"vul in wanneer het gemeld werd, bijvoorbeeld {DATE_EXAMPLES}",
    "text": "beschrijf het signaal",
    "entered_by": "vul in wie het signaal invoert",
}


def validate_signal(
    raw: Mapping[str, object],
    *,
    now: datetime,
    extra_municipalities: Iterable[str] = (),
    allow_relative: bool = True,
    places: Municipalities | None = None,
) -> SignalInput | list[FieldError]:
    """Every problem at once, one message per field, so a form or file row is fixed in one go.

    `raw` uses the names in FIELDS (missing keys count as empty). Verification defaults to
    onbevestigd. `extra_municipalities` are accepted as spelled there (the incident's own
    municipality, which may be fictional). Without an official list any municipality is taken.
    """
    sc = scales()
    places = places if places is not None else municipalities()
    errors: list[FieldError] = []
    values: dict[str, Any] = {}  # each field holds what its parser returns (str, int, datetime)

    def field(name: str, parse) -> None:
        value = raw.get(name)
        if is_blank(value):
            if name in _MISSING:
                errors.append(FieldError(name, _MISSING[name]))
            else:
                values[name] = None
            return
        try:
            values[name] = parse(value)
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))

    field("kind", lambda v: _choice(v, sc.kinds, "soort signaal"))
    field("source_type", lambda v: _choice(v, sc.source_types, "brontype"))
    combined_credibility = None
    if not is_blank(raw.get("reliability")):
        try:
            values["reliability"], combined_credibility = _reliability(raw["reliability"], sc.reliability)
        except ValueError as exc:
            errors.append(FieldError("reliability", str(exc)))
    else:
        errors.append(FieldError("reliability", _MISSING["reliability"]))
    if combined_credibility is not None and is_blank(raw.get("credibility")):
        values["credibility"] = combined_credibility
    else:
        field("credibility", lambda v: _scale_int(v, sc.credibility, "geloofwaardigheid"))
        given = values.get("credibility")
        if combined_credibility is not None and given is not None and given != combined_credibility:
            errors.append(FieldError(
                "credibility", f"{given} spreekt de code '{raw['reliability']}' bij betrouwbaarheid tegen"
            ))
    field("verification", lambda v: _choice(v, sc.verification, "verificatiestatus"))
    field("severity", lambda v: _scale_int(v, sc.severity, "ernst"))
    field("municipality", lambda v: _municipality(v, places, extra_municipalities))
    field("neighbourhood", lambda v: _short(v, MAX_NAME))
    field("occurred_at", lambda v: _moment(v, now, allow_relative))
    field("reported_at", lambda v: _moment(v, now, allow_relative))
    field("incident", _incident)
    field("text", _text)
    field("entered_by", lambda v: _short(v, MAX_NAME))

    occurred, reported = values.get("occurred_at"), values.get("reported_at")
    if isinstance(occurred, datetime) and isinstance(reported, datetime) and reported < occurred:
        errors.append(FieldError(
            "reported_at", "ligt vóór het moment waarop het gebeurde; een signaal wordt gemeld "
            "nadat het gebeurde (controleer beide tijden)",
        ))
    if errors:
        return errors
    return SignalInput(
        kind=values["kind"], source_type=values["source_type"],
        reliability=values["reliability"], credibility=values["credibility"],
        verification=values["verification"] or "onbevestigd", severity=values["severity"],
        municipality=values["municipality"], neighbourhood=values["neighbourhood"] or None,
        occurred_at=values["occurred_at"], reported_at=values["reported_at"], entered_at=to_utc(now),
        incident_id=values["incident"], text=values["text"], entered_by=values["entered_by"],
    )


def _moment(value: object, now: datetime, allow_relative: bool) -> datetime:
    moment = parse_when(value, now=now, allow_relative=allow_relative)
    if moment > to_utc(now) + FUTURE_TOLERANCE:
        raise ValueError(f"'{value}' ligt in de toekomst")
    if moment < EARLIEST:
        raise ValueError(f"'{value}' ligt vóór 2000; controleer het jaartal")
    return moment.replace(microsecond=0)  # whole seconds: what the edit form shows comes back equal


def _municipality(value: object, places: Municipalities, extra: Iterable[str]) -> str:
    name = _short(value, MAX_NAME)
    found = places.resolve(name, extra)
    if found is not None:
        return found
    if not places.official:
        return name
    hint = places.suggest(name)
    raise ValueError(f"'{name}' is geen bekende gemeente" + (f"; bedoelt u {_or(hint)}?" if hint else ""))


def _incident(value: object) -> int:
    number = as_int(value)
    if number is None or number < 1:
        raise ValueError(f"'{value}' is geen incidentnummer (een positief geheel getal)")
    return number


def _text(value: object) -> str:
    text = "\n".join(line.strip() for line in _clean(value).split("\n"))
    if not text:
        raise ValueError(_MISSING["text"])
    if len(text) > MAX_TEXT:
        raise ValueError(f"te lang ({len(text)} tekens, maximaal {MAX_TEXT}); vat het signaal samen")
    return text


def as_raw(signal: Mapping[str, object]) -> dict[str, object]:
    """A stored signal (store row) back into form values: dates in the Dutch form users type."""
    raw = {name: signal.get(name) for name in FIELDS}
    raw["incident"] = signal.get("incident_id")
    for name in ("occurred_at", "reported_at"):
        value = signal.get(name)
        if isinstance(value, datetime):
            moment = local(value)
            raw[name] = moment.strftime("%d-%m-%Y %H:%M:%S" if moment.second else "%d-%m-%Y %H:%M")
    return raw


def describe(signal: SignalInput | Mapping[str, object]) -> str:
    """One line for reports and confirmations, e.g. 'gerucht (sociale media, B2, ernst 3)'."""
    get = signal.get if isinstance(signal, Mapping) else lambda n: getattr(signal, n)
    return (f"{get('kind')} ({get('source_type')}, {get('reliability')}{get('credibility')}, "
            f"ernst {get('severity')})")


# -- passing a signal on to the own driehoek member (004 §3.1) ---------------------------------

ROUTING_REF = "004 §3.1 'Het signaal dient intern doorgeleid te worden naar het eigen lid van de driehoek'"


def validate_routing(
    signal_id: int, raw: Mapping[str, object], *, now: datetime, recorded_by: str,
) -> SignalRouting | list[FieldError]:
    """Every problem at once, in the signal form's wording; `routed_at` empty means now."""
    errors: list[FieldError] = []
    member = received = ""
    routed = now
    try:
        if is_blank(raw.get("member")):
            raise ValueError("kies aan welk lid van de driehoek het signaal is doorgeleid")
        member = _choice(raw["member"], scales().driehoek, "driehoekslid")
    except ValueError as exc:
        errors.append(FieldError("member", str(exc)))
    try:
        if is_blank(raw.get("received_by")):
            raise ValueError("vul in wie het signaal heeft ontvangen (naam of functie)")
        received = _short(raw["received_by"], MAX_NAME)
    except ValueError as exc:
        errors.append(FieldError("received_by", str(exc)))
    if not is_blank(raw.get("routed_at")):
        try:
            routed = _moment(raw["routed_at"], now, True)
        except ValueError as exc:
            errors.append(FieldError("routed_at", str(exc)))
    if is_blank(recorded_by):
        errors.append(FieldError("recorded_by", "onbekend wie dit vastlegt"))
    if errors:
        return errors
    return SignalRouting(signal_id, member, received, routed, recorded_by.strip())


def describe_routing(routing: SignalRouting | Mapping[str, object]) -> str:
    """One Dutch line for the logbook and the CLI."""
    get = routing.get if isinstance(routing, Mapping) else lambda k: getattr(routing, k)
    member = scales().driehoek.get(str(get("member")), str(get("member")))
    return f"Signaal #{get('signal_id')} doorgeleid aan {member}; ontvangen door {get('received_by')}."
