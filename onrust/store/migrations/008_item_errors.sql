-- Durable pipeline state: which items each incident's links were scored from, and the items a
-- step could not process. Every step works from this state, never from "what just arrived",
-- so a crash between ingesting, tagging and linking is caught up by the next run.

-- Tagging that failed for one item still marks it done for that tagger version (with no tags),
-- so one bad item never stops the others and is tried again only by a new tagger version, a
-- new incident context or a correction of the item. Null: tagged without error.
alter table item_tag_state add column error varchar;

-- One row per incident and item scored against the incident's watch profile: for which profile
-- revision and from which tags (the tagged_at of the item_tag_state row that was read; null for
-- an item scored before it was tagged, e.g. by an export while no collector ran). An item of
-- the watch period is due for linking while its row is missing or names another revision or
-- another tagging; an item that is tagged again gets a new tagged_at and is scored again.
-- A per-item marker rather than a watermark: two writers (collector, page worker) may commit
-- their tags out of order, which a single high-water mark would skip.
create table link_state (
    incident_id integer not null,           -- -> incidents.id
    item_id bigint not null,                -- -> items.id
    revision integer not null,              -- watch_profiles.revision the score was computed for
    tagged_at timestamptz,                  -- item_tag_state.tagged_at of the tags that were scored
    scored_at timestamptz not null,
    error varchar,                          -- why scoring failed (then the item has no link)
    primary key (incident_id, item_id)
);
