"""Scenario guidance (004 Bijlage 2) and 000 Bijlage 7: complete and verbatim from the seeds."""

from __future__ import annotations

import pytest

from analysis.incidents import scenarios
from comms.guidance import SCENARIO_SECTIONS, as_markdown_list, bijlage7, scenario_guidance
from tests.comms.test_tasks import _seed, _squeezed

# Counted by hand in 004 Bijlage 2: partners, kenmerken, vraagstukken, aandachtspunten, tips.
COUNTS = {
    "zedenzaak": (4, 5, 11, 3, 7),
    "evenement": (5, 9, 8, 3, 7),
    "polarisatie": (3, 7, 8, 5, 8),
    "schulden_geweld": (4, 0, 0, 0, 0),  # 2.4 and 2.5: introductie and partners only
    "familiedrama": (5, 0, 0, 0, 0),
    "media_ophef_zorg": (5, 1, 2, 2, 1),
    "ernstig_geweld": (5, 7, 4, 6, 1),
    "misbruik_zorgaanbieder": (6, 7, 6, 6, 0),
}


def test_every_scenario_of_004_bijlage_2_has_its_guidance() -> None:
    guidance = scenario_guidance()
    assert list(guidance) == list(scenarios())
    assert {k: g.ref for k, g in guidance.items()} == dict(scenarios())
    found = {k: (len(g.partners), *(len(g.sections[s]) for s in SCENARIO_SECTIONS)) for k, g in guidance.items()}
    assert found == COUNTS


def _texts() -> list[str]:
    out: list[str] = []
    for g in scenario_guidance().values():
        out += [g.title, *g.introductie, g.partners_note]
        for p in g.partners:
            out += [p.name, p.lead, *p.points]
        for items in g.sections.values():
            out += [part for item in items for part in item.split("\n- ")]
    return [t for t in out if t]


def test_scenario_guidance_is_verbatim() -> None:
    seed = _seed("004")
    assert [t for t in _texts() if _squeezed(t) not in seed] == []


def test_bijlage7_is_complete_and_verbatim() -> None:
    sections = bijlage7()
    assert {k: len(v) for k, v in sections.items()} == {
        "randvoorwaarden": 5, "aandachtspunten": 17, "rol_en_verwachtingen": 3, "privacy": 1,
        "communicatie": 1, "hulpverlening": 1}
    seed = _seed("000")
    assert [t for items in sections.values() for t in items if _squeezed(t) not in seed] == []


@pytest.mark.parametrize("items, markdown", [
    (("Een.", "Kritieke besluiten, zoals:\n- Wel/geen eigen onderzoek?\n- Wel/niet delen?"),
     "- Een.\n- Kritieke besluiten, zoals:\n    - Wel/geen eigen onderzoek?\n    - Wel/niet delen?"),
])
def test_sub_bullets_become_an_indented_list(items: tuple[str, ...], markdown: str) -> None:
    assert as_markdown_list(items) == markdown
