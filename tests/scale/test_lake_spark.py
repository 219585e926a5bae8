"""Apache Spark reads the published snapshot as it lies on disk (issue 11, Scale; docs/scale.md).

The shared folder is promised to be plain Hive-partitioned Parquet that Spark reads without
anything of ours. This runs a real Spark (pyspark's bundled engine on the machine's Java, local
mode, loopback only) over a snapshot published from the demo incident's DuckDB store, which the
product's own ingestion, tagging, linking and case work filled (items over seventeen days, tags,
links, signals and their revisions, temperature points, the audit trail, JSON and list columns),
after a second publish, so the snapshot mixes newly written and hard-linked files. Every table,
read with Spark's own partition discovery, must have the Spark type that belongs to each DuckDB
type (a timestamp with time zone as an instant, never a number or a local time), and hold the
store's rows exactly; a day count and a Spark SQL region query over the Hive layout must equal
DuckDB's.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from pyspark.sql import SparkSession

from devtools.bench_spark import REGION_QUERY, REGION_TABLES, jvm_cpu_seconds, local_spark, spark_views
from onrust.models import SignalInput
from onrust.store import Store
from onrust.store.lake import PARTITIONED, current_snapshot, publish, read_manifest
from onrust.timeutil import utcnow

# The Spark type each DuckDB column type of the schema must arrive as. A migration that adds
# another type (UUID, HUGEINT, an unsigned or nested type, ...) fails here until someone has
# checked what Spark makes of it.
SPARK_TYPES = {
    "VARCHAR": "string", "JSON": "string", "INTEGER": "int", "BIGINT": "bigint", "DOUBLE": "double",
    "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP WITH TIME ZONE": "timestamp", "VARCHAR[]": "array<string>",
    "DOUBLE[]": "array<double>", "BLOB": "binary",
    "UTINYINT": "smallint",  # Parquet UINT_8: Spark has no unsigned types
}
# Not UTC: the instants must survive a reader whose session shows them in another zone.
SESSION_ZONE = "Europe/Amsterdam"
# A JVM starts and every table is read by it: tens of seconds, so with the other slow tests.
pytestmark = pytest.mark.slow


def _java_missing() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is None and not (home and (Path(home) / "bin" / "java").exists())


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    """One local Spark for the module (one core, 512 MB, loopback only, no UI, no metastore)."""
    if _java_missing():  # pyspark itself is in the test extra: without it the import above fails
        pytest.skip("Spark runs on Java (17 or 21): this machine has no `java` on PATH and no JAVA_HOME")
    with local_spark(tmp_path_factory.mktemp("spark"), zone=SESSION_ZONE) as session:
        yield session


@pytest.fixture(scope="module")
def snapshot(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(database, snapshot folder): the demo store published, then a user's first visit and a
    signal entered today published again, so today's partitions are new files and the rest links."""
    folder = tmp_path_factory.mktemp("spark-lake")
    db, share = folder / "regio.duckdb", folder / "share"
    shutil.copy(demo_db, db)
    with Store.open(db) as store:
        assert publish(store, share, keep_seconds=600).snapshot == "000001"
        store.record_user("analist1", "Analist Een", ["omgevingsanalist", "alleen-lezen"], "oidc")
        now = utcnow().replace(microsecond=123456)  # microseconds kept: Parquet stores them, Spark must too
        store.add_signal(SignalInput(
            kind="melding", source_type="politie", reliability="B", credibility=2, verification="onbevestigd",
            severity=3, municipality="Loosterveen", neighbourhood="Kolkhoek", occurred_at=now - timedelta(minutes=5),
            reported_at=now, entered_at=now, incident_id=None, text="Groep bij het sportpark", entered_by="analist1"))
        second = publish(store, share, keep_seconds=600)
        assert second.snapshot == "000002" and second.partitions_written and second.partitions_linked
    return db, share / "snapshots" / str(current_snapshot(share))


def _spark_rows(spark: SparkSession, folder: Path) -> tuple[list[tuple[str, str]], pa.Table]:
    frame = spark.read.parquet(str(folder))  # Spark's own discovery: `date` from the date=... folders
    return [(f.name, f.dataType.simpleString()) for f in frame.schema.fields], frame.toArrow()


