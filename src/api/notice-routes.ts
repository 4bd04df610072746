import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type pg from 'pg';
import type { EventFeed } from '../engine/live/event-feed.ts';
import { watchNotices } from '../engine/notices/watch.ts';
import { NoticeView } from '../domain/notice/schema.ts';
import { listNotices, markRead } from '../engine/notices/notices.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const NoticeIdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });

/** What the platform told the signed-in user and their team: lifetimes, break-glass approvals. */
export function registerNoticeRoutes(app: Api, deps: { pool: pg.Pool; feed?: EventFeed }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/notices', security: secured,
    request: { query: z.object({ unread: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ notices: z.array(NoticeView) }), "Your notices and your team's, newest first") } }),
    async (c) => c.json({ notices: await listNotices(deps.pool, c.get('user'), { unreadOnly: c.req.valid('query').unread === 'true' }) }, 200));

  app.openapi(createRoute({ method: 'post', path: '/api/v1/notices/{id}/read', security: secured, request: { params: NoticeIdParam },
    responses: { 200: json(NoticeView, 'Marked read (for you alone, when it went to your team)'), 400: errors[400], 404: errors[404] } }),
    async (c) => c.json(await markRead(deps.pool, c.get('user'), c.req.valid('param').id), 200));

  // Server-sent events for the portal's notification centre. It reads them with fetch, so the token travels in the header.
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/api/v1/notices/stream', security: secured,
    description: 'Your unread notices as server-sent events: a `notices` event ({ notices: NoticeView[] }, newest first, at most 50) at once and whenever they change (a launch ready or failed, an approval asked or decided, a lifetime warning: at once; a budget notice within 15 s).',
    responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, 401: errors[401] },
  });
  app.get('/api/v1/notices/stream', (c) => {
    const user = c.get('user');
    return streamSSE(c, (stream) => watchNotices({
      feed: deps.feed ?? { subscribeAll: () => () => {} },
      readUnread: () => listNotices(deps.pool, user, { unreadOnly: true, limit: 50 }),
      send: (notices) => stream.writeSSE({ event: 'notices', data: JSON.stringify({ notices }) }),
      aborted: () => stream.aborted,
      onAbort: (fn) => stream.onAbort(fn),
    }));
  });
}
