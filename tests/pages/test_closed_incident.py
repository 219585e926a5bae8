"""A closed incident on every page with forms: a visible note, disabled forms, and a refused write."""

from __future__ import annotations

from datetime import timedelta

import pytest

from onrust.timeutil import utcnow
from tests.pages.apptest import open_page

NOTE = "Dit incident is gesloten; heropen het om te wijzigen."
# What stays possible on a closed incident: reading, downloading, drafting without saving.
READING = {"Omgevingsbeeld maken", "Alles gelezen", "Opnieuw laden (uw invoer vervalt)",
           "PDF voor het driehoekoverleg maken"}  # exports read, they record nothing


def _closed(app_store) -> int:
    opened = utcnow() - timedelta(days=6)
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", opened)
    app_store.record_official_phase(incident, 3, "rellen", "burgemeester",
                                    decided_at=opened + timedelta(hours=2))
    app_store.create_press_release(incident, {"titel": "Brand in woning Thamerdal"}, "Anna")
    app_store.close_incident(incident, opened + timedelta(days=1), author="teamleider")
    return incident


def _enabled_writes(at) -> list[str]:
    """Labels of the page's buttons (outside the sidebar) that still accept a click."""
    sidebar = {id(b) for b in at.sidebar.button}
    return [b.label for b in at.button if id(b) not in sidebar and not b.disabled and b.label not in READING]


@pytest.mark.parametrize("page", ["temperatuur.py", "communicatie.py", "signalen.py", "omgevingsbeeld.py"])
def test_every_form_of_a_closed_incident_is_disabled_with_a_note(app_db, app_store, page):
    incident = _closed(app_store)
    at = open_page(page, incident_id=incident)
    assert not at.exception
    assert NOTE in [i.value for i in at.info]
    assert _enabled_writes(at) == []
    editors = at.get("arrow_data_frame")
    assert all(e.proto.disabled for e in editors if e.proto.editing_mode)  # data editors are read-only


def test_a_form_filled_in_before_the_close_records_nothing(oidc_mode, app_store):
    """Someone else closed the incident while this form was being filled in: the click records
    nothing and the page says why (the store's own refusal is tested in tests/test_closed_incident.py)."""
    opened = utcnow() - timedelta(days=6)
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", opened)
    app_store.record_official_phase(incident, 3, "rellen", "burgemeester",
                                    decided_at=opened + timedelta(hours=2))
    at = open_page("temperatuur.py", user="burgemeester", incident_id=incident)
    assert NOTE not in [i.value for i in at.info]
    app_store.close_incident(incident, opened + timedelta(days=1), author="teamleider")  # in another session
    at.selectbox(key="official_phase_choice").set_value(4)
    at.text_area(key="official_reason").input("Rellen")
    next(b for b in at.button if b.label == "Vastleggen").click()
    at.run()
    assert not at.exception
    assert NOTE in [i.value for i in at.info] and not at.success
    assert list(app_store.official_phases(incident)["phase"]) == [3]
