-- Who has used the dashboard (issue 11 "Login and roles"): one row per login name, with the roles
-- the last login gave, for the beheerder (who had access to what) and the AVG accountability.
-- Staff accounts only: citizens are never users, and no per-citizen profile is kept anywhere.
create table users (
    user_id varchar primary key,            -- the login name every write records (User.id)
    name varchar not null,                  -- as the provider or proxy names the user
    roles varchar[] not null,               -- roles granted at the last login
    mode varchar not null check (mode in ('oidc', 'proxy', 'local')),
    first_seen timestamptz not null,
    last_seen timestamptz not null
);
