"""Writes the fictional demo incident's feed snapshots and signals into data/demo/.

Run `python -m app.demo.generator` to rewrite them. The story (a zedenzaak at a sports club,
004 Bijlage 2.1, running through the phases of 004 §1.3) is written out below as a timeline;
the seeded random generator only spreads times and picks social-media posts from per-phase
pools, so the same seed always gives byte-identical files. Every feed says it is fictional.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from onrust.paths import DATA_DIR
from onrust.timeutil import AMSTERDAM

SEED = 20261008
DEMO_DIR = DATA_DIR / "demo"
FICTIEF = "FICTIEF — demonstratiedata van Onrustmonitor"
FIRST_DAY, LAST_DAY = 5, 21  # October 2026: background before, incident from the 8th, calm after
SNAPSHOT_CLOCK = "23:55"  # each feed is "collected" once a day, plus just before a correction
FEED_WINDOW = timedelta(hours=48)  # a feed shows what it published in the last two days...
FEED_MAX_ITEMS = 40  # ...but never more than this many entries, like real feeds


def at(day: int, clock: str) -> datetime:
    """A moment in October 2026, Amsterdam time."""
    hour, minute = map(int, clock.split(":"))
    return datetime(2026, 10, day, hour, minute, tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class Correction:
    """A later version under the same guid: the outlet fixed its own earlier report."""

    at: datetime
    title: str
    body: str


@dataclass(frozen=True)
class Article:
    source: str  # key of a [[source]] in incident.toml
    at: datetime
    title: str
    body: str
    author: str | None = None
    correction: Correction | None = None
    slug: str = ""  # set by `with_slugs`; part of the guid and URL


def news(source: str, when: datetime, title: str, body: str, *, author: str | None = None,
         correction: Correction | None = None) -> Article:
    return Article(source, when, title, body, author, correction)


# -- the incident, as the outlets wrote it ------------------------------------------------------

def incident_articles() -> list[Article]:
    """Own reporting by local, regional and national outlets, police and municipality."""
    return [
        # Wednesday 7: in hindsight the first sign (fase 1, rust).
        news("loosterveense-courant", at(7, "09:00"),
             "SV Kolkhoek zoekt nieuwe trainer voor JO11",
             "Voetbalvereniging SV Kolkhoek zoekt per direct een nieuwe trainer voor de JO11-1. "
             "De huidige trainer stopt om persoonlijke redenen, meldt het bestuur in de "
             "clubnieuwsbrief. Belangstellenden kunnen zich melden bij de jeugdcommissie."),
        # Thursday 8: the arrest (fase 2).
        news("loosterveen-nu", at(8, "16:40"),
             "Politie doet onderzoek bij sportpark Kolkhoek",
             "Bij sportpark Kolkhoek stonden donderdagmiddag meerdere politieauto's. Volgens "
             "omstanders is een man meegenomen. De politie wil nog niets zeggen over de reden van "
             "het onderzoek. Loosterveen Nu probeert meer te weten te komen.",
             author="Redactie Loosterveen Nu"),
        news("politie-veenland", at(8, "17:45"),
             "Man (44) aangehouden op verdenking van ontucht",
             "Donderdagmiddag 8 oktober hebben rechercheurs van de zedenrecherche een 44-jarige "
             "man uit Loosterveen aangehouden. Hij wordt verdacht van ontucht met minderjarigen. "
             "Het onderzoek is in een vroeg stadium; in het belang van het onderzoek doen wij "
             "geen verdere mededelingen. Heeft u informatie? Neem dan contact op met de politie "
             "of meld het anoniem."),
        news("loosterveen-nu", at(8, "18:20"),
             "Politie bevestigt aanhouding man (44) op verdenking van ontucht",
             "De politie bevestigt dat donderdagmiddag bij sportpark Kolkhoek een 44-jarige man "
             "is aangehouden op verdenking van ontucht met minderjarigen. Volgens ingewijden gaat "
             "het om een jeugdtrainer van SV Kolkhoek. De club wil nog niet reageren. "
             "De zedenrecherche doet onderzoek.",
             author="Redactie Loosterveen Nu"),
        # Friday 9: the club informs parents, regional media pick it up.
        news("loosterveen-nu", at(9, "08:15"),
             "SV Kolkhoek informeert ouders na aanhouding jeugdtrainer",
             "Het bestuur van SV Kolkhoek heeft vrijdagochtend alle ouders van jeugdleden een "
             "brief gestuurd. Daarin staat dat een trainer is aangehouden en dat hij tot nader "
             "order geen activiteiten meer bij de club heeft. 'We zijn geschrokken en leven mee "
             "met de kinderen en ouders', schrijft voorzitter Henk Oosterbroek. Ouders met vragen "
             "kunnen terecht bij een vertrouwenspersoon van de club, de GGD en Slachtofferhulp.",
             author="Redactie Loosterveen Nu"),
        news("omroep-veenland", at(9, "10:05"),
             "Jeugdtrainer uit Loosterveen aangehouden voor ontucht",
             "<p>Een 44-jarige jeugdtrainer van voetbalclub <strong>SV Kolkhoek</strong> in "
             "Loosterveen zit vast op verdenking van ontucht met minderjarige spelers.</p>"
             "<p>Dat bevestigt het Openbaar Ministerie. Hoeveel kinderen mogelijk slachtoffer "
             "zijn, is niet bekend. 'Het onderzoek loopt nog', zegt een woordvoerder.</p>"),
        news("gemeente-loosterveen", at(9, "12:30"),
             "Reactie gemeente op aanhouding bij sportvereniging",
             "De gemeente Loosterveen is geschokt door het nieuws over de aanhouding van een "
             "jeugdtrainer. Wethouder Erik Nijland (sport en jeugd): 'Onze gedachten zijn bij de "
             "kinderen en hun ouders. Samen met de club, de GGD en Slachtofferhulp zorgen we dat "
             "ouders ergens terecht kunnen met hun vragen.' Over het onderzoek zelf gaat het "
             "Openbaar Ministerie. Wij vragen iedereen om geen namen of foto's te delen."),
        news("oostelijke-courant", at(9, "17:50"),
             "Geschokte reacties in Kolkhoek: 'Hij was altijd zo betrokken'",
             "<p>In de Loosterveense wijk Kolkhoek is de geschoktheid groot. 'Mijn zoon heeft "
             "jaren bij hem getraind. Ik slaap er slecht van', zegt een moeder bij het hek van het "
             "sportpark.</p><p>Anderen willen vooral weten of er meer kinderen slachtoffer zijn. "
             "'Is het waar dat hij al eerder is weggestuurd bij een andere club?' Het bestuur zegt "
             "daar niets van te weten.</p>",
             author="Door onze verslaggever"),
        # Saturday 10: rumours become reporting; a wrong claim that is corrected on Sunday.
        news("omroep-veenland", at(10, "11:20"),
             "Verdachte jeugdtrainer werkte ook op basisschool De Klimop",
             "<p>De jeugdtrainer die donderdag werd aangehouden, werkte naar verluidt ook als "
             "overblijfkracht op <em>basisschool De Klimop</em> in Kolkhoek.</p><p>Ouders van de "
             "school zijn ongerust. De school was zaterdag niet bereikbaar voor commentaar.</p>",
             correction=Correction(
                 at(11, "13:10"),
                 "Correctie: verdachte jeugdtrainer werkte niet op basisschool De Klimop",
                 "<p><strong>Correctie:</strong> in een eerdere versie van dit bericht stond dat "
                 "de verdachte jeugdtrainer ook op basisschool De Klimop werkte. Dat is onjuist. "
                 "De directie van de school en de gemeente bevestigen dat hij nooit op de school "
                 "heeft gewerkt. Het gerucht deed sinds vrijdag de ronde op sociale media.</p>")),
        news("loosterveen-nu", at(10, "16:00"),
             "Wijkagent: 'Deel geen namen, laat het onderzoek zijn werk doen'",
             "Op sociale media gaan namen en zelfs een adres rond van de vermoedelijke verdachte. "
             "Wijkagent Yvonne Kamphuis roept op daarmee te stoppen. 'Je kunt er iemand mee "
             "beschadigen die er niets mee te maken heeft. En je helpt het onderzoek er niet "
             "mee.'"),
        # Sunday 11: a wrong name online; parents organise.
        news("politie-veenland", at(11, "12:40"),
             "Oproep: stop met delen van namen en foto's",
             "Op sociale media wordt een naam en foto gedeeld van een man die niets met de zaak "
             "rond de aanhouding van donderdag te maken heeft. Wij vragen iedereen dringend deze "
             "berichten niet te delen en ze te verwijderen. Eigenrichting is strafbaar. De "
             "verdachte zit vast."),
        news("oostelijke-courant", at(11, "19:30"),
             "Ouders in Kolkhoek ongerust: 'Wie wist hiervan?'",
             "<p>Ouders van jeugdspelers van SV Kolkhoek eisen opheldering. Zij vragen zich af of "
             "de club eerder signalen heeft gehad. 'We horen van alles, maar niemand vertelt ons "
             "iets', zegt een vader. Voorzitter Oosterbroek: 'Wij geven alle medewerking aan het "
             "onderzoek en kunnen daarom weinig zeggen.'</p>"),
        # Monday 12: national attention (wire story below), own national reporting.
        news("nieuwsblad-nederland", at(12, "13:45"),
             "Tientallen kinderen mogelijk misbruikt door voetbaltrainer in Loosterveen",
             "Bij de zedenzaak rond een jeugdtrainer in het Oost-Nederlandse Loosterveen zouden "
             "tientallen kinderen betrokken zijn. Dat zeggen bronnen rond de club tegen deze "
             "krant. De politie wil het aantal niet bevestigen.",
             correction=Correction(
                 at(13, "09:30"),
                 "Politie: drie aangiftes tegen jeugdtrainer in Loosterveen",
                 "Correctie: in een eerdere versie van dit artikel stond dat tientallen kinderen "
                 "mogelijk slachtoffer zijn. Dat is onjuist. De politie heeft drie aangiftes "
                 "ontvangen en onderzoekt of er meer slachtoffers zijn. Het OM wil niet "
                 "speculeren over aantallen.")),
        news("omroep-veenland", at(12, "18:10"),
             "Ouders willen informatieavond: 'We worden aan ons lot overgelaten'",
             "<p>Een groep ouders van SV Kolkhoek voelt zich in de steek gelaten. Zij willen "
             "snel een bijeenkomst met politie, OM en gemeente. De gemeente laat weten dat die "
             "dinsdagavond wordt gehouden in het clubhuis.</p>"),
        news("gemeente-loosterveen", at(12, "19:00"),
             "Informatieavond voor ouders SV Kolkhoek",
             "Dinsdagavond 13 oktober om 19.30 uur is er in het clubhuis van SV Kolkhoek een "
             "besloten informatieavond voor ouders van jeugdleden. Aanwezig zijn het Openbaar "
             "Ministerie, de politie, de GGD, Slachtofferhulp en wethouder Nijland. De pers is "
             "niet welkom; na afloop is er een korte toelichting."),
        # Tuesday 13: politics; informatieavond (fase 3).
        news("loosterveen-nu", at(13, "09:40"),
             "Loosterveen Lokaal stelt raadsvragen over VOG bij sportclubs",
             "Fractievoorzitter Petra Dijkhuis van Loosterveen Lokaal wil van het college weten "
             "of alle trainers bij Loosterveense sportclubs een verklaring omtrent het gedrag "
             "(VOG) hebben. 'Ouders moeten erop kunnen vertrouwen dat hun kind veilig is bij de "
             "club.' Ze vraagt ook hoe de gemeente de ouders en de buurt informeert."),
        news("landelijk-dagblad", at(13, "07:00"),
             "Na zedenzaak in Loosterveen: moet elke vrijwilliger een VOG?",
             "De aanhouding van een jeugdtrainer in Loosterveen zet de discussie over "
             "verplichte verklaringen omtrent het gedrag voor vrijwilligers weer op scherp. "
             "Sportbonden zeggen dat de meeste clubs het al regelen, maar controle ontbreekt. "
             "Kamerleden hebben vragen gesteld aan de minister van Sport. Deskundigen waarschuwen "
             "dat een VOG geen garantie is: 'Het gaat om een cultuur waarin kinderen en ouders "
             "durven te praten.'"),
        news("nieuwsblad-nederland", at(13, "15:20"),
             "Kamervragen over zedenzaak bij amateurclub",
             "Twee Kamerleden willen dat de minister uitzoekt hoe het kan dat een trainer jaren "
             "met kinderen kon werken terwijl er volgens ouders al eerder zorgen waren. Of dat "
             "laatste klopt, is niet bevestigd."),
        news("oostelijke-courant", at(13, "22:45"),
             "Emotionele informatieavond in clubhuis Kolkhoek",
             "<p>Ruim tweehonderd ouders kwamen dinsdagavond naar het clubhuis van SV Kolkhoek. "
             "Volgens aanwezigen liepen de emoties hoog op. 'Er werd gehuild en geschreeuwd', "
             "zegt een vader. Het OM bevestigde dat verdachte Mark de V. nog vastzit en dat er "
             "drie aangiftes zijn.</p><p>Wethouder Nijland sprak van 'een zware avond, maar een "
             "noodzakelijke'.</p>"),
        # Wednesday 14: the false release rumour, the evening (fase 4).
        news("loosterveen-nu", at(14, "15:10"),
             "Verdachte jeugdtrainer weer thuis in Molenbroek",
             "De jeugdtrainer die vorige week werd aangehouden, is volgens buurtbewoners weer "
             "thuis in de wijk Molenbroek. Op sociale media is de woede groot. Het OM was "
             "woensdagmiddag nog niet bereikbaar voor een reactie.",
             author="Redactie Loosterveen Nu",
             correction=Correction(
                 at(14, "21:40"),
                 "OM: verdachte jeugdtrainer zit nog vast, gerucht over vrijlating onjuist",
                 "Correctie: eerder meldden wij op basis van buurtbewoners dat de verdachte weer "
                 "thuis zou zijn. Dat is onjuist. Het Openbaar Ministerie laat weten dat de "
                 "verdachte nog altijd vastzit. Wij hadden dit eerst moeten navragen en bieden "
                 "onze excuses aan.")),
        news("gemeente-loosterveen", at(14, "18:30"),
             "Burgemeester: verdachte zit vast, blijf weg bij woningen",
             "Burgemeester Annelies Brouwer: 'Op sociale media gaat het bericht rond dat de "
             "verdachte is vrijgelaten. Dat is niet waar. Ik roep iedereen op om vanavond "
             "thuis te blijven en niet naar woningen in Molenbroek te gaan. In die woning "
             "wonen ook kinderen die nergens iets aan kunnen doen.'"),
        news("omroep-veenland", at(14, "20:25"),
             "Grote groep mensen bij woning in Molenbroek",
             "<p>Bij een woning aan de <strong>Esdoornhof</strong> in Molenbroek hebben zich "
             "woensdagavond zeker honderd mensen verzameld. Er wordt geschreeuwd en met vuurwerk "
             "gegooid. De politie is met meerdere eenheden ter plaatse.</p>"),
        news("politie-veenland", at(14, "20:50"),
             "Samenscholing Esdoornhof: ME ingezet",
             "Bij een woning aan de Esdoornhof is een grote groep mensen samengekomen. Er worden "
             "ruiten ingegooid en er is een auto in brand gestoken. De ME is ingezet om de "
             "bewoners te beschermen en de orde te herstellen. Wij roepen iedereen op het gebied "
             "te verlaten."),
        news("gemeente-loosterveen", at(14, "21:05"),
             "Noodbevel voor deel van Molenbroek",
             "Burgemeester Brouwer heeft om 21.05 uur een noodbevel afgekondigd voor het gebied "
             "rond de Esdoornhof in Molenbroek. Wie zich daar zonder reden ophoudt, kan worden "
             "aangehouden. Het noodbevel geldt tot nader order."),
        news("politie-veenland", at(14, "22:30"),
             "Zeven aanhoudingen bij ongeregeldheden Molenbroek",
             "Bij de ongeregeldheden rond de Esdoornhof zijn zeven mensen aangehouden voor onder "
             "meer openlijke geweldpleging, vernieling en het overtreden van het noodbevel. Een "
             "agent raakte licht gewond.",
             correction=Correction(
                 at(14, "23:50"),
                 "Negen aanhoudingen bij ongeregeldheden Molenbroek",
                 "Update 23.50 uur: bij de ongeregeldheden rond de Esdoornhof zijn in totaal negen "
                 "mensen aangehouden voor onder meer openlijke geweldpleging, brandstichting, "
                 "vernieling en het overtreden van het noodbevel. Een agent raakte licht gewond. "
                 "Het is inmiddels rustig in de wijk. De bewoners van de woning zijn elders "
                 "ondergebracht.")),
        news("oostland-fm", at(14, "22:55"),
             "Onrustige avond in Molenbroek: 'Dit is geen Loosterveen'",
             "Buurtbewoners in Molenbroek zijn geschrokken van de ongeregeldheden. 'Ik woon hier "
             "dertig jaar, dit heb ik nooit meegemaakt', zegt een bewoner. 'Dat er iets moet "
             "gebeuren met die man, snap ik. Maar dit slaat nergens op.'"),
        news("omroep-veenland", at(14, "21:15"),
             "Noodbevel in Molenbroek na onrust bij woning",
             "<p>Burgemeester Brouwer heeft een noodbevel afgekondigd voor de omgeving van de "
             "Esdoornhof. De ME probeert de groep uiteen te drijven. Volgens omstanders zijn er "
             "meerdere mensen opgepakt.</p><p>Aanleiding is een gerucht dat de verdachte "
             "jeugdtrainer zou zijn vrijgelaten. Het OM heeft dat nog niet bevestigd.</p>"),
        news("landelijk-dagblad", at(14, "22:40"),
             "Onrust in Loosterveen: wat we weten en wat niet",
             "Wat we weten: een groep van zo'n 150 mensen trok woensdagavond naar een woning in "
             "Molenbroek, de ME greep in en de burgemeester kondigde een noodbevel af. Wat we niet "
             "weten: waar het gerucht over de vrijlating vandaan kwam en of het klopt. Het OM "
             "zegt dat de verdachte vastzit."),
        # Thursday 15: the mayor speaks; the OM denies the rumour.
        news("nieuwsblad-nederland", at(15, "08:10"),
             "Gezin moest vluchten voor woedende menigte in Loosterveen",
             "Onder politiebegeleiding moesten een moeder en haar kinderen woensdagavond hun huis "
             "in Loosterveen verlaten. Buiten stonden honderden mensen die 'verhaal wilden halen' "
             "bij de verdachte in een zedenzaak, die niet thuis was: hij zit al een week vast."),
        news("oostland-fm", at(15, "17:00"),
             "Molenbroek een dag later: 'Iedereen is geschrokken'",
             "In Molenbroek is het donderdag stil. Op de Esdoornhof ligt nog glas, de uitgebrande "
             "auto is weggesleept. 'Mijn kinderen durven niet naar buiten', zegt een buurvrouw. "
             "Agenten lopen extra rondes door de wijk."),
        news("gemeente-loosterveen", at(15, "11:30"),
             "Verklaring burgemeester Brouwer na ongeregeldheden",
             "'Wat gisteravond in Molenbroek gebeurde, accepteren wij niet. Een gezin met jonge "
             "kinderen moest onder politiebescherming zijn huis uit. Ik begrijp de woede en het "
             "verdriet van ouders, maar eigenrichting maakt alleen maar nieuwe slachtoffers. De "
             "verdachte zit vast; het OM doet onderzoek. Het noodbevel blijft tot vrijdag 12.00 "
             "uur van kracht en er is extra politie in de wijk. Wie vragen of zorgen heeft, kan "
             "terecht bij het wijkteam en de GGD.'"),
        news("omroep-veenland", at(15, "12:15"),
             "OM: gerucht over vrijlating verdachte was onjuist",
             "<p>Het Openbaar Ministerie benadrukt dat de verdachte jeugdtrainer Mark de V. (44) "
             "nog vastzit. 'Het bericht dat hij vrij zou zijn, klopt niet en heeft tot ernstige "
             "ongeregeldheden geleid', zegt een woordvoerder.</p><p>Het OM onderzoekt ook wie de "
             "oproepen op sociale media heeft verspreid.</p>"),
        news("landelijk-dagblad", at(15, "18:00"),
             "Hoe een gerucht in Loosterveen uitmondde in een belegering",
             "Binnen zes uur ging het gerucht dat de verdachte jeugdtrainer was vrijgelaten "
             "van een buurtgroep naar honderden mensen. Een reconstructie van een avond waarop een "
             "gezin moest vluchten, en van de vraag waarom niemand het gerucht op tijd tegensprak. "
             "Deskundigen wijzen op het patroon uit eerdere zedenzaken: woede zoekt een zondebok, "
             "zeker als mensen het gevoel hebben dat de overheid zwijgt."),
        news("nieuwsblad-nederland", at(15, "19:40"),
             "Talkshows over Loosterveen: 'Burgemeester greep te laat in'",
             "In meerdere talkshows ging het donderdagavond over de onrust in Loosterveen. Een "
             "oud-politiechef vond dat de burgemeester eerder had moeten ingrijpen. Een "
             "hoogleraar bestuurskunde sprak van 'een moeilijke afweging tussen informeren en het "
             "onderzoek beschermen'."),
        news("politie-veenland", at(15, "23:30"),
             "Rustige avond in Molenbroek, één aanhouding",
             "Donderdagavond was het rustig in Molenbroek. Een man van 19 is aangehouden omdat hij "
             "zich zonder reden in het noodbevelgebied ophield."),
        # Friday 16 - Tuesday 20: return to calm (fase 3, then 5).
        news("gemeente-loosterveen", at(16, "12:00"),
             "Noodbevel Molenbroek ingetrokken",
             "Burgemeester Brouwer heeft het noodbevel voor het gebied rond de Esdoornhof om "
             "12.00 uur ingetrokken. De politie blijft de komende dagen zichtbaar in de wijk. "
             "Maandagavond is er een wijkbijeenkomst in buurthuis De Molen."),
        news("loosterveen-nu", at(16, "14:30"),
             "SV Kolkhoek hervat trainingen onder extra begeleiding",
             "Vanaf zaterdag traint de jeugd van SV Kolkhoek weer. Bij elke training zijn twee "
             "begeleiders aanwezig en een vertrouwenspersoon is op het sportpark. 'De kinderen "
             "willen gewoon weer voetballen', zegt voorzitter Oosterbroek."),
        news("oostelijke-courant", at(16, "18:05"),
             "Buurtbewoners helpen opruimen in Molenbroek",
             "<p>Tientallen buurtbewoners hebben vrijdag geholpen met opruimen aan de "
             "Esdoornhof. Ze veegden glas, schilderden een bekladde muur over en legden "
             "bloemen. 'We willen laten zien dat dit niet is wie we zijn.'</p>"),
        news("loosterveense-courant", at(14, "08:00"),
             "Kolkhoek in shock: 'Iedereen kent iedereen hier'",
             "Het nieuws over de aanhouding van een jeugdtrainer heeft in Kolkhoek hard "
             "aangeslagen. Op het schoolplein, bij de bakker en langs de lijn gaat het nergens "
             "anders over. 'Iedereen kent iedereen hier. Dat maakt het zo moeilijk.'"),
        news("loosterveense-courant", at(21, "08:00"),
             "Molenbroek praat het uit: volle zaal bij wijkbijeenkomst",
             "In buurthuis De Molen kwamen maandagavond ruim honderd bewoners bijeen. Burgemeester "
             "Brouwer luisterde vooral. 'Ik hoor boosheid, maar ook schaamte over wat er is "
             "gebeurd.' Het wijkteam en de GGD bleven na afloop voor persoonlijke gesprekken."),
        news("omroep-veenland", at(19, "17:20"),
             "Voorarrest verdachte jeugdtrainer met negentig dagen verlengd",
             "<p>De rechter-commissaris heeft het voorarrest van de 44-jarige jeugdtrainer uit "
             "Loosterveen met negentig dagen verlengd. Het onderzoek van de zedenrecherche loopt "
             "nog. Volgens het OM hebben zich inmiddels vier ouders gemeld.</p>"),
        news("loosterveen-nu", at(19, "21:50"),
             "Rust terug in Molenbroek: 'Eindelijk weer gewoon slapen'",
             "Een week na de onrustige avond aan de Esdoornhof is het weer stil in Molenbroek. "
             "Bewoners zijn opgelucht. De politie houdt nog een oogje in het zeil."),
        news("nieuwsblad-nederland", at(20, "06:30"),
             "Burgemeester Loosterveen: 'We hadden het gerucht sneller moeten tegenspreken'",
             "In een interview blikt burgemeester Annelies Brouwer terug op de onrust in haar "
             "gemeente. 'Achteraf hadden we woensdagmiddag sneller en duidelijker moeten zeggen "
             "dat de verdachte vastzat.' De raad debatteert volgende week over de gang van zaken."),
    ]


@dataclass(frozen=True)
class Wire:
    """An ANP story: one body, copied under each outlet's own headline and time."""

    at: datetime
    body: str
    copies: tuple[tuple[str, str, int], ...]  # (source, headline, minutes after the wire)


