-- Per-bin temperature aggregates (issue 11, Scale): at a million items the series spent most of
-- its time loading and folding every linked item and tag. The pipeline stores the folded bins
-- (analysis.temperature.Aggregates) per incident, and the series reads those few thousand rows
-- while they are current. "Current" is a generation per incident: every write that changes an
-- incident's temperature inputs (its links, the tags or story of a linked item, a purge) adds a
-- row to temperature_generation in the same transaction, so bins built from an older generation
-- are stale and the series computes from the items as before. Insert-only, so concurrent writers
-- never conflict on a counter row.
create sequence temperature_generation_seq start 1;
create table temperature_generation (
    generation bigint primary key default nextval('temperature_generation_seq'),
    incident_id integer not null,
    changed_at timestamptz not null default current_timestamp
);
create table temperature_bin_state (
    incident_id integer primary key,
    formula_version varchar not null,   -- analysis.temperature.formula_version of the settings used
    origin_ns bigint not null,          -- epoch ns of bin 0 (analysis.temperature.grid_origin)
    n_bins integer not null,            -- bins built; every input item lies before the last one's end
    n_publishers integer not null,      -- width of the presence bitmaps
    features varchar[] not null,        -- names of the sums, in order
    generation bigint not null,         -- the incident's generation the bins were built from
    built_at timestamptz not null
);
-- Only bins with something in them; a missing bin is empty.
create table temperature_bins (
    incident_id integer not null,
    bin integer not null,
    new_stories double not null,
    sums double[] not null,             -- one per temperature_bin_state.features
    reach utinyint not null,            -- bit i: a REACHES[i] item in the bin
    presence blob not null,             -- numpy.packbits of "publisher j published in the bin"
    primary key (incident_id, bin)
);
