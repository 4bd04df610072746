-- The platform's own state. Everything a restart must not lose lives here.
CREATE TABLE teams (
  id          text PRIMARY KEY,
  title       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  email       text NOT NULL UNIQUE,
  team_id     text NOT NULL REFERENCES teams(id),
  is_admin    boolean NOT NULL DEFAULT false,
  password_hash text,                -- scrypt, for signing in to the portal with a local account
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- API tokens: one per CLI installation or portal session. Only the sha256 is stored.
CREATE TABLE api_tokens (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        text NOT NULL,         -- 'cli' or 'session'
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE environments (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  path_id     text NOT NULL,
  path_version text NOT NULL,
  team_id     text NOT NULL REFERENCES teams(id),
  owner_id    text NOT NULL REFERENCES users(id),
  data_class  text,
  params      jsonb NOT NULL DEFAULT '{}',
  status      text NOT NULL,
  desired     text NOT NULL,
  reason      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  ready_at    timestamptz,
  deleted_at  timestamptz
);
CREATE INDEX environments_team ON environments (team_id, created_at DESC);
CREATE INDEX environments_owner ON environments (owner_id, created_at DESC);
CREATE INDEX environments_active ON environments (status) WHERE status NOT IN ('deleted', 'failed', 'ready');

CREATE TABLE resources (
  environment_id text NOT NULL REFERENCES environments(id),
  id          text NOT NULL,
  type        text NOT NULL,
  params      jsonb NOT NULL DEFAULT '{}',   -- as declared, placeholders unresolved
  depends_on  text[] NOT NULL DEFAULT '{}',
  wave        int NOT NULL,
  status      text NOT NULL DEFAULT 'pending',
  state       jsonb NOT NULL DEFAULT '{}',   -- the driver's state, kept by the engine
  outputs     jsonb NOT NULL DEFAULT '{}',   -- what people and later resources use (may hold credentials)
  error       text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (environment_id, id)
);
CREATE INDEX resources_bucket_key ON resources ((outputs->>'accessKeyId')) WHERE type = 'bucket';
CREATE INDEX resources_repo ON resources ((state->>'repo')) WHERE type = 'git-repo';

CREATE TABLE events (
  id          bigserial PRIMARY KEY,
  environment_id text NOT NULL REFERENCES environments(id),
  resource_id text,
  type        text NOT NULL,
  message     text NOT NULL,
  at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX events_environment ON events (environment_id, id);

-- Live progress for every replica: a notification per event, read by the SSE streams.
CREATE FUNCTION notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('goldpath_events', NEW.environment_id || ':' || NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION notify_event();
