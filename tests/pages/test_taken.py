"""The Taken page: the task list with due times and overdue rows, done / note / open again, triage,
risk moments ahead, the scenario chosen and its guidance; read-only when closed."""

from __future__ import annotations

import re
from datetime import timedelta

from comms.tasks import complete_task, load_protocol, set_moment
from onrust.timeutil import utcnow
from tests.pages.apptest import open_page, sign_in


def _button(at, label):
    [found] = [b for b in at.button if b.label == label]
    return found


def _table(at, key):
    """AppTest drops a dataframe's key: the task list comes first, the risk moments second."""
    return at.dataframe[{"task_table": 0, "moment_table": 1}[key]].value


def test_task_list_due_overdue_and_writes(oidc_mode, app_store):
    opened = utcnow().replace(microsecond=0) - timedelta(hours=5)  # fase 1 (3 uur) is over
    incident = app_store.create_incident("Zedenzaak sportvereniging", "Uithoorn", opened)
    complete_task(app_store, load_protocol("003"), incident, "003-1.1-1", "afdelingshoofd",
                  opened + timedelta(hours=1), now=utcnow())
    set_moment(app_store, incident, "uitspraak", utcnow() + timedelta(days=3), "secretaris")
    at = open_page("taken.py", user="wijkteammanager")
    assert not at.exception
    table = _table(at, "task_table")
    assert len(table) == 48
    status = dict(zip(table["Nr"], table["Status"], strict=True))
    assert status["1.1 punt 1"] == "gedaan" and status["1.1 punt 2"] == "te laat" and status["2.1 punt 1"] == "open"
    assert list(table["Status"]).count("te laat") == 16
    assert [m.value for m in at.metric] == ["1 van 48", "16"]
    assert "over 3 dagen: uitspraak" in at.warning[1].value  # [0]: no triage yet
    assert "Nog geen triage" in at.warning[0].value

    at.selectbox(key="task_pick").set_value("003-1.1-2")
    assert "task_author" not in {w.key for w in at.text_input}  # who did it is the login
    _button(at, "Afgerond").click().run()
    assert not at.exception and not at.error
    at.selectbox(key="task_pick").set_value("003-1.1-2")
    at.text_area(key="task_note").input("Directeur SMD **niet** bereikt")
    _button(at, "Notitie opslaan").click().run()
    assert not at.error
    table = _table(at, "task_table")
    row = table[table["Nr"] == "1.1 punt 2"].iloc[0]
    assert (row["Gedaan door"], row["Notitie"]) == ("wijkteammanager", "Directeur SMD **niet** bereikt")
    assert row["Status"] == "te laat gedaan"  # the form proposes now, 5 hours after the start
    assert [m.value for m in at.metric] == ["2 van 48", "15"]

    sign_in(at, "afdelingshoofd").run()
    at.radio(key="triage_outcome").set_value("mo_protocol")
    _button(at, "Triage vastleggen").click().run()
    assert "afstemmen met team Veiligheid" in at.success[0].value

    at.selectbox(key="scenario_pick").set_value("zedenzaak")
    _button(at, "Scenario vastleggen").click().run()
    assert not at.exception and not at.error
    assert "Verdieping aanpak zedenzaken (004 Bijlage 2.1)" in [s.value for s in at.subheader]
    expanders = [e.label for e in at.expander]
    assert {"Partners", "Mogelijk relevante kenmerken", "Bestuurlijke vraagstukken en kritieke besluiten",
            "Aandachtspunten", "Praktische tips", "Randvoorwaarden", "Rol en verwachtingen"} <= set(expanders)
    assert any("Stilhouden." in m.value for m in at.markdown)  # 000 Bijlage 7 aandachtspunten
    assert app_store.incident(incident).scenario == "zedenzaak"
    assert app_store.triage(incident).author == "afdelingshoofd"

    logged = [(e.kind, e.text.split(":")[0]) for e in app_store.log_entries(incident)]
    assert logged[-4:] == [("actie", "Taak afgerond (003 Deel II, Fase 1, 1.1)"),
                           ("actie", "Notitie bij taak 1.1 punt 2 (003 Deel II, Fase 1, 1.1)"),
                           ("besluit", "Triage (003 Deel II, Melding komt binnen)"),
                           ("besluit", "Scenario (004 Bijlage 2)")]


