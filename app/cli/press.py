"""`onrust press ...`: check a press text against the rules, register names of people involved."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from app.cli.context import Cli, Context, write_output
from comms.involved import add_incident_person
from comms.press import PressFields, fields_from_dict, kernboodschap, load_config, oneliners
from comms.press_export import outward, variant_docx, variant_plaintext, variants
from comms.rules import ROLES, check_release, check_text, counts, has_blocking
from onrust.docx import read_docx_text
from onrust.errors import UserError
from onrust.models import Finding, InvolvedPerson
from onrust.text import decode_text
from onrust.timeutil import utcnow

_SEVERITY_LABEL = {"blokkerend": "BLOKKEREND", "waarschuwing": "WAARSCHUWING", "hint": "HINT"}


def _read(path: str) -> str:
    """A press text as Word, Notepad or a Mac editor saved it (.docx, or text in any usual encoding)."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise UserError(f"Bestand niet gevonden: {path}") from exc
    if path.lower().endswith(".docx"):
        return read_docx_text(data, path)
    try:
        return decode_text(data)
    except ValueError as exc:
        raise UserError(f"{path} is geen tekst- of Word-bestand; sla het op als .txt, .md of .docx.") from exc


def _involved(ctx: Context) -> list[InvolvedPerson]:
    if ctx.args.incident is None:
        return []
    store = ctx.open_store(reads_only=True)
    try:
        if store.incident(ctx.args.incident) is None:
            raise UserError(f"Incident {ctx.args.incident} bestaat niet.")
        return store.press_names(ctx.args.incident)
    finally:
        store.close()


