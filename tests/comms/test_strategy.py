"""Strategy helpers: who speaks (001 rules) with reasoning, aims per phase, press policy, stored decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from comms.strategy import (
    WoordvoeringVraag,
    accent_value,
    advice_for_phase,
    load_strategy_data,
    phase_status,
    press_policy_value,
    wie_voert_het_woord,
)

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize("vraag, gemeente, rules", [
    (WoordvoeringVraag(True, onrust_gemeente="Haarlem", inkopende_gemeente="Haarlem"),
     "Haarlem", ["driehoek"]),
    (WoordvoeringVraag(False, "jeugdwet", inkopende_gemeente="Haarlem", woonplaats_gemeente="Zandvoort"),
     "Zandvoort", ["driehoek", "kader", "meerdere_gemeenten"]),
    (WoordvoeringVraag(False, "opvang", inkopende_gemeente="Haarlem", verblijf_gemeente="Heemstede"),
     "Heemstede", ["driehoek", "kader", "meerdere_gemeenten"]),
    (WoordvoeringVraag(False, "overig", inkopende_gemeente="Bloemendaal"),
     "Bloemendaal", ["driehoek", "kader"]),
    (WoordvoeringVraag(False, "overig", inkopende_gemeente="Haarlem", zorgaanbieder_betrokken=True),
     "Haarlem", ["driehoek", "kader", "zorgaanbieder", "afstemming"]),
    (WoordvoeringVraag(True, onrust_gemeente="Haarlem", strafbaar_feit=True, zorgaanbieder_betrokken=True),
     "Haarlem", ["driehoek", "zorgaanbieder", "strafbaar", "afstemming"]),
])
def test_woordvoering_rules(vraag, gemeente, rules):
    advies = wie_voert_het_woord(vraag)
    assert advies.gemeente == gemeente
    assert [s.rule for s in advies.steps] == rules
    assert advies.woordvoerders[0] == f"Gemeente {gemeente}"
    assert all(s.ref.startswith(("001", "004", "000")) for s in advies.steps)


def test_woordvoering_reasoning_texts():
    advies = wie_voert_het_woord(WoordvoeringVraag(
        True, onrust_gemeente="Haarlem", strafbaar_feit=True, zorgaanbieder_betrokken=True))
    assert advies.answer == ("Gemeente Haarlem voert het woord. Daarnaast: Zorgaanbieder (over de eigen zorg); "
                             "OM (over strafbare feiten).")
    assert advies.steps[0].conclusion == (
        "De driehoek is leidend: de woordvoering ligt bij de gemeente waar de driehoek is opgestart, "
        "de gemeente waar de maatschappelijke onrust is ontstaan (Haarlem).")
    assert advies.steps[1].conclusion.startswith(
        "De zorgaanbieder blijft aanspreekpunt over de eigen zorg, maar de driehoek is leidend")
    assert "regie over de persvoorlichting over gepleegde strafbare feiten" in advies.steps[2].conclusion
    jeugd = wie_voert_het_woord(WoordvoeringVraag(False, "jeugdwet", woonplaats_gemeente="Zandvoort"))
    assert jeugd.steps[1].conclusion == ("Jeugdwet: het woonplaatsbeginsel geldt; de woordvoering ligt bij "
                                         "de woonplaatsgemeente van de jeugdige (Zandvoort).")
    assert jeugd.answer == "Gemeente Zandvoort voert het woord."


@pytest.mark.parametrize("vraag, missing", [
    (WoordvoeringVraag(True), "de gemeente waar de onrust is ontstaan"),
    (WoordvoeringVraag(False, "jeugdwet", inkopende_gemeente="Haarlem"), "de woonplaatsgemeente"),
    (WoordvoeringVraag(False, "opvang"), "de gemeente waar de cliënt verblijft"),
    (WoordvoeringVraag(False, "overig", woonplaats_gemeente="Haarlem"), "de gemeente die de zorg heeft ingekocht"),
])
def test_woordvoering_asks_for_the_missing_municipality(vraag, missing):
    with pytest.raises(ValueError, match=missing):
        wie_voert_het_woord(vraag)


def test_aims_and_press_policy_per_phase():
    data = load_strategy_data()
    assert list(data.aims) == ["informatievoorziening", "schadebeperking", "betekenisgeving"]
    assert {p: a.accent for p, a in data.phases.items()} == {
        1: ("informatievoorziening",), 2: ("informatievoorziening",),
        3: ("informatievoorziening", "betekenisgeving"), 4: ("schadebeperking", "informatievoorziening"),
        5: ("betekenisgeving",),
    }
    assert {p: a.press_policy for p, a in data.phases.items()} == {
        1: "passief", 2: "actief", 3: "actief", 4: "actief", 5: "actief"}
    assert advice_for_phase(None, data, None) is None
    assert advice_for_phase(4, data, None).name == "Escalatie"
    assert accent_value(["betekenisgeving", "informatievoorziening"], data) == "Informatievoorziening + Betekenisgeving"
    assert press_policy_value("passief", data) == "Passief persbeleid"
    with pytest.raises(ValueError, match="minstens één"):
        accent_value([], data)
    with pytest.raises(ValueError, match="actief of passief"):
        press_policy_value("reactief", data)


def test_press_policy_default_follows_the_scenario():
    """000 Bijlage 7 (stilhouden) and 004 Bijlage 2.1 (stil alarm, no persconferentie) for a zedenzaak."""
    data = load_strategy_data()
    by_phase = {p: advice_for_phase(p, data, "zedenzaak") for p in range(1, 6)}
    assert {p: a.press_policy for p, a in by_phase.items() if a} == {
        1: "passief", 2: "passief", 3: "passief", 4: "actief", 5: "actief"}
    assert "000 Bijlage 7" in by_phase[2].press_ref and "004 Bijlage 2.1" in by_phase[2].press_ref
    assert by_phase[4].press_ref == ""
    assert advice_for_phase(2, data, "polarisatie").press_policy == "actief"
    assert advice_for_phase(2, data, "polarisatie").press_ref == ""


def test_decisions_are_stored_with_author_time_and_reasoning(store):
    iid = store.create_incident("Onrust Veldwijk", "Haarlem", T0)
    vraag = WoordvoeringVraag(True, onrust_gemeente="Haarlem", strafbaar_feit=True)
    advies = wie_voert_het_woord(vraag)
    store.add_strategy_decision(iid, "woordvoering", advies.answer, "Anna", phase=3,
                                details=advies.details(vraag), at=T0)
    store.add_strategy_decision(iid, "persbeleid", "Passief persbeleid", "Anna", phase=2, at=T0)
    store.add_strategy_decision(iid, "persbeleid", "Actief persbeleid", "Bram", phase=3,
                                note="media bellen", at=T0 + timedelta(hours=1))
    current = store.current_strategy(iid)
    assert current["persbeleid"]["value"] == "Actief persbeleid"
    assert current["persbeleid"]["decided_by"] == "Bram"
    assert current["woordvoering"]["details"]["stappen"][0]["rule"] == "driehoek"
    assert current["woordvoering"]["details"]["vraag"]["onrust_gemeente"] == "Haarlem"
    assert list(store.strategy_decisions(iid, "persbeleid")["value"]) == ["Actief persbeleid", "Passief persbeleid"]
    assert "accent" not in current
    log = store.logbook(iid)
    assert list(log["kind"]) == ["besluit"] * 3
    assert list(log["text"]) == [
        "Woordvoering: Gemeente Haarlem voert het woord. Daarnaast: OM (over strafbare feiten).",
        "Persbeleid: Passief persbeleid", "Persbeleid: Actief persbeleid (media bellen)"]
    assert store.official_phases(iid).empty  # communication decisions are not phase decisions
    with pytest.raises(ValueError, match="onbekend soort"):
        store.add_strategy_decision(iid, "toon", "x", "Anna")


def _points(rows):
    return pd.DataFrame(rows, columns=["at", "has_data", "temperature", "phase"])


def test_phase_status_prefers_the_official_decision():
    official = pd.DataFrame({"logged_at": [T0, T0 + timedelta(hours=2)], "phase": [2, 3],
                             "reason": ["", ""], "author": ["Burgemeester"] * 2})
    points = _points([(T0, True, 40.0, 2), (T0 + timedelta(hours=3), True, 71.0, 4),
                      (T0 + timedelta(hours=4), False, None, 4)])
    status = phase_status(official, points)
    assert (status.phase, status.source, status.official, status.computed) == (3, "officieel", 3, 4)
    assert status.temperature == 71.0 and status.computed_at == T0 + timedelta(hours=3)
    computed_only = phase_status(official.iloc[0:0], points)
    assert (computed_only.phase, computed_only.source, computed_only.official) == (4, "berekend", None)
    nothing = phase_status(official.iloc[0:0], _points([]))
    assert (nothing.phase, nothing.source, nothing.temperature) == (None, "geen", None)


def test_rules_file_must_offer_the_three_kaders(tmp_path):
    from comms.strategy import WOORDVOERING, load_woordvoering_rules

    rules = load_woordvoering_rules()
    assert rules["driehoek"]["question"] == "Is de veiligheidsdriehoek (burgemeester, OM, politie) betrokken?"
    broken = tmp_path / "woordvoering.toml"
    text = WOORDVOERING.read_text(encoding="utf-8")
    broken.write_text(text.replace("[rules.kader.options.opvang]", "[rules.kader.options.wlz]"),
                      encoding="utf-8")
    with pytest.raises(ValueError, match="kader-opties"):
        load_woordvoering_rules(broken)