WIRES = (
    Wire(at(12, "11:02"),
         "LOOSTERVEEN (ANP) - Een 44-jarige jeugdtrainer uit het Oost-Nederlandse Loosterveen "
         "wordt verdacht van ontucht met minderjarige spelers van zijn voetbalclub. Dat heeft het "
         "Openbaar Ministerie maandag bevestigd. De man werd donderdag aangehouden bij het "
         "sportpark van SV Kolkhoek. Volgens het OM zijn er aangiftes binnengekomen en onderzoekt "
         "de zedenrecherche of er meer slachtoffers zijn. De club heeft de ouders van jeugdleden "
         "ingelicht. De gemeente biedt samen met de GGD en Slachtofferhulp hulp aan ouders en "
         "kinderen.",
         (("nl-nieuws24", "Jeugdtrainer Loosterveen verdacht van ontucht met spelers", 4),
          ("nieuwsblad-nederland", "Voetbaltrainer verdacht van ontucht met minderjarigen", 23),
          ("oostland-fm", "OM: jeugdtrainer SV Kolkhoek verdacht van ontucht", 31),
          ("oostelijke-courant", "Jeugdtrainer Loosterveen verdacht van ontucht", 48))),
    Wire(at(14, "23:05"),
         "LOOSTERVEEN (ANP) - In Loosterveen heeft de ME woensdagavond ingegrepen bij een woning "
         "waar zich zo'n 150 mensen hadden verzameld. Volgens de politie werden ruiten ingegooid, "
         "vuurwerk afgestoken en een auto in brand gestoken. Burgemeester Brouwer kondigde een "
         "noodbevel af. Zeker zeven mensen zijn aangehouden. Aanleiding was een gerucht dat een "
         "jeugdtrainer die wordt verdacht van ontucht, was vrijgelaten. Volgens het OM zit de man "
         "nog vast.",
         (("nl-nieuws24", "ME grijpt in bij onrust rond woning in Loosterveen", 6),
          ("nieuwsblad-nederland", "Noodbevel in Loosterveen na onrust bij woning", 35),
          ("landelijk-dagblad", "ME ingezet na gerucht over vrijlating verdachte", 58),
          ("oostland-fm", "Noodbevel en zeven aanhoudingen in Molenbroek", 12))),
    Wire(at(15, "14:20"),
         "LOOSTERVEEN (ANP) - Burgemeester Annelies Brouwer van Loosterveen noemt de "
         "ongeregeldheden van woensdagavond 'onacceptabel'. 'Eigenrichting maakt alleen maar "
         "nieuwe slachtoffers', zei ze donderdag. Het noodbevel in een deel van de wijk Molenbroek "
         "blijft tot vrijdagmiddag van kracht. Het aantal aanhoudingen is opgelopen tot negen.",
         (("nl-nieuws24", "Burgemeester Loosterveen: eigenrichting onacceptabel", 3),
          ("oostelijke-courant", "Brouwer: 'Eigenrichting maakt nieuwe slachtoffers'", 40),
          ("nieuwsblad-nederland", "Burgemeester veroordeelt geweld in Loosterveen", 26))),
)


