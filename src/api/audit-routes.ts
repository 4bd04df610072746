import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { AuditRowSchema, queryAudit } from '../engine/audit/log.ts';
import { parseSince, sinceHelp } from '../engine/audit/since.ts';
import { authorize } from './authorize.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const AuditQuery = z.object({
  user: z.string().min(1).max(200).optional().openapi({ description: 'Only what this user did (a user id; `system` for the platform itself)' }),
  team: z.string().min(1).max(200).optional().openapi({ description: 'Only what concerned this team\'s resources' }),
  action: z.string().min(1).max(100).optional().openapi({ description: 'Only this action, e.g. launch, breakGlass, signIn', example: 'launch' }),
  since: z.string().optional()
    .refine((s) => s === undefined || parseSince(s) !== undefined, { message: `since must be ${sinceHelp}` })
    .openapi({ description: `Only rows from this time on: ${sinceHelp}`, example: '1h' }),
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, 'cursor must be the `next` value of a previous page').optional(),
  limit: z.coerce.number({ message: 'limit must be a number from 1 to 500' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit is at most 500').optional(),
});

const AuditPage = z.object({
  entries: z.array(AuditRowSchema.openapi('AuditEntry')),
  next: z.string().nullable().openapi({ description: 'Give as cursor= for the next (older) page; null on the last page' }),
});

/** The audit log, newest first: who did what, on what, allowed or denied and by which policy, and when. */
export function registerAuditRoutes(app: Api, deps: { pool: pg.Pool }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/audit', security: secured, tags: ['audit'],
    summary: 'Query the audit log',
    description: 'With team=, the policy decides on that team\'s log (readAudit on Team); without it, on the whole log (readAudit on Platform, admins by default).',
    request: { query: AuditQuery },
    responses: { 200: json(AuditPage, 'A page of audit rows, newest first'), 400: errors[400], 401: errors[401], 403: errors[403] } }),
    async (c) => {
      const q = c.req.valid('query');
      authorize(c, 'readAudit', q.team ? { type: 'Team', id: q.team } : { type: 'Platform' });
      const page = await queryAudit(deps.pool, {
        user: q.user, team: q.team, action: q.action, cursor: q.cursor, limit: q.limit ?? 50,
        since: q.since ? parseSince(q.since) : undefined,
      });
      return c.json(page, 200);
    });
}
