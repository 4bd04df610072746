-- API tokens get a public id (to list and revoke them without showing the secret), a label,
-- an expiry for every kind, and the last time they were used.
ALTER TABLE api_tokens
  ADD COLUMN id text,
  ADD COLUMN label text,
  ADD COLUMN last_used_at timestamptz;
UPDATE api_tokens SET
  id = 'tok_' || substr(md5(random()::text || token_hash), 1, 8),
  label = CASE kind WHEN 'session' THEN 'portal session' ELSE kind END,
  -- Tokens issued before this migration never expired: give them the default lifetime from now.
  expires_at = coalesce(expires_at, now() + CASE kind WHEN 'session' THEN interval '12 hours' ELSE interval '90 days' END);
ALTER TABLE api_tokens
  ALTER COLUMN id SET NOT NULL,
  ALTER COLUMN label SET NOT NULL,
  ALTER COLUMN expires_at SET NOT NULL,
  ADD CONSTRAINT api_tokens_id UNIQUE (id);
CREATE INDEX api_tokens_user_created ON api_tokens (user_id, created_at DESC);

-- Single-use tickets for the live-progress stream (EventSource cannot send a header). Only the
-- sha256 is stored; a ticket dies with the token that asked for it.
CREATE TABLE stream_tickets (
  ticket_hash    text PRIMARY KEY,
  token_hash     text NOT NULL REFERENCES api_tokens(token_hash) ON DELETE CASCADE,
  user_id        text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX stream_tickets_expires ON stream_tickets (expires_at);

-- Sign-in attempts not (yet) known to have succeeded, for throttling per account and per address.
-- A row is written before the password is checked and removed when the sign-in succeeds.
CREATE TABLE sign_in_failures (
  id       bigserial PRIMARY KEY,
  account  text NOT NULL,            -- the user's id, or the login as typed (lower case) when unknown
  address  text,                     -- the client's address as the socket saw it
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
