-- Foundation schema shared by every package. Timestamps are TIMESTAMPTZ and stored in UTC.
-- Foreign keys are documented, not declared: DuckDB's FK checks block updates of referenced
-- rows and slow the Arrow bulk inserts that ingestion relies on.

create sequence incident_seq;
create table incidents (
    id integer primary key default nextval('incident_seq'),
    name varchar not null,
    municipality varchar not null,
    scenario varchar,                       -- key of data/scenarios.toml (004 Bijlage 2)
    description varchar not null default '',
    opened_at timestamptz not null,
    closed_at timestamptz,
    status varchar not null default 'open' check (status in ('open', 'gesloten')),
    is_demo boolean not null default false,
    created_at timestamptz not null
);

create sequence source_seq;
create table sources (
    id integer primary key default nextval('source_seq'),
    name varchar not null unique,
    kind varchar not null default 'rss',    -- rss, search, gdelt, json, mastodon, file
    url varchar,
    reach varchar not null default 'regionaal'
        check (reach in ('lokaal', 'regionaal', 'landelijk', 'sociaal')),
    publisher varchar,                      -- outlet name shown to users
    enabled boolean not null default true,
    config json,                            -- kind-specific options (field mapping, terms)
    created_at timestamptz not null
);

create sequence item_seq;
create table items (
    id bigint primary key default nextval('item_seq'),
    item_key varchar not null unique,       -- guid, else canonical URL: identity for idempotent ingestion
    source_id integer not null,             -- -> sources.id
    guid varchar,
    url varchar,
    title varchar not null,
    summary varchar not null default '',    -- plain text, never HTML
    author varchar,
    language varchar,
    published_at timestamptz not null,      -- as the source says (or fetched_at when unusable)
    published_at_flag varchar,              -- null when the source date was used; else why not
    fetched_at timestamptz not null,        -- when we first knew it: the clock for as-of replays
    updated_at timestamptz,                 -- last correction seen
    content_hash varchar not null,
    story_id bigint,                        -- near-duplicate group, set by collectors.dedupe
    original_publisher varchar              -- wire service or first outlet, where it can be told
);

create table item_incidents (
    item_id bigint not null,
    incident_id integer not null,
    relevance double not null,              -- 0..1 from the incident's watch profile
    linked_at timestamptz not null,
    primary key (item_id, incident_id)
);

create table item_tags (
    item_id bigint not null,
    tag_set varchar not null,               -- scenario, phase, dynamiek, emotion, polarity, claim, actor, place, person, language
    tag_key varchar not null,
    matched varchar not null,
    start_char integer not null,
    end_char integer not null,
    score double not null default 1.0,
    tagger_version varchar not null
);

create sequence signal_seq;
create table signals (
    id integer primary key default nextval('signal_seq'),
    incident_id integer,
    kind varchar not null check (kind in ('gerucht', 'melding', 'aangifte', 'berichtgeving')),
    source_type varchar not null,
    reliability varchar not null check (reliability in ('A', 'B', 'C', 'D', 'E', 'F')),
    credibility integer not null check (credibility between 1 and 6),
    verification varchar not null default 'onbevestigd'
        check (verification in ('onbevestigd', 'bevestigd', 'ontkracht')),
    severity integer not null check (severity between 1 and 5),
    municipality varchar not null,
    neighbourhood varchar,
    occurred_at timestamptz not null,
    reported_at timestamptz not null,
    entered_at timestamptz not null,
    text varchar not null,
    entered_by varchar not null,
    import_key varchar unique               -- natural key of an imported row: imports are idempotent
);

create sequence logbook_seq;
create table logbook (
    id integer primary key default nextval('logbook_seq'),
    incident_id integer not null,
    logged_at timestamptz not null,
    kind varchar not null check (kind in ('gebeurtenis', 'actie', 'besluit')),
    text varchar not null,
    author varchar not null,
    data json                               -- structured payload, e.g. an official phase decision
);

create sequence collection_run_seq;
create table collection_runs (
    id bigint primary key default nextval('collection_run_seq'),
    source_id integer not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    status varchar not null check (status in ('ok', 'ongewijzigd', 'waarschuwing', 'fout')),
    new_items integer not null default 0,
    updated_items integer not null default 0,
    duplicates integer not null default 0,
    message varchar
);
