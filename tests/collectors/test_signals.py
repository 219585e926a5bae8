"""Validation of manual signals: one Dutch message per field, dates and municipality spellings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collectors.signals import FieldError, municipalities, validate_signal
from onrust.dates import parse_when
from onrust.models import SignalInput

NOW = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam
GOOD = {
    "kind": "gerucht", "source_type": "sociale media", "reliability": "C", "credibility": "3",
    "severity": "3", "municipality": "Enschede", "neighbourhood": "Roombeek",
    "occurred_at": "14-11-2026 21:30", "reported_at": "14-11-2026 22:05",
    "text": "In een buurtapp gaat het gerucht rond dat de brand is aangestoken.", "entered_by": "wijkteam",
}


def errors(raw: dict, **kw) -> dict[str, str]:
    outcome = validate_signal(raw, now=NOW, **kw)
    assert isinstance(outcome, list), outcome
    return {e.field: e.message for e in outcome}


def test_valid_signal_is_normalised():
    signal = validate_signal({**GOOD, "kind": " Gerucht ", "source_type": "Sociale_Media",
                              "reliability": "c - redelijk betrouwbaar", "credibility": 3.0,
                              "text": "  regel een \r\n  regel twee  "}, now=NOW)
    assert signal == SignalInput(
        kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
        verification="onbevestigd", severity=3, municipality="Enschede", neighbourhood="Roombeek",
        occurred_at=datetime(2026, 11, 14, 20, 30, tzinfo=UTC),
        reported_at=datetime(2026, 11, 14, 21, 5, tzinfo=UTC), entered_at=NOW, incident_id=None,
        text="regel een\nregel twee", entered_by="wijkteam",
    )


def test_empty_form_names_every_missing_field():
    assert errors({}) == {
        "kind": "vul de soort in",
        "source_type": "vul het brontype in",
        "reliability": "vul de betrouwbaarheid van de bron in (A t/m F)",
        "credibility": "vul de geloofwaardigheid van de informatie in (1 t/m 6)",
        "severity": "vul de ernst in (1 t/m 5)",
        "municipality": "vul de gemeente in",
        "occurred_at": "vul in wanneer het gebeurde, bijvoorbeeld 14-11-2026 21:30, 14 november 2026 21.30 "
                       "of 2026-11-14T21:30",
        "reported_at": "vul in wanneer het gemeld werd, bijvoorbeeld 14-11-2026 21:30, 14 november 2026 21.30 "
                       "of 2026-11-14T21:30",
        "text": "beschrijf het signaal",
        "entered_by": "vul in wie het signaal invoert",
    }


@pytest.mark.parametrize("field, value, message", [
    ("kind", "roddel", "'roddel' is geen soort signaal; kies uit gerucht, melding, aangifte of berichtgeving"),
    ("source_type", "krant", "'krant' is geen brontype; kies uit sleutelfiguur, wijkprofessional, politie, "
     "school, zorgaanbieder, media, sociale media, inwoner of overig"),
    ("reliability", "G", "'G' is geen betrouwbaarheid; kies A (volledig betrouwbaar) t/m F (betrouwbaarheid onbekend)"),
    ("credibility", "7",
     "'7' is geen geloofwaardigheid; kies 1 (bevestigd door andere bronnen) t/m 6 (waarheid onbekend)"),
    ("credibility", "2.5",
     "'2.5' is geen geloofwaardigheid; kies 1 (bevestigd door andere bronnen) t/m 6 (waarheid onbekend)"),
    ("verification", "misschien",
     "'misschien' is geen verificatiestatus; kies uit onbevestigd, bevestigd of ontkracht"),
    ("severity", "0", "'0' is geen ernst; kies 1 t/m 5"),
    ("severity", "hoog", "'hoog' is geen ernst; kies 1 t/m 5"),
    ("municipality", "Enschedee", "'Enschedee' is geen bekende gemeente; bedoelt u Enschede?"),
    ("municipality", "Veldwijk", "'Veldwijk' is geen bekende gemeente"),
    ("occurred_at", "31-02-2026 10:00", "'31-02-2026 10:00' is geen bestaande datum (dag-maand-jaar)"),
    ("occurred_at", "14-11-2026 24:10", "'14-11-2026 24:10' heeft geen geldige tijd (uu:mm, 00:00 t/m 23:59)"),
    ("occurred_at", "morgen",
     "'morgen' is geen datum; gebruik bijvoorbeeld 14-11-2026 21:30, 14 november 2026 21.30 of 2026-11-14T21:30"),
    ("occurred_at", "14 novembre 2026", "'novembre' in '14 novembre 2026' is geen maand"),
    ("occurred_at", "16-11-2026 09:00", "'16-11-2026 09:00' ligt in de toekomst"),
    ("occurred_at", "14-11-1926 09:00", "'14-11-1926 09:00' ligt vóór 2000; controleer het jaartal"),
    ("incident", "drie", "'drie' is geen incidentnummer (een positief geheel getal)"),
    ("text", "x" * 10_001, "te lang (10001 tekens, maximaal 10000); vat het signaal samen"),
    ("text", "\x00\x07 ", "beschrijf het signaal"),
])
def test_bad_value_gets_one_clear_message(field, value, message):
    assert errors({**GOOD, field: value}) == {field: message}


def test_reported_before_it_happened_is_refused():
    assert errors({**GOOD, "reported_at": "14-11-2026 21:00"}) == {
        "reported_at": "ligt vóór het moment waarop het gebeurde; een signaal wordt gemeld nadat "
                       "het gebeurde (controleer beide tijden)"}


def test_field_error_reads_with_dutch_label():
    assert str(FieldError("occurred_at", "ligt in de toekomst")) == "Gebeurd op: ligt in de toekomst"


def test_combined_code_and_contradiction():
    signal = validate_signal({**GOOD, "reliability": "b2", "credibility": ""}, now=NOW)
    assert (signal.reliability, signal.credibility) == ("B", 2)
    assert errors({**GOOD, "reliability": "B2", "credibility": "4"}) == {
        "credibility": "4 spreekt de code 'B2' bij betrouwbaarheid tegen"}


@pytest.mark.parametrize("text, expected", [
    ("14-11-2026 21:30", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("14/11/2026 21.30 uur", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("za 14-11-2026 21:05", datetime(2026, 11, 14, 20, 5, tzinfo=UTC)),     # our own display format
    ("14 november 2026 21.30", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("zaterdag 14 nov. 2026 om 21:30", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("14-7-2026 21:30", datetime(2026, 7, 14, 19, 30, tzinfo=UTC)),            # summer time
    ("14-11-2026", datetime(2026, 11, 13, 23, 0, tzinfo=UTC)),                 # date only: 00:00
    ("2026-11-14T21:30", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("2026-11-14 21:30:00+00:00", datetime(2026, 11, 14, 21, 30, tzinfo=UTC)),
    ("2026-11-14T20:30Z", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("gisteren 21:30", datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),
    ("eergisteren", datetime(2026, 11, 12, 23, 0, tzinfo=UTC)),
    ("vandaag 09:15", datetime(2026, 11, 15, 8, 15, tzinfo=UTC)),
    ("nu", NOW),
    (datetime(2026, 11, 14, 21, 30), datetime(2026, 11, 14, 20, 30, tzinfo=UTC)),  # XLSX cell
])
def test_dates_dutch_and_iso(text, expected):
    assert parse_when(text, now=NOW) == expected


def test_relative_dates_refused_where_not_allowed():
    with pytest.raises(ValueError, match="relatieve datum"):
        parse_when("gisteren 21:30", now=NOW, allow_relative=False)


@pytest.mark.parametrize("typed, official", [
    ("Den Bosch", "'s-Hertogenbosch"),
    ("den haag", "'s-Gravenhage"),
    ("s-Hertogenbosch", "'s-Hertogenbosch"),
    ("sudwest fryslan", "Súdwest-Fryslân"),
    ("Gemeente ENSCHEDE", "Enschede"),
    ("Nuenen", "Nuenen, Gerwen en Nederwetten"),
])
def test_municipality_spellings(typed, official):
    assert municipalities().resolve(typed) == official
    assert validate_signal({**GOOD, "municipality": typed}, now=NOW).municipality == official


def test_incident_municipality_is_accepted_even_if_fictional():
    signal = validate_signal({**GOOD, "municipality": "veldwijk"}, now=NOW, extra_municipalities=["Veldwijk"])
    assert signal.municipality == "Veldwijk"


def test_key_ignores_assessment_and_typist_but_not_content():
    a = validate_signal(GOOD, now=NOW)
    b = validate_signal({**GOOD, "severity": "5", "verification": "bevestigd", "entered_by": "ander",
                         "text": "In een  buurtapp gaat het GERUCHT rond dat de brand is aangestoken."}, now=NOW)
    c = validate_signal({**GOOD, "text": "Iets anders."}, now=NOW)
    assert a.key == b.key != c.key
    nfc = validate_signal({**GOOD, "text": "Ruzie op het caf\u00e9"}, now=NOW)
    nfd = validate_signal({**GOOD, "text": "Ruzie op het cafe\u0301"}, now=NOW)
    assert nfd.text == "Ruzie op het caf\u00e9" and nfc.key == nfd.key
