-- Builds of a workspace's repository (a website preview, a Java service): one row per build of
-- one commit, with how it ended and its log (capped by the builder), so the environment page can
-- show a failed build's error after a restart or from another replica (docs/builds.md).
CREATE TABLE workspace_builds (
  id             bigserial PRIMARY KEY,
  environment_id text NOT NULL REFERENCES environments(id),
  resource_id    text NOT NULL,
  commit         text NOT NULL,
  status         text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at    timestamptz,
  duration_ms    integer,
  error          text,                       -- the first line that says what went wrong
  log            text NOT NULL DEFAULT ''
);
CREATE INDEX workspace_builds_resource ON workspace_builds (environment_id, resource_id, id DESC);
