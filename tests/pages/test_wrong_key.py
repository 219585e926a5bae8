"""A name key that does not fit the database (another installation's key) is a Dutch message on
every page that reads names, never a traceback, and the rest of the page shell still draws."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet

from tests.pages.apptest import open_page

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
PAGES = ["omgevingsbeeld.py", "temperatuur.py", "communicatie.py"]  # the pages that read names


@pytest.mark.parametrize("page", PAGES)
def test_another_key_is_a_dutch_message_not_a_traceback(app_store, monkeypatch, page):
    incident = app_store.create_incident("Brand Veldwijk", "Veldwijk", T0)
    app_store.add_incident_person(incident, "Jan de Vries", "slachtoffer", "woordvoerder")
    monkeypatch.setenv("ONRUST_KEY", Fernet.generate_key().decode())
    at = open_page(page, incident_id=incident)
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert "De sleutel past niet" in shown
    assert at.sidebar.selectbox  # the shell (incident choice) still drew
