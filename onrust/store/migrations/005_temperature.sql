-- Unrest temperature, crisis diagnoses (004 §3.2) and alerts. Official phase decisions are
-- logbook rows (kind 'besluit', data {"soort": "officiele_fase", ...}), not a table of their own:
-- the logbook is the decision list the Woo and evaluators read.

-- Every computed point as it was shown, with the formula that made it. A point is written once
-- (insert-or-ignore): recomputation never rewrites what the driehoek saw live.
create table temperature_points (
    incident_id integer not null,           -- -> incidents.id
    point_at timestamptz not null,          -- window end: what was known before this moment
    formula_version varchar not null,
    has_data boolean not null,              -- false: collection was down ("geen gegevens")
    temperature double,                     -- null when has_data is false
    phase integer not null check (phase between 1 and 5),
    volume double,
    spread double,
    tone double,
    escalation double,
    signals double,
    politicisation double,
    reason varchar not null default '',     -- why the phase changed at this point, if it did
    computed_at timestamptz not null,
    primary key (incident_id, point_at, formula_version)
);

create sequence diagnosis_seq;
create table diagnoses (
    id integer primary key default nextval('diagnosis_seq'),
    incident_id integer not null,
    assessed_at timestamptz not null,
    author varchar not null,
    answers json not null,                  -- {"A01": "hoog" | "laag" | "onbekend", ...}
    via_third_party boolean not null default false,
    score_a double,                         -- share of high-risk answers among the answered, 0-100
    score_b double,
    score_c double,
    score_total double,
    unknown_share double not null,
    advice varchar not null,                -- key of data/diagnosis.toml [advies]
    extra_advice json not null,             -- further outcome keys (ondersteuning, derde_partij)
    explanation varchar not null,
    note varchar not null default '',
    created_at timestamptz not null
);

create sequence alert_seq;
create table alerts (
    id integer primary key default nextval('alert_seq'),
    incident_id integer not null,
    raised_at timestamptz not null,         -- the temperature point that raised it
    kind varchar not null check (kind in ('fase', 'piek')),
    key varchar not null,                   -- phase number or component name: the cooldown key
    message varchar not null,
    delivery json not null,                 -- {"app": "ok", "email": "ok" | "fout: ...", ...}
    created_at timestamptz not null
);
