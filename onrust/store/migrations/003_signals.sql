-- Manual signals (004 §3.1): the signals table is in 001; this adds the edit history.
-- Every change to a signal leaves one row per changed field: who, when, old and new value
-- (as text; timestamps as ISO 8601 UTC) so an evaluator can replay what was known when.

create sequence signal_revision_seq;
create table signal_revisions (
    id bigint primary key default nextval('signal_revision_seq'),
    signal_id integer not null,             -- -> signals.id
    changed_at timestamptz not null,
    changed_by varchar not null,
    field varchar not null,                 -- a column of signals, e.g. 'verification'
    old varchar,
    new varchar
);
