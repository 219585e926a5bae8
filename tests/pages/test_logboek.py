"""The Logboek page: add an entry, filter on besluiten, correct an entry (a new entry), read-only when closed."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.pages.apptest import open_page

OPENED = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)


def _button(at, label):
    [found] = [b for b in at.button if b.label == label]
    return found


def _table(at):
    return at.dataframe[0].value


def test_add_filter_and_correct_entries(oidc_mode, app_store):
    incident = app_store.create_incident("Brand woonwijk De Hoven", "Uithoorn", OPENED)
    app_store.record_official_phase(incident, 2, "Berichten op sociale media", "burgemeester")
    at = open_page("logboek.py", user="teamleider")
    assert not at.exception
    assert list(_table(at)["Tekst"]) == ["Officiële fase vastgesteld: 2. Berichten op sociale media"]

    _button(at, "Toevoegen").click().run()
    assert [e.value for e in at.error] == ["Vul de tekst van de logboekregel in."]
    assert "log_author" not in {w.key for w in at.text_input}  # the writer is the login

    at.selectbox(key="log_kind").set_value("gebeurtenis")
    at.text_area(key="log_text").input("**Brand** in [12](http://x) woningen")
    at.text_input(key="log_links").input("item:5")
    _button(at, "Toevoegen").click().run()
    assert [e.value for e in at.error] == ["Koppeling bericht 5 bestaat niet bij dit incident."]
    at.text_input(key="log_links").input("")
    _button(at, "Toevoegen").click().run()
    assert not at.exception and not at.error
    table = _table(at)
    assert list(table["Tekst"])[-1] == "**Brand** in [12](http://x) woningen"  # plain text, no markdown
    assert list(table["Soort"]) == ["Besluit", "Gebeurtenis"] and list(table["Door"]) == ["burgemeester", "teamleider"]

    at.checkbox(key="log_only_decisions").check().run()
    assert list(_table(at)["Soort"]) == ["Besluit"]
    at.checkbox(key="log_only_decisions").uncheck().run()

    [added] = [e for e in app_store.log_entries(incident) if e.kind == "gebeurtenis"]
    at.selectbox(key="log_correct_id").set_value(added.id)
    at.text_area(key="log_correct_text").input("Brand in 21 woningen")
    _button(at, "Correctie vastleggen").click().run()
    assert not at.exception
    entries = app_store.log_entries(incident)
    assert [(e.text, e.corrects) for e in entries][1:] == [
        ("**Brand** in [12](http://x) woningen", None), ("Brand in 21 woningen", added.id)]
    assert list(_table(at)["Status"]) == ["", f"gecorrigeerd door #{entries[2].id}", f"correctie van #{added.id}"]
    assert [b.label for b in at.get("download_button")] == ["Word (.docx)", "CSV (Excel)"]


def test_a_closed_incident_logbook_is_read_only(app_db, app_store):
    incident = app_store.create_incident("Brand woonwijk De Hoven", "Uithoorn", OPENED)
    app_store.close_incident(incident, datetime(2026, 11, 16, tzinfo=UTC), author="teamleider")
    at = open_page("logboek.py")
    assert not at.exception
    assert "alleen te lezen" in at.info[0].value
    assert [b.label for b in at.button if b.label in ("Toevoegen", "Correctie vastleggen")] == []
    assert list(_table(at)["Tekst"]) == ["Incident afgesloten"]
