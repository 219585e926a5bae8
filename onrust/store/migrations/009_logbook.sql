-- The logbook as an append-only record (003 fase 1.5 "logboek gebeurtenissen en acties";
-- 000 §2.3 "besluitenlijst van het bestuur" for the overdracht): a correction is a new entry
-- that names the entry it corrects; no entry is ever changed or removed.
--
-- DuckDB has no triggers and no grants, so the database enforces this with constraints:
-- every column of a row is in one unique index, and every row is referenced by a row of
-- logbook_seal (a foreign key). DuckDB runs an UPDATE of an indexed column as delete + insert
-- and refuses to delete a key that a foreign key still references, so UPDATE, DELETE and
-- TRUNCATE of a sealed row fail with a constraint error, and the table cannot be dropped.
-- The store writes the seal row in the transaction that appends the entry (store/logbook.py).
--
-- DuckDB cannot drop a check constraint, and the kinds gain 'informatie gedeeld', so the table
-- is rebuilt with its rows and ids (the sequence stays the same).
create table logbook_v10 (
    id integer primary key default nextval('logbook_seq'),
    incident_id integer not null,
    logged_at timestamptz not null,
    kind varchar not null check (kind in ('gebeurtenis', 'actie', 'besluit', 'informatie gedeeld')),
    text varchar not null,
    author varchar not null,
    data json,                              -- structured payload, e.g. an official phase decision
    corrects integer,                       -- the earlier entry of the same incident this corrects
    links json,                             -- [{"target": "item", "id": 12}, ...]
    unique (id, incident_id, logged_at, kind, text, author, data, corrects, links)
);
insert into logbook_v10 (id, incident_id, logged_at, kind, text, author, data)
    select id, incident_id, logged_at, kind, text, author, data from logbook;
drop table logbook;
alter table logbook_v10 rename to logbook;

create table logbook_seal (
    entry_id integer primary key references logbook (id)
);
insert into logbook_seal select id from logbook;
