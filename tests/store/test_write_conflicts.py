"""Two sessions writing the same bookkeeping row at the same moment (one user in two browser tabs,
or twenty tabs of the shared local user): DuckDB refuses the second with a write-write conflict;
the store runs that single statement again instead of showing the page an exception."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from onrust.store import Store


def test_concurrent_upserts_of_one_row_all_succeed(store: Store):
    incident = store.create_incident("Brand Thamerdal", "Uithoorn", datetime(2026, 10, 1, tzinfo=UTC))
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def visit() -> None:
        start.wait()
        for _ in range(25):
            try:
                store.record_visit("lokaal", incident, "omgevingsbeeld")
                store.record_user("lokaal", "Lokaal", ["beheerder"], "local")
            except Exception as exc:  # collected: the assertion below names them
                errors.append(exc)

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.scalar("select count(*) from page_visits") == 1
