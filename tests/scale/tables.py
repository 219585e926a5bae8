"""Row-for-row comparison of the collector's DuckDB with a published snapshot."""

from __future__ import annotations

from onrust.store import Store
from onrust.store.lake import NOT_PUBLISHED


def _columns(store: Store, table: str) -> list[tuple[str, str]]:
    return [(str(n), str(t)) for n, t, *_ in store.fetchall(f'describe "{table}"')]


def assert_same_tables(source: Store, lake: Store) -> None:
    """Every published table has the same columns, types and rows (as multisets) in both."""
    tables = [t for t in source.table_names() if t not in NOT_PUBLISHED]
    assert sorted(tables) == sorted(str(r[0]) for r in lake.fetchall(
        "select table_name from information_schema.tables where table_schema = 'main'"))
    cur = source.cursor
    for table in tables:
        assert _columns(source, table) == _columns(lake, table), table
        published = lake.cursor.sql(f'select * from "{table}"').to_arrow_table()
        cur.register("published", published)
        try:
            missing = cur.execute(f'select count(*) from (select * from "{table}" except all '
                                  "select * from published)").fetchall()
            extra = cur.execute(f'select count(*) from (select * from published except all '
                                f'select * from "{table}")').fetchall()
        finally:
            cur.unregister("published")
        assert (missing, extra) == ([(0,)], [(0,)]), table
        assert source.scalar(f'select count(*) from "{table}"') == published.num_rows, table
