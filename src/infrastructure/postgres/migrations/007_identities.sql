-- Identities: users signed in through an OIDC provider, and the sign-ins waiting for its answer.

-- An OIDC user is known by its provider (issuer) and subject, never by e-mail, which a provider may let people change.
ALTER TABLE users ADD COLUMN external_issuer text;
ALTER TABLE users ADD COLUMN external_id text;
ALTER TABLE users ADD CONSTRAINT users_external_both CHECK ((external_issuer IS NULL) = (external_id IS NULL));
CREATE UNIQUE INDEX users_external ON users (external_issuer, external_id) WHERE external_id IS NOT NULL;

-- An OIDC sign-in between the redirect to the provider and its callback: PKCE verifier and nonce stay
-- on the server, keyed by the hash of the state; each is used once and lives a few minutes. It is
-- bound to the browser that started it (the hash of a cookie), so a callback link cannot sign
-- someone else's browser in.
CREATE TABLE oidc_sign_ins (
  state_hash    text PRIMARY KEY,
  browser_hash  text NOT NULL,
  code_verifier text NOT NULL,
  nonce         text NOT NULL,
  redirect      text NOT NULL,
  expires_at    timestamptz NOT NULL
);
