"""The lexicon data files: parseable, in the fixed tag vocabulary, with seed references."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from analysis import lexicons
from analysis.lexicons import LexiconError, read_terms

VOCABULARY = {
    "scenario": {
        "zedenzaak", "evenement", "polarisatie", "schulden_geweld", "familiedrama", "media_ophef_zorg",
        "ernstig_geweld", "misbruik_zorgaanbieder", "niet_natuurlijke_dood", "overlijden_door_ander",
        "ernstig_letsel", "grensoverschrijdend_gedrag",
    },
    "phase": {"dreigend", "onrust", "escalatie", "terugkeer"},
    "dynamiek": {"eigenrichting", "mobilisatie", "politisering"},
    "emotion": {"angst", "woede", "verdriet", "verontwaardiging", "onbegrip", "solidariteit"},
    "polarity": {"negatief", "positief"},
    "claim": {"gerucht", "feit"},
}


@pytest.fixture(scope="module")
def terms():
    return lexicons.load_terms()


def test_every_key_of_the_fixed_vocabulary_has_terms(terms):
    keys = {(t.tag_set, t.key) for t in terms}
    for tag_set, expected in VOCABULARY.items():
        assert {k for s, k in keys if s == tag_set} == expected, tag_set


def test_actor_keys_are_snake_case(terms):
    actors = {t.key for t in terms if t.tag_set == "actor"}
    assert {"burgemeester", "wethouder", "om", "politie", "ggd", "veilig_thuis", "ozjt", "inspectie",
            "zorgaanbieder", "school", "woningcorporatie", "slachtofferhulp", "me", "boa", "brandweer"} <= actors
    assert all(re.fullmatch(r"[a-z_]+", k) for k in actors)


def test_seed_terms_carry_their_seed_reference(terms):
    for t in terms:
        if t.tag_set in {"scenario", "phase", "dynamiek", "claim", "actor"}:
            assert t.ref and re.match(r"00[0-4] ", t.ref), t


def test_regexes_compile_and_scores_are_in_range(terms):
    for t in terms:
        if t.match == "regex":
            re.compile(t.term)
        assert 0 < t.score <= 1, t


def test_pddl_adjectives_are_polarity_terms(terms):
    adjectives = {t.term: t for t in terms if t.ref == "PDDL"}
    assert adjectives["slecht"].key == "negatief" and adjectives["geweldig"].key == "positief"
    assert "naar" not in adjectives  # preposition far more often than "nasty"
    readme = (lexicons.LEXICON_DIR / "README.md").read_text(encoding="utf-8")
    assert "PDDL" in readme and "De Smedt" in readme


def test_bad_match_kind_names_file_and_line(tmp_path: Path):
    path = tmp_path / "phase.csv"
    path.write_text("key,term,match,score,ref,exclude\nonrust,rel,glob,1.0,,\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="phase.csv:2"):
        read_terms(path, "phase")


def test_extra_lexicon_folder_adds_terms(tmp_path: Path):
    (tmp_path / "actor.csv").write_text(
        "key,term,match,score,ref,exclude\nsleutelfiguur,buurtvader Ali,word,1.0,004 §3.1,\n", encoding="utf-8"
    )
    base = lexicons.load_terms()
    extended = lexicons.load_terms((lexicons.LEXICON_DIR, tmp_path))
    assert len(extended) == len(base) + 1 and extended[-1].term == "buurtvader Ali"


def test_municipalities_all_342_with_12_provinces():
    places = lexicons.load_municipalities()
    assert len(places) == 342 and len({p.name for p in places}) == 342
    per_province = Counter(p.province for p in places)
    assert per_province == {
        "Noord-Brabant": 56, "Gelderland": 51, "Zuid-Holland": 50, "Noord-Holland": 44, "Limburg": 31,
        "Utrecht": 26, "Overijssel": 25, "Fryslân": 18, "Zeeland": 13, "Drenthe": 12, "Groningen": 10,
        "Flevoland": 6,
    }
    by_name = {p.name: p for p in places}
    assert by_name["Enschede"].province == "Overijssel"
    assert by_name["'s-Gravenhage"].aliases == ("Den Haag", "’s-Gravenhage", "Haagse")
    assert by_name["Dijk en Waard"].province == "Noord-Holland"
    assert by_name["Voorne aan Zee"].province == "Zuid-Holland"
    assert by_name["Best"].ambiguous


def test_fingerprint_changes_with_content(tmp_path: Path):
    a = tmp_path / "a.csv"
    a.write_text("x", encoding="utf-8")
    first = lexicons.fingerprint([a])
    a.write_text("y", encoding="utf-8")
    assert lexicons.fingerprint([a]) != first