def wire_articles() -> list[Article]:
    # Copies keep the "(ANP)" marker in the lead: that is how an outlet shows wire copy.
    return [
        news(source, wire.at + timedelta(minutes=delay), headline, wire.body, author="ANP")
        for wire in WIRES
        for source, headline, delay in wire.copies
    ]


# -- background news: unrelated, before, during and after -------------------------------------

BACKGROUND: tuple[tuple[str, int, str, str], ...] = (
    # (source, day, title, body); hard negatives for tagging are marked with a comment.
    ("loosterveen-nu", 5, "Nieuwe speeltuin in Kolkhoek geopend",
     "Wethouder Nijland heeft maandag de vernieuwde speeltuin aan de Kolkweg geopend. Kinderen "
     "uit de buurt mochten meedenken over de toestellen."),
    ("loosterveen-nu", 6, "Gemeente presenteert begroting 2027: lasten stijgen drie procent",
     "Het college van Loosterveen wil de onroerendezaakbelasting met drie procent verhogen. "
     "Volgens wethouder financiën is dat nodig door hogere kosten in het sociaal domein."),
    ("loosterveen-nu", 7, "Brandweer rukt uit voor schoorsteenbrand in Ulsterbrug",  # negative
     "De brandweer is woensdagavond uitgerukt voor een schoorsteenbrand aan de Dorpsstraat in "
     "Ulsterbrug. Niemand raakte gewond; de schoorsteen wordt geveegd."),
    ("loosterveen-nu", 9, "Bibliotheek verlengt openingstijden op zaterdag",
     "Vanaf november is de bibliotheek in het centrum op zaterdag tot 17.00 uur open."),
    ("loosterveen-nu", 12, "Raad debatteert over begroting: oppositie tegen hogere OZB",
     "In de eerste begrotingsronde kreeg het college stevige kritiek op de lastenverzwaring."),
    ("loosterveen-nu", 13, "Fietser gewond na aanrijding op rotonde Veldmatenweg",
     "Een 63-jarige fietser is dinsdagochtend gewond geraakt bij een aanrijding met een "
     "bestelbus. De rotonde was een uur afgesloten."),
    ("loosterveen-nu", 15, "Kermis Ulsterbrug trekt minder bezoekers",
     "De najaarskermis in Ulsterbrug trok dit jaar zo'n tienduizend bezoekers, minder dan vorig "
     "jaar. De organisatie wijt dat aan het regenachtige weer."),
    ("loosterveen-nu", 17, "Explosie van kleur bij bloemencorso Ulsterbrug",  # negative
     "Ondanks de frisse herfstdag trok het bloemencorso in Ulsterbrug duizenden toeschouwers. "
     "Twaalf praalwagens vol dahlia's trokken door het dorp."),
    ("loosterveen-nu", 20, "Gemeente zoekt vrijwilligers voor intocht Sinterklaas",
     "Voor de intocht op 14 november zoekt de gemeente nog verkeersregelaars en Pieten."),
    ("loosterveense-courant", 7, "Relatietherapie steeds vaker via de huisarts",  # negative
     "Steeds meer stellen in Loosterveen vinden via de praktijkondersteuner de weg naar "
     "relatietherapie. 'Praten helpt, ook als het stormt', zegt therapeut Ineke Smeets."),
    ("loosterveense-courant", 7, "Column: herfst in het Veenbos",
     "De paddenstoelen staan er weer. Wie zondag vroeg gaat, heeft het bos voor zich alleen."),
    ("loosterveense-courant", 14, "Harmonie Ulsterbrug viert honderdjarig bestaan",
     "Met een concert in de kerk viert de harmonie zaterdag haar eeuwfeest."),
    ("loosterveense-courant", 21, "Kringloopwinkel verhuist naar bedrijventerrein",
     "De kringloopwinkel aan de Stationsstraat verhuist in december naar De Veldmaten."),
    ("gemeente-loosterveen", 6, "Afsluiting Hofstedeweg tot eind oktober",
     "Door werkzaamheden aan het riool is de Hofstedeweg tot 30 oktober afgesloten. Een "
     "omleiding is aangegeven."),
    ("gemeente-loosterveen", 8, "Inloopavond over nieuwe woonwijk De Veldmaten-Zuid",
     "Op 22 oktober kunnen inwoners de plannen voor 240 nieuwe woningen bekijken."),
    ("gemeente-loosterveen", 19, "Gratis energiecoach voor huurders",
     "Huurders kunnen vanaf november gratis een energiecoach aanvragen."),
    ("politie-veenland", 6, "Drie aanhoudingen na inbraak bij bedrijf",  # negative (police, arrests)
     "In de nacht van maandag op dinsdag zijn drie mannen aangehouden na een inbraak bij een "
     "bedrijf op industrieterrein De Veldmaten."),
    ("politie-veenland", 10, "Getuigen gezocht van aanrijding Stationsstraat",
     "Wij zoeken getuigen van een aanrijding vrijdagavond waarbij een scooterrijder gewond raakte."),
    ("politie-veenland", 18, "Controle op rijden onder invloed: vijf bestuurders beboet",
     "Bij een alcoholcontrole op de provinciale weg zijn vijf bestuurders beboet."),
    ("omroep-veenland", 5, "Vrachtwagen gekanteld bij Ulsterbrug: weg urenlang dicht",
     "<p>Op de provinciale weg bij Ulsterbrug is maandagochtend een vrachtwagen met bieten "
     "gekanteld. De weg was tot de middag dicht.</p>"),
    ("omroep-veenland", 7, "Handbalsters Veenland stunten tegen koploper",
     "<p>De handbalsters van HV Veenland hebben koploper Noordstad met 27-25 verslagen.</p>"),
    ("omroep-veenland", 11, "FC Oostland wint derby na late goal",
     "<p>FC Oostland heeft de derby tegen Veenstad gewonnen. In de 89e minuut maakte de "
     "invaller het enige doelpunt.</p>"),
    ("omroep-veenland", 13, "Onrustig weer: code geel voor zware windstoten",  # negative
     "<p>Het KNMI heeft code geel afgegeven voor zware windstoten in het oosten van het land. "
     "Houd rekening met omgewaaide bomen.</p>"),
    ("omroep-veenland", 16, "Boeren protesteren met trekkers bij provinciehuis",
     "<p>Zo'n vijftig trekkers reden vrijdag naar het provinciehuis uit protest tegen nieuwe "
     "stikstofregels. Het protest verliep rustig.</p>"),
    ("omroep-veenland", 18, "Duizenden bezoekers bij open dag zorgboerderij",
     "<p>De zorgboerderij bij Ulsterbrug trok zondag duizenden bezoekers.</p>"),
    ("oostland-fm", 6, "Files door ongeluk op de snelweg",
     "Door een ongeluk met drie auto's stond er dinsdagochtend een lange file richting het "
     "westen."),
    ("oostland-fm", 9, "Oostland FM Top 100: stemmen is begonnen",
     "Luisteraars kunnen tot eind oktober stemmen op hun favoriete nummers."),
    ("oostland-fm", 17, "Herfstvakantie: drukte op de wegen verwacht",
     "De ANWB verwacht zaterdag drukte richting Duitsland en de Ardennen."),
    ("oostland-fm", 20, "Nieuwe directeur voor regionaal ziekenhuis",
     "Het regionaal ziekenhuis heeft een nieuwe bestuursvoorzitter benoemd."),
    ("oostelijke-courant", 5, "Textielfabriek wordt woon-werkcomplex",
     "<p>De oude textielfabriek aan het kanaal krijgt een nieuwe bestemming met 80 "
     "appartementen.</p>"),
    ("oostelijke-courant", 8, "Provincie trekt extra geld uit voor fietspaden",
     "<p>De provincie investeert de komende vier jaar 40 miljoen euro in snelle fietsroutes.</p>"),
    ("oostelijke-courant", 14, "Ondernemers tevreden over najaarsbraderie",
     "<p>De najaarsbraderie in het centrum van Veenstad trok ruim twintigduizend bezoekers.</p>"),
    ("oostelijke-courant", 19, "Regionale musea trekken meer bezoekers",
     "<p>De musea in de regio ontvingen dit jaar tot nu toe twaalf procent meer bezoekers.</p>"),
    ("nieuwsblad-nederland", 5, "Kabinet wil sneller bouwen op boerenland",
     "Het kabinet wil gemeenten meer ruimte geven om woningen te bouwen aan de randen van dorpen."),
    ("nieuwsblad-nederland", 7, "Inflatie daalt verder naar 2,1 procent",
     "De inflatie is in september verder gedaald, meldt het statistiekbureau."),
    ("nieuwsblad-nederland", 10, "Supporters opgepakt na ongeregeldheden bij bekerduel",  # negative
     "Na de bekerwedstrijd tussen twee eredivisieclubs zijn twaalf supporters aangehouden. De ME "
     "moest ingrijpen toen groepen elkaar opzochten."),
    ("nieuwsblad-nederland", 16, "Scholieren demonstreren voor klimaat in Den Haag",
     "Duizenden scholieren liepen vrijdag mee in een klimaatmars. Het bleef rustig."),
    ("nieuwsblad-nederland", 18, "Storm zorgt voor onrust op de beurs",  # negative
     "Beleggers reageerden nerveus op berichten over stormschade in de havens."),
    ("landelijk-dagblad", 6, "Waarom steeds meer dertigers in relatietherapie gaan",  # negative
     "Relatietherapie is geen taboe meer. Therapeuten zien vooral jonge ouders met weinig tijd."),
    ("landelijk-dagblad", 9, "Het nieuwe leren: wat werkt echt in de klas?",
     "Onderzoekers zetten op een rij wat bewezen effectief is in het basisonderwijs."),
    ("landelijk-dagblad", 11, "Recensie: explosie van kleur in Kunsthuis Veenstad",  # negative
     "De tentoonstelling is een explosie van kleur, maar mist een verhaal."),
    ("landelijk-dagblad", 17, "De stille crisis in de kinderopvang",
     "Wachtlijsten groeien en personeel vertrekt: ouders zoeken noodgedwongen naar oplossingen."),
    ("landelijk-dagblad", 19, "Brandweer rukt vaker uit voor schoorsteenbranden",  # negative
     "Door de populariteit van houtkachels neemt het aantal schoorsteenbranden toe."),
    ("nl-nieuws24", 5, "Zonnig en droog weer op komst",
     "Een hogedrukgebied zorgt de komende dagen voor zonnig weer (ANP)."),
    ("nl-nieuws24", 8, "Treinverkeer rond Utrecht hersteld na storing",
     "Na een seinstoring rijden de treinen weer volgens de dienstregeling (ANP)."),
    ("nl-nieuws24", 11, "Oranje Leeuwinnen winnen oefenduel",
     "De Nederlandse voetbalsters wonnen zondag hun oefenwedstrijd met 3-0 (ANP)."),
    ("nl-nieuws24", 13, "Minder faillissementen in september",
     "Het aantal faillissementen daalde in september met acht procent (ANP)."),
    ("nl-nieuws24", 17, "Drukte op Schiphol door herfstvakantie",
     "Schiphol verwacht dit weekend ruim tweehonderdduizend reizigers per dag (ANP)."),
    ("nl-nieuws24", 19, "Benzineprijs daalt voor derde week op rij",
     "De adviesprijs voor benzine is opnieuw gedaald (ANP)."),
)


