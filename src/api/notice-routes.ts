import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { NoticeView } from '../domain/notice/schema.ts';
import { listNotices, markRead } from '../engine/notices/notices.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const NoticeIdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });

/** What the platform told the signed-in user and their team: lifetimes, break-glass approvals. */
export function registerNoticeRoutes(app: Api, deps: { pool: pg.Pool }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/notices', security: secured,
    request: { query: z.object({ unread: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ notices: z.array(NoticeView) }), "Your notices and your team's, newest first") } }),
    async (c) => c.json({ notices: await listNotices(deps.pool, c.get('user'), { unreadOnly: c.req.valid('query').unread === 'true' }) }, 200));

  app.openapi(createRoute({ method: 'post', path: '/api/v1/notices/{id}/read', security: secured, request: { params: NoticeIdParam },
    responses: { 200: json(NoticeView, 'Marked read (for you alone, when it went to your team)'), 400: errors[400], 404: errors[404] } }),
    async (c) => c.json(await markRead(deps.pool, c.get('user'), c.req.valid('param').id), 200));
}
