-- Lifetimes: an environment expires (and is deleted) at expires_at, and is stopped when its
-- workspace has been idle too long. expires_at is NULL until the lifetime sweeper (or a launch that
-- knows its path's ttl) sets it; expiry_warned_at remembers that the owner was warned of this
-- expires_at, and is cleared when an extension moves it.
ALTER TABLE environments
  ADD COLUMN expires_at       timestamptz,
  ADD COLUMN last_activity_at timestamptz,
  ADD COLUMN expiry_warned_at timestamptz;
-- What the lifetime sweeper reads every minute: the soon-expiring, and those still without an expiry.
CREATE INDEX environments_expiring ON environments (expires_at) WHERE status <> 'deleted';
CREATE INDEX environments_expiry_unset ON environments (path_id) WHERE expires_at IS NULL AND status <> 'deleted';

-- Notices: what the platform tells people (an environment stopped for idleness, about to expire,
-- a break-glass approval). Addressed to a user or to a whole team; read_at is set by the reader.
CREATE TABLE notices (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  user_id        text,
  team_id        text,
  kind           text NOT NULL,
  message        text NOT NULL,
  environment_id text REFERENCES environments(id),
  read_at        timestamptz,
  CHECK (user_id IS NOT NULL OR team_id IS NOT NULL)
);
CREATE INDEX notices_user ON notices (user_id, id DESC) WHERE user_id IS NOT NULL;
CREATE INDEX notices_team ON notices (team_id, id DESC) WHERE team_id IS NOT NULL;

-- A notice to a team is read by each member on their own.
CREATE TABLE notice_reads (
  notice_id bigint NOT NULL REFERENCES notices(id),
  user_id   text NOT NULL,
  read_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notice_id, user_id)
);
