-- Time-boxed tasks per incident (003 Deel II fase 1-3; 000 §2.1) and dated risk moments
-- (000 Bijlage 7 "momenten van mogelijke onrust"). The tasks themselves are seed facts in
-- data/tasks/<protocol>.toml; a row here is what the municipality recorded for one of them.
-- Every change is also appended to the logbook (store/tasks.py), so this table holds the
-- current state and the logbook the history. No foreign keys: DuckDB refuses some updates of a
-- referenced row (incidents are closed and reopened by update), as for checklist_state.
create table incident_tasks (
    incident_id integer not null,           -- -> incidents.id
    task_id varchar not null,               -- id from data/tasks/<protocol>.toml, e.g. '003-2.4-1'
    done_at timestamptz,                    -- null: open (again)
    done_by varchar,
    note varchar not null default '',       -- the latest note; earlier ones are in the logbook
    updated_at timestamptz not null,
    updated_by varchar not null,
    primary key (incident_id, task_id)
);

create table incident_risk_moments (
    incident_id integer not null,           -- -> incidents.id
    moment_key varchar not null,            -- key from data/guidance/bijlage7.toml [[moment]]
    expected_at timestamptz not null,       -- when the moment is expected (or happened)
    note varchar not null default '',
    updated_at timestamptz not null,
    updated_by varchar not null,
    primary key (incident_id, moment_key)
);
