-- Access to sensitive data waits for the data owners. One row per owning team asked; every step is kept.
CREATE TABLE approvals (
  id              text PRIMARY KEY,
  environment_id  text NOT NULL REFERENCES environments(id),
  approver_team   text NOT NULL REFERENCES teams(id),
  requested_by    text NOT NULL REFERENCES users(id),
  reason          text NOT NULL,
  data_class      text NOT NULL,
  datasets        text[] NOT NULL,
  status          text NOT NULL DEFAULT 'pending',    -- pending, approved, rejected, cancelled
  decided_by      text REFERENCES users(id),
  decision_reason text,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  decided_at      timestamptz,
  valid_days      int NOT NULL,
  expires_at      timestamptz,                        -- set on approval
  granted         text,                               -- what was granted, e.g. the role and class
  revoked_at      timestamptz,
  UNIQUE (environment_id, approver_team)
);
CREATE INDEX approvals_pending ON approvals (approver_team) WHERE status = 'pending';
CREATE INDEX approvals_expiring ON approvals (expires_at) WHERE status = 'approved' AND revoked_at IS NULL;
