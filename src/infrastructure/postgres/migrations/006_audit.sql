-- The audit log: every decision and every change, who made it, on what, allowed or denied and by
-- which policy, and when. No foreign keys: a row must outlive the user, team or environment it names.
CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT clock_timestamp(), -- when written, not when its transaction began
  actor     text NOT NULL,                -- a user id, 'system' or 'anonymous'
  action    text NOT NULL,                -- the policy action, or a name for the route (e.g. signIn)
  resource  text NOT NULL DEFAULT '',     -- as the policy engine names it, e.g. Environment::"e1a2"
  team      text,
  decision  text NOT NULL CHECK (decision IN ('allow', 'deny')),
  policies  text[] NOT NULL DEFAULT '{}', -- ids of the policies that determined the decision
  status    int,                          -- the HTTP status answered
  detail    text
);
-- Newest first, filtered by who, which team or which action; the id is the cursor.
CREATE INDEX audit_log_actor ON audit_log (actor, id DESC);
CREATE INDEX audit_log_team ON audit_log (team, id DESC) WHERE team IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only, enforced by the database rather than by the code that writes to it: UPDATE, DELETE
-- and TRUNCATE fail for every role, the platform's own included.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is not allowed on audit_log', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
