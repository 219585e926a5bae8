"""Persbericht builder: the fields of 000 Bijlage 6, generated Dutch variants, kernboodschap, oneliners.

Which fields exist, which are mandatory and the Dutch wording of every variant live in
data/press_fields.toml and data/press_templates/; this module only fills them in.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from string import Template
from typing import Any, Literal

from onrust.docx import Block, Bullets, Heading, Paragraph, dutch_date, write_docx
from onrust.models import Severity
from onrust.paths import DATA_DIR

FIELDS_FILE = DATA_DIR / "press_fields.toml"
TEMPLATE_DIR = DATA_DIR / "press_templates"

PromptKind = Literal["vraag", "gerucht"]


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question or rumour from the omgevingsbeeld that the release could answer or refute."""

    kind: PromptKind
    ref: str  # stable id in its source, e.g. "signal:12"
    text: str

    @property
    def action(self) -> str:
        return "weerleg" if self.kind == "gerucht" else "beantwoord"


@dataclass(frozen=True, slots=True)
class Addressed:
    """A prompt this release answers, with the answer as it appears in the texts."""

    kind: PromptKind
    ref: str
    prompt: str
    answer: str


@dataclass(frozen=True, slots=True)
class PressFields:
    titel: str = ""
    wat: str = ""
    waar: str = ""
    wanneer: str = ""
    duiding: str = ""
    maatregelen: str = ""
    handelingsperspectief: str = ""
    empathie: str = ""
    boegbeeld: str = ""
    contact_pers: str = ""
    vervolginfo: str = ""
    telefoon: str = ""
    website: str = ""
    hashtag: str = ""
    strafrechtelijk: bool = False  # the OM leads communication on a criminal investigation
    strafzaak_fase: int = 0  # 004 Bijlage 4 'Strafrechtelijk traject': 0 none/unknown, else 1-3
    addressed: tuple[Addressed, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str
    help: str
    missing: Severity | Literal[""]  # the finding when the field is empty; "" = optional
    ref: str
    aim: str
    multiline: bool
    kern: bool = False
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Aim:
    key: str
    label: str
    ref: str


@dataclass(frozen=True, slots=True)
class VariantSpec:
    key: str
    label: str
    template: str
    max_chars: int | None = None


@dataclass(frozen=True, slots=True)
class PresendRule:
    key: str
    label: str
    match: tuple[str, ...]
    why: str
    ref: str


@dataclass(frozen=True, slots=True)
class PressConfig:
    aims: tuple[Aim, ...]
    fields: tuple[FieldSpec, ...]
    variants: tuple[VariantSpec, ...]
    presend: tuple[PresendRule, ...]
    strafzaak: dict[int, str]  # phase of a criminal case -> its Dutch description
    strafzaak_ref: str


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Kernboodschap:
    parts: tuple[tuple[Aim, str], ...]  # (aim, its sentences); empty text = aim not covered

    @property
    def missing(self) -> tuple[Aim, ...]:
        return tuple(aim for aim, text in self.parts if not text)

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.parts if text)


_TEXT_FIELDS = tuple(f.name for f in fields(PressFields) if f.type == "str")


@cache
def load_config(path: Path = FIELDS_FILE) -> PressConfig:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    specs = tuple(FieldSpec(**f) for f in raw["fields"])
    unknown = {s.key for s in specs} - set(_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"{path.name}: velden bestaan niet in PressFields: {sorted(unknown)}")
    return PressConfig(
        aims=tuple(Aim(**a) for a in raw["aims"]),
        fields=specs,
        variants=tuple(VariantSpec(**v) for v in raw["variants"]),
        presend=tuple(PresendRule(**{**p, "match": tuple(p["match"])}) for p in raw["presend"]),
        strafzaak={int(k): v for k, v in raw["strafzaak"].items() if k.isdigit()},
        strafzaak_ref=raw["strafzaak"]["ref"],
    )


