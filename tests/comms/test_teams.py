"""Teams and roles (data/teams.toml) counted against the seeds, every item verbatim; the roster's
cleaning of what was typed."""

from __future__ import annotations

import pytest

from comms.teams import clean_roster, default_roster, load_teams, roster_or_default
from onrust.errors import UserError
from onrust.models import RosterMember
from tests.seeds import between, bullets, seed, squeezed


def _verbatim(items, text):
    body = squeezed(text)
    return [item for item in items if squeezed(item) not in body]


def test_kernteam_tasks_and_gemeentesecretaris_points_are_the_seeds():
    part = between(seed("004"), "2.2.1 Taken kernteam (zie ook bijlage 3):", "Daarnaast kan")
    teams = load_teams()
    assert len(teams.kernteam.items) == bullets(part, "-") == 9
    assert _verbatim(teams.kernteam.items, part) == []
    secr = between(seed("004"), "Met de gemeentesecretaris worden de volgende punten afgestemd:", "Vanaf de eerste")
    assert len(teams.gemeentesecretaris.items) == bullets(secr, "-") == 3
    assert _verbatim(teams.gemeentesecretaris.items, secr) == []


def test_coordinatieteam_has_ten_roles_from_the_seed():
    part = between(seed("000"), "2.2.4 Samenstelling Coördinatieteam", "2.3 Fase II")
    roles = load_teams().coordinatieteam
    # Nine bullets; the second calls in a 2e adviseur OOV when needed: the tenth role.
    assert bullets(part, "•") == 9 and len(roles) == 10
    assert _verbatim([text for _, text in roles], part) == []
    assert len({role for role, _ in roles}) == 10


def test_taken_en_rollen_of_bijlage_2():
    part = between(seed("000"), "Bijlage 2 Taken en rollen", "Bijlage 3 Standaard Agenda")
    groups = load_teams().taken_en_rollen
    assert [g.title for g in groups] == [
        "Taken en rollen burgemeester en wethouder", "Gecontracteerde instellingen en Veilig Thuis",
        "Directeur Publieke Gezondheid (DPG)", "Psychosociale hulpverlening (PSH-procesleiders)"]
    assert [len(g.items) for g in groups] == [5, bullets(part, "•"), 3, 1] == [5, 3, 3, 1]
    assert _verbatim([i for g in groups for i in (*g.items, g.intro)], part) == []


def test_six_parties_of_bijlage_3_with_31_points():
    part = between(seed("004"), "Bijlage 3: Verantwoordelijkheden en taken kernteam\n", "Veilig Thuis:\n")
    parties = load_teams().partijen
    assert [p.title for p in parties] == ["Gemeente", "Politie Oost Nederland", "Openbaar Ministerie", "GGD",
                                         "OZJT", "Gecontracteerde instellingen"]
    assert [len(p.items) for p in parties] == [11, 3, 5, 4, 4, 4]
    assert sum(len(p.items) for p in parties) == bullets(part, "-") == 31
    assert _verbatim([i for p in parties for i in p.items], part) == []


def test_contact_list_of_bijlage_1_is_the_default_roster():
    part = between(seed("004"), "Organisatie/ instelling\tFunctionaris\tContactgegevens", "Bijlage 2: Scenario's")
    lines = [line for line in part.splitlines() if line.strip()]
    rows = default_roster()
    assert len(rows) == len(lines) == 23
    for row, line in zip(rows, lines, strict=True):
        cells = [c.strip() for c in line.split("\t")]
        assert row.role in cells and (row.organisation in cells or cells[0] == "")
        assert row.reachability in cells and row.name == ""
    assert rows[4] == RosterMember("OM", "Beleidspiket driehoeksofficier", "", "06 15 04 64 42")
    assert rows[7].note == "Geen piketnummer"


def test_an_empty_roster_shows_the_defaults_a_saved_one_itself():
    assert roster_or_default([]) == (default_roster(), False)
    mine = [RosterMember("Gemeente", "Burgemeester", "A. Brouwer")]
    assert roster_or_default(mine) == (mine, True)


def test_clean_roster_drops_empty_rows_and_names_the_bad_ones():
    rows = [{"organisation": " Gemeente ", "role": "Burgemeester", "name": "Annelies  Brouwer",
             "reachability": None, "note": float("nan")},
            {"organisation": None, "role": "", "name": "", "reachability": "", "note": ""}]
    assert clean_roster(rows) == [RosterMember("Gemeente", "Burgemeester", "Annelies Brouwer")]
    with pytest.raises(UserError) as err:
        clean_roster([*rows, {"name": "Karin Veldkamp", "reachability": "06"}])
    assert str(err.value) == "Regel 3: vul de organisatie of de functie in."
