"""Roster names are internal: the persbericht check blocks them and the outward texts mask them,
like the registered names of involved people; only the release's own spokespeople may be named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from comms.involved import add_incident_person
from comms.press_export import outward, variant_plaintext, variants
from comms.rules import check_release, has_blocking
from onrust.models import RosterMember
from tests.comms.press_example import EXAMPLE

T0 = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
ROSTER = [RosterMember("Gemeente", "Adviseur veiligheid", "Karin Veldkamp", "06 1"),
          RosterMember("Gemeente", "Burgemeester", "Pieter Heiliegers"),
          RosterMember("Gemeente", "Beleidsadviseur communicatie", "Annemiek Bos"),
          RosterMember("Politie", "Basisteamchef")]  # no name yet: nothing to protect


def _incident(store):
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    store.save_roster(incident, ROSTER, "Anna")
    add_incident_person(store, incident, "Mark de Vries", "slachtoffer", "Anna")
    return incident


def test_press_names_add_the_roster_to_the_registered_names(store):
    incident = _incident(store)
    people = store.press_names(incident)
    assert [(p.name, p.role, p.added_by) for p in people] == [
        ("Mark de Vries", "slachtoffer", "Anna"),
        ("Karin Veldkamp", "teamlid (Adviseur veiligheid)", "rooster"),
        ("Pieter Heiliegers", "teamlid (Burgemeester)", "rooster"),
        ("Annemiek Bos", "teamlid (Beleidsadviseur communicatie)", "rooster")]
    # Linking and relevance read names_to_protect: a team member's name in the news is no reason
    # to link an item to the incident.
    assert [p.name for p in store.names_to_protect(incident)] == ["Mark de Vries"]


def test_a_roster_name_blocks_a_persbericht_and_is_masked_outward(store):
    incident = _incident(store)
    people = store.press_names(incident)
    assert not has_blocking(check_release(EXAMPLE, involved=people))
    leaked = replace(EXAMPLE, maatregelen=EXAMPLE.maatregelen + " K. Veldkamp coördineert de opvang.")
    found = [f for f in check_release(leaked, involved=people) if f.rule == "betrokkene_naam"]
    assert [(f.passage, f.where) for f in found] == [("K. Veldkamp", "maatregelen")]
    assert "Geregistreerd als teamlid (Adviseur veiligheid)." in found[0].why
    out = outward(leaked, people, "goedgekeurd")
    texts = [variant_plaintext(out, v) for v in variants(out, "Uithoorn", T0)]
    assert all("Veldkamp" not in t for t in texts) and any("[naam] coördineert de opvang." in t for t in texts)


def test_the_releases_own_boegbeeld_and_contact_may_be_named(store):
    incident = _incident(store)
    people = store.press_names(incident)
    # EXAMPLE names "burgemeester Heiliegers" as boegbeeld and "woordvoerder Annemiek Bos" as contact.
    quoted = replace(EXAMPLE, empathie="Burgemeester Heiliegers: 'Wij zijn diep geschokt.' Bel Annemiek Bos.")
    assert not has_blocking(check_release(quoted, involved=people))
    assert "Annemiek Bos" in outward(quoted, people, "goedgekeurd").value.contact_pers
    # Without that role in this release the same names are internal again.
    anonymous = replace(quoted, boegbeeld="de burgemeester", contact_pers="de woordvoerder, 06 12345678")
    blocked = {f.passage for f in check_release(anonymous, involved=people) if f.rule == "betrokkene_naam"}
    assert blocked == {"Heiliegers", "Annemiek Bos"}
    # A registered involved person is never exempt, even as "boegbeeld".
    victim = replace(EXAMPLE, boegbeeld="Mark de Vries")
    assert has_blocking(check_release(victim, involved=people))