def background_articles(rng: random.Random) -> list[Article]:
    """Unrelated news at a plausible hour of its day (the seed picks the minute)."""
    return [
        news(source, at(day, f"{rng.randint(7, 20):02d}:{rng.randrange(0, 60, 5):02d}"), title, body)
        for source, day, title, body in BACKGROUND
    ]


# -- social media: volume follows the arc, posts come from per-phase pools ---------------------

SOCIAL_POOLS: dict[str, tuple[str, ...]] = {
    "vragen": (
        "Wat is er aan de hand bij sportpark Kolkhoek? Zag net drie politieauto's staan.",
        "Weet iemand waarom de training van de JO11 vanavond niet doorgaat?",
        "Politie bij de kantine van Kolkhoek, iemand meegenomen? Iemand iets gehoord?",
        "Is het waar dat er een trainer van SV Kolkhoek is opgepakt??",
        "Mijn zoon kwam thuis met verhalen over politie op het veld. Weet iemand meer?",
        "Kreeg net een brief van de club. Ik ben misselijk. Wie weet wat er precies is gebeurd?",
        "Training JO11 en JO13 afgelast 'in verband met omstandigheden'. Wat voor omstandigheden?",
        "Zit hier bij het sportpark, politie heeft de kantine afgezet. Iemand een idee?",
    ),
    "geruchten": (
        "Naar verluidt gaat het om een trainer die al jaren bij de club zit.",
        "Is het waar dat hij ook op basisschool De Klimop werkte? Mijn dochter zit daar!",
        "Ik hoor dat hij bij een andere club ook al is weggestuurd. Waarom wist niemand dat?",
        "Zou het Mark de Vlaming zijn? Die trainde toch de JO11?",
        "Er zouden veel meer kinderen slachtoffer zijn dan de politie zegt.",
        "Iemand zei dat hij in de Esdoornhof woont. Klopt dat?",
        "Ze zeggen dat hij morgen alweer vrijkomt. Hoe dan??",
        "Dat is die man van de Molenweg toch, Ruud Hesselink? Hij stond altijd langs de lijn.",
        "Schijnt dat de club al een jaar geleden een klacht had gekregen en niks heeft gedaan.",
        "Volgens een vriendin van mij is er ook een meisje van de turnclub bij betrokken. Iemand?",
        "Klopt het dat hij na de informatieavond al is vrijgelaten? Hoor het van meerdere mensen.",
    ),
    "woede": (
        "Walgelijk. Zulke mensen horen niet in de buurt van kinderen. #schandalig",
        "En de club wist het natuurlijk allang. Bestuur moet opstappen!",
        "Als het mijn kind was, wist ik wel wat ik zou doen.",
        "De gemeente zegt NIKS. Die beschermen hem gewoon.",
        "Mark de Vlaming moet nooit meer een voet op het veld zetten.",
        "Ik ben zo boos dat ik niet meer kan slapen. Onze kinderen!!",
        "Hoe kan zo iemand jarenlang trainer zijn zonder VOG? Schande.",
        "Die man moet hangen. Klaar.",
        "Politie doet niks, dan moeten we het zelf maar doen.",
        "Nu staat het zelfs in de landelijke kranten en de burgemeester zwijgt nog steeds.",
        "Informatieavond was een farce. Alleen maar 'daar kunnen we niets over zeggen'.",
        "Ik vertrouw die club voor geen meter meer. Mijn kinderen gaan er niet meer heen.",
        "Waarom worden wij als ouders als laatste geïnformeerd? Pers wist meer dan wij!",
        "Mark de Vlaming. Onthoud die naam. Iedereen moet weten wie hij is.",
        "Staat nu op de landelijke nieuwssites. Loosterveen op de kaart, maar zo wil je het niet.",
        "Die VOG-discussie is mooi, maar wie beschermt nu onze kinderen? #sportclub",
        "Onze kinderen zijn niet veilig en de gemeente doet alsof er niks aan de hand is.",
    ),
    "oproep": (
        "Hij is gewoon vrijgelaten!! Vanavond 20.00 Esdoornhof. We laten dit niet gebeuren.",
        "Iedereen die kinderen heeft: vanavond naar Molenbroek. Delen!!",
        "Vanavond verhaal halen bij dat huis. Wie gaat er mee?",
        "Zit gewoon thuis alsof er niks is gebeurd. Vanavond zijn we met z'n allen daar.",
        "Neem je vrienden mee vanavond, Esdoornhof. Laat zien dat Loosterveen dit niet pikt.",
        "Om 20.00 bij de Esdoornhof. Vuurwerk meenemen. Hij moet weten dat hij hier niet welkom is.",
        "Eerst de kinderen en nu laten ze hem gewoon vrij? Vanavond allemaal naar Molenbroek!!",
        "Wie rijdt er mee vanuit Ulsterbrug? Vanavond Esdoornhof.",
    ),
    "escalatie": (
        "Het is hier echt uit de hand aan het lopen in de Esdoornhof. Stenen door de ruiten.",
        "ME staat nu in Molenbroek. Helikopter boven de wijk.",
        "Er staat een auto in brand bij de Esdoornhof!!",
        "Noodbevel?? Ik woon hier gewoon, mag ik nu mijn huis niet meer uit?",
        "Mensen schreeuwen, vuurwerk, honden. Mijn kinderen zijn doodsbang.",
        "Er zitten kinderen in dat huis. Schaam je allemaal.",
        "Politie slaat hard in, zag net iemand op de grond liggen.",
        "Ik heb alles gefilmd, die agenten begonnen.",
        "Ruit van de buren is ook kapot. Die hebben er toch niks mee te maken??",
        "Helikopter, ME-busjes, honderden mensen. Molenbroek lijkt wel een oorlogsgebied.",
        "Volgens mij zit hij daar niet eens. Hebben jullie dat gecheckt voordat je gaat gooien?",
        "Agenten met schilden bij de Esdoornhof, mensen worden de straat uit geduwd.",
        "Brandweer kan niet bij de auto komen door de menigte.",
        "Noodbevel afgekondigd, politie zegt dat iedereen naar huis moet.",
    ),
    "tegengeluid": (
        "Politie: verdachte zit nog vast. Stop met die geruchten en blijf thuis.",
        "De man op die foto heeft er NIETS mee te maken. Verwijder dat bericht.",
        "Ik snap de woede, maar dit helpt de slachtoffers niet. Laat de politie haar werk doen.",
        "Ook het OM zegt het nu: hij zit vast. Wie heeft dat bericht over vrijlating verzonnen?",
        "Schaam me voor mijn eigen wijk na gisteravond.",
        "Mooi dat de burgemeester vandaag in de wijk was. Eindelijk iemand die iets zegt.",
        "Dat gezin heeft niks gedaan. Wat gisteravond gebeurde is ook misdadig.",
        "Check eerst of iets klopt voordat je het deelt. Dit had slecht kunnen aflopen.",
        "De burgemeester heeft gelijk: eigenrichting maakt nieuwe slachtoffers.",
        "Rustig vanavond in Molenbroek, veel politie op straat. Gelukkig.",
    ),
    "herstel": (
        "Mooi initiatief: buurtbewoners helpen met opruimen in de Esdoornhof.",
        "Zaterdag weer voetbal bij Kolkhoek. De kinderen hadden er zin in.",
        "Goede bijeenkomst in De Molen. Er werd echt geluisterd.",
        "Rustig weekend in Molenbroek. Zo hoort het.",
        "Bloemen gelegd bij de Esdoornhof. Sterkte voor dat gezin.",
        "Blij dat het weer rustig is. Laten we op elkaar letten.",
        "Vanavond wijkbijeenkomst in De Molen. Ik ga, jullie ook?",
        "Trainers bij Kolkhoek nu met z'n tweeën bij elke training. Goede zaak.",
        "Zag vandaag weer kinderen voetballen op het veld. Dat deed me goed.",
    ),
}