@cache
def load_template(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


# -- (de)serialisation for the store -----------------------------------------------------------


def has_content(value: PressFields) -> bool:
    """Whether anything was typed yet (the form starts calm until then)."""
    return any(getattr(value, key).strip() for key in _TEXT_FIELDS) or bool(value.addressed)


def fields_to_dict(value: PressFields) -> dict[str, Any]:
    return asdict(value)


def fields_from_dict(data: Mapping[str, Any]) -> PressFields:
    """Tolerates keys from older or newer versions: a stored release must always open."""
    known = {f.name for f in fields(PressFields)}
    kwargs = {k: v for k, v in data.items() if k in known and k != "addressed"}
    phase = kwargs.get("strafzaak_fase", 0)
    if str(phase) not in {"0", "1", "2", "3"}:
        raise TypeError(f"strafzaak_fase moet 0, 1, 2 of 3 zijn, niet {phase!r}")
    kwargs["strafzaak_fase"] = int(phase)
    addressed = tuple(Addressed(**a) for a in data.get("addressed") or ())
    return PressFields(**kwargs, addressed=addressed)


# -- text helpers ------------------------------------------------------------------------------

# A sentence ends at . ! or ? followed by space and a capital, digit or quote; "o.a. de" stays one.
# Closing quotes and brackets after the stop belong to the sentence they close.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'”’)]*)\s+(?=[A-ZÀ-Ý0-9\"'‘“(])|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`, whitespace trimmed."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start() + len(match.group(1) or "")))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def first_sentence(text: str) -> str:
    spans = sentences(text.strip())
    return text.strip()[spans[0][0] : spans[0][1]] if spans else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- templates ---------------------------------------------------------------------------------


_PLACEHOLDER = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
_CONDITION = re.compile(r"^([?!])(\w+) ")


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Fill a template by the rules in data/press_templates/README.md."""
    out: list[str] = []
    for line in template.splitlines():
        if line.startswith("%%"):
            continue
        cond = _CONDITION.match(line)
        if cond:
            filled = bool(values.get(cond.group(2), "").strip())
            if filled != (cond.group(1) == "?"):
                continue
            line = line[cond.end() :]
        names = [a or b for a, b in _PLACEHOLDER.findall(line)]
        if any(not values.get(n, "").strip() for n in names):
            continue
        out.append(Template(line).safe_substitute(values))
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def template_values(value: PressFields, municipality: str, when: datetime | None) -> dict[str, str]:
    base = {k: getattr(value, k).strip() for k in _TEXT_FIELDS}
    base["gemeente"] = municipality.strip()
    base["datum"] = dutch_date(when, with_time=False) if when else ""
    base["strafrechtelijk"] = "ja" if value.strafrechtelijk else ""
    # One answer may address several alike prompts (group_prompts): each text says it once.
    base["antwoorden"] = "\n\n".join(dict.fromkeys(a.answer.strip() for a in value.addressed if a.answer.strip()))
    values = dict(base)
    for key, text in base.items():
        values[_cap(key)] = _cap(text)
        values[f"{key}_1"] = first_sentence(text)
    return values


def _shorten(text: str, room: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis; `room` includes the ellipsis."""
    if len(text) <= room:
        return text
    head = text[: max(room - 1, 0)]
    if " " in head:
        head = head[: head.rfind(" ")]
    return head.rstrip(" ,;:") + "…"


def _fit(text: str, limit: int) -> str:
    """Keep the first line (kop) and the last line (link); of the lines between, keep in order
    each whole line that still fits. A sentence is never cut: a half sentence in a crisis says
    something else than the whole. Only a kop that leaves no room for the link is shortened."""
    lines = [line for line in text.strip().split("\n") if line.strip()]
    if len("\n".join(lines)) <= limit or len(lines) < 2:
        return _shorten("\n".join(lines), limit)
    head, middle, tail = lines[0], lines[1:-1], lines[-1]
    head = _shorten(head, limit - len(tail) - 1)
    kept: list[str] = []
    for line in middle:
        if len("\n".join([head, *kept, line, tail])) <= limit:
            kept.append(line)
    return "\n".join([head, *kept, tail])


def variants(value: PressFields, municipality: str, when: datetime) -> list[Variant]:
    """Every configured text (persbericht, website, social, bewonersbrief, raadsinformatie)."""
    values = template_values(value, municipality, when)
    out = []
    for spec in load_config().variants:
        text = render_template(load_template(spec.template), values)
        if spec.max_chars:
            text = _fit(text, spec.max_chars)
        out.append(Variant(spec.key, spec.label, text))
    return out


def kernboodschap(value: PressFields) -> Kernboodschap:
    """The core message: per aim, the first sentence of each field that serves it."""
    cfg = load_config()
    parts = []
    for aim in cfg.aims:
        texts = [
            first_sentence(getattr(value, spec.key))
            for spec in cfg.fields
            if spec.kern and spec.aim == aim.key and getattr(value, spec.key).strip()
        ]
        parts.append((aim, " ".join(texts)))
    return Kernboodschap(tuple(parts))


def oneliners(value: PressFields) -> list[str]:
    """Short lines every spokesperson can use, so nobody contradicts the release."""
    values = template_values(value, "", None)
    text = render_template(load_template("oneliners.md"), values)
    return [line for line in text.split("\n") if line.strip()]


# -- omgevingsbeeld prompts --------------------------------------------------------------------


def prompts(questions: Iterable[tuple[str, str]], rumours: Iterable[tuple[str, str]]) -> list[Prompt]:
    """(ref, text) pairs of open questions and rumours, rumours first: they spread fastest."""
    out = [Prompt("gerucht", ref, text) for ref, text in rumours]
    out += [Prompt("vraag", ref, text) for ref, text in questions]
    return out


def omgevingsbeeld_prompts(content: Mapping[str, Any] | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(questions, rumours) as (ref, text) from a saved omgevingsbeeld (analysis.omgevingsbeeld).

    Rumours entered as signals have no item id here; the store adds those from the signals table.
    """
    if not content:
        return [], []
    questions = [
        (f"vraag:{hashlib.sha1(q['text'].encode()).hexdigest()[:10]}", q["text"])
        for q in content.get("questions") or ()
        if q.get("text")
    ]
    rumours = [
        (f"item:{r['item_id']}", r["title"])
        for r in content.get("rumours") or ()
        if r.get("item_id") is not None and r.get("title")
    ]
    return questions, rumours


@dataclass(frozen=True, slots=True)
class PromptGroup:
    """Prompts that say the same thing (one rumour in several items and signals): one answer for all."""

    prompts: tuple[Prompt, ...]

    @property
    def lead(self) -> Prompt:
        return self.prompts[0]


_STATUS_TAIL = re.compile(r"\s*\((?:onbevestigd|bevestigd|ontkracht)\)\s*$")
_WORD = re.compile(r"\w{4,}")


def _gist(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(_STATUS_TAIL.sub("", text)))


def group_prompts(prompts: Sequence[Prompt], *, overlap: float = 0.5) -> list[PromptGroup]:
    """Near-duplicates become one prompt, so the form asks each rumour once, not once per item
    that repeats it. Two texts are the same when at least `overlap` of their words (4+ letters,
    Jaccard) agree; order is kept (rumours first, as `prompts` gives them)."""
    groups: list[tuple[frozenset[str], list[Prompt]]] = []
    for prompt in prompts:
        gist = _gist(prompt.text)
        for words, members in groups:
            union = words | gist
            if members[0].kind == prompt.kind and union and len(words & gist) / len(union) >= overlap:
                members.append(prompt)
                break
        else:
            groups.append((gist, [prompt]))
    return [PromptGroup(tuple(members)) for _, members in groups]


def om_leads(strategy: Mapping[str, Any] | None) -> bool:
    """Whether the recorded woordvoering decision (comms.strategy, 001) names a criminal offence,
    so that the OM speaks about it (004 Bijlage 4: "het OM heeft de regie ... strafbare feiten")."""
    decision = (strategy or {}).get("woordvoering") or {}
    details = decision.get("details") or {}
    return bool((details.get("vraag") or {}).get("strafbaar_feit"))


def address(value: PressFields, prompt: Prompt, answer: str) -> PressFields:
    """Record that this release answers `prompt`; an empty answer withdraws it."""
    kept = tuple(a for a in value.addressed if a.ref != prompt.ref)
    if answer.strip():
        kept += (Addressed(prompt.kind, prompt.ref, prompt.text, answer.strip()),)
    return replace(value, addressed=kept)


def open_prompts(value: PressFields, available: Sequence[Prompt]) -> list[Prompt]:
    done = {a.ref for a in value.addressed}
    return [p for p in available if p.ref not in done]


# -- exports -----------------------------------------------------------------------------------


def text_to_blocks(text: str) -> list[Block]:
    """Template text to Word blocks: '## ' headings, '- ' bullets, other lines paragraphs."""
    blocks: list[Block] = []
    bullets: list[str] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            bullets.append(line[2:].strip())
            continue
        if bullets:
            blocks.append(Bullets(tuple(bullets)))
            bullets = []
        if line.startswith("## "):
            blocks.append(Heading(line[3:].strip(), level=2))
        elif line.strip() and not set(line.strip()) <= {"-"}:
            blocks.append(Paragraph(line.strip()))
    if bullets:
        blocks.append(Bullets(tuple(bullets)))
    return blocks


def variant_docx(variant: Variant, value: PressFields, municipality: str, when: datetime) -> bytes:
    title = f"{variant.label}: {value.titel.strip()}" if value.titel.strip() else variant.label
    return write_docx(title, municipality, when, text_to_blocks(variant.text))


def briefing_blocks(value: PressFields) -> list[Block]:
    """Woordvoeringslijn for everyone who speaks to the press: kernboodschap per aim and oneliners,
    so nobody contradicts the release (004 Bijlage 5: "Geef alle intern betrokkenen die in contact
    zijn met de media een kopie van persverklaringen en berichten")."""
    kern = kernboodschap(value)
    blocks: list[Block] = [Heading("Kernboodschap")]
    for aim, text in kern.parts:
        blocks.append(Paragraph(f"{aim.label}: {text or 'nog niet ingevuld'}"))
    blocks += [Heading("Oneliners"), Bullets(tuple(oneliners(value)))]
    return blocks


def variant_markdown(variant: Variant) -> str:
    return variant.text


def variant_plaintext(variant: Variant) -> str:
    """Without the '## ' markers: for e-mail and the copy button."""
    return re.sub(r"^## ", "", variant.text, flags=re.MULTILINE)
