"""Run as a separate process (without write rights): open every dashboard page through the real
shell on the database ONRUST_DB names; prints one JSON line per page with its exceptions and title."""

from __future__ import annotations

import json

from dashboard.main import PAGES
from tests.pages.apptest import open_page

if __name__ == "__main__":
    for page, _title, _icon in PAGES:
        at = open_page(page, timeout=120)
        print(json.dumps({"page": page, "exceptions": [e.value for e in at.exception],
                          "errors": [e.value for e in at.error],
                          "titles": [t.value for t in at.title]}, ensure_ascii=False), flush=True)
