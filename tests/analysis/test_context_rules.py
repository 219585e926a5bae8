"""The rules' context gates on invented sentences shaped like the real dev errors (issue 12): feared
or prevented disorder, a noodbevel for a calamity, calm endings, announced demonstrations, hedged
allegations, official sources after their statement, deaths in the wording news uses.

The rules alone (judged=False): the model on top is measured on the real set, not here."""

from __future__ import annotations

import pytest

from analysis.tagging import Tagger, build_tagger

JUDGED = ("phase", "scenario", "dynamiek", "emotion", "claim")


@pytest.fixture(scope="module")
def rules() -> Tagger:
    return build_tagger(judged=False)


def judged_labels(tagger: Tagger, text: str) -> set[str]:
    return {t.label for t in tagger.tag(text) if t.tag_set in JUDGED}


@pytest.mark.parametrize("text, present, absent", [
    # Disorder only feared is fase 2; disorder to be prevented or rehearsed is no phase.
    ("Vrees voor rellen bij de derby van zondag in Hoogmade", {"phase:dreigend"}, {"phase:escalatie"}),
    ("De agenten waren er om te voorkomen dat er ongeregeldheden zouden ontstaan bij de optocht",
     set(), {"phase:escalatie"}),
    ("Veertig ME'ers oefenen zaterdag in een leeg stadion: de (oefen)rellen duren twee uur",
     set(), {"phase:escalatie"}),
    # A noodbevel for a calamity is crisis management; for disorder it is fase 4.
    ("Noodbevel voor de wijk Rozenhof na een groot gaslek", set(), {"phase:escalatie"}),
    ("Noodverordening in Lindehaven vanwege de storm", set(), {"phase:escalatie"}),
    ("Burgemeester vaardigt noodbevel uit na rellen bij de brand in de wijk", {"phase:escalatie"}, set()),
    # Calm endings of an event are fase 5.
    ("De demonstratie op het Raadhuisplein verliep ordelijk", {"phase:terugkeer"}, set()),
    ("Bij de demonstratie van de vissers waren er geen noemenswaardige incidenten", {"phase:terugkeer"}, set()),
    ("In de nacht was het onrustig rond het Stationsplein, agenten grepen in", {"phase:onrust"}, set()),
    ("De spanningen tussen jongeren uit twee dorpen zijn de laatste dagen flink opgelopen", {"phase:dreigend"}, set()),
])
def test_phase_context(rules, text, present, absent):
    found = judged_labels(rules, text)
    assert present <= found
    assert not absent & found


def test_feared_disorder_says_why(rules):
    tags = rules.tag("De politie vreest dat het zaterdag tot rellen komt")
    assert [(t.label, t.text, t.value) for t in tags if t.tag_set == "phase"] == [
        ("phase:dreigend", "rellen", "gevreesd")]


@pytest.mark.parametrize("text, present, absent", [
    # A demonstration happening is an evenement; only a call or an announcement is mobilisatie.
    ("Honderd boeren demonstreerden gisteren bij het provinciehuis", {"scenario:evenement"},
     {"dynamiek:mobilisatie"}),
    ("Actiegroep Groen Veld houdt volgende week zaterdag een protestmars door het centrum",
     {"dynamiek:mobilisatie"}, set()),
    ("De bewoners mogen woensdag demonstreren op het Marktplein", {"dynamiek:mobilisatie"}, set()),
    # A match, a festival or supporters are an evenement only with a public-order cue.
    ("Supporters vallen na de wedstrijd de ME aan", {"scenario:evenement"}, set()),
    ("Thuisploeg wint de wedstrijd met 3-1", set(), {"scenario:evenement"}),
    ("Muziekfestival trekt recordaantal bezoekers", set(), {"scenario:evenement"}),
    ("Kermis in Oudekerk: vechtpartij tussen twee groepen jongeren", {"scenario:evenement"}, set()),
])
def test_events_and_mobilisation(rules, text, present, absent):
    found = judged_labels(rules, text)
    assert present <= found
    assert not absent & found


@pytest.mark.parametrize("text, present, absent", [
    ("De school in Veldhuizen gaat maandag weer open. Dat laat de gemeente weten.", {"claim:feit"}, set()),
    ("Er is geen gevaar voor omwonenden, aldus de veiligheidsregio.", {"claim:feit"}, set()),
    ("De officier van justitie eist vier jaar cel tegen de man uit Borne.", {"claim:feit"}, set()),
    ("Volgens de minister is het onderzoek afgerond.", {"claim:feit"}, set()),
    # A hedged allegation without a source is a rumour; beside an official source it is a charge.
    ("Een begeleider zou kinderen hebben vastgebonden, zeggen ouders", {"claim:gerucht"}, set()),
    ("Het OM eist twee jaar cel. De man zou zijn buurman hebben mishandeld.", {"claim:feit"},
     {"claim:gerucht"}),
    ("Volgens getuigen reed de bestuurder veel te hard", {"claim:gerucht"}, set()),
    ("De vermeende Syriëganger stond dinsdag terecht in Den Haag", set(), {"claim:gerucht"}),
    ("Een verdachte meldde zich bij de politie", set(), {"claim:feit"}),
    ("Niet alleen de bevestigde transfers, ook de geruchten komen langs", {"claim:gerucht"},
     {"claim:feit"}),
])
def test_claims(rules, text, present, absent):
    found = judged_labels(rules, text)
    assert present <= found
    assert not absent & found


@pytest.mark.parametrize("text, expected", [
    ("Vianen - Dodelijk verkeersongeval op de Lekdijk", {"scenario:niet_natuurlijke_dood"}),
    ("Lichaam van vermiste wandelaar gevonden in de duinen", {"scenario:niet_natuurlijke_dood"}),
    ("Politie doet onderzoek na aantreffen dode man in woning", {"scenario:niet_natuurlijke_dood"}),
    ("De man die zondag zwaargewond raakte door een mishandeling is overleden",
     {"scenario:niet_natuurlijke_dood", "scenario:overlijden_door_ander", "scenario:ernstig_geweld"}),
    ("Verdachte van het ombrengen van zijn buurman aangehouden",
     {"scenario:niet_natuurlijke_dood", "scenario:overlijden_door_ander"}),
    ("De twee wandelaars werden vorige week om het leven gebracht",
     {"scenario:niet_natuurlijke_dood", "scenario:overlijden_door_ander"}),
])
def test_deaths(rules, text, expected):
    assert expected <= judged_labels(rules, text)


@pytest.mark.parametrize("text", [
    "Fietser met traumahelikopter naar het ziekenhuis na val",
    "Automobilist rijdt agressief en beschadigt drie auto's",
    "Wachtlijsten bij de bibliotheek voor de nieuwe thriller",
])
def test_words_that_mostly_mean_something_else(rules, text):
    found = judged_labels(rules, text)
    assert not {"scenario:ernstig_letsel", "emotion:woede", "scenario:media_ophef_zorg"} & found
