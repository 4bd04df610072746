-- Usage and spend (docs/spend.md). A usage record is one stretch of use of one resource, keyed on
-- where it starts: the meter writes the same record again and again as it learns more (an interval
-- that closes, a query that runs longer), so a restart or a second replica neither loses nor doubles it.
--   rate IS NOT NULL: an interval; its quantity over any window is rate × the hours of it inside the
--                     window (1 for a running notebook or a warehouse grant, GB for stored data).
--   rate IS NULL:     a quantity counted at started_at (query-seconds, tokens).
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
-- A team's report for a window: its records that overlap it.
CREATE INDEX usage_records_team ON usage_records (team_id, started_at);
-- The shared services' split reads every team's use of a kind in the window.
CREATE INDEX usage_records_kind ON usage_records (kind, started_at);
CREATE INDEX usage_records_open ON usage_records (kind) WHERE ended_at IS NULL;

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
