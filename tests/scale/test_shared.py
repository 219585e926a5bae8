"""Beyond one machine (issue 11, Scale): one collector process publishes date-partitioned Parquet
snapshots while two dashboard processes read them; readers never fail, never see half a batch,
and the published tables read back row for row as the collector's DuckDB holds them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest

from onrust.store import Store
from onrust.store.lake import NOT_PUBLISHED, LakeStore, current_snapshot, read_manifest
from onrust.timeutil import utcnow
from tests.collectors.conftest import FeedServer
from tests.feeds import RELEVANT, rss
from tests.resilience import procs
from tests.scale.tables import assert_same_tables

FEEDS, BATCH, ROUNDS = 4, 40, 4


def _config(tmp: Path, mode: str, share: Path) -> Path:
    path = tmp / f"{mode}.toml"
    path.write_text(
        "[collect]\nallow_private_networks = true\nmin_interval_seconds = 1\nmax_interval_seconds = 2\n"
        "incident_min_interval_seconds = 1\n"
        f"[scale]\nmode = \"{mode}\"\nshared_dir = \"{share}\"\nkeep_seconds = 60\n", encoding="utf-8")
    return path


def _serve_round(server: FeedServer, n: int) -> None:
    """Round `n`: every feed now lists BATCH new items (r<n>-f<k>-<i>), a third about the incident."""
    start = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
    for k in range(FEEDS):
        items = [(f"r{n}-f{k}-{i}", *(RELEVANT if i % 3 == 0 else ("Markt {i}", "Gezellig.")))
                 for i in range(BATCH)]
        body = rss([(g, t.format(n=i, i=i), s) for i, (g, t, s) in enumerate(items)], start)
        server.add(f"/f{k}.xml", body=body, headers={"Content-Type": "application/rss+xml"})


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    yield srv
    srv.close()


def _collector_db(tmp: Path, server: FeedServer) -> Path:
    db = tmp / "regio.duckdb"
    with Store.open(db) as store:
        store.migrate()
        store.create_incident("Onrust", "Uithoorn", utcnow() - timedelta(days=1))
        for k in range(FEEDS):
            store.add_source(f"omroep{k}", url=server.url(f"/f{k}.xml"))
    return db


def _batches(share: Path) -> dict[str, int]:
    with LakeStore.open_shared(share) as lake:
        rows = lake.fetchall("select split_part(guid, '-', 1) || '-' || split_part(guid, '-', 2), count(*) "
                             "from items group by all")
    return {str(b): int(n) for b, n in rows}


def _wait(condition, timeout: float, what: str, step: float = 0.5) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(step)


@pytest.mark.slow
def test_one_collector_publishes_while_two_dashboards_read(server: FeedServer, tmp_path: Path):
    share, stop = tmp_path / "share", tmp_path / "stop"
    db = _collector_db(tmp_path, server)
    publish_cfg, read_cfg = _config(tmp_path, "publish", share), _config(tmp_path, "read", share)
    _serve_round(server, 0)
    collector = procs.start("collect", "--db", str(db), "--config", str(publish_cfg))
    readers: list[subprocess.Popen[str]] = []
    try:
        _wait(lambda: current_snapshot(share) is not None, 180, "the first snapshot")
        env = {**procs.env(), "ONRUST_CONFIG": str(read_cfg)}
        readers = [subprocess.Popen([sys.executable, "-m", "tests.scale.reader", str(stop)], cwd=procs.ROOT,
                                    env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(2)]
        for n in range(1, ROUNDS):
            _wait(lambda n=n: all(_batches(share).get(f"r{n - 1}-f{k}") == BATCH for k in range(FEEDS)),
                  120, f"round {n - 1} published")
            _serve_round(server, n)
        _wait(lambda: all(_batches(share).get(f"r{ROUNDS - 1}-f{k}") == BATCH for k in range(FEEDS)),
              120, "the last round published")
        stop.touch()
        outputs = [r.communicate(timeout=600) for r in readers]
    finally:
        stop.touch()
        for r in readers:
            if r.poll() is None:
                r.kill()
        collector.send_signal(signal.SIGINT)  # Ctrl-C: the round ends, the loop's store closes
        collector_err = collector.communicate(timeout=60)[1]
    assert collector.returncode == 0, collector_err[-3000:]

    for reader, (out, err) in zip(readers, outputs, strict=True):
        assert reader.returncode == 0, err[-3000:]
        looks = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        assert len(looks) >= 11, err[-2000:]  # every page at least once
        assert [lk for lk in looks if lk["exceptions"]] == []
        # Every user reads only: a page shows, or (Beheer) says the role may not open it.
        assert [lk for lk in looks if not (lk["titles"] if lk["may_open"] else
                                           any("alleen-lezen" in w for w in lk["warnings"]))] == []
        assert any(not lk["may_open"] for lk in looks) and sum(lk["may_open"] for lk in looks) >= 10
        snapshots = [int(lk["snapshot"]) for lk in looks]
        assert snapshots == sorted(snapshots)  # never back to an older snapshot
        assert len(set(snapshots)) > 1, "the readers saw the collector publish while they read"
        for lk in looks:  # a feed's batch is in a snapshot whole or not at all
            assert set(lk["batches"].values()) <= {BATCH}, lk["batches"]

    # Nothing changed after the collector's last cycle, or this publishes it; then the snapshot
    # is the database, table by table and row by row.
    done = procs.onrust("share", "publish", "--db", str(db), "--config", str(publish_cfg), "--json")
    assert done.returncode == 0, done.stderr
    with Store.open(db, read_only=True) as source, LakeStore.open_shared(share) as lake:
        assert int(source.scalar("select count(*) from items")) == FEEDS * BATCH * ROUNDS
        assert_same_tables(source, lake)


def test_a_snapshot_reads_back_identically_and_as_plain_hive_parquet(tmp_path: Path):
    """Without processes: a publish, a change, a second publish that rewrites only the changed day."""
    from onrust.store.lake import publish

    db, share = tmp_path / "a.duckdb", tmp_path / "share"
    start = (utcnow() - timedelta(days=3)).replace(microsecond=0)
    with Store.open(db) as store:
        store.migrate()
        incident = store.create_incident("Onrust", "Uithoorn", start)
        source = store.add_source("omroep", url="https://omroep.example.nl/rss")
        for day in range(3):  # three fetch days: three partitions of items
            store.execute("insert into items (item_key, source_id, title, published_at, fetched_at, content_hash) "
                          "select 'd' || ? || '-' || i, ?, 'Titel ' || i, ?, ?, md5(i::varchar) from range(50) t(i)",
                          [day, source, start + timedelta(days=day), start + timedelta(days=day, hours=1)])
        first = publish(store, share, keep_seconds=60)
        assert first.snapshot == "000001" and first.partitions_linked == 0
        assert publish(store, share, keep_seconds=60).snapshot is None  # nothing changed: nothing written

        store.execute("update items set title = 'Gecorrigeerd' where item_key = 'd2-7'")
        store.execute("update incidents set description = 'beschrijving' where id = ?", [incident])
        second = publish(store, share, keep_seconds=60)
        assert second.snapshot == "000002"
        assert second.partitions_written == 2  # the corrected day of items and the incidents file
        with LakeStore.open_shared(share) as lake:
            assert_same_tables(store, lake)
        manifest = read_manifest(share, "000002")
        assert sorted(manifest["tables"]["items"]["partitions"]) == [
            str((start + timedelta(days=d)).date()) for d in range(3)]
        assert not set(manifest["tables"]) & NOT_PUBLISHED

    # Arrow's own Hive discovery (what Spark and Trino do) reads the folder as it lies on disk.
    folder = share / "snapshots" / "000002" / "items"
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 150
    days = pd.Series(table.column("date").to_pylist()).astype(str).value_counts().to_dict()
    assert days == {str((start + timedelta(days=d)).date()): 50 for d in range(3)}


def test_a_second_collector_on_the_same_share_is_refused(tmp_path: Path):
    from onrust.store.lake import LakeError, _publisher_lock, publish

    db, share = tmp_path / "a.duckdb", tmp_path / "share"
    with Store.open(db) as store:
        store.migrate()
        with _publisher_lock(share), pytest.raises(LakeError, match="Een andere collector publiceert al"):
            publish(store, share, keep_seconds=60)


def test_reading_an_empty_share_says_what_to_do(tmp_path: Path):
    from onrust.store.lake import LakeError

    with pytest.raises(LakeError, match="nog niets gepubliceerd"):
        LakeStore.open_shared(tmp_path)


def test_sessions_keep_reading_while_the_views_move_to_new_snapshots(tmp_path: Path):
    """A dashboard server's sessions are threads on one LakeStore; refresh() swaps the views under them."""
    import threading

    from onrust.store.lake import publish

    db, share = tmp_path / "a.duckdb", tmp_path / "share"
    store = Store.open(db)
    store.migrate()
    store.create_incident("Onrust", "Uithoorn", utcnow() - timedelta(days=1))
    publish(store, share, keep_seconds=60)
    lake = LakeStore.open_shared(share)
    errors: list[str] = []
    reads = [0]
    until = time.monotonic() + 4

    def session() -> None:
        while time.monotonic() < until:
            try:
                assert len(lake.incidents()) == 1 and lake.scalar("select count(*) from items") == 0
                reads[0] += 1
            except Exception as exc:  # collected: a failure in a thread must fail the test
                errors.append(repr(exc))

    threads = [threading.Thread(target=session) for _ in range(4)]
    for thread in threads:
        thread.start()
    n = 0
    while time.monotonic() < until:
        store.execute("update incidents set description = ?", [f"stand {n}"])
        publish(store, share, keep_seconds=60)
        lake.refresh()
        n += 1
    for thread in threads:
        thread.join()
    store.close()
    lake.close()
    assert errors == [] and reads[0] > 0 and int(lake.snapshot or 0) > 2


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.2, 0.5])
def test_a_publish_killed_halfway_leaves_the_last_whole_snapshot(tmp_path: Path, delay: float):
    """SIGKILL of `onrust share publish` at some moment: readers still open a whole snapshot (the old
    or the new one), and the next publish cleans up and matches the database again."""
    from devtools.bench_dashboard import build_database
    from onrust.store.lake import publish

    db, share = tmp_path / "a.duckdb", tmp_path / "share"
    build_database(db, 50_000, 30)
    with Store.open(db) as store:
        publish(store, share, keep_seconds=60)
        store.execute("update items set title = 'Gecorrigeerd' where id % 1000 = 0")  # every day changes
    cfg = _config(tmp_path, "publish", share)
    proc = procs.start("share", "publish", "--db", str(db), "--config", str(cfg))
    writing = share / "snapshots" / ".000002.tmp"
    _wait(lambda: writing.exists() or proc.poll() is not None, 120, "the publish to start writing", step=0.005)
    time.sleep(delay)  # `delay` seconds into writing the new snapshot's files
    proc.kill()
    proc.communicate(timeout=30)
    with Store.open(db, read_only=True) as source, LakeStore.open_shared(share) as lake:
        assert lake.snapshot in ("000001", "000002")
        if lake.snapshot == "000002":  # it finished before the kill
            assert_same_tables(source, lake)
        else:
            assert lake.scalar("select count(*) from items where title = 'Gecorrigeerd'") == 0
    done = procs.onrust("share", "publish", "--db", str(db), "--config", str(cfg))
    assert done.returncode == 0, done.stderr
    assert not [p.name for p in (share / "snapshots").iterdir() if p.name.startswith(".")]
    with Store.open(db, read_only=True) as source, LakeStore.open_shared(share) as lake:
        assert_same_tables(source, lake)
