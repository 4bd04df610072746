import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { EnvironmentView, EventView, LaunchRequest } from '../domain/environment/schema.ts';
import { launchEnvironment, requireEnvironment, type EnvironmentServiceDeps } from '../engine/environments/launch.ts';
import { deleteEnvironment, startEnvironment, stopEnvironment } from '../engine/environments/desired-state.ts';
import { PgEnvironmentRepository } from '../engine/environments/repository.ts';
import type { EventFeed } from '../engine/live/event-feed.ts';
import { followEnvironment } from '../engine/live/follow.ts';
import { authorize, guard } from './authorize.ts';
import { ask } from '../engine/policy/guard.ts';
import { withoutCredentials } from '../domain/environment/credentials.ts';
import { errors, IdParam, json, secured, type Api } from './openapi.ts';
import type { Context } from 'hono';
import type { Env } from './openapi.ts';

const actor = (c: Context<Env>) => ({ user: c.get('user'), may: guard(c) });

/** What this reader sees of an environment: its credentials only if the policy lets them read those. */
const shown = (c: Context<Env>, env: EnvironmentView): EnvironmentView =>
  ask(c.get('policy'), c.get('user'), 'readCredentials', { type: 'Environment', ...env }).allowed ? env : withoutCredentials(env);

/** Launch, list, show and delete environments; their history and live progress. */
export function registerEnvironmentRoutes(app: Api, deps: EnvironmentServiceDeps & { feed: EventFeed }): void {
  const environments = new PgEnvironmentRepository(deps.pool);
  app.openapi(createRoute({ method: 'post', path: '/api/v1/environments', security: secured,
    request: { body: { required: true, content: { 'application/json': { schema: LaunchRequest } } } },
    responses: { 202: json(EnvironmentView, 'Launch accepted; follow /environments/{id}/stream for progress'), ...errors } }),
    async (c) => c.json(shown(c, await launchEnvironment(deps, actor(c), c.req.valid('json'))), 202));

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments', security: secured,
    request: { query: z.object({ team: z.string().optional(), mine: z.enum(['true', 'false']).optional(), includeDeleted: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ environments: z.array(EnvironmentView) }), 'Environments of a team (default: yours)') } }),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const team = q.team ?? user.team;
      if (q.mine !== 'true') authorize(c, 'listEnvironments', { type: 'Team', id: team });
      const list = await environments.list({
        team: q.mine === 'true' ? undefined : team, owner: q.mine === 'true' ? user.id : undefined, includeDeleted: q.includeDeleted === 'true',
      });
      return c.json({ environments: list.map((e) => shown(c, e)) }, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}', security: secured, request: { params: IdParam },
    responses: { 200: json(EnvironmentView, 'One environment with its resources and their outputs'), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(shown(c, await requireEnvironment(deps, actor(c), c.req.valid('param').id)), 200));

  app.openapi(createRoute({ method: 'delete', path: '/api/v1/environments/{id}', security: secured, request: { params: IdParam },
    responses: { 202: json(EnvironmentView, 'Deletion accepted'), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(shown(c, await deleteEnvironment(deps, actor(c), c.req.valid('param').id)), 202));

  for (const [action, change] of [['stop', stopEnvironment], ['start', startEnvironment]] as const) {
    app.openapi(createRoute({ method: 'post', path: `/api/v1/environments/{id}/${action}`, security: secured, request: { params: IdParam },
      responses: { 202: json(EnvironmentView, action === 'stop' ? 'Stopping: running processes end, work and data access are kept' : 'Starting again'), 403: errors[403], 404: errors[404], 409: errors[409] } }),
      async (c) => c.json(shown(c, await change(deps, actor(c), c.req.valid('param').id)), 202));
  }

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}/events', security: secured,
    request: { params: IdParam, query: z.object({ after: z.coerce.number().int().min(0).optional() }) },
    responses: { 200: json(z.object({ events: z.array(EventView) }), 'The environment\'s history, oldest first'), 404: errors[404] } }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireEnvironment(deps, actor(c), id);
      return c.json({ events: await environments.events(id, c.req.valid('query').after ?? 0) }, 200);
    });

  // Server-sent events: `event` for each new event, `environment` for the new snapshot after it.
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/api/v1/environments/{id}/stream', security: secured,
    description: 'Live progress as server-sent events: `event` (an EventView) for each new event, then `environment` (an EnvironmentView). EventSource cannot send a header: give a single-use `?ticket=` from POST /api/v1/stream-tickets instead (an API token in the URL is refused).',
    request: { params: IdParam, query: z.object({ after: z.coerce.number().optional(), ticket: z.string().optional() }) },
    responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, 404: errors[404] },
  });
  app.get('/api/v1/environments/:id/stream', async (c) => {
    const id = c.req.param('id');
    await requireEnvironment(deps, actor(c), id);
    return streamSSE(c, (stream) => followEnvironment({
      envId: id,
      after: Number(c.req.header('last-event-id') ?? c.req.query('after') ?? 0) || 0,
      feed: deps.feed,
      readEvents: (after) => environments.events(id, after),
      readEnvironment: async () => {
        const env = await environments.view(id);
        return env && shown(c, env);
      },
      send: (m) => stream.writeSSE({ event: m.event, data: JSON.stringify(m.data), ...(m.id === undefined ? {} : { id: String(m.id) }) }),
      aborted: () => stream.aborted,
      onAbort: (fn) => stream.onAbort(fn),
    }));
  });
}
