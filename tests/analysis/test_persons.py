"""Person-name spans for privacy: recall first, no spaCy model needed."""

from __future__ import annotations

import pytest

from analysis.persons import find_person_names, name_variants


def names(text: str, **kw) -> list[str]:
    return [t.text for t in find_person_names(text, **kw) if t.key == "persoon"]


@pytest.mark.parametrize("text, expected", [
    ("Burgemeester Femke Halsema spreekt van een zwarte dag", ["Femke Halsema"]),
    ("Mark de V. (34) uit Enschede is aangehouden", ["Mark de V."]),
    ("Volkert van der G. keert terug naar Apeldoorn", ["Volkert van der G."]),
    ("Benno L. veroordeeld voor misbruik", ["Benno L."]),
    ("J.P. Balkenende opent nieuw onderzoekscentrum", ["J.P. Balkenende"]),
    ("Rechter mr. A. de Boer oordeelde anders", ["A. de Boer"]),
    ("Burgemeester Van Zanen van Den Haag reageert", ["Van Zanen"]),
    ("Volgens Van der Laan is de rust teruggekeerd", ["Van der Laan"]),
    ("Premier Schoof belooft maatregelen", ["Schoof"]),
    ("Wilders reageerde furieus op de uitspraak", ["Wilders"]),
    ("Sanne (19) kwam om het leven", ["Sanne"]),
    ("Karim (16) en zijn vriend Bilal (15) werden belaagd", ["Karim", "Bilal"]),
    ("Zowel Erik ten Hag als Louis van Gaal werden genoemd", ["Erik ten Hag", "Louis van Gaal"]),
    ("Yusuf Öztürk (31) overleefde de schietpartij", ["Yusuf Öztürk"]),
    ("Ook wethouder Sjoerd Kuiper-Hofstra was aanwezig", ["Sjoerd Kuiper-Hofstra"]),
    ("De GGD heeft Mirjam van 't Veld aangesteld", ["Mirjam van 't Veld"]),
    ("Op de lijst staan Femke Bol, Sifan Hassan en Dafne Schippers", ["Femke Bol", "Sifan Hassan", "Dafne Schippers"]),
    ("Hoofdinspecteur Ronald van Dijk leidt het onderzoek", ["Ronald van Dijk"]),
    ("'We zijn kapot', zegt Fatima Yilmaz, tante van het slachtoffer", ["Fatima Yilmaz"]),
])
def test_person_names_found(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "Rellen in Den Haag: ME grijpt in na ongeregeldheden",
    "Politie en OM onderzoeken de schietpartij in Rotterdam-Zuid",
    "De Amsterdamse burgemeester kondigt een noodverordening af",
    "Veilig Thuis en Slachtofferhulp bieden ondersteuning",
    "Op zaterdag 14 maart is er een demonstratie op het Malieveld",
    "Tegendemonstranten en Pegida-aanhangers tegenover elkaar in Utrecht",
    "Brand aan de Industrieweg snel onder controle",
    "Demonstratie aangekondigd tegen azc in Ter Apel",
])
def test_no_person_names(text):
    assert names(text) == []


def test_involved_names_and_variants_are_betrokkene():
    text = "Mark de Vries zegt dat M. de Vries niet bestaat; De Vries en Mark de V. wel. Mark zwijgt."
    found = [(t.key, t.text) for t in find_person_names(text, involved=["Mark de Vries"])]
    assert found == [
        ("betrokkene", "Mark de Vries"),
        ("betrokkene", "M. de Vries"),
        ("betrokkene", "De Vries"),
        ("betrokkene", "Mark de V."),
        ("betrokkene", "Mark"),
    ]


def test_involved_name_matches_without_accents():
    found = find_person_names("Yusuf Ozturk werd gehoord", involved=["Yusuf Öztürk"])
    assert [(t.key, t.text) for t in found] == [("betrokkene", "Yusuf Ozturk")]


def test_name_variants():
    assert name_variants("Mark de Vries") == {
        "Mark de Vries", "Mark", "M. de Vries", "Mark de V.", "de Vries", "De Vries", "Vries",
    }


def test_offsets_and_tag_set():
    text = "Gisteren sprak burgemeester Femke Halsema de pers toe."
    [tag] = find_person_names(text)
    assert (tag.tag_set, tag.key, text[tag.start:tag.end]) == ("person", "persoon", "Femke Halsema")


@pytest.mark.parametrize("text, expected", [
    ("Aboutaleb: 'Rotterdam laat zich niet intimideren'", ["Aboutaleb"]),
    ("Partnergeweld: vrouw zwaargewond naar ziekenhuis", []),
    ("Jansen werd in 2019 al eens veroordeeld", ["Jansen"]),
    ("Bouchra (23) werd lastiggevallen", ["Bouchra"]),
    ("Man (45) aangehouden voor aanranding", []),
    ("Over de zaak-Vaatstra is veel geschreven", ["Vaatstra"]),
    ("Op het plein sprak predikant Ds. Hans Schaeffer de menigte toe", ["Hans Schaeffer"]),
    ("Schrijfster Arnon Grunberg tekende de petitie", ["Arnon Grunberg"]),
    ("Dorpsgenoten van Willem-Alexander de Jong zamelen geld in", ["Willem-Alexander de Jong"]),
    ("Kinderen van basisschool De Regenboog maakten tekeningen", []),
    ("Het college van B en W biedt excuses aan", []),
    ("Na de dood van een jongen in Amsterdam-Zuidoost is het onrustig", []),
    ("Ook de ouders van Lisa van Beek waren er", ["Lisa van Beek"]),
    ("Tessa en haar broer Sven woonden in de straat", ["Tessa", "Sven"]),
    ("Vorige week overleed Wim Kok's oud-collega", ["Wim Kok"]),
    ("Daarop reageerde Bram Moszkowicz furieus", ["Bram Moszkowicz"]),
    ("Door onze verslaggever Sander Kollaard", ["Sander Kollaard"]),
])
def test_sentence_start_and_compound_rules(text, expected):
    assert names(text) == expected


def test_detection_can_be_limited_to_registered_names():
    found = find_person_names("Die Polizei sucht Jan de Vries", involved=["Jan de Vries"], detect=False)
    assert [(t.key, t.text) for t in found] == [("betrokkene", "Jan de Vries")]
