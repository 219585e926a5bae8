"""The tagger on Dutch headlines: literal expected tags per tag set, positives and hard negatives."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.regex_literals import required_literals, starts_at_word
from analysis.tagging import Tag, Tagger, load_tagger, net_polarity


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def labels(tagger: Tagger, text: str, **kw) -> set[str]:
    return {t.label for t in tagger.tag(text, today=date(2026, 1, 1), **kw)}


@pytest.mark.parametrize("text, expected", [
    ("Man aangehouden voor aanranding van meisje in zwembad", "scenario:zedenzaak"),
    ("Groepsverkrachting na feest: drie jongens opgepakt", "scenario:zedenzaak"),
    ("Oud-gymleraar verdacht van ontucht met minderjarige leerlingen", "scenario:zedenzaak"),
    ("Honderden demonstranten op het Malieveld", "scenario:evenement"),
    ("Tegendemonstranten en aanhangers tegenover elkaar", "scenario:evenement"),
    ("Racistische leuzen op muur van basisschool", "scenario:polarisatie"),
    ("Huisverbod voor man na huiselijk geweld", "scenario:schulden_geweld"),
    ("Familiedrama: vader doodt vrouw en twee kinderen", "scenario:familiedrama"),
    ("Man steekt zijn vrouw dood in woning", "scenario:familiedrama"),
    ("Wachtlijsten in de jeugdzorg: gezinnen van het kastje naar de muur gestuurd", "scenario:media_ophef_zorg"),
    ("Steekpartij bij station, twee mannen zwaargewond", "scenario:ernstig_geweld"),
    ("Verward persoon schiet om zich heen in winkelcentrum", "scenario:ernstig_geweld"),
    ("Medewerker thuiszorg verdacht van misbruik van demente vrouw", "scenario:misbruik_zorgaanbieder"),
    ("Zelfdoding van leerling raakt hele school", "scenario:niet_natuurlijke_dood"),
    ("Fietser komt om het leven bij aanrijding", "scenario:niet_natuurlijke_dood"),
    ("Jongen doodgestoken in Rotterdam-Zuid", "scenario:overlijden_door_ander"),
    ("Agent zwaargewond bij aanhouding", "scenario:ernstig_letsel"),
    ("Kind in kritieke toestand na mishandeling", "scenario:ernstig_letsel"),
    ("Docent geschorst na grensoverschrijdend gedrag", "scenario:grensoverschrijdend_gedrag"),
])
def test_scenarios(tagger, text, expected):
    assert expected in labels(tagger, text)


@pytest.mark.parametrize("text, expected", [
    ("Het broeit in de wijk sinds de sluiting van het jongerencentrum", "phase:dreigend"),
    ("Dreigende onrust in Kanaleneiland", "phase:dreigend"),
    ("Verwensingen aan het adres van de wethouder", "phase:onrust"),
    ("Stemmingmakerij op sociale media tegen moskee", "phase:onrust"),
    ("Grimmige sfeer bij het gemeentehuis", "phase:onrust"),
    ("Relschoppers steken auto's in brand", "phase:escalatie"),
    ("Brandstichting bij azc", "phase:escalatie"),
    ("Burgemeester kondigt noodverordening af", "phase:escalatie"),
    ("ME-inzet bij voetbalwedstrijd", "phase:escalatie"),
    ("Wethouder bedreigd door groep demonstranten na besluit", "phase:escalatie"),
    ("Relschoppers uiten bedreigingen aan het adres van de burgemeester", "phase:escalatie"),
    ("Bedreigde wethouder doet aangifte na noodbevel", "phase:escalatie"),
    ("Avondklokrellen in Eindhoven", "phase:escalatie"),
    ("Rust in Ede teruggekeerd na nacht met rellen", "phase:terugkeer"),
    ("Demonstratie verliep rustig", "phase:terugkeer"),
])
def test_phases(tagger, text, expected):
    assert expected in labels(tagger, text)


@pytest.mark.parametrize("text, absent", [
    ("Brandweer rukt uit voor schoorsteenbrand", "phase:escalatie"),
    ("Relatie tussen gemeente en ondernemers verbeterd", "phase:escalatie"),
    ("Explosie van kleur tijdens bloemencorso", "scenario:ernstig_geweld"),
    ("Gemeente schiet tekort in onderhoud van fietspaden", "scenario:ernstig_geweld"),
    ("Gemeente schiet tekort in onderhoud van fietspaden", "scenario:media_ophef_zorg"),
    ("Bedreigde diersoorten krijgen meer ruimte", "phase:escalatie"),
    ("Overvallen door regenbui: braderie afgelast", "scenario:ernstig_geweld"),
    ("Motief voor de aanpak is nog onduidelijk", "dynamiek:politisering"),
    ("De brand in het natuurgebied woedt nog steeds", "emotion:woede"),
    ("Protestantse kerk viert jubileum", "scenario:evenement"),
    ("Aanslagbiljet valt hoger uit", "scenario:ernstig_geweld"),
    ("Politieke partijen presenteren kieslijsten", "actor:politie"),
    ("Oproep tot kalmte na onrustige nacht", "dynamiek:mobilisatie"),
    ("Politie roept getuigen op zich te melden", "dynamiek:mobilisatie"),
    ("Veilig thuis komen na het uitgaan", "actor:veilig_thuis"),
    ("Om 12 uur begint de markt", "actor:om"),
    ("Geef me een kans", "actor:me"),
    ("Explosieve groei van fietsgebruik", "scenario:ernstig_geweld"),
    ("Ouders ongerust na verdachte situaties bij school", "actor:verdachte"),
    ("Noodverordening in Enschede ingetrokken: de rust is teruggekeerd", "phase:escalatie"),
    ("Geen paniek: de situatie is onder controle", "emotion:angst"),
])
def test_hard_negatives(tagger, text, absent):
    assert absent not in labels(tagger, text)


@pytest.mark.parametrize("text, expected", [
    ("Buurtbewoners nemen het heft in eigen hand", "dynamiek:eigenrichting"),
    ("Pedojagers lokken man naar afspraak", "dynamiek:eigenrichting"),
    ("Op sociale media wordt opgeroepen om te verzamelen bij het gemeentehuis", "dynamiek:mobilisatie"),
    ("Boeren kondigen protest aan in Den Haag", "dynamiek:mobilisatie"),
    ("Raadsvragen over aanpak van overlast", "dynamiek:politisering"),
    ("PVV stelt Kamervragen over vrijlating", "dynamiek:politisering"),
    ("Wethouder treedt af na kritisch rapport", "dynamiek:politisering"),
    ("Oppositie dient motie van wantrouwen in", "dynamiek:politisering"),
])
def test_dynamics(tagger, text, expected):
    assert expected in labels(tagger, text)


def test_announced_demonstration_carries_its_date(tagger):
    tags = tagger.tag("Demonstratie tegen azc aangekondigd voor zaterdag 14 maart", today=date(2026, 1, 1))
    mobilisation = [t for t in tags if t.label == "dynamiek:mobilisatie"]
    assert [t.value for t in mobilisation] == ["2026-03-14"]


def test_past_demonstration_is_no_mobilisation(tagger):
    assert "dynamiek:mobilisatie" not in labels(tagger, "Honderden mensen demonstreerden zaterdag 14 maart")


@pytest.mark.parametrize("text, expected", [
    ("Woede in Zwolle over vrijlating van verdachte", "emotion:woede"),
    ("Bewoners durven 's avonds niet meer de straat op", "emotion:angst"),
    ("Veel verdriet na dood van twee tieners", "emotion:verdriet"),
    ("Verontwaardiging na uitspraak rechter", "emotion:verontwaardiging"),
    ("Inwoners vragen zich af waarom de politie niet eerder ingreep", "emotion:onbegrip"),
    ("Bloemenzee bij school voor omgekomen leerling", "emotion:solidariteit"),
])
def test_emotions(tagger, text, expected):
    assert expected in labels(tagger, text)


def test_intensifier_raises_emotion_score(tagger):
    plain = [t for t in tagger.tag("Woede in de buurt") if t.tag_set == "emotion"][0]
    strong = [t for t in tagger.tag("Enorme woede in de buurt") if t.tag_set == "emotion"][0]
    assert (plain.score, strong.score) == (0.8, 1.0)


@pytest.mark.parametrize("text, expected", [
    ("Naar verluidt zou de verdachte al eerder zijn veroordeeld", {"claim:gerucht"}),
    ("Onbevestigde berichten over schietpartij", {"claim:gerucht"}),
    ("Politie wil niet bevestigen dat het om een liquidatie gaat", {"claim:gerucht"}),
    ("Politie bevestigt dat er een dode is gevallen", {"claim:feit"}),
    ("Het OM meldt dat de verdachte maandag wordt voorgeleid", {"claim:feit"}),
    ("Geruchten over ontvoering blijken onjuist, meldt politie", {"claim:gerucht", "claim:feit"}),
])
def test_claims(tagger, text, expected):
    assert {x for x in labels(tagger, text) if x.startswith("claim:")} == expected


@pytest.mark.parametrize("text, expected", [
    ("Zedenpolitie onderzoekt melding", "actor:politie"),
    ("Het OM vervolgt de man", "actor:om"),
    ("De officier van justitie eist zes jaar", "actor:om"),
    ("Veilig Thuis ontving meldingen", "actor:veilig_thuis"),
    ("De GGD biedt nazorg", "actor:ggd"),
    ("Slachtofferhulp biedt ondersteuning", "actor:slachtofferhulp"),
    ("Woningbouwcorporatie neemt maatregelen", "actor:woningcorporatie"),
    ("Inspectie onderzoekt zorgaanbieder", "actor:inspectie"),
    ("De ME greep in", "actor:me"),
])
def test_actors(tagger, text, expected):
    assert expected in labels(tagger, text)


@pytest.mark.parametrize("text, is_parent", [
    ("Het vaccin is er voor iedereen ouder dan 24 jaar", False),
    ("Ouder dan 24 jaar? Dan krijg je een uitnodiging", False),
    ("Hij is twee jaar ouder dan zijn broer", False),
    ("Een vrouw die ouder is dan 65 komt in aanmerking", False),
    ("Zij is ouder en wijzer geworden", False),
    ("Een ouder van een leerling deed aangifte", True),
    ("Elke ouder wil dat zijn kind veilig is", True),
    ("Vooral ouder en kind lijden eronder", True),
    ("Ouders boos op school", True),
])
def test_ouder_as_comparative_is_no_parent(tagger, text, is_parent):
    assert ("actor:ouders" in labels(tagger, text)) is is_parent


def test_places_with_province_and_neighbourhoods(tagger):
    tags = tagger.tag("Onrust in Deppenbroek en in Den Haag, niet in Best", extra_places=["Deppenbroek"])
    places = [(t.key, t.value, t.text) for t in tags if t.tag_set == "place"]
    assert places == [
        ("Deppenbroek", "wijk", "Deppenbroek"),
        ("'s-Gravenhage", "Zuid-Holland", "Den Haag"),
        ("Best", "Noord-Brabant", "Best"),
    ]


def test_ambiguous_place_at_sentence_start_is_a_word(tagger):
    assert not [t for t in tagger.tag("Buren hoorden geschreeuw") if t.tag_set == "place"]


def test_offsets_point_at_the_matched_text(tagger):
    text = "Rellen in Enschede: relschoppers steken auto's in brand en de burgemeester is woedend"
    for tag in tagger.tag(text):
        assert text[tag.start:tag.end] == tag.text


def test_language_flag(tagger):
    assert "language:en" in labels(tagger, "Police arrest three men after riots in Rotterdam")
    assert not {x for x in labels(tagger, "Politie houdt drie mannen aan na rellen") if x.startswith("language")}


def test_tag_many_equals_tag(tagger):
    texts = ["Rellen in Enschede", "Brandweer blust brand", "Naar verluidt zou de man zijn gevlucht"]
    assert tagger.tag_many(texts) == [tagger.tag(t) for t in texts]


def test_tags_are_frozen_and_version_names_the_lexicons(tagger):
    tag = Tag("phase", "escalatie", "rellen", 0, 6)
    with pytest.raises(AttributeError):  # immutable (a NamedTuple)
        tag.key = "onrust"  # type: ignore[misc]
    assert tagger.version.startswith("tagger-") and "blank-nl" in tagger.version


def test_net_polarity():
    neg = Tag("polarity", "negatief", "rellen", 0, 6, 0.8)
    pos = Tag("polarity", "positief", "steun", 7, 12, 0.6)
    assert (net_polarity([neg]), net_polarity([pos]), net_polarity([neg, pos])) == ("negatief", "positief", None)


def test_negated_polarity_flips(tagger):
    polar = [t for t in tagger.tag("Het is niet goed") if t.tag_set == "polarity"]
    assert [(t.key, t.text) for t in polar] == [("negatief", "goed")]


@pytest.mark.parametrize("pattern, expected", [
    (r"\bzou(?:den)?\b\s+\w+\s+(?:hebben|zijn)\b", (("zou",), ("hebben", "zijn"))),
    (r"\b\w+rellen\b", (None, ("rellen",))),
    (r"(?<!niet )\b(?:bevestigt|bevestigde)\b", (("bevestig",), ("bevestig",))),
])
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == expected


@pytest.mark.parametrize("text, expected", [
    ("ENSCHEDE - In de wijk is het onrustig", [("Enschede", "ENSCHEDE")]),
    ("DEN HAAG (ANP) - De Haagse politie grijpt in", [("'s-Gravenhage", "DEN HAAG"), ("'s-Gravenhage", "Haagse")]),
    ("De Rotterdamse burgemeester en de Groningse wethouder",
     [("Rotterdam", "Rotterdamse"), ("Groningen", "Groningse")]),
    ("GGD - nieuwe adviezen", []),
])
def test_datelines_and_place_adjectives(tagger, text, expected):
    assert [(t.key, t.text) for t in tagger.tag(text) if t.tag_set == "place"] == expected


def test_laat_de_politie_is_no_confirmation(tagger):
    assert "claim:feit" not in labels(tagger, "'Laat de politie haar werk doen', zegt hij")
    assert "claim:feit" in labels(tagger, "Dat laat de politie in een verklaring weten")


@pytest.mark.parametrize("pattern, expected", [
    (r"\bzou", True), (r"(?<!niet )\bbevestig", True), (r"\w+rellen", False), (r"(?<![\w])x", False),
])
def test_starts_at_word(pattern, expected):
    assert starts_at_word(pattern) is expected


def persons(tagger: Tagger, text: str, **kw) -> list[str]:
    return [t.text for t in tagger.tag(text, today=date(2026, 1, 1), **kw) if t.tag_set == "person"]


@pytest.mark.parametrize("text, expected", [
    ("Wordt Kolkhoek de nieuwe probleemwijk?", []),
    ("Bewoners van Molenbroek en Kolkhoek zijn boos", []),
    ("Onrust in Kolkhoek: wijkagent Sanne Molenaar spreekt bewoners", ["Sanne Molenaar"]),
    ("Jongeren uit Molenbroek belagen buurtbewoner Kees Jansen", ["Kees Jansen"]),
])
def test_registered_neighbourhoods_are_never_persons(tagger, text, expected):
    assert persons(tagger, text, extra_places=["Kolkhoek", "Molenbroek"]) == expected


@pytest.mark.parametrize("text, expected", [
    ("De politie ontkent dat er schoten zijn gelost bij de moskee", {"claim:feit"}),
    ("Gemeente ontkracht gerucht over komst azc", {"claim:feit", "claim:gerucht"}),
    ("Het OM noemt de berichten over een vrijgelaten verdachte onjuist", {"claim:feit"}),
    ("Politie: berichten over ontvoering meisje zijn nepnieuws", {"claim:feit", "claim:gerucht"}),
    ("Het verhaal over een tweede slachtoffer klopt niet, laat de politie weten", {"claim:feit"}),
    ("Het gerucht dat de dader is vrijgelaten is niet waar, aldus het OM", {"claim:feit", "claim:gerucht"}),
    ("De gemeente zegt dat het bericht over de sluiting van de school niet klopt", {"claim:feit"}),
    ("Op TikTok gaat het gerucht rond dat een jongen is ontvoerd; de politie ontkent dat",
     {"claim:feit", "claim:gerucht"}),
    # denials by others are no authoritative correction; the rumour stays
    ("Verdachte ontkent betrokkenheid bij schietpartij", set()),
    ("Buurtbewoners noemen de berichtgeving onjuist", set()),
    ("'Dat is nepnieuws', zegt een buurman over de filmpjes", {"claim:gerucht"}),
    ("Politie wil niet ontkennen dat het om een afrekening gaat", set()),
    ("De advocaat noemt het verhaal van de politie onjuist", set()),
])
def test_denials_by_authorities_are_facts(tagger, text, expected):
    assert {x for x in labels(tagger, text) if x.startswith("claim:")} == expected


@pytest.mark.parametrize("text, today, expected", [
    # 1 January 2026 is a Thursday
    ("Demonstratie tegen azc aangekondigd voor zaterdag", date(2026, 1, 1), ["2026-01-03"]),
    ("Actiegroep roept op om komende vrijdag te demonstreren bij het gemeentehuis", date(2026, 1, 1), ["2026-01-02"]),
    ("Op TikTok wordt opgeroepen om morgenavond naar het plein te komen", date(2026, 1, 1), ["2026-01-02"]),
    ("Boeren kondigen protest aan voor volgende week maandag", date(2026, 1, 1), ["2026-01-05"]),
    ("Boeren kondigen protest aan voor komende donderdag", date(2026, 1, 1), ["2026-01-08"]),
    ("Demonstratie aangekondigd voor zaterdag 14 maart", date(2026, 1, 1), ["2026-03-14"]),
    # ambiguous: today's own weekday, two days, no item day
    ("Demonstratie tegen azc aangekondigd voor donderdag", date(2026, 1, 1), [None]),
    ("Oproep om zaterdag of zondag te demonstreren bij het azc", date(2026, 1, 1), [None]),
    ("Demonstratie tegen azc aangekondigd voor zaterdag", None, [None]),
])
def test_mobilisation_on_a_weekday(tagger, text, today, expected):
    tags = tagger.tag(text, today=today)
    assert sorted({t.value for t in tags if t.label == "dynamiek:mobilisatie"}, key=str) == expected


@pytest.mark.parametrize("text, expected", [
    ("OM: gerucht over vrijlating was onjuist", [("feit", "ontkracht"), ("gerucht", "ontkracht")]),
    ("Stop met die geruchten, zegt de burgemeester", [("feit", "ontkracht"), ("gerucht", "ontkracht")]),
    ("'Dat is nepnieuws', zegt een buurman over de filmpjes", [("gerucht", None)]),
])
def test_a_refutation_is_marked_for_the_rumour_tracker(tagger, text, expected):
    """Issue: debunks were listed as open rumours; an authority's refutation marks both claims."""
    claims = sorted((t.key, t.value) for t in tagger.tag(text) if t.tag_set == "claim")
    assert claims == expected


@pytest.mark.parametrize("text", [
    # real-news shapes (issue: single crimes and everyday words read as MO phases)
    "Wethouder bedreigd na besluit over parkeervergunningen",
    "Man opgepakt na bedreiging ambulancepersoneel",
    "Twee jongens aangehouden na openlijke geweldpleging in de Nieuwstraat",
    "Grimmige stemming in het Europees Parlement over de topbanen",
    "Ophef over relletje rond presentatie Songfestival",
    "Vrouw plundert rekening van haar oma",
    "Onrust bij het OM na rapport over topman",
    "Vuurwapen gevonden bij preventief fouilleren",
])
def test_single_crimes_and_other_senses_are_no_phase(tagger, text):
    assert not {x for x in labels(tagger, text) if x.startswith("phase:")}
