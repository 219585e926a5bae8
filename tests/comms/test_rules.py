"""Each press rule with Dutch texts that must and must not trigger it."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from comms.rules import (
    check_fields,
    check_release,
    check_text,
    counts,
    find_involved,
    find_long_sentences,
    find_other_names,
    find_patterns,
    has_blocking,
    load_rules,
)
from onrust.models import InvolvedPerson
from onrust.text import fold
from tests.comms.press_example import EXAMPLE

MARK = InvolvedPerson("Mark de Vries", "slachtoffer")
ZOE = InvolvedPerson("Zoë Bakker", "verwant")


# -- involved names (blocking, independent of the name detector) ---------------------------------

@pytest.mark.parametrize(
    "text, passage",
    [
        ("Mark de Vries is zaterdagavond overleden.", "Mark de Vries"),
        ("Volgens de buren was M. de Vries een rustige man.", "M. de Vries"),
        ("Het slachtoffer, M de Vries, woonde alleen.", "M de Vries"),
        ("Het gaat om Mark de V. uit Thamerdal.", "Mark de V."),
        ("De Vries woonde al jaren in de wijk.", "De Vries"),
        ("Onze gedachten zijn bij de familie van mark de vries.", "mark de vries"),
        ("MARK DE VRIES OVERLEDEN", "MARK DE VRIES"),
        ("De familie van Zoe Bakker wordt bijgestaan.", "Zoe Bakker"),
        ("Zoë bakker is ingelicht.", "Zoë bakker"),
        ("Bakker zei niets tegen de pers.", "Bakker"),
    ],
)
def test_involved_name_variants_block(text, passage):
    found = find_involved(text, [MARK, ZOE])
    assert [(f.rule, f.severity, f.passage) for f in found] == [("betrokkene_naam", "blokkerend", passage)]
    assert text[found[0].start : found[0].end] == passage


@pytest.mark.parametrize(
    "text",
    [
        "De bakker op de hoek bleef open.",  # a trade, not the surname: lower case
        "De brand in De Vriesstraat is geblust.",  # part of a longer word
        "Marktplein en Zoutkamp bleven rustig.",
        "De vries-kou hield aan.",
    ],
)
def test_involved_name_negatives(text):
    assert find_involved(text, [MARK, ZOE]) == []


def test_first_name_alone_warns_and_is_not_doubled():
    found = find_involved("Mark woonde hier. Mark de Vries was bekend.", [MARK])
    assert [(f.rule, f.severity, f.passage) for f in found] == [
        ("betrokkene_voornaam", "waarschuwing", "Mark"),
        ("betrokkene_naam", "blokkerend", "Mark de Vries"),
    ]
    assert "slachtoffer" in found[1].why


def test_registered_surname_order_with_comma():
    found = find_involved("Mark de Vries overleed.", [InvolvedPerson("Vries, Mark de", "slachtoffer")])
    assert [f.passage for f in found] == ["Mark de Vries"]


def test_fold_maps_offsets_back():
    folded = fold("Zoë ging")
    assert folded.text == "Zoe ging"
    assert folded.span(0, 3) == (0, 3)


# -- other person names (tagging helper's detector, given as a finder) --------------------------

@dataclass(frozen=True)
class _Tag:
    key: str
    start: int
    end: int


def _finder_for(*names: str):
    def finder(text, *, involved=()):
        tags = []
        for name in names:
            at = text.find(name)
            if at >= 0:
                tags.append(_Tag("persoon", at, at + len(name)))
        return tags

    return finder


def test_other_names_warn_except_officials_and_spokespeople():
    text = (
        "Buurman Jan Pietersen zag de vlammen. Burgemeester Heiliegers bezocht de buurt. "
        "Voor de pers: Annemiek Bos."
    )
    finder = _finder_for("Jan Pietersen", "Heiliegers", "Annemiek Bos")
    found = find_other_names(text, [], allowed=["woordvoerder Annemiek Bos, 06 12345678"], finder=finder)
    assert [(f.rule, f.severity, f.passage) for f in found] == [("persoonsnaam", "waarschuwing", "Jan Pietersen")]


def test_release_allows_spokespeople_and_the_place():
    value = replace(FULL, wat="Bij een brand in Thamerdal is een bewoner om het leven gekomen. "
                              "Jan Pietersen belde 112.")
    finder = _finder_for("Thamerdal", "Jan Pietersen", "Heiliegers", "Annemiek Bos")
    found = [f for f in check_release(value, finder=finder) if f.rule == "persoonsnaam"]
    assert [(f.where, f.passage) for f in found] == [("wat", "Jan Pietersen")]


def test_real_name_detector_finds_bystanders():
    found = check_text("Buurman Jan Pietersen zag de vlammen.")
    assert [f.rule for f in found] == ["persoonsnaam"]
    assert "Jan Pietersen" in found[0].passage


def test_other_names_skip_spans_already_blocked():
    text = "Mark de Vries overleed."
    found = check_text(text, involved=[MARK], finder=_finder_for("Mark de Vries"))
    assert [f.rule for f in found] == ["betrokkene_naam"]


# -- pattern rules -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "rule, text, passages",
    [
        ("speculatie", "Het vuur is vermoedelijk aangestoken.", ["vermoedelijk"]),
        ("speculatie", "Naar verluidt was de bewoner niet thuis.", ["Naar verluidt"]),
        ("speculatie", "De man zou al eerder zijn bedreigd.", ["zou"]),
        ("speculatie", "Het zou kunnen dat er meer slachtoffers zijn.", ["zou"]),
        ("speculatie", "Waarschijnlijk ging het om een ruzie.", ["Waarschijnlijk"]),
        ("speculatie", "In Zoutkamp bleef het rustig.", []),
        ("speculatie", "Mogelijk is de brand aangestoken.", ["Mogelijk"]),
        ("speculatie", "Wij informeren u zo snel mogelijk.", []),
        ("speculatie", "Waar mogelijk worden bewoners opgevangen; dat is niet mogelijk voor iedereen.", []),
        ("speculatie", "Zodra er meer bekend is, leest u dat hier.", []),
        ("belofte", "Wij garanderen dat de buurt veilig is.", ["garanderen"]),
        ("belofte", "Dit zal nooit meer gebeuren.", ["Dit zal nooit meer"]),
        ("belofte", "De wethouder belooft extra toezicht.", ["belooft"]),
        ("belofte", "We zullen ervoor zorgen dat iedereen een woning krijgt.", ["We zullen ervoor zorgen dat"]),
        ("belofte", "De gemeente doet wat zij kan om de bewoners te helpen.", []),
        ("oordeel", "De ouders zijn schuldig aan verwaarlozing.", ["schuldig"]),
        ("oordeel", "Dit is het werk van laf tuig.", ["laf", "tuig"]),
        ("oordeel", "De zorgaanbieder heeft nalatig gehandeld.", ["nalatig"]),
        ("oordeel", "Het gezin had grote schulden.", []),  # scenario 004 B2.4, no blame
        ("oordeel", "Onze gedachten zijn bij de familie.", []),
        ("dader", "De dader is nog voortvluchtig.", ["dader"]),
        ("dader", "De politie zoekt de daders.", ["daders"]),
        ("dader", "Er is sprake van wisselend dader- en slachtofferschap.", []),
        ("groepskenmerk", "Een groep Marokkaanse jongeren verzamelde zich.", ["Marokkaanse"]),
        ("groepskenmerk", "De moslimgemeenschap is geschokt.", ["moslimgemeenschap"]),
        ("groepskenmerk", "Een Poolse arbeidsmigrant raakte gewond.", ["Poolse", "arbeidsmigrant"]),
        ("groepskenmerk", "Jongeren verzamelden zich bij het winkelcentrum.", []),
        ("groepskenmerk", "De regionale communicatiepool ondersteunt de gemeente.", []),
        ("identificerend_leeftijd", "De 14-jarige jongen uit de Dorpsstraat raakte gewond.", ["14-jarige"]),
        ("identificerend_leeftijd", "Een meisje van 9 jaar van basisschool De Regenboog.", ["van 9 jaar"]),
        ("identificerend_leeftijd", "Een 14-jarige jongen raakte gewond.", []),  # age alone is not identifying
        ("identificerend_leeftijd", "De man was onderweg naar huis, hij is 45 jaar.", []),
        ("identificerend_klas", "Het meisje zat in groep 7 van De Regenboog.", ["zat in groep 7"]),
        ("identificerend_klas", "Een leerling uit klas 2b is gewond.", ["klas 2b"]),
        ("identificerend_klas", "Klasgenoten krijgen vandaag opvang op school.", []),
        ("identificerend_adres", "De brand woedde aan de Dorpsstraat 12.", ["Dorpsstraat 12"]),
        ("identificerend_adres", "De brand woedde aan de Dorpsstraat.", []),
        ("persoonlijke_mening", "Ik vind dit onbegrijpelijk.", ["Ik vind"]),
        ("persoonlijke_mening", "Wij leven mee met de familie.", []),
        ("oorzaak", "De oorzaak is een defecte wasdroger.", ["De oorzaak is"]),
        ("oorzaak", "De oorzaak wordt onderzocht door de brandweer.", []),
    ],
)
def test_pattern_rules(rule, text, passages):
    found = [f for f in find_patterns(text) if f.rule == rule]
    assert [f.passage for f in found] == passages
    for f in found:
        assert text[f.start : f.end] == f.passage
        assert f.ref and f.why and f.suggestion


def test_patterns_ignore_diacritics():
    found = find_patterns("Een groep Eritreeërs werd geïnterviewd.")
    assert [(f.rule, f.passage) for f in found] == [("groepskenmerk", "Eritreeërs")]


@pytest.mark.parametrize(
    "text, passages",
    [
        ("De verdachte is aangehouden en wordt verhoord.", ["aangehouden", "verdachte", "verhoord"]),
        ("Het motief is nog onbekend.", ["motief"]),
        ("Over het onderzoek doet het OM mededelingen; er is een verdachte.", []),
        ("Over het strafrechtelijk onderzoek doet het Openbaar Ministerie mededelingen.", []),
        ("De bewoner kwam om het leven.", []),  # 'om' is not the OM
    ],
)
def test_criminal_details_only_when_om_leads(text, passages):
    assert [f.passage for f in find_patterns(text) if f.rule == "strafrechtelijk_detail"] == []
    found = find_patterns(text, flags={"strafrechtelijk"})
    assert sorted(f.passage for f in found if f.rule == "strafrechtelijk_detail") == sorted(passages)


def test_registered_suspect_turns_on_om_rule():
    text = "De politie heeft een verdachte aangehouden."
    plain = check_text(text, finder=_finder_for())
    suspect = check_text(text, involved=[InvolvedPerson("Kees Jansen", "verdachte")], finder=_finder_for())
    assert [f.rule for f in plain] == []
    assert {f.rule for f in suspect} == {"strafrechtelijk_detail"}


def test_long_sentences_hint():
    long = " ".join(["woord"] * 26) + "."
    short = "Dit is een korte zin. En nog een."
    found = find_long_sentences(f"{short} {long[0].upper()}{long[1:]}", 25)
    assert [(f.rule, f.severity) for f in found] == [("lange_zin", "hint")]
    assert "26 woorden" in found[0].why
    assert find_long_sentences(short, 25) == []


# -- missing fields and whole releases -----------------------------------------------------------

FULL = EXAMPLE


def test_complete_fields_have_no_blocking_findings():
    found = check_fields(FULL)
    assert [(f.where, f.severity) for f in found] == [("handelingsperspectief", "hint")]


def test_missing_why_blocks_like_the_other_six_elements():
    """000 Bijlage 6 lists 'Waarom?' among the seven elements of a press message."""
    found = check_fields(replace(FULL, duiding=""))
    assert [(f.where, f.severity) for f in found if f.severity == "blokkerend"] == [("duiding", "blokkerend")]
    assert "Waarom?" in found[0].ref


def test_missing_fields_block_and_groups_count_once():
    found = check_fields(replace(FULL, empathie="", contact_pers=" ", website=""))
    assert [(f.where, f.severity) for f in found if f.severity == "blokkerend"] == [
        ("empathie", "blokkerend"), ("contact_pers", "blokkerend"), ("telefoon", "blokkerend"),
    ]
    telefoon = next(f for f in found if f.where == "telefoon")
    assert telefoon.label == (
        "Verplicht onderdeel ontbreekt (telefoonnummer voor vragen of website voor vragen en updates)")
    assert [f.label for f in check_fields(FULL)] == ["Onderdeel ontbreekt"]
    assert "000 Bijlage 6" in telefoon.ref


def test_release_check_names_in_fields_and_answers():
    from comms.press import Addressed

    value = replace(
        FULL,
        wat="Mark de Vries is bij een brand om het leven gekomen.",
        addressed=(Addressed("gerucht", "signal:1", "Er zou brand zijn gesticht", "Zoutkamp meldt: Mark was thuis."),),
    )
    found = check_release(value, involved=[MARK], finder=_finder_for())
    assert has_blocking(found)
    assert [(f.where, f.rule) for f in found if f.severity != "hint"] == [
        ("wat", "betrokkene_naam"),
        ("antwoord:signal:1", "betrokkene_voornaam"),
    ]
    assert counts(found)["blokkerend"] == 1


def test_rules_file_is_complete():
    book = load_rules()
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids))
    for rule in book.rules:
        assert rule.builtin or rule.patterns, rule.id
        assert rule.ref[:3] in {"000", "001", "002", "003", "004"}, rule.id


# -- realistic releases --------------------------------------------------------------------------

# Verbatim releases, one paragraph per line: wrapping a literal would put line breaks into the
# text under test.
GOOD = """Uithoorn, 22 november 2026 – De gemeente Uithoorn is geschokt door de brand die zaterdagavond in de wijk Thamerdal aan een bewoner het leven heeft gekost. Burgemeester Heiliegers: 'Onze gedachten zijn bij de familie, de vrienden en de buren. Dit raakt de hele wijk.'
De brandweer onderzoekt hoe de brand is ontstaan. De gemeente heeft samen met de woningcorporatie opvang geregeld voor de bewoners van het portiek. Slachtofferhulp is ingeschakeld. Voor buurtbewoners die willen praten, is er maandagavond om 19.30 uur een bijeenkomst in het wijkcentrum.
Heeft u vragen? Bel dan 14 0297 of kijk op uithoorn.nl/calamiteit. We houden u op de hoogte via deze website.
Noot voor de redactie: voor meer informatie kunt u contact opnemen met woordvoerder Annemiek Bos via 06 12345678."""  # noqa: E501

BAD = """Enschede, 3 maart 2026 – Bij een steekpartij aan de Pathmossingel is een 17-jarige jongen om het leven gekomen. Vermoedelijk ging er een ruzie aan vooraf. De politie heeft een Syrische man aangehouden; hij zou de dader zijn. Wethouder Jansen: 'Dit is het werk van laf tuig. Wij garanderen dat dit nooit meer gebeurt.' Het slachtoffer zat in de brugklas van het Stedelijk Lyceum."""  # noqa: E501


def test_realistic_good_release_has_no_rule_findings():
    found = check_text(GOOD, involved=[MARK])
    assert [(f.rule, f.passage) for f in found if f.rule != "persoonsnaam"] == []


def test_realistic_bad_release():
    found = check_text(BAD, involved=[MARK], strafrechtelijk=True)
    assert [(f.rule, f.passage) for f in found if f.rule != "persoonsnaam"] == [
        ("identificerend_leeftijd", "17-jarige"),
        ("speculatie", "Vermoedelijk"),
        ("groepskenmerk", "Syrische"),
        ("strafrechtelijk_detail", "aangehouden"),
        ("speculatie", "zou"),
        ("dader", "dader"),
        ("oordeel", "laf"),
        ("oordeel", "tuig"),
        ("belofte", "garanderen"),
        ("belofte", "nooit meer gebeurt"),
        ("identificerend_klas", "brugklas"),
    ]


def test_criminal_case_phase_one_keeps_investigation_details_secret():
    """004 Bijlage 4, Strafrechtelijk traject: fase 1 secrecy (blocking), fase 2-3 the OM warning."""
    text = ("De politie heeft gisteren een verdachte aangehouden. Vanavond is er een informatieavond voor ouders. "
            "Het Openbaar Ministerie doet onderzoek naar de verdachte.")
    phase1 = check_text(text, strafzaak_fase=1)
    assert [(f.rule, f.severity, f.passage) for f in phase1 if f.rule.startswith("straf")] == [
        ("strafzaak_geheim", "blokkerend", "verdachte"), ("strafzaak_geheim", "blokkerend", "aangehouden"),
        ("strafzaak_groepsgewijs", "waarschuwing", "informatieavond"),
    ]
    assert all("004 Bijlage 4" in f.ref for f in phase1 if f.rule.startswith("straf"))
    phase2 = check_text(text, strafzaak_fase=2)
    assert {(f.rule, f.severity) for f in phase2 if f.rule.startswith("straf")} == {
        ("strafrechtelijk_detail", "waarschuwing")}
    assert not [f for f in check_text(text) if f.rule.startswith("straf")]
    release = check_release(replace(FULL, wat="Een verdachte is aangehouden.", strafzaak_fase=1))
    assert has_blocking(release)
