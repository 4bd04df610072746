import { z } from 'zod';
import type pg from 'pg';

/**
 * The audit log: who did what, on what, allowed or denied and by which policy, and when.
 * Rows are only ever appended; the database itself refuses to change or remove them (006_audit.sql),
 * so nothing in this module updates or deletes.
 */

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export const AuditEntrySchema = z.object({
  /** A user id, 'system' for the platform's own changes, or 'anonymous' when nobody signed in. */
  actor: z.string().min(1),
  action: z.string().min(1),
  /** The resource as the policy engine names it, e.g. Environment::"e1a2"; '' when there is none. */
  resource: z.string(),
  team: z.string().nullable(),
  decision: z.enum(['allow', 'deny']),
  /** Ids of the policies that determined the decision. */
  policies: z.array(z.string()),
  detail: z.string().optional(),
  status: z.number().int().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditRowSchema = AuditEntrySchema.extend({
  id: z.string(),
  at: z.string(),
  detail: z.string().nullable(),
  status: z.number().int().nullable(),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

/** Appends one row. Long details are cut so that one request can't flood the log. */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  const e = AuditEntrySchema.parse(entry);
  await db.query(
    `INSERT INTO audit_log (actor, action, resource, team, decision, policies, status, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.actor, e.action, e.resource, e.team, e.decision, e.policies, e.status ?? null, e.detail?.slice(0, 1000) ?? null],
  );
}
