"""Writes that the disk refuses, for real: a full filesystem (a 4 MB tmpfs when we may mount one,
as root in CI containers), a file-size limit (RLIMIT_FSIZE, writes fail with EFBIG; works for any
user), and a read-only database file. The CLI says so in Dutch (exit 2, no traceback), nothing is
half stored, and the file opens afterwards with the same counts."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.main import PAGES
from onrust.store import Store
from tests.conftest import ROOT
from tests.feeds import incident_feed
from tests.resilience import procs

START = datetime(2026, 11, 1, tzinfo=UTC)
BIG = 20000  # about 4.7 MB of RSS: more than the limits below leave room for


def _counts(db: Path) -> tuple[int, int, int]:
    """Items, tags and tagged items (the refused feed's source row, added before its items, may stay)."""
    with Store.open(db, read_only=True) as store:
        return (store.item_count(), store.scalar("select count(*) from item_tags"),
                store.scalar("select count(*) from item_tag_state"))


def _prepared(folder: Path, feeds: Path) -> Path:
    """A database with one small feed stored and tagged (counts to compare with)."""
    db = folder / "onrust.duckdb"
    small, big = feeds / "lokaal.xml", feeds / "groot.xml"
    incident_feed(small, 30, START, prefix="klein")
    incident_feed(big, BIG, START, prefix="groot")
    done = procs.onrust("ingest", str(small), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def _assert_refused_cleanly(out: subprocess.CompletedProcess[str], db: Path, before: tuple[int, int, int],
                            feeds: Path) -> None:
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    assert "schijf is vol" in out.stderr, out.stderr
    assert _counts(db) == before
    rerun = procs.onrust("ingest", str(feeds / "lokaal.xml"), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    assert "0 nieuw, 0 bijgewerkt, 30 dubbel" in rerun.stdout
    assert _counts(db) == before


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB filesystem; only root may mount one (skipped otherwise, the rlimit test covers)."""
    folder = tmp_path / "klein"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                                           capture_output=True, check=False).returncode:
        pytest.skip("no tmpfs without root; the RLIMIT_FSIZE test simulates a full disk")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.mark.slow
def test_full_filesystem_refuses_the_ingest_in_dutch_and_keeps_the_file(tmpfs: Path, tmp_path: Path):
    db = _prepared(tmpfs, tmp_path)
    before = _counts(db)
    out = procs.onrust("ingest", str(tmp_path / "groot.xml"), "--db", str(db))
    print(f"tmpfs of 4 MB: database {db.stat().st_size} bytes; stderr: {out.stderr.strip()}")
    _assert_refused_cleanly(out, db, before, tmp_path)


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # CPython ignores SIGXFSZ: EFBIG
    return apply


@pytest.mark.slow
def test_file_size_limit_refuses_the_ingest_in_dutch_and_keeps_the_file(tmp_path: Path):
    db = _prepared(tmp_path, tmp_path)
    before = _counts(db)
    out = procs.onrust("ingest", str(tmp_path / "groot.xml"), "--db", str(db),
                       preexec=_file_size_limit(db.stat().st_size + 256 * 1024))
    print(f"RLIMIT_FSIZE: stderr: {out.stderr.strip()}")
    _assert_refused_cleanly(out, db, before, tmp_path)


def _without_write_rights(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Root writes through chmod 444 (CAP_DAC_OVERRIDE): drop that capability, as tests/test_cli does."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    return subprocess.run([*prefix, sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.slow
def test_a_read_only_database_refuses_ingest_in_dutch_and_every_page_still_reads_it(tmp_path: Path):
    db = tmp_path / "demo.duckdb"
    built = procs.onrust("demo", "--build-only", "--db", str(db))
    assert built.returncode == 0, built.stderr
    incident_feed(tmp_path / "nieuw.xml", 50, START, prefix="nieuw")
    before = _counts(db)
    db.chmod(0o444)
    env = procs.env()
    out = _without_write_rights("-m", "app.cli", "ingest", str(tmp_path / "nieuw.xml"), "--db", str(db), env=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "kan niet worden beschreven (geen schrijfrechten)" in out.stderr
    assert _counts(db) == before

    pages = _without_write_rights("-m", "tests.resilience.read_only_pages", env={**env, "ONRUST_DB": str(db)})
    assert pages.returncode == 0, pages.stderr[-3000:]
    shown = [json.loads(line) for line in pages.stdout.splitlines() if line.startswith("{")]
    assert [p["page"] for p in shown] == [f for f, _, _ in PAGES]
    assert all(not p["exceptions"] and p["titles"] for p in shown), shown
    assert _counts(db) == before
