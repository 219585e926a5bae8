"""A real process killed with SIGKILL while tagging a big ingest: the rerun, which stores no new
item at all, tags and links everything, and a forced relink finds nothing missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from analysis.jobs import relink
from onrust.settings import load_settings
from onrust.store import Store
from onrust.timeutil import utcnow
from tests.conftest import ROOT
from tests.feeds import incident_feed

ITEMS = 900
# Stores the feed, then tags it 100 items per transaction and kills itself (no cleanup, no
# atexit, no DuckDB checkpoint) as soon as the first batch is committed.
KILLED_WHILE_TAGGING = """
import os, signal, sys
from analysis.jobs import open_profiles, settings_tagger, tag_pending
from analysis.relevance import union
from collectors.ingest import ingest_targets
from onrust.settings import load_settings
from onrust.store import Store

def pipeline(store, settings):
    tagger = settings_tagger(settings)
    tag_pending(store, tagger, union(open_profiles(store, settings.relevance)), batch_size=100,
                progress=lambda fraction, message: os.kill(os.getpid(), signal.SIGKILL))

store = Store.open(sys.argv[1])
store.migrate()
ingest_targets(store, [sys.argv[2]], settings=load_settings(), after_ingest=pipeline, refused={},
               reach="lokaal")
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ONRUST_CONFIG", "ONRUST_DB")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_sigkill_mid_tagging_then_a_rerun_of_only_duplicates_catches_up(tmp_path: Path):
    db, feed = tmp_path / "onrust.duckdb", tmp_path / "omroep.xml"
    start = (utcnow() - timedelta(days=1)).replace(microsecond=0)
    relevant = incident_feed(feed, ITEMS, start)
    with Store.open(db) as store:
        store.migrate()
        incident = store.create_incident("Onrust", "Uithoorn", start - timedelta(hours=1))

    killed = _run("-c", KILLED_WHILE_TAGGING, str(db), str(feed))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with Store.open(db) as store:
        assert store.item_count() == ITEMS
        assert store.scalar("select count(*) from item_tag_state") == 100
        assert store.linked_item_count(incident) == 0

    rerun = _run("-m", "app.cli", "ingest", str(feed), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    assert f"0 nieuw, 0 bijgewerkt, {ITEMS} dubbel" in rerun.stdout
    with Store.open(db) as store:
        assert store.scalar("select count(*) from item_tag_state") == ITEMS
        assert store.linked_item_count(incident) == relevant
        linked = store.fetchall("select item_id from item_incidents order by item_id")
        assert relink(store, load_settings(), incident) == relevant
        assert store.fetchall("select item_id from item_incidents order by item_id") == linked
