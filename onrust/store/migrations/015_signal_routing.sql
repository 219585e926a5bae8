-- 004 §3.1: a signal is passed on internally to the own member of the driehoek; who received it,
-- and when, is recorded. One row per hand-over (a signal may go to a second member later);
-- rows are never changed: a wrong record is corrected by a new one and by the logbook.
create sequence signal_routing_seq;
create table signal_routing (
    id integer primary key default nextval('signal_routing_seq'),
    signal_id integer not null,             -- -> signals.id
    member varchar not null,                -- a key of [driehoek] in data/signal_scales.toml
    received_by varchar not null,           -- who on the member's side received it
    routed_at timestamptz not null,         -- when it was handed over
    recorded_by varchar not null,
    recorded_at timestamptz not null
);
