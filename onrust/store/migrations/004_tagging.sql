-- Tagging state, incident watch profiles, omgevingsbeeld versions and last visits.

-- Tag metadata the tagger reports beside the key (e.g. a polarity value, a lexicon reference).
alter table item_tags add column value varchar;
alter table item_tags add column ref varchar;

-- Why an item is linked ("term: brand; plaats: Kerkwijk"), so the analist can check the link.
alter table item_incidents add column reasons varchar not null default '';

-- One row per item that has been tagged: an item with zero tags is still "done", and a
-- correction (new content_hash) or a new tagger version makes it due again.
create table item_tag_state (
    item_id bigint primary key,             -- -> items.id
    tagger_version varchar not null,
    content_hash varchar not null,          -- items.content_hash that was tagged
    context varchar not null default '',    -- hash of the incident places/names given to the tagger
    tagged_at timestamptz not null
);

-- What the omgevingsanalist watches for one incident; relevance is scored against it.
create table watch_profiles (
    incident_id integer primary key,        -- -> incidents.id
    terms varchar[] not null default [],
    places varchar[] not null default [],
    actors varchar[] not null default [],
    involved varchar[] not null default [], -- names of those involved: sensitive, never exported
    period_start timestamptz,
    period_end timestamptz,
    revision integer not null default 1,    -- bumped on every edit
    linked_revision integer not null default 0, -- revision the item links were last built from
    updated_at timestamptz not null,
    updated_by varchar not null
);

-- Neighbourhoods (wijken, buurten, straten) the analist adds to an incident; they count as places.
create table incident_neighbourhoods (
    incident_id integer not null,
    name varchar not null,
    added_at timestamptz not null,
    added_by varchar not null,
    primary key (incident_id, name)
);

-- Every saved omgevingsbeeld is a new version: the kernteam can see what was known when.
create table omgevingsbeeld_versions (
    incident_id integer not null,
    version integer not null,
    created_at timestamptz not null,
    author varchar not null,
    period_start timestamptz not null,
    period_end timestamptz not null,
    content json not null,                  -- the generated snapshot
    conclusions varchar not null default '',-- the analist's edited conclusions (Markdown)
    primary key (incident_id, version)
);

-- When a viewer last looked at a page for an incident: drives "nieuw sinds je laatste bezoek".
create table page_visits (
    viewer varchar not null,
    incident_id integer not null,
    page varchar not null,
    visited_at timestamptz not null,
    primary key (viewer, incident_id, page)
);