def test_risk_moment_form(oidc_mode, app_store):
    incident = app_store.create_incident("Zedenzaak sportvereniging", "Uithoorn", utcnow() - timedelta(days=1))
    at = open_page("taken.py", user="secretaris")
    at.selectbox(key="moment_pick").set_value("rechtszaak")
    at.date_input(key="moment_day").set_value((utcnow() + timedelta(days=5)).date())
    _button(at, "Moment vastleggen").click().run()
    assert not at.exception and not at.error
    [moment] = app_store.risk_moments(incident)
    assert moment.moment_key == "rechtszaak"
    table = _table(at, "moment_table")
    assert len(table) == 8 and table["Verwacht op"].iloc[5] != ""
    assert any("over 5 dagen: rechtszaak" in w.value for w in at.warning)


def test_a_closed_incident_task_list_is_read_only(app_db, app_store):
    incident = app_store.create_incident("Zedenzaak sportvereniging", "Uithoorn", utcnow() - timedelta(days=3))
    app_store.close_incident(incident, utcnow() - timedelta(hours=1), author="burgemeester")
    at = open_page("taken.py")
    assert not at.exception
    labels = {b.label for b in at.button}
    assert not labels & {"Afgerond", "Notitie opslaan", "Triage vastleggen", "Moment vastleggen",
                         "Scenario vastleggen"}
    assert len(_table(at, "task_table")) == 48


def test_the_setting_chooses_the_000_task_list(app_db, app_store, tmp_path, monkeypatch):
    config = tmp_path / "eigen.toml"
    config.write_text('[tasks]\nprotocol = "000"\n', encoding="utf-8")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    app_store.create_incident("Zedenzaak sportvereniging", "Uithoorn", utcnow() - timedelta(days=1))
    at = open_page("taken.py")
    assert not at.exception
    table = _table(at, "task_table")
    assert list(table["Nr"])[:3] == ["Fase I punt 1", "Fase I punt 2", "Fase I punt 3"] and len(table) == 12
    assert set(table["Uiterlijk"]) == {"geen termijn"} and set(table["Status"]) == {"open"}
    assert [m.value for m in at.metric] == ["0 van 12", "0"]


def test_the_page_shows_the_seed_numbers_not_the_task_ids(oidc_mode, app_store):
    """A task is "1.1 punt 2" of its phase and step, as the seed numbers it; the internal id
    ("003-1.1-2", for `onrust task`) appears nowhere on the page nor in the logbook line."""
    from tests.pages.dutch_scan import page_texts

    incident = app_store.create_incident("Zedenzaak sportvereniging", "Uithoorn", utcnow() - timedelta(hours=5))
    at = open_page("taken.py", user="wijkteammanager")
    table = _table(at, "task_table")
    assert list(table["Nr"])[:6] == ["1.1 punt 1", "1.1 punt 2", "1.1 punt 3", "1.1 punt 4", "1.1 punt 5",
                                     "1.2 punt 1"]
    assert "stap 3.4" in list(table["Nr"])  # a step without points is one task
    assert list(table.columns)[:4] == ["Fase", "Stap", "Nr", "Taak"]
    assert at.selectbox(key="task_pick").options[1].startswith("1.1 punt 2 · te laat · Afdelingshoofd houdt")
    at.selectbox(key="task_pick").set_value("003-1.1-2")
    at.text_area(key="task_note").input("Directeur SMD bereikt")
    _button(at, "Notitie opslaan").click().run()
    assert not at.exception and not at.error
    ids = [t for _, t in page_texts(at) if re.search(r"\b00[03]-[\dIV]", t)]
    assert ids == []
    assert app_store.log_entries(incident)[-1].text == (
        "Notitie bij taak 1.1 punt 2 (003 Deel II, Fase 1, 1.1): Directeur SMD bereikt")


def test_the_000_list_numbers_its_points_per_phase(app_db, app_store, tmp_path, monkeypatch):
    config = tmp_path / "eigen.toml"
    config.write_text('[tasks]\nprotocol = "000"\n', encoding="utf-8")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    app_store.create_incident("Zedenzaak sportvereniging", "Uithoorn", utcnow() - timedelta(days=1))
    at = open_page("taken.py")
    assert list(_table(at, "task_table")["Nr"])[:4] == ["Fase I punt 1", "Fase I punt 2", "Fase I punt 3",
                                                        "Fase II punt 1"]
