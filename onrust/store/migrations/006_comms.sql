-- Crisis-communication work per incident: checklist item state, the information-needs matrix
-- and strategy decisions. Current state tables are upserted; every change is also appended to a
-- history table (who, when, what) because evaluators replay how communication developed and the
-- Woo applies to what was recorded (004 Bijlage 3).

create table checklist_state (
    incident_id integer not null,           -- -> incidents.id
    checklist varchar not null,             -- id of data/checklists/<id>.toml
    item_id varchar not null,               -- stable item id from that file (unique over all lists)
    status varchar not null default 'open' check (status in ('open', 'gedaan', 'n.v.t.')),
    owner varchar not null default '',
    note varchar not null default '',
    updated_at timestamptz not null,
    updated_by varchar not null,
    primary key (incident_id, item_id)
);

create sequence checklist_history_seq;
create table checklist_history (
    id bigint primary key default nextval('checklist_history_seq'),
    incident_id integer not null,
    checklist varchar not null,
    item_id varchar not null,
    status varchar not null,
    owner varchar not null,
    note varchar not null,
    changed_at timestamptz not null,
    changed_by varchar not null
);

-- One row per incident and doelgroep (default groups come from data/stakeholders.toml).
-- The press workflow reads last_informed_* for its "not yet informed" warning.
create table info_matrix (
    incident_id integer not null,
    doelgroep varchar not null,
    van_toepassing boolean not null default true,
    informatiebehoefte varchar not null default '',
    lijn varchar not null default '',        -- '1e lijn' / '2e lijn' (004 Bijlage 5 stap 1)
    prioriteit varchar not null default '',  -- 'need-to-know' / 'nice-to-know'
    kanaal varchar not null default '',
    afzender varchar not null default '',
    timing varchar not null default '',
    eerste_binnen_uren double,               -- first informing due this long after opened_at
    herhaal_uren double,                     -- then every this many hours; 0/null = on new facts only
    last_informed_at timestamptz,
    last_informed_by varchar,
    last_informed_what varchar,
    privacy varchar not null default '',
    notes varchar not null default '',
    updated_at timestamptz not null,
    updated_by varchar not null,
    primary key (incident_id, doelgroep)
);

create sequence info_matrix_history_seq;
create table info_matrix_history (
    id bigint primary key default nextval('info_matrix_history_seq'),
    incident_id integer not null,
    doelgroep varchar not null,
    van_toepassing boolean not null,
    informatiebehoefte varchar not null,
    lijn varchar not null,
    prioriteit varchar not null,
    kanaal varchar not null,
    afzender varchar not null,
    timing varchar not null,
    eerste_binnen_uren double,
    herhaal_uren double,
    last_informed_at timestamptz,
    last_informed_by varchar,
    last_informed_what varchar,
    privacy varchar not null,
    notes varchar not null,
    changed_at timestamptz not null,
    changed_by varchar not null
);

-- Append-only: the latest row per (incident, kind) is the current choice, earlier rows its history.
create sequence strategy_decision_seq;
create table strategy_decisions (
    id integer primary key default nextval('strategy_decision_seq'),
    incident_id integer not null,
    kind varchar not null check (kind in ('accent', 'persbeleid', 'woordvoering')),
    phase integer check (phase between 1 and 5),   -- MO-fase the choice was made for
    value varchar not null,                          -- the answer as shown to people
    details json,                                    -- structured answer: aims, inputs, reasoning steps
    note varchar not null default '',
    decided_at timestamptz not null,
    decided_by varchar not null
);
