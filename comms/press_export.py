"""Press texts as they leave the dashboard (Word, Markdown, text, the copy buttons).

Two rules hold for every outward text, whatever the screen shows: a registered name of someone
involved, in any variant the press rules recognise ("M. de Vries", "Mark de V.", "De Vries"), is
replaced by MASK; and a release that is not yet approved goes out marked CONCEPT in its title and
on its first line, so a forwarded draft is never read as the municipality's statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from comms import press
from comms.rules import find_involved, without_spokespeople
from onrust.docx import Paragraph, write_docx
from onrust.models import InvolvedPerson
from onrust.text import md_inert

MASK = "[naam]"
FINAL_STATUSES = ("goedgekeurd", "verstuurd")  # before these, a release is a draft
_NAME_RULE = "betrokkene_naam"  # the blocking finding of a registered name (data/press_rules.toml)
_TEXTS = tuple(f.name for f in fields(press.PressFields) if f.type == "str")


def is_draft(status: str | None) -> bool:
    """None is a release not saved yet: a draft as well."""
    return status not in FINAL_STATUSES


def mask_names(text: str, involved: Sequence[InvolvedPerson]) -> str:
    """`text` with every registered name found by the press rules replaced by MASK."""
    if not involved or not text:
        return text
    spans = [(f.start, f.end) for f in find_involved(text, involved) if f.rule == _NAME_RULE]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + MASK + text[end:]
    return text


@dataclass(frozen=True, slots=True)
class Outward:
    """The fields as they may go out (names masked) and whether they go out as a draft."""

    value: press.PressFields
    status: str
    involved: tuple[InvolvedPerson, ...] = ()

    @property
    def draft(self) -> bool:
        return is_draft(self.status)

    @property
    def concept_line(self) -> str:
        return (f"CONCEPT – niet verspreiden: status {self.status.replace('_', ' ')}, "
                "nog niet goedgekeurd.")

    def title(self, title: str) -> str:
        """A document title as it may go out (a name in the incident's name is masked too)."""
        title = mask_names(title, self.involved)
        return f"CONCEPT – {title}" if self.draft else title


def outward(value: press.PressFields, involved: Sequence[InvolvedPerson], status: str | None) -> Outward:
    """Mask every text field and every recorded answer; the prompts themselves are not exported."""
    people = tuple(without_spokespeople(value, involved))
    texts: dict[str, Any] = {k: mask_names(getattr(value, k), people) for k in _TEXTS}
    addressed = tuple(replace(a, answer=mask_names(a.answer, people)) for a in value.addressed)
    masked = replace(value, **texts, addressed=addressed)
    return Outward(masked, status or "concept", people)


def variants(out: Outward, municipality: str, when: datetime) -> list[press.Variant]:
    return press.variants(out.value, municipality, when)


def _variant_title(out: Outward, variant: press.Variant) -> str:
    titel = out.value.titel.strip()
    return out.title(f"{variant.label}: {titel}" if titel else variant.label)


def variant_docx(out: Outward, variant: press.Variant, municipality: str, when: datetime) -> bytes:
    blocks = press.text_to_blocks(variant.text)
    if out.draft:
        blocks.insert(0, Paragraph(out.concept_line, bold=True))
    return write_docx(_variant_title(out, variant), municipality, when, blocks)


def _with_header(out: Outward, text: str, title_line: str) -> str:
    if not out.draft:
        return text
    return f"{title_line}\n\n{out.concept_line}\n\n{text}"


def variant_markdown(out: Outward, variant: press.Variant) -> str:
    """The .md download: its fields are typed or pasted (from a feed, a signal), so no link, image
    or HTML tag in them may act where the file is opened; the template's headings stay."""
    text = press.variant_markdown(variant)
    return md_inert(_with_header(out, text, f"# {_variant_title(out, variant)}"))


def variant_plaintext(out: Outward, variant: press.Variant) -> str:
    text = press.variant_plaintext(variant)
    return _with_header(out, text, _variant_title(out, variant))


def briefing_docx(out: Outward, incident_name: str, municipality: str, when: datetime) -> bytes:
    """The woordvoeringslijn for everyone who speaks to the press."""
    blocks = press.briefing_blocks(out.value)
    if out.draft:
        blocks.insert(0, Paragraph(out.concept_line, bold=True))
    title = out.title(f"Woordvoeringslijn: {out.value.titel.strip() or incident_name}")
    return write_docx(title, municipality, when, blocks)
