-- Teams, meetings and evaluation (000 §2.2.4, Bijlage 3-5, §2.3, §2.4; 003 §3.3; 004 §2.2, §3.4,
-- Bijlage 1, 3, 5).
--
-- roster_members: who fills which role for one incident, with organisation and reachability
-- (004 §2.2.1 "bereikbaarheidslijsten"). The page saves the whole list at once; the names are
-- internal and are blocked in every press text (store/roster.py press_names).
create sequence roster_member_seq;
create table roster_members (
    id integer primary key default nextval('roster_member_seq'),
    incident_id integer not null,           -- -> incidents.id
    position integer not null,              -- order on the list
    organisation varchar not null,
    role varchar not null,
    name varchar not null,                  -- may be empty: the role is known, the person not yet
    reachability varchar not null,
    note varchar not null,
    updated_by varchar not null,
    updated_at timestamptz not null
);

-- A meeting of the Coördinatieteam / kernteam as held: the generated agenda as it was shown
-- (a snapshot: the state it was filled from changes later), the answers per point, the
-- bollenschema per theme, the decisions and the next meeting. Never changed after it is stored;
-- its decisions are logbook entries (kind 'besluit') written in the same transaction.
create sequence meeting_seq;
create table meetings (
    id integer primary key default nextval('meeting_seq'),
    incident_id integer not null,           -- -> incidents.id
    kind varchar not null check (kind in ('eerste', 'vervolg')),
    held_at timestamptz not null,
    chair varchar not null,
    author varchar not null,
    agenda json not null,                   -- comms.meetings.Agenda.as_dict()
    notes json not null,                    -- {"<point number>": "text"}
    themes json not null,                   -- {"<theme>": "acuut" | "niet_acuut" | "speelt_niet"}
    decisions json not null,                -- ["text", ...]
    next_meeting timestamptz,
    created_at timestamptz not null
);

-- The evaluation answers (data/evaluation.toml): one current answer per question; evaluation
-- follows the close, so these are written on closed incidents too (store/evaluation.py).
create table evaluation_answers (
    incident_id integer not null,           -- -> incidents.id
    question_id varchar not null,
    answer varchar not null,
    answered_by varchar not null,
    answered_at timestamptz not null,
    primary key (incident_id, question_id)
);
