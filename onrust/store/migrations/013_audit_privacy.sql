-- Audit trail and privacy by design (issue 11).
--
-- audit_log: one row per change to a user-facing record (who, when, which table and row, what
-- action, the row as JSON before and after). Append-only the same way as the logbook
-- (migration 009): every column is in one unique index and every row is referenced by an
-- audit_seal row, so DuckDB refuses UPDATE, DELETE and TRUNCATE of a sealed row; the store's
-- generic write path refuses statements on both tables before any SQL runs (store/core.py).
-- The store writes a row and its seal in the transaction of the change (store/audit.py).
create sequence audit_seq;
create table audit_log (
    id bigint primary key default nextval('audit_seq'),
    changed_at timestamptz not null,
    actor varchar not null,                 -- who: today a typed name, later the logged-in user
    table_name varchar not null,
    row_id varchar not null,                -- the key of the row ("12", "3/bewoners"); '*' for a purge
    action varchar not null check (action in ('insert', 'update', 'delete', 'purge')),
    before json,                            -- the row before (null for an insert)
    after json,                             -- the row after (null for a delete); counts for a purge
    unique (id, changed_at, actor, table_name, row_id, action, before, after)
);
create table audit_seal (
    entry_id bigint primary key references audit_log (id)
);

-- Names of people involved are stored as Fernet tokens (onrust/crypto.py); rows written before
-- this migration hold the plain name until the store is opened with a key, which seals them.
alter table incident_persons add column sealed boolean default false;
-- The watch profile's `involved` names likewise (a list of tokens once sealed).
alter table watch_profiles add column involved_sealed boolean default false;