# (day, pool, number of posts, first hour, last hour): the volume curve of the arc.
SOCIAL_PLAN: tuple[tuple[int, str, int, int, int], ...] = (
    (8, "vragen", 6, 16, 22),
    (9, "vragen", 2, 7, 12), (9, "geruchten", 4, 12, 23),
    (10, "geruchten", 3, 9, 22), (10, "woede", 4, 10, 23),
    (11, "geruchten", 1, 10, 14), (11, "woede", 2, 11, 22), (11, "tegengeluid", 1, 13, 15),
    (12, "woede", 4, 9, 23),
    (13, "woede", 4, 8, 23), (13, "geruchten", 1, 20, 23),
    (14, "geruchten", 1, 12, 14), (14, "oproep", 8, 13, 20), (14, "escalatie", 14, 20, 24),
    (15, "tegengeluid", 6, 8, 20), (15, "woede", 2, 10, 18),
    (16, "tegengeluid", 3, 9, 22), (16, "herstel", 3, 13, 21),
    (17, "herstel", 3, 10, 20),
    (19, "herstel", 3, 17, 23),
)

HANDLES = ("@moeder_van3", "@kolkhoeker", "@jeroen_lv", "@buurtapp_molenbroek", "@femkeb",
           "@oudtrainer72", "@sanne_wolters", "@loosterveen_nieuwtjes", "@ricardo_v", "@wijkwacht_lv")


