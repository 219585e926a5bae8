-- The rumour tracker (004 §3.1 "geruchten signaleren en weerleggen"; 004 Bijlage 4 "de
-- geruchtenstroom indammen door te informeren over feiten"): the analist's own verdict on a
-- rumour, beside what the tracker matched automatically. Append-only like the logbook: the
-- newest row per rumour counts, earlier ones show who judged what when.
create sequence rumour_status_seq start 1;
create table rumour_statuses (
    id integer primary key default nextval('rumour_status_seq'),
    incident_id integer not null,
    rumour_key varchar not null,            -- the rumour's first mention: 'item:12' or 'signal:4'
    status varchar not null check (status in ('onbevestigd', 'bevestigd', 'ontkracht')),
    evidence varchar,                       -- what confirmed or refuted it: 'item:31', 'signal:7'
    note varchar not null default '',
    set_at timestamptz not null,
    set_by varchar not null
);
create index rumour_statuses_incident on rumour_statuses (incident_id, rumour_key);
