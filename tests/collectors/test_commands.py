"""`onrust ingest`, `collect`, `sources`, `bench ingest` through the real CLI entry point."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli import main
from onrust.store import Store
from tests.collectors.conftest import FIXTURES, fixture_bytes


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """The real `onrust` entry point in this process (a subprocess per call costs seconds)."""
    config = tmp_path / "onrust.toml"
    config.write_text("[collect]\nallow_private_networks = true\ntotal_timeout_seconds = 2.0\n")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    monkeypatch.delenv("ONRUST_DB", raising=False)
    db = tmp_path / "cli.duckdb"

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main([*args, "--db", str(db)])
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    run.db = db
    return run


def test_ingest_files_and_urls_with_summary_per_feed(cli, server):
    url = server.add("/atom.xml", body=fixture_bytes("atom.xml"))
    out = cli("ingest", str(FIXTURES / "rss2.xml"), url, str(FIXTURES / "malformed.xml"), "--json")
    assert out.returncode == 0, out.stderr
    reports = {r["source"]: r for r in json.loads(out.stdout)}
    assert (reports["rss2"]["new"], reports["127.0.0.1"]["new"], reports["malformed"]["new"]) == (4, 2, 2)
    assert reports["malformed"]["warnings"] and reports["rss2"]["error"] is None
    again = {r["source"]: r for r in json.loads(cli("ingest", str(FIXTURES / "rss2.xml"), url, "--json").stdout)}
    assert (again["rss2"]["new"], again["rss2"]["duplicates"], again["127.0.0.1"]["new"]) == (0, 4, 0)
    with Store.open(cli.db) as s:
        assert s.source_by_name("127.0.0.1").enabled is False   # a one-off URL is not scheduled


def test_ingest_exit_codes(cli, server):
    html = server.add("/page", body=fixture_bytes("page.html"))
    only_bad = cli("ingest", str(FIXTURES / "page.html"), html)
    assert only_bad.returncode == 1 and "FOUT" in only_bad.stdout and "Traceback" not in only_bad.stderr
    mixed = cli("ingest", str(FIXTURES / "page.html"), str(FIXTURES / "rdf.xml"))
    assert mixed.returncode == 0 and "rdf: 1 nieuw" in mixed.stdout
    refused = cli("ingest", "ftp://example.nl/feed.xml")
    assert refused.returncode == 2 and "Alleen http(s)" in refused.stderr
    partly = cli("ingest", "/bestaat/niet.xml", str(FIXTURES / "atom.xml"))
    assert partly.returncode == 0
    assert "niet: 0 nieuw, 0 bijgewerkt, 0 dubbel, FOUT: Bestand niet gevonden: /bestaat/niet.xml" in partly.stdout


def test_sources_add_list_check_and_collect(cli, server):
    url = server.add("/rss.xml", body=fixture_bytes("rss2.xml"))
    assert cli("sources", "add", "Omroep", "file:///etc/passwd").returncode == 2
    bad = cli("sources", "add", "Leeg", server.add("/leeg", body=b""))
    assert bad.returncode == 2 and "Testophalen mislukt" in bad.stderr
    added = cli("sources", "add", "Omroep", url, "--reach", "lokaal")
    assert added.returncode == 0, added.stderr
    check = json.loads(cli("sources", "check", "--json").stdout)
    assert [(c["name"], c["items"], c["error"]) for c in check] == [("Omroep", 4, None)]
    collected = json.loads(cli("collect", "--once", "--json").stdout)
    assert [(r["source"], r["new"]) for r in collected] == [("Omroep", 4)]
    assert json.loads(cli("collect", "--once", "--json").stdout) == []   # not due again yet
    listed = json.loads(cli("sources", "list", "--json").stdout)
    assert [(r["name"], r["health"], r["items"]) for r in listed] == [("Omroep", "ok", 4)]


def test_default_sources_are_loaded_disabled_and_can_be_enabled(cli):
    loaded = json.loads(cli("sources", "defaults", "--json").stdout)
    assert "NOS Nieuws algemeen" in loaded
    assert json.loads(cli("sources", "defaults", "--json").stdout) == []
    assert cli("sources", "enable", "NOS Nieuws algemeen").returncode == 0
    listed = {r["name"]: r for r in json.loads(cli("sources", "list", "--json").stdout)}
    assert listed["NOS Nieuws algemeen"]["enabled"] and not listed["RTV Oost"]["enabled"]
    assert cli("sources", "enable", "Bestaat Niet").returncode == 2


def test_bench_ingest_prints_the_figures(cli):
    out = cli("bench", "ingest", "--items", "400", "--per-feed", "200", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert (result["items"], result["feeds"], result["stored_items"], result["errors"]) == (400, 2, 400, 0)
    assert result["second_pass_new"] == 0 and result["second_pass_not_modified"] == 2
    assert {"feedparser_items_per_s", "end_to_end_items_per_s", "ratio", "peak_rss_mb"} <= set(result)