def social_posts(rng: random.Random) -> list[Article]:
    """Short posts; each pool is drawn without repeats across the whole incident."""
    remaining = {name: list(pool) for name, pool in SOCIAL_POOLS.items()}
    posts = []
    for day, pool, count, first, last in SOCIAL_PLAN:
        for _ in range(count):
            text = remaining[pool].pop(rng.randrange(len(remaining[pool])))
            when = at(day, f"{rng.randint(first, last - 1):02d}:{rng.randrange(60):02d}")
            body = f"<p>{text} <a href=\"https://buurtpraat.example/tags/loosterveen\">#loosterveen</a></p>"
            posts.append(Article("buurtpraat", when, "", body, author=rng.choice(HANDLES)))
    return posts


# -- signals (004 §3.1): what reached the municipality outside the media -----------------------

# The header of data/signals_template.csv, so the demo file is imported like any user's file.
SIGNAL_COLUMNS = ("kind", "source_type", "reliability", "credibility", "verification", "severity",
                  "municipality", "neighbourhood", "occurred_at", "reported_at", "incident", "text",
                  "entered_by")


@dataclass(frozen=True)
class DemoSignal:
    kind: str                 # gerucht, melding, aangifte, berichtgeving
    source_type: str          # data/signal_scales.toml [source_types]
    assessment: str           # reliability letter + credibility digit, e.g. "B2"
    verification: str         # as entered; later verdicts are [[signal_update]] in incident.toml
    severity: int
    neighbourhood: str
    occurred: datetime
    reported: datetime
    text: str
    entered_by: str


def signal(kind: str, source_type: str, assessment: str, verification: str, severity: int,
           neighbourhood: str, occurred: datetime, reported: datetime, text: str,
           entered_by: str = "omgevingsanalist") -> DemoSignal:
    return DemoSignal(kind, source_type, assessment, verification, severity, neighbourhood,
                      occurred, reported, text, entered_by)


