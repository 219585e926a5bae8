"""Writes that the disk refuses, for real: a full filesystem (a 4 MB tmpfs when we may mount one,
as root in CI containers), a file-size limit (RLIMIT_FSIZE, writes fail with EFBIG; works for any
user), and a read-only database file. The CLI says so in Dutch (exit 2, no traceback), nothing is
half stored, and the file opens afterwards with the same counts."""

from __future__ import annotations

import os
import resource
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onrust.store import Store
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
