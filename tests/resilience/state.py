"""What a database holds after a crash, read through a fresh process-level open of the real file."""

from __future__ import annotations

from pathlib import Path

from onrust.store import Store

# A feed's items are stored in one transaction: per feed all or nothing. Tags and their state row
# are written together per tagging batch, stories in the same transaction as the items.
INVARIANTS = {
    "items_without_story": "select count(*) from items where story_id is null",
    "tags_without_state": "select count(*) from item_tags t"
                          " where t.item_id not in (select item_id from item_tag_state)",
    "state_without_item": "select count(*) from item_tag_state s where s.item_id not in (select id from items)",
    "tags_without_item": "select count(*) from item_tags t where t.item_id not in (select id from items)",
    "links_without_item": "select count(*) from item_incidents l where l.item_id not in (select id from items)",
    "story_keys_without_items": "select count(*) from story_keys k where k.story_id not in"
                                " (select story_id from items where story_id is not null)",
    "doubled_items": "select count(*) - count(distinct item_key) from items",
    "doubled_tags": "select count(*) from (select item_id, tag_set, tag_key, start_char, end_char, count(*) n"
                    " from item_tags group by all having n > 1)",
}


def open_read(db: Path) -> Store:
    return Store.open(db, read_only=True)


def per_feed(db: Path) -> dict[str, int]:
    """Items per feed: the guid's prefix before the dash ("f3" of "f3-17"). The item key is the
    canonical link (the feeds' guids are bare), so its last path segment holds the guid."""
    with open_read(db) as store:
        rows = store.fetchall("select split_part(regexp_replace(item_key, '^.*/', ''), '-', 1) f, count(*)"
                              " from items group by f")
    return {str(f): int(n) for f, n in rows}


def broken(db: Path) -> dict[str, int]:
    """Every invariant that does not hold, with how many rows break it (empty when all hold)."""
    with open_read(db) as store:
        found = {name: int(store.scalar(sql)) for name, sql in INVARIANTS.items()}
    return {name: n for name, n in found.items() if n}


def fingerprint(db: Path) -> dict[str, object]:
    """Content that a clean run and a killed-then-rerun run must agree on."""
    with open_read(db) as store:
        return {
            "items": store.scalar("select count(*) from items"),
            "tags": store.scalar("select count(*) from item_tags"),
            "tag_hash": store.scalar("select coalesce(sum(hash(i.item_key, t.tag_set, t.tag_key, t.start_char)), 0)"
                                     " from item_tags t join items i on i.id = t.item_id"),
            "tagged": store.scalar("select count(*) from item_tag_state"),
            "links": store.scalar("select count(*) from item_incidents"),
            "stories": store.scalar("select count(distinct story_id) from items"),
        }
