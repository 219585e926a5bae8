-- Collectors: per-feed fetch state, revision history of corrected items, story grouping keys.

-- One row per network source: what the scheduler and the Bronnen page need to know.
create table feed_state (
    source_id integer primary key,          -- -> sources.id
    etag varchar,                           -- validators for conditional GET, replaced on every 200
    last_modified varchar,
    next_due_at timestamptz,                -- null: due now
    interval_seconds double,                -- current adaptive polling interval
    rhythm_seconds double,                  -- typical gap between new items (median), for 'stale'
    consecutive_failures integer not null default 0,
    failing_since timestamptz,
    last_error varchar,
    last_warning varchar,                   -- e.g. feed not well-formed but items recovered
    last_fetch_at timestamptz,              -- last attempt, whatever the outcome
    last_success_at timestamptz,            -- last 200 or 304
    last_new_item_at timestamptz,           -- last time a fetch added a new item
    retry_after_until timestamptz           -- the server asked us (429/503) to wait until then
);

-- The earlier version of an item each time a correction replaced it.
create sequence item_revision_seq;
create table item_revisions (
    id bigint primary key default nextval('item_revision_seq'),
    item_id bigint not null,                -- -> items.id
    title varchar not null,
    summary varchar not null,
    author varchar,
    content_hash varchar not null,
    valid_from timestamptz not null,        -- when this version was first seen
    replaced_at timestamptz not null        -- when the correction was seen
);
create index item_revisions_item on item_revisions (item_id);

-- Near-duplicate blocking keys (normalised title, lead, MinHash LSH bands) -> story.
-- Keys older than the story window no longer attract new items, so a recurring headline such
-- as 'Het weer' next week starts a new story.
create sequence story_seq;
create table story_keys (
    key varchar primary key,
    story_id bigint not null,
    first_publisher varchar,                -- original publisher of the first item with this key
    last_seen_at timestamptz not null
);
-- No extra ART indexes on items: they slow the Arrow bulk inserts and DuckDB's hash joins and
-- zonemaps already serve the url/story lookups of ingestion.