def _differences(cur: duckdb.DuckDBPyConnection, ours: str, theirs: str) -> tuple[int, int]:
    """(rows of `ours` missing from `theirs`, rows of `theirs` not in `ours`), as multisets."""
    [(missing,)] = cur.execute(f"select count(*) from ({ours} except all {theirs})").fetchall()
    [(extra,)] = cur.execute(f"select count(*) from ({theirs} except all {ours})").fetchall()
    return int(missing), int(extra)


def test_spark_reads_every_published_table_as_the_store_holds_it(spark: SparkSession,
                                                                 snapshot: tuple[Path, Path]):
    db, folder = snapshot
    manifest = read_manifest(folder.parent.parent, folder.name)
    t0, jvm0 = time.perf_counter(), jvm_cpu_seconds(spark)
    with Store.open(db, read_only=True) as store:
        cur = store.cursor
        assert len(manifest["tables"]) == len(store.table_names()) - 1  # all but story_keys
        for table, entry in sorted(manifest["tables"].items()):
            stored = f'select * from "{table}"'
            # What the lake promises: the table's columns, and a partitioned one's `date` last.
            promised = PARTITIONED[table] if entry["partitioned"] else stored
            expected = [(str(n), SPARK_TYPES[str(t)]) for n, t, *_ in cur.execute(f"describe {promised}").fetchall()]
            columns, rows = _spark_rows(spark, folder / table)
            assert columns == expected, table
            cur.register("spark_rows", rows)
            try:
                # The values against the store's own table, then the day against the promise.
                values = f"select * {'exclude (date)' if entry['partitioned'] else ''} from spark_rows"
                assert _differences(cur, stored, values) == (0, 0), table
                assert _differences(cur, promised, "select * from spark_rows") == (0, 0), table
            finally:
                cur.unregister("spark_rows")
            assert rows.num_rows == store.scalar(f"select count(*) from ({stored})"), table
    # Not vacuous: the growing tables span many days and the second publish's rows reached Spark.
    assert len(manifest["tables"]["items"]["partitions"]) > 10
    signals = spark.read.parquet(str(folder / "signals"))
    assert signals.filter("entered_by = 'analist1'").select("date").distinct().count() == 1
    print(f"\nSpark read {len(manifest['tables'])} tables in {time.perf_counter() - t0:.1f} s "
          f"(Spark's JVM CPU {jvm_cpu_seconds(spark) - jvm0:.1f} s)")


def test_spark_counts_items_per_day_as_duckdb_does(spark: SparkSession, snapshot: tuple[Path, Path]):
    db, folder = snapshot
    days = spark.read.parquet(str(folder / "items")).groupBy("date").count().toArrow()
    with Store.open(db, read_only=True) as store:
        expected = store.fetchall("select cast(fetched_at as date), count(*) from items group by 1 order by 1")
    assert sorted(zip(days.column("date").to_pylist(), days.column("count").to_pylist(), strict=True)) == expected


def test_a_spark_sql_region_query_over_the_hive_layout_equals_duckdb(spark: SparkSession,
                                                                    snapshot: tuple[Path, Path]):
    """Spark SQL on temporary views over the table folders (how a region's analyst would open
    them), against the same SQL in DuckDB over the store's tables with the lake's `date` column."""
    db, folder = snapshot
    with Store.open(db, read_only=True) as store:
        first = store.scalar("select min(cast(fetched_at as date)) from items")
        since = first + timedelta(days=5)
        ctes = ", ".join(f"{t} as ({PARTITIONED.get(t, f'select * from {t}')})" for t in REGION_TABLES)
        duck = store.fetchall(f"with {ctes} {REGION_QUERY.format(since=since)} order by 1, 2")
    spark_views(spark, folder)
    got = spark.sql(REGION_QUERY.format(since=since) + " order by 1, 2").toArrow().to_pylist()
    assert [tuple(row.values()) for row in got] == duck
    assert len(duck) > 5 and all(row[1] >= since for row in duck)  # several days, none before `since`
