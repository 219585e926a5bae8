-- Press releases (000 Bijlage 6): registered names of people involved, releases with their review
-- status, every saved version (never overwritten) and every workflow step with who and when.

-- Names that must never appear in an outward text. Sensitive: read only by the press checks and
-- the tagging package; not part of any export meant for the public.
create sequence incident_person_seq;
create table incident_persons (
    id integer primary key default nextval('incident_person_seq'),
    incident_id integer not null,           -- -> incidents.id
    name varchar not null,
    role varchar not null check (role in ('slachtoffer', 'verdachte', 'betrokkene', 'verwant')),
    added_by varchar not null,
    added_at timestamptz not null
);

create sequence press_release_seq;
create table press_releases (
    id integer primary key default nextval('press_release_seq'),
    incident_id integer not null,           -- -> incidents.id
    status varchar not null default 'concept'
        check (status in ('concept', 'ter_controle', 'goedgekeurd', 'verstuurd')),
    created_at timestamptz not null,
    created_by varchar not null,
    status_at timestamptz not null,         -- when the current status was reached
    status_by varchar not null
);

-- One row per save. `fields` is the PressFields JSON, including which omgevingsbeeld questions
-- and rumours this version answers (addressed).
create table press_versions (
    release_id integer not null,            -- -> press_releases.id
    version integer not null,
    fields json not null,
    author varchar not null,
    created_at timestamptz not null,
    note varchar not null default '',
    primary key (release_id, version)
);

create sequence press_event_seq;
create table press_events (
    id integer primary key default nextval('press_event_seq'),
    release_id integer not null,            -- -> press_releases.id
    version integer not null,               -- the version the step was about
    action varchar not null,                -- aangemaakt, bewerkt, indienen, afkeuren, goedkeuren, terugzetten, versturen
    from_status varchar,
    to_status varchar not null,
    actor varchar not null,
    event_at timestamptz not null,
    comment varchar not null default '',
    warnings json                           -- findings shown and accepted at this step
);