# Severity follows the anchors of data/signal_scales.toml [severity] (004 §1.3 markers).
SIGNALS: tuple[DemoSignal, ...] = (
    signal("melding", "politie", "A1", "bevestigd", 2, "Kolkhoek", at(8, "15:30"), at(8, "18:30"),
           "Aanhouding jeugdtrainer SV Kolkhoek op verdenking van ontucht; zedenrecherche en OM "
           "betrokken.", "ambtenaar OOV"),
    signal("gerucht", "sociale media", "F5", "onbevestigd", 2, "Kolkhoek", at(8, "19:00"), at(9, "08:30"),
           "Op Buurtpraat vragen ouders wat er bij het sportpark is gebeurd; eerste speculatie over "
           "de trainer."),
    signal("melding", "sleutelfiguur", "B2", "bevestigd", 2, "Kolkhoek", at(9, "08:00"), at(9, "09:00"),
           "Voorzitter SV Kolkhoek meldt veel telefoontjes van ongeruste ouders na de brief van de "
           "club.", "wethouder sport"),
    signal("gerucht", "school", "C4", "onbevestigd", 2, "Kolkhoek", at(9, "14:00"), at(9, "16:45"),
           "Directie basisschool De Klimop krijgt vragen van ouders: zou de verdachte ook op school "
           "hebben gewerkt?", "leerplicht en onderwijs"),
    signal("aangifte", "politie", "A1", "bevestigd", 3, "Kolkhoek", at(10, "10:00"), at(10, "14:00"),
           "Tweede en derde aangifte van ouders van jeugdspelers ontvangen.", "ambtenaar OOV"),
    signal("gerucht", "sociale media", "F6", "onbevestigd", 4, "Molenbroek", at(10, "21:00"), at(11, "09:15"),
           "Naam en foto van een buurtbewoner worden gedeeld als 'de verdachte'."),
    signal("melding", "wijkprofessional", "B3", "onbevestigd", 4, "Molenbroek", at(11, "11:00"), at(11, "12:00"),
           "Wijkcoach hoort van jongeren dat 'ze hem wel even gaan opzoeken'.", "wijkteam Molenbroek"),
    signal("aangifte", "inwoner", "B2", "bevestigd", 3, "Molenbroek", at(11, "21:00"), at(12, "10:30"),
           "Aangifte van smaad door de buurtbewoner die ten onrechte als verdachte werd aangewezen.",
           "ambtenaar OOV"),
    signal("melding", "sleutelfiguur", "B2", "bevestigd", 4, "Molenbroek", at(11, "20:00"), at(12, "08:40"),
           "Buurtvader meldt dat het adres van het gezin van de verdachte in buurtapps rondgaat.",
           "wijkteam Molenbroek"),
    signal("berichtgeving", "media", "B2", "bevestigd", 3, "", at(12, "11:02"), at(12, "11:30"),
           "ANP-bericht over de zaak; overgenomen door landelijke media. Landelijke pers belt de "
           "gemeente.", "communicatieadviseur"),
    signal("berichtgeving", "media", "C5", "onbevestigd", 3, "", at(12, "13:45"), at(12, "14:30"),
           "Landelijk dagblad meldt 'tientallen slachtoffers'.", "communicatieadviseur"),
    signal("melding", "sleutelfiguur", "B2", "bevestigd", 3, "Kolkhoek", at(12, "17:00"), at(12, "17:30"),
           "Groep ouders dreigt met een eigen bijeenkomst als er geen informatieavond komt.",
           "wethouder sport"),
    signal("melding", "school", "B2", "bevestigd", 2, "Kolkhoek", at(13, "08:30"), at(13, "09:00"),
           "Basisschool De Klimop: kinderen praten op het schoolplein over de zaak; leerkrachten "
           "vragen om handvatten.", "leerplicht en onderwijs"),
    signal("melding", "overig", "A2", "bevestigd", 2, "", at(13, "09:40"), at(13, "10:00"),
           "Raadsvragen van Loosterveen Lokaal over VOG bij sportclubs en de informatievoorziening.",
           "griffie"),
    signal("melding", "zorgaanbieder", "B2", "bevestigd", 4, "Kolkhoek", at(13, "22:30"), at(14, "08:30"),
           "GGD na de informatieavond: veel boosheid, enkele ouders uiten dreigementen richting de "
           "verdachte.", "GGD"),
    signal("gerucht", "sociale media", "F6", "onbevestigd", 5, "Molenbroek", at(14, "12:30"), at(14, "13:20"),
           "Gerucht dat de verdachte is vrijgelaten en weer thuis is aan de Esdoornhof."),
    signal("melding", "wijkprofessional", "B2", "bevestigd", 5, "Molenbroek", at(14, "15:00"), at(14, "15:40"),
           "Jongerenwerker ziet oproepen om vanavond om 20.00 uur naar de Esdoornhof te gaan; ook "
           "groepen uit andere wijken komen.", "jongerenwerk"),
    signal("melding", "politie", "A1", "bevestigd", 5, "Molenbroek", at(14, "19:45"), at(14, "19:50"),
           "Circa honderd mensen bij de woning aan de Esdoornhof; vuurwerk, spreekkoren.",
           "ambtenaar OOV"),
    signal("melding", "politie", "A1", "bevestigd", 5, "Molenbroek", at(14, "20:40"), at(14, "20:45"),
           "Ruiten ingegooid, auto in brand gestoken; ME ingezet, bewoners onder begeleiding uit de "
           "woning.", "ambtenaar OOV"),
    signal("aangifte", "inwoner", "A1", "bevestigd", 4, "Molenbroek", at(14, "21:00"), at(15, "10:00"),
           "Aangifte van vernieling en bedreiging door de bewoners van de woning aan de Esdoornhof.",
           "ambtenaar OOV"),
    signal("gerucht", "sociale media", "E5", "onbevestigd", 4, "Molenbroek", at(15, "16:00"), at(15, "16:30"),
           "Oproep om donderdagavond 'terug te komen'; weinig reacties."),
    signal("melding", "sleutelfiguur", "B3", "bevestigd", 2, "Molenbroek", at(15, "20:00"), at(16, "09:00"),
           "Moskeebestuur en kerk in Molenbroek roepen samen op tot rust; plan voor een "
           "gezamenlijke bijeenkomst.", "wijkteam Molenbroek"),
    signal("melding", "wijkprofessional", "B2", "bevestigd", 2, "Molenbroek", at(16, "14:00"), at(16, "15:00"),
           "Wijkteam: bewoners helpen met opruimen; gesprekken in de wijk verlopen rustig.",
           "wijkteam Molenbroek"),
    signal("berichtgeving", "media", "B2", "bevestigd", 2, "", at(16, "18:00"), at(16, "18:30"),
           "Regionale media berichten over de opruimactie en het hervatten van de trainingen; de "
           "toon is positiever.", "communicatieadviseur"),
    signal("melding", "sleutelfiguur", "B2", "bevestigd", 1, "Kolkhoek", at(17, "11:00"), at(17, "13:00"),
           "Eerste trainingen SV Kolkhoek rustig verlopen; opkomst bijna normaal.", "wethouder sport"),
    signal("melding", "wijkprofessional", "B2", "bevestigd", 1, "Molenbroek", at(19, "22:00"), at(20, "09:00"),
           "Wijkbijeenkomst in De Molen goed verlopen; ruim honderd bewoners, geen incidenten.",
           "wijkteam Molenbroek"),
)


def _clock(moment: datetime) -> str:
    return moment.strftime("%d-%m-%Y %H:%M")  # the Dutch form of the template


def signal_rows() -> list[dict[str, str]]:
    rows = [{
        "kind": s.kind, "source_type": s.source_type, "reliability": s.assessment[0],
        "credibility": s.assessment[1], "verification": s.verification,
        "severity": str(s.severity), "municipality": "Loosterveen", "neighbourhood": s.neighbourhood,
        "occurred_at": _clock(s.occurred), "reported_at": _clock(s.reported), "incident": "",
        "text": s.text, "entered_by": s.entered_by,
    } for s in sorted(SIGNALS, key=lambda s: (s.reported, s.occurred))]
    return rows


# -- writing feeds -----------------------------------------------------------------------------

def load_config(folder: Path = DEMO_DIR) -> dict:
    with (folder / "incident.toml").open("rb") as fh:
        return tomllib.load(fh)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "bericht"


def with_slugs(articles: Iterable[Article]) -> list[Article]:
    """Stable, unique slugs per source; social posts get a numeric id like Mastodon."""
    ordered = sorted(articles, key=lambda a: (a.at, a.source, a.title, a.body))
    seen: set[tuple[str, str]] = set()
    result = []
    for n, article in enumerate(ordered, start=1):
        slug = str(10_900_000 + n * 37) if not article.title else slugify(article.title)
        if (article.source, slug) in seen:
            raise ValueError(f"twee berichten met dezelfde slug: {article.source}/{slug}")
        seen.add((article.source, slug))
        result.append(replace(article, slug=slug))
    return result


def version_at(article: Article, moment: datetime) -> tuple[str, str, datetime]:
    """Title, body and date of the article as the feed showed it at `moment`."""
    fix = article.correction
    if fix is not None and fix.at <= moment:
        # The corrected entry carries the correction's date: updated_at becomes that moment.
        return fix.title, fix.body, fix.at
    return article.title, article.body, article.at


def item_url(source: dict, article: Article) -> str:
    if source["key"] == "buurtpraat":
        return f"{source['site']}/{article.author}/{article.slug}"
    path = f"{source['site']}/{article.at:%Y/%m/%d}/{article.slug}"
    return f"{path}?{source['tracking']}" if source.get("tracking") else path


def item_guid(source: dict, article: Article) -> str:
    if source["key"] == "buurtpraat":
        return item_url(source, article)
    return f"{source['site']}/artikel/{article.at:%Y%m%d}-{article.slug}"


def _strip_html(value: str, keep: bool) -> str:
    return value if keep else re.sub(r"<[^>]+>", "", value)


