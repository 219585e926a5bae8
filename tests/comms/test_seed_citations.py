"""The seed audit found press citations pointing at the wrong section. Each quoted passage must
sit in the section its reference names, so a reader who looks it up finds it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"

# (data file, table, id/key) -> (seed, heading that opens the section, heading that closes it)
CITED = {
    ("press_fields.toml", "fields", "boegbeeld"): (
        "004", "2.2 Verdieping aanpak illegale/ongeplande evenementen", "2.3 Verdieping aanpak polarisatie",
    ),
    ("press_rules.toml", "rules", "persoonsnaam"): (
        "004", "2.2.1 Taken kernteam", "2.3 Van Routine naar opschaling",
    ),
    ("press_rules.toml", "rules", "dader"): (
        "004", "2.1 Verdieping aanpak zedenzaken", "2.2 Verdieping aanpak illegale/ongeplande evenementen",
    ),
}
LABELS = {"boegbeeld": "004 Bijlage 2.2", "persoonsnaam": "004 §2.2.1", "dader": "004 Bijlage 2.1"}


def _ref(file: str, table: str, key: str) -> str:
    """The part of the reference that cites the seed section under test (refs join parts by ';')."""
    rows = tomllib.loads((ROOT / "data" / file).read_text(encoding="utf-8"))[table]
    (row,) = [r for r in rows if r.get("key", r.get("id")) == key]
    parts = [p.strip() for p in str(row["ref"]).split(";") if p.strip().startswith(CITED[(file, table, key)][0])]
    assert len(parts) == 1, row["ref"]
    return parts[0]


def _section(seed: str, start: str, end: str) -> str:
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    text = path.read_text(encoding="utf-8")
    # The table of contents repeats every heading; the body is after its last mention.
    begin = text.rindex(start)
    return text[begin : text.index(end, begin)]


@pytest.mark.parametrize("where", sorted(CITED), ids=lambda w: w[2])
def test_reference_names_the_right_section(where: tuple[str, str, str]) -> None:
    assert _ref(*where).startswith(LABELS[where[2]] + " ") or _ref(*where).startswith(LABELS[where[2]] + ",")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are beside the checkout in CI (../shared)")
@pytest.mark.parametrize("where", sorted(CITED), ids=lambda w: w[2])
def test_quoted_passage_is_in_that_section(where: tuple[str, str, str]) -> None:
    quotes = re.findall(r"'([^']{12,})'", _ref(*where))
    assert quotes
    section = _section(*CITED[where])
    assert all(q in section for q in quotes), (quotes, CITED[where])
