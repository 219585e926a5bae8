"""The Beheer page: the audit trail filtered by table, person and period, and its CSV download."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from onrust.models import SignalInput
from tests.pages.apptest import downloads, open_page

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)


def test_filters_and_download(app_db, app_store):
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0, actor="teamleider")
    app_store.add_log_entry(incident, "actie", "=HYPERLINK(\"https://evil.example\")", "omgevingsanalist")
    app_store.add_source("Lokaal Nieuws", reach="lokaal", actor="beheerder")
    with downloads() as served:
        at = open_page("beheer.py")
        assert not at.exception
        assert sorted(at.dataframe[0].value["table_name"]) == ["incidents", "logbook", "sources"]

        at.selectbox(key="audit_actor").set_value("beheerder").run()
        assert list(at.dataframe[0].value["table_name"]) == ["sources"]
        at.selectbox(key="audit_actor").set_value("— alle —")
        at.selectbox(key="audit_table").set_value("logbook").run()
        assert list(at.dataframe[0].value["actor"]) == ["omgevingsanalist"]

        at.selectbox(key="audit_table").set_value("— alle —")
        at.date_input(key="audit_since").set_value(date(2030, 1, 1)).run()
        assert at.dataframe[0].value.empty
        at.date_input(key="audit_since").set_value(None)
        at.date_input(key="audit_until").set_value(date(2020, 1, 1)).run()
        assert at.dataframe[0].value.empty
        at.date_input(key="audit_until").set_value(None).run()
    rows = list(csv.DictReader(io.StringIO(_csv(served).decode("utf-8"))))
    assert len(rows) == 3
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_the_page_works_on_an_empty_database(app_db):
    at = open_page("beheer.py")
    assert not at.exception and at.dataframe[0].value.empty


def test_a_long_trail_shows_the_newest_rows_and_downloads_all(app_db, app_store):
    app_store.add_signals([SignalInput(
        incident_id=None, kind="melding", source_type="burger", reliability="C", credibility=3,
        verification="onbevestigd", severity=2, municipality="Uithoorn", neighbourhood=None,
        occurred_at=T0, reported_at=T0, entered_at=T0, text=f"Melding {i}", entered_by="import")
        for i in range(1001)])
    with downloads() as served:
        at = open_page("beheer.py")
    assert not at.exception and len(at.dataframe[0].value) == 1000
    assert any("de download bevat alle 1001" in c.value for c in at.caption)
    assert _csv(served).decode("utf-8").count("\n") == 1002  # header + every row


def _csv(served: dict[str, bytes]) -> bytes:
    """The audit download, named by the export pattern (auditspoor-<time>.csv)."""
    return next(v for k, v in served.items() if k.startswith("auditspoor-"))