def _positions(text: str) -> Callable[[int], str]:
    """'regel L, kolom K' of an offset; the line starts are indexed once, because a long text
    has thousands of findings and counting lines per finding would make the report quadratic."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(offset: int) -> str:
        line = bisect_right(starts, offset)
        return f"regel {line}, kolom {offset - starts[line - 1] + 1}"

    return position


def format_finding(finding: Finding, position: Callable[[int], str] | None) -> str:
    where = finding.where or (position(finding.start) if position is not None else "")
    head = f"[{_SEVERITY_LABEL[finding.severity]}] {finding.label}"
    if where:
        head += f" ({where})"
    lines = [head]
    if finding.passage:
        lines.append(f'  Passage: "{finding.passage}"')
    lines += [f"  Waarom: {finding.why}", f"  Bron: {finding.ref}", f"  Voorstel: {finding.suggestion}"]
    return "\n".join(lines)


def _check(ctx: Context) -> int:
    involved = _involved(ctx)
    raw = _read(ctx.args.file)
    max_words = ctx.settings.press.max_sentence_words
    text: str | None = None
    if Path(ctx.args.file).suffix.lower() in (".toml", ".json"):
        fields = _fields_file(ctx.args.file)
        if ctx.args.strafzaak_fase:
            fields = replace(fields, strafzaak_fase=ctx.args.strafzaak_fase)
        findings = check_release(fields, involved=involved, max_sentence_words=max_words)
    else:
        text = raw
        findings = check_text(
            raw, involved=involved, strafrechtelijk=ctx.args.strafrechtelijk,
            strafzaak_fase=ctx.args.strafzaak_fase, max_sentence_words=max_words,
        )
    tally = counts(findings)
    summary = (
        f"{len(findings)} bevinding(en): {tally['blokkerend']} blokkerend, "
        f"{tally['waarschuwing']} waarschuwing, {tally['hint']} hint."
    )
    position = _positions(text) if text is not None else None
    body = "\n\n".join(format_finding(f, position) for f in findings)
    ctx.emit(
        {"file": ctx.args.file, "counts": tally, "blocking": has_blocking(findings),
         "findings": [f.to_dict() for f in findings]},
        f"{body}\n\n{summary}" if body else f"Geen bevindingen. {summary}",
    )
    return 1 if has_blocking(findings) else 0


def _fields_file(path: str) -> PressFields:
    raw = _read(path)
    try:
        data = tomllib.loads(raw) if path.lower().endswith(".toml") else json.loads(raw)
        return fields_from_dict(data)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, TypeError) as exc:
        raise UserError(f"{path} is geen geldig veldenbestand (.toml of .json): {exc}") from exc


def _render(ctx: Context) -> int:
    """Write the generated texts of a fields file: for teams that draft outside the dashboard.
    A fields file has no approval behind it, so what comes out is a CONCEPT, and with
    --incident the names registered there are masked as on the persbericht page."""
    value = _fields_file(ctx.args.file)
    out = outward(value, _involved(ctx), None)
    when = utcnow()
    found = [v for v in variants(out, ctx.args.municipality, when) if ctx.args.variant in (None, v.key)]
    if ctx.args.docx:
        if len(found) != 1:
            raise UserError("Kies met --variant één tekst om als Word-bestand te schrijven.")
        write_output(Path(ctx.args.docx), variant_docx(out, found[0], ctx.args.municipality, when))
    ctx.emit(
        {"concept": out.draft,
         "variants": [{"key": v.key, "label": v.label, "text": variant_plaintext(out, v)} for v in found],
         "kernboodschap": kernboodschap(out.value).text, "oneliners": oneliners(out.value)},
        "\n\n".join(f"===== {v.label} =====\n{variant_plaintext(out, v)}" for v in found),
    )
    return 0


def _person_add(ctx: Context) -> int:
    store = ctx.open_store()
    try:
        if store.incident(ctx.args.incident) is None:
            raise UserError(f"Incident {ctx.args.incident} bestaat niet.")
        person_id = add_incident_person(store, ctx.args.incident, ctx.args.name, ctx.args.role, ctx.args.by)
    finally:
        store.close()
    ctx.emit({"id": person_id}, f"Naam geregistreerd als {ctx.args.role} (nummer {person_id}).")
    return 0


def _person_list(ctx: Context) -> int:
    store = ctx.open_store(reads_only=True)
    try:
        people = store.incident_persons(ctx.args.incident)
    finally:
        store.close()
    ctx.emit(
        [{"id": p.id, "name": p.name, "role": p.role, "added_by": p.added_by, "added_at": p.added_at}
         for p in people],
        "\n".join(f"{p.id}\t{p.role}\t{p.name}" for p in people) or "Geen namen geregistreerd.",
    )
    return 0


def register(cli: Cli) -> None:
    p = cli.command(
        "press check",
        "persbericht toetsen aan de regels (000 Bijlage 6, 004 Bijlage 4/5); exit 1 bij blokkerend",
        _check,
    )
    p.add_argument("file", help="tekst (.txt/.md/.docx), velden (.toml/.json) of - voor stdin")
    p.add_argument("--incident", type=int, help="incident waarvan de geregistreerde namen worden gezocht")
    p.add_argument(
        "--strafrechtelijk", action="store_true",
        help="het OM leidt de communicatie over een strafrechtelijk onderzoek",
    )
    p.add_argument(
        "--strafzaak-fase", type=int, choices=(0, 1, 2, 3), default=0,
        help="fase van de strafzaak (004 Bijlage 4): 1 = tot einde getuigenverhoren (geheimhouding), 2, 3",
    )
    p.add_argument("--json", action="store_true")
    p = cli.command("press render", "teksten (persbericht, website, social, bewonersbrief, raad) uit een veldenbestand",
                    _render)
    p.add_argument("file", help="velden (.toml/.json), zoals in data/press_fields.toml")
    p.add_argument("--municipality", required=True, help="naam van de gemeente (in datumregel en Word-kop)")
    p.add_argument("--variant", choices=[v.key for v in load_config().variants])
    p.add_argument("--docx", help="schrijf de gekozen variant als Word-bestand naar dit pad")
    p.add_argument("--incident", type=int, help="incident waarvan de geregistreerde namen worden gemaskeerd")
    p.add_argument("--json", action="store_true")
    p = cli.command("press person add", "naam van een betrokkene registreren (nooit in persteksten)", _person_add)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=ROLES, default="betrokkene")
    p.add_argument("--by", required=True, help="wie registreert")
    p.add_argument("--json", action="store_true")
    p = cli.command("press person list", "geregistreerde namen van betrokkenen tonen", _person_list)
    p.add_argument("--incident", type=int, required=True)
    p.add_argument("--json", action="store_true")
