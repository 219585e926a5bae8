"""Outward press texts: registered names masked in every variant the rules know, drafts marked CONCEPT."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from comms.press import Addressed
from comms.press_export import briefing_docx, is_draft, mask_names, outward, variant_docx, variant_markdown, variants
from onrust.docx import read_docx_text
from onrust.models import InvolvedPerson
from tests.comms.press_example import EXAMPLE

WHEN = datetime(2026, 11, 22, 8, 15, tzinfo=UTC)
MARK = [InvolvedPerson("Mark de Vries", "slachtoffer")]


@pytest.mark.parametrize("text, expected", [
    ("Bij de brand kwam Mark de Vries om het leven.", "Bij de brand kwam [naam] om het leven."),
    ("M. de Vries en M.J. de Vries", "[naam] en [naam]"),
    ("Mark de V. woonde er al jaren.", "[naam] woonde er al jaren."),
    ("De Vries' buren en De Vries's auto", "[naam]' buren en [naam] auto"),
    ("MARK DE VRIES", "[naam]"),
    ("de vries van de haven", "de vries van de haven"),  # lower case: a word, not the surname
    ("Mark belde de brandweer.", "Mark belde de brandweer."),  # a first name alone is only a warning
])
def test_mask_names(text, expected):
    assert mask_names(text, MARK) == expected


def test_no_names_registered_changes_nothing():
    assert mask_names("Mark de Vries", []) == "Mark de Vries"


@pytest.mark.parametrize("status, draft", [
    (None, True), ("concept", True), ("ter_controle", True), ("goedgekeurd", False), ("verstuurd", False),
])
def test_is_draft(status, draft):
    assert is_draft(status) is draft


def test_draft_word_files_carry_concept_and_no_name():
    value = replace(EXAMPLE, titel="Brand bij De Vries", wat="Mark de Vries kwam om het leven.",
                    addressed=(Addressed("gerucht", "item:1", "Mark de Vries stichtte de brand",
                                         "M. de Vries niet."),))
    out = outward(value, MARK, "ter_controle")
    [persbericht] = [v for v in variants(out, "Uithoorn", WHEN) if v.key == "persbericht"]
    text = read_docx_text(variant_docx(out, persbericht, "Uithoorn", WHEN))
    assert text.splitlines()[0] == "CONCEPT – Persbericht: Brand bij [naam]"
    assert "CONCEPT – niet verspreiden: status ter controle, nog niet goedgekeurd." in text
    assert "Vries" not in text and "[naam] niet." in text
    briefing = read_docx_text(briefing_docx(out, "Steekpartij Mark de Vries", "Uithoorn", WHEN))
    assert briefing.startswith("CONCEPT – Woordvoeringslijn: Brand bij [naam]\n") and "Vries" not in briefing
    untitled = outward(replace(value, titel=""), MARK, "concept")
    assert read_docx_text(briefing_docx(untitled, "Steekpartij Mark de Vries", "Uithoorn", WHEN)).startswith(
        "CONCEPT – Woordvoeringslijn: Steekpartij [naam]\n")


def test_approved_markdown_is_the_text_itself():
    out = outward(EXAMPLE, MARK, "goedgekeurd")
    [persbericht] = [v for v in variants(out, "Uithoorn", WHEN) if v.key == "persbericht"]
    assert variant_markdown(out, persbericht) == persbericht.text
    assert variant_markdown(outward(EXAMPLE, MARK, "concept"), persbericht).startswith(
        "# CONCEPT – Persbericht: Brand in woning Thamerdal\n\nCONCEPT – niet verspreiden")
