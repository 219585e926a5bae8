"""`onrust bench dashboard` on a small database: it builds, reuses, and renders every page."""

from __future__ import annotations

import json

from app.cli import main
from dashboard.main import PAGES


def test_bench_renders_every_page_from_its_own_database(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    path = tmp_path / "bench.duckdb"
    assert main(["bench", "dashboard", "--items", "3000", "--days", "3", "--file", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["items"] == 3000 and out["build_seconds"] > 0 and out["series_ms"] > 0
    assert [p["page"] for p in out["pages"]] == [title for _, title, _ in PAGES]
    assert all(p["error"] == "" and p["first_ms"] > 0 and p["warm_ms"] > 0 for p in out["pages"]), out["pages"]
    assert main(["bench", "dashboard", "--items", "3000", "--days", "3", "--file", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["build_seconds"] == 0  # reused
