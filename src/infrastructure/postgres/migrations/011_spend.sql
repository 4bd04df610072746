-- Usage and spend (docs/spend.md). A usage record is one stretch of use of one resource, keyed on
-- where it starts: the meter writes the same record again and again as it learns more (an interval
-- that closes, a query that runs longer), so a restart or a second replica neither loses nor doubles it.
--   rate IS NOT NULL: an interval; its quantity over any window is rate × the hours of it inside the
--                     window (1 for a running notebook or a warehouse grant, GB for stored data).
--   rate IS NULL:     a quantity counted at started_at (query-seconds, tokens); ended_at = started_at.
-- Records carry their environment's team, owner and path so a report reads one table.
CREATE TABLE usage_records (
  environment_id text NOT NULL,
  resource_id    text NOT NULL,
  kind           text NOT NULL,              -- run, grant, exists, storage, query, tokens-in, tokens-out
  instance       text NOT NULL DEFAULT '',   -- what tells apart two records starting together (a session)
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz,                -- NULL while it lasts
  rate           numeric,
  quantity       numeric,
  resource_type  text NOT NULL,
  size_class     text,
  team_id        text NOT NULL,
  user_id        text NOT NULL,
  path_id        text NOT NULL,
  PRIMARY KEY (environment_id, resource_id, kind, instance, started_at)
);
-- A window's records, three ways (src/engine/spend/reports.ts): counted ones that start in it, intervals
-- that end in or after it, intervals still open; by team (a team's report) or by kind (the shared
-- services' split reads every team's use of a kind).
CREATE INDEX usage_records_team_start ON usage_records (team_id, started_at);
CREATE INDEX usage_records_team_end ON usage_records (team_id, ended_at) WHERE rate IS NOT NULL;
CREATE INDEX usage_records_team_open ON usage_records (team_id) WHERE ended_at IS NULL;
CREATE INDEX usage_records_kind_start ON usage_records (kind, started_at);
CREATE INDEX usage_records_kind_end ON usage_records (kind, ended_at) WHERE rate IS NOT NULL;
CREATE INDEX usage_records_kind_open ON usage_records (kind) WHERE ended_at IS NULL;

-- Where the meter has read the event log up to: the last event's id and time. It reads again what
-- came after either, less a margin of time (a transaction that committed late is still seen;
-- reading twice is harmless).
CREATE TABLE meter_cursors (
  name     text PRIMARY KEY,
  event_id bigint NOT NULL,
  at       timestamptz NOT NULL
);

-- A team's monthly budget: a notice at `threshold` percent, new launches refused at 100 %.
CREATE TABLE budgets (
  team_id    text PRIMARY KEY REFERENCES teams(id),
  monthly    numeric NOT NULL CHECK (monthly >= 0),
  threshold  int NOT NULL DEFAULT 80 CHECK (threshold BETWEEN 1 AND 100),
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Which budget notices a team has had this month: one per level, however often it is checked.
CREATE TABLE budget_alerts (
  team_id text NOT NULL,
  month   date NOT NULL,
  level   text NOT NULL,                     -- warning, exceeded
  at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, month, level)
);
