"""Run as a separate process: a region's dashboard instance (scale.mode = "read", ONRUST_CONFIG)
reading the shared snapshots while the collector publishes. Until the stop file appears it opens
the pages through the real shell, one after the other, and after each page checks the snapshot
the dashboard reads: every feed batch whole, snapshots never going back. One JSON line per look."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dashboard import data
from dashboard.auth import READ_ONLY_ROLE
from dashboard.main import PAGES
from onrust.auth import User, load_permissions
from tests.pages.apptest import open_page

BATCH_KEY = r"^(r\d+-f\d+)-"  # guids are r<round>-f<feed>-<n>: one feed's batch of one round


def look() -> dict[str, object]:
    store = data.store()  # what every page reads: the newest snapshot, moved to on each call
    rows = store.fetchall("select regexp_extract(guid, ?, 1) b, count(*) from items group by b", [BATCH_KEY])
    return {"snapshot": getattr(store, "snapshot", None), "batches": {str(b): int(n) for b, n in rows},
            "tagged": int(store.scalar("select count(*) from item_tag_state"))}


if __name__ == "__main__":
    stop = Path(sys.argv[1])
    reader = User(id="lezer", name="lezer", roles=(READ_ONLY_ROLE,), mode="local")
    turn = 0
    while not stop.exists() or turn < len(PAGES):
        page = PAGES[turn % len(PAGES)][0]
        at = open_page(page, timeout=120)
        print(json.dumps({"page": page, "exceptions": [e.value for e in at.exception],
                          "errors": [e.value for e in at.error], "titles": [t.value for t in at.title],
                          "warnings": [w.value for w in at.warning],
                          "may_open": load_permissions().may_open(reader, page.removesuffix(".py")),
                          **look()}, ensure_ascii=False), flush=True)
        turn += 1
