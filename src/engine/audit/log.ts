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

export const AuditFilterSchema = z.object({
  user: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  /** Only rows at or after this time. */
  since: z.coerce.date().optional(),
  /** Only rows older than this cursor (the `next` of the previous page). */
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, 'cursor must be the `next` value of a previous page').optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type AuditFilter = z.input<typeof AuditFilterSchema>;
export type AuditPage = { entries: AuditRow[]; next: string | null };

/** Newest first. `next` is the cursor for the following (older) page, null on the last one. */
export async function queryAudit(db: Queryable, filter: AuditFilter): Promise<AuditPage> {
  const f = AuditFilterSchema.parse(filter);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => { params.push(value); where.push(sql.replace('?', `$${params.length}`)); };
  if (f.user) add('actor = ?', f.user);
  if (f.team) add('team = ?', f.team);
  if (f.action) add('action = ?', f.action);
  if (f.since) add('at >= ?', f.since);
  if (f.cursor) add('id < ?::bigint', f.cursor);
  params.push(f.limit + 1);
  const { rows } = await db.query<{ id: string; at: Date; actor: string; action: string; resource: string; team: string | null; decision: 'allow' | 'deny'; policies: string[]; status: number | null; detail: string | null }>(
    `SELECT id::text, at, actor, action, resource, team, decision, policies, status, detail FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_log.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, f.limit);
  return {
    entries: page.map((r) => ({ ...r, at: r.at.toISOString() })),
    next: rows.length > f.limit ? page[page.length - 1]!.id : null,
  };
}
