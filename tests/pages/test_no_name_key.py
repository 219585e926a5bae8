"""Without the key for names of people involved, the pages that need names say so in Dutch and
every other page keeps working."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from onrust.crypto import KEY_ENV
from tests.pages.apptest import open_page

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)


@pytest.fixture
def keyless(app_db, app_store, tmp_path, monkeypatch):
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    app_store.add_incident_person(incident, "Jan de Vries", "slachtoffer", "woordvoerder")
    config = tmp_path / "onrust.toml"
    config.write_text(f'[privacy]\nkey_file = "{tmp_path / "ontbreekt.key"}"\n', encoding="utf-8")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    monkeypatch.delenv(KEY_ENV)
    return incident


@pytest.mark.parametrize("page", ["omgevingsbeeld.py", "communicatie.py"])
def test_pages_that_need_names_explain_the_missing_key(keyless, page):
    at = open_page(page)
    assert not at.exception
    assert any("geen sleutel" in e.value and "onrust key init" in e.value for e in at.error)
    assert not any("Jan de Vries" in str(node.value) for node in [*at.text, *at.markdown, *at.error])


@pytest.mark.parametrize("page", ["logboek.py", "signalen.py", "bronnen.py", "beheer.py"])
def test_other_pages_keep_working(keyless, page):
    at = open_page(page)
    assert not at.exception
    assert not any("geen sleutel" in e.value for e in at.error)


def test_the_temperature_page_works_and_only_its_driehoek_pdf_needs_the_key(keyless):
    at = open_page("temperatuur.py")
    assert not at.exception
    assert [e.value for e in at.error if "geen sleutel" in e.value]
    assert at.subheader[-1].value == "Voor het driehoekoverleg"
