-- Notices beyond the temperature (issue: notifications on every page and by e-mail/webhook):
-- a high-severity signal, an overdue doelgroep and a persbericht waiting for approval join the
-- phase rises and spikes in the alerts table. DuckDB cannot drop a check constraint, so the
-- table is rebuilt with its rows and ids (the sequence stays the same).
create table alerts_v16 (
    id integer primary key default nextval('alert_seq'),
    incident_id integer not null,
    raised_at timestamptz not null,         -- the moment the notice is about
    kind varchar not null check (kind in ('fase', 'piek', 'signaal', 'doelgroep', 'persbericht')),
    key varchar not null,                   -- what it is about (phase, component, signal id, ...)
    message varchar not null,
    delivery json not null,                 -- {"app": "ok", "email": "ok" | "fout: ...", ...}
    created_at timestamptz not null
);
insert into alerts_v16 select id, incident_id, raised_at, kind, key, message, delivery, created_at from alerts;
drop table alerts;
alter table alerts_v16 rename to alerts;
