"""Apache Spark on a published snapshot: what a region's analyst pays to read the shared folder
with Spark instead of a dashboard (docs/scale.md, "Reading the folder with other engines").

    python -m devtools.bench_spark --items 100000 --days 90

A fresh database of the `bench dashboard` mix is published once; then a local Spark (the engine
pyspark bundles, on the machine's Java; one core, loopback only, no UI) opens the items table
with its own Hive partition discovery, counts items per day, runs a region query over four
tables and reads every item into Arrow. DuckDB runs the same queries on the same files for
comparison. Each figure is the first run (cold caches, a JVM still compiling) and the best of
the later ones, with the CPU seconds of Spark's JVM (read from /proc) beside the wall clock: on a
shared machine the wall clock also counts other processes. Figures are printed, never asserted
on. Needs the test extra (pyspark) and Java 17 or 21.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
from pyspark.sql import SparkSession

from devtools.bench_dashboard import build_database
from onrust.store import Store
from onrust.store.lake import current_snapshot, publish

# A region desk's view per municipality and day, from a given day on (Spark and DuckDB prune the
# partitions before it), of the items linked to its incidents and how many carry an escalation
# phase marker, with their mean relevance and the newest fetch time. One text for both engines.
REGION_QUERY = """
select c.municipality, i.date, count(distinct i.id) as linked,
       count(distinct case when t.tag_set = 'phase' and t.tag_key = 'escalatie' then i.id end) as escalatie,
       round(avg(l.relevance), 6) as relevance, max(i.fetched_at) as newest
from items i
join item_incidents l on l.item_id = i.id and l.date = i.date
join incidents c on c.id = l.incident_id
left join item_tags t on t.item_id = i.id and t.date = i.date
where i.date >= date '{since}'
group by c.municipality, i.date
"""
REGION_TABLES = ("items", "item_incidents", "item_tags", "incidents")


@contextlib.contextmanager
def local_spark(scratch: Path, *, memory: str = "512m", zone: str = "Europe/Amsterdam") -> Iterator[SparkSession]:
    """A local Spark that touches nothing outside: one core, bound to loopback, no UI, an
    in-memory catalog (no Derby metastore), scratch and warehouse under `scratch`. `zone` is the
    session's time zone, in which Spark shows the snapshot's instants."""
    previous = os.environ.get("SPARK_LOCAL_IP")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # else Spark binds to the host's outside address
    try:
        session = (SparkSession.builder.master("local[1]").appName("onrust-lake")
                   .config("spark.driver.memory", memory)
                   .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.catalogImplementation", "in-memory")
                   .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
                   .config("spark.local.dir", str(scratch / "local"))
                   .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch / 'derby'}")
                   .config("spark.sql.session.timeZone", zone)
                   .getOrCreate())
    finally:
        if previous is None:
            os.environ.pop("SPARK_LOCAL_IP", None)
        else:
            os.environ["SPARK_LOCAL_IP"] = previous
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def spark_views(spark: SparkSession, snapshot: Path, tables: tuple[str, ...] = REGION_TABLES) -> None:
    """Spark SQL names for the snapshot's table folders, as an analyst would declare them."""
    for table in tables:
        spark.sql(f"create or replace temporary view {table} using parquet options (path '{snapshot / table}')")


def jvm_cpu_seconds(spark: SparkSession) -> float:
    """CPU seconds of Spark's JVM so far. pyspark starts the JVM itself (the py4j gateway's
    process, a private attribute); its /proc stat has user and system time in clock ticks."""
    gateway: Any = spark.sparkContext._gateway
    pid = gateway.proc.pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Timing:
    what: str
    first_s: float
    best_s: float
    jvm_cpu_s: float  # Spark's JVM during the best run; 0 for DuckDB
    cpu_s: float  # this process during the best run (DuckDB's threads included)