def _feed_description(source: dict) -> str:
    what = source["what"]
    return f"{FICTIEF}. {what[:1].upper()}{what[1:]}."


def rss_bytes(source: dict, entries: list[Article], moment: datetime) -> bytes:
    ET.register_namespace("dc", "http://purl.org/dc/elements/1.1/")
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = source["name"]
    ET.SubElement(channel, "link").text = source["site"]
    ET.SubElement(channel, "description").text = _feed_description(source)
    ET.SubElement(channel, "language").text = "nl"
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(moment)
    for article in entries:
        title, body, date = version_at(article, moment)
        item = ET.SubElement(channel, "item")
        if title:
            ET.SubElement(item, "title").text = title
        ET.SubElement(item, "link").text = item_url(source, article)
        ET.SubElement(item, "guid", {"isPermaLink": str(source["key"] == "buurtpraat").lower()}).text = \
            item_guid(source, article)
        ET.SubElement(item, "pubDate").text = format_datetime(date)
        ET.SubElement(item, "description").text = _strip_html(body, source.get("html_summaries", False))
        if article.author:
            ET.SubElement(item, "{http://purl.org/dc/elements/1.1/}creator").text = article.author
    return _serialise(rss)


def atom_bytes(source: dict, entries: list[Article], moment: datetime) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    ET.SubElement(feed, f"{{{ns}}}title").text = source["name"]
    ET.SubElement(feed, f"{{{ns}}}subtitle").text = _feed_description(source)
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{source['site']}/feed"
    ET.SubElement(feed, f"{{{ns}}}link", {"href": source["site"]})
    ET.SubElement(feed, f"{{{ns}}}updated").text = moment.isoformat()
    for article in entries:
        title, body, date = version_at(article, moment)
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}id").text = item_guid(source, article)
        ET.SubElement(entry, f"{{{ns}}}title").text = title
        ET.SubElement(entry, f"{{{ns}}}link", {"href": item_url(source, article)})
        # Only <updated>: a correction moves it, and the parser then dates the new version.
        ET.SubElement(entry, f"{{{ns}}}updated").text = date.isoformat()
        if article.author:
            author = ET.SubElement(entry, f"{{{ns}}}author")
            ET.SubElement(author, f"{{{ns}}}name").text = article.author
        summary = ET.SubElement(entry, f"{{{ns}}}summary", {"type": "html"})
        summary.text = body
    return _serialise(feed)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def snapshot_moments(articles: list[Article]) -> list[datetime]:
    """Daily collection, plus a moment just before each correction so it arrives as an update."""
    moments = {at(day, SNAPSHOT_CLOCK) for day in range(FIRST_DAY, LAST_DAY + 1)}
    moments |= {a.correction.at - timedelta(minutes=1) for a in articles if a.correction}
    return sorted(moments)


def visible(articles: list[Article], moment: datetime) -> list[Article]:
    shown = [a for a in articles if moment - FEED_WINDOW < a.at <= moment]
    return sorted(shown, key=lambda a: a.at, reverse=True)[:FEED_MAX_ITEMS]


def check_corrections_arrive(own: list[Article], moments: list[datetime]) -> None:
    """A correction only reaches the store as an update if a snapshot shows the original first."""
    for article in own:
        fix = article.correction
        if fix is None:
            continue
        before = max(m for m in moments if m < fix.at)
        after = min(m for m in moments if m >= fix.at)
        if article not in visible(own, before) or article not in visible(own, after):
            raise ValueError(f"correctie van {article.source}/{article.slug} valt buiten het feedvenster")


def snapshot_name(moment: datetime) -> str:
    """UTC in the name so files sort in collection order across sources."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ") + ".xml"


def all_articles(seed: int = SEED) -> list[Article]:
    rng = random.Random(seed)
    return with_slugs(
        incident_articles() + wire_articles() + background_articles(rng) + social_posts(rng)
    )


def render(config: dict, seed: int = SEED) -> dict[str, bytes]:
    """Every generated file, relative path -> bytes (pure, so determinism is testable)."""
    articles = all_articles(seed)
    sources = {s["key"]: s for s in config["source"]}
    unknown = {a.source for a in articles} - sources.keys()
    if unknown:
        raise ValueError(f"bronnen ontbreken in incident.toml: {sorted(unknown)}")
    files: dict[str, bytes] = {}
    for key, source in sources.items():
        own = [a for a in articles if a.source == key]
        writer = atom_bytes if source["format"] == "atom" else rss_bytes
        written, shown_before = [], set()
        for moment in snapshot_moments(own):
            entries = visible(own, moment)
            shown = {(a.slug, version_at(a, moment)) for a in entries}
            # A collection that finds nothing new adds nothing to the story: no file for it.
            if shown - shown_before:
                files[f"feeds/{key}/{snapshot_name(moment)}"] = writer(source, entries, moment)
                written.append(moment)
            shown_before = shown
        check_corrections_arrive(own, written)
    files[config["signals"]["file"]] = signals_csv()
    files["README.md"] = readme(config, articles).encode()
    return files


def signals_csv() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SIGNAL_COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(signal_rows())
    return out.getvalue().encode()


def readme(config: dict, articles: list[Article]) -> str:
    lines = [
        "# Demo-incident (FICTIEF)",
        "",
        f"**{FICTIEF}.** De gemeente {config['incident']['municipality']}, haar wijken, alle "
        "personen, de vereniging, de media en alle gebeurtenissen zijn verzonnen. Elke gelijkenis "
        "met bestaande personen of organisaties berust op toeval; de `.example`-domeinen bestaan niet.",
        "",
        f"Incident: {config['incident']['name']} — scenario `{config['incident']['scenario']}` "
        "(004 Bijlage 2.1, zedenzaken), met de fasen van 004 §1.3: rust, dreigende onrust, onrust, "
        "escalatie (noodbevel), terugkeer naar rust.",
        "",
        "Verloop:",
        "",
        "- ma 5 - wo 7 oktober: rust, alleen achtergrondnieuws; SV Kolkhoek zoekt 'om persoonlijke "
        "redenen' een nieuwe trainer.",
        "- do 8 oktober: aanhouding van een jeugdtrainer bij sportpark Kolkhoek; vrijdag fase 2.",
        "- vr 9 - zo 11 oktober: vragen en geruchten op Buurtpraat (basisschool, naam en foto van de "
        "verkeerde man), regionale media, een correctie van Omroep Veenland.",
        "- ma 12 - di 13 oktober: ANP-bericht in vier media, 'tientallen slachtoffers' (gecorrigeerd), "
        "raadsvragen en Kamervragen, informatieavond; fase 3.",
        "- wo 14 oktober: onjuist gerucht over vrijlating, oproepen, samenscholing bij de "
        "Esdoornhof, ME, noodbevel, negen aanhoudingen; fase 4.",
        "- do 15 oktober: verklaring en persbericht van de burgemeester, het OM ontkracht het gerucht.",
        "- vr 16 - ma 19 oktober: noodbevel ingetrokken, opruimactie, trainingen hervat, "
        "wijkbijeenkomst; fase 3, daarna fase 5. Wo 21 oktober: incident gesloten.",
        "",
        "Bestanden:",
        "",
        "- `incident.toml` (met de hand geschreven): incident, bronnen, volgprofiel, betrokken "
        "personen, latere beoordelingen van signalen, logboek met officiële fasebesluiten, "
        "crisisdiagnoses, een persbericht met zijn geschiedenis, communicatiestrategie, "
        "voortgang van de checklists en wie wanneer is geïnformeerd.",
        "- `feeds/<bron>/<UTC-tijd>.xml`: momentopnamen van elke feed (RSS 2.0 of Atom), in "
        "tijdsvolgorde ingelezen; correcties komen als nieuwe versie onder dezelfde guid.",
        f"- `{config['signals']['file']}`: handmatige signalen (004 §3.1).",
        "",
        "Bronnen:",
        "",
    ]
    for source in config["source"]:
        count = sum(1 for a in articles if a.source == source["key"])
        lines.append(f"- {source['name']} ({source['reach']}, {source['format']}): {source['what']}; "
                     f"{count} berichten")
    lines += [
        "",
        "Niet met de hand bewerken: `python -m app.demo.generator` schrijft `feeds/`, "
        f"`{config['signals']['file']}` en dit bestand opnieuw (seed {SEED}); `onrust demo` bouwt "
        "er een demodatabase van via de gewone feedinlezing.",
        "",
    ]
    return "\n".join(lines)


def write(folder: Path = DEMO_DIR, seed: int = SEED) -> int:
    """Replace the generated files in `folder` (incident.toml is kept); returns the file count."""
    files = render(load_config(folder), seed)
    shutil.rmtree(folder / "feeds", ignore_errors=True)
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)


if __name__ == "__main__":
    print(f"{write()} bestanden geschreven naar {DEMO_DIR}")