@dataclass(frozen=True, slots=True)
class SparkBench:
    items: int
    days: int
    partitions: int
    snapshot_mb: float
    spark: str
    java: str
    start_s: float
    start_jvm_cpu_s: float
    timings: tuple[Timing, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _timed(what: str, run: Callable[[], object], repeat: int, spark: SparkSession | None) -> Timing:
    walls: list[tuple[float, float, float]] = []
    for _ in range(repeat):
        jvm0 = jvm_cpu_seconds(spark) if spark else 0.0
        cpu0, t0 = time.process_time(), time.perf_counter()
        run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        walls.append((wall, (jvm_cpu_seconds(spark) - jvm0) if spark else 0.0, cpu))
    best = min(walls[1:] or walls)
    return Timing(what, round(walls[0][0], 3), round(best[0], 3), round(best[1], 2), round(best[2], 3))


def run_bench(folder: Path, n: int, days: int, repeat: int = 4) -> SparkBench:
    db, share = folder / "spark-bench.duckdb", folder / "share"
    shutil.rmtree(share, ignore_errors=True)
    build_database(db, n, days)
    with Store.open(db) as store:
        report = publish(store, share, keep_seconds=600)
        since = store.scalar("select max(fetched_at)::date - 30 from items")  # the last month
    snap = share / "snapshots" / str(current_snapshot(share))
    region = REGION_QUERY.format(since=since)
    scratch = folder / "spark"
    shutil.rmtree(scratch, ignore_errors=True)
    t0 = time.perf_counter()
    with local_spark(scratch, memory="1g") as spark:
        start, start_cpu = time.perf_counter() - t0, jvm_cpu_seconds(spark)
        items = str(snap / "items")
        jvm = spark.sparkContext._jvm
        java = str(jvm.java.lang.System.getProperty("java.version")) if jvm else "?"

        def region_query() -> object:
            spark_views(spark, snap)
            return spark.sql(region).collect()

        timings = [
            _timed("Spark: open items (partition discovery, schema)", lambda: spark.read.parquet(items).schema,
                   repeat, spark),
            _timed("Spark: items per day", lambda: spark.read.parquet(items).groupBy("date").count().collect(),
                   repeat, spark),
            _timed("Spark: region query (4 tables, last 30 days)", region_query, repeat, spark),
            _timed("Spark: all items to Arrow", lambda: spark.read.parquet(items).toArrow(), repeat, spark),
        ]
        version = spark.version
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute("set TimeZone = 'UTC'")
    for table in REGION_TABLES:
        files = f"{snap / table}/*/*.parquet" if table != "incidents" else f"{snap / table}/*.parquet"
        con.execute(f"create view {table} as select * from read_parquet('{files}', "
                    f"hive_partitioning = {str(table != 'incidents').lower()})")
    timings += [
        _timed("DuckDB: items per day", lambda: con.sql("select date, count(*) from items group by 1").fetchall(),
               repeat, None),
        _timed("DuckDB: region query", lambda: con.sql(region).fetchall(), repeat, None),
        _timed("DuckDB: all items to Arrow", lambda: con.sql("select * from items").to_arrow_table(), repeat, None),
    ]
    con.close()
    return SparkBench(n, days, report.partitions_written, round(report.bytes / 1e6, 1), version, java,
                      round(start, 1), round(start_cpu, 1), tuple(timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--folder", default="var/bench/spark", help="folder for the database and snapshot (wiped)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run_bench(Path(args.folder), args.items, args.days)
    if args.json:
        print(json.dumps(result.as_dict(), indent=1))
        return
    print(f"{result.items:,} items over {result.days} days, {result.partitions} partitions in all tables, "
          f"snapshot {result.snapshot_mb} MB; Spark {result.spark} on Java {result.java}")
    print(f"Spark session start: {result.start_s} s (JVM CPU {result.start_jvm_cpu_s} s)")
    for t in result.timings:
        print(f"{t.what}: first {t.first_s} s, best {t.best_s} s (JVM CPU {t.jvm_cpu_s} s, this process {t.cpu_s} s)")


if __name__ == "__main__":
    main()
