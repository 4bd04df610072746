import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { EnvironmentView } from '../domain/environment/schema.ts';
import { isEnvironmentId } from '../domain/environment/id.ts';
import type { Clock } from '../domain/time/clock.ts';
import { PgEnvironmentRepository } from '../engine/environments/repository.ts';
import { PlatformError } from '../engine/errors.ts';
import { extendEnvironment } from '../engine/lifetimes/extend.ts';
import { lifetimesFrom } from '../engine/lifetimes/lifetimes.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { authorize } from './authorize.ts';
import { errors, IdParam, json, secured, type Api } from './openapi.ts';

export const ExtendRequest = z.strictObject({
  by: z.string().max(20).optional().openapi({ description: 'How much longer, e.g. 12h or 2d; default one more ttl, as far as the limit', example: '2d' }),
});

/** Lifetimes: `goldpath extend`. */
export function registerLifetimeRoutes(app: Api, deps: { pool: pg.Pool; paths: PathLibrary; clock?: Clock }): void {
  const lifetimeOf = lifetimesFrom(deps.paths);
  app.openapi(createRoute({ method: 'post', path: '/api/v1/environments/{id}/extend', security: secured,
    request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: ExtendRequest } } } },
    responses: { 200: json(EnvironmentView, 'Extended: expiresAt is the new expiry'), 400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409] } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const env = isEnvironmentId(id) ? await new PgEnvironmentRepository(deps.pool).view(id) : null;
      if (!env) throw new PlatformError(404, 'unknown_environment', `no environment "${id}"; \`goldpath envs\` lists yours`);
      authorize(c, 'extend', { type: 'Environment', ...env });
      const body = (c.req.valid('json') ?? {}) as z.infer<typeof ExtendRequest>;
      return c.json(await extendEnvironment({ pool: deps.pool, lifetimeOf, clock: deps.clock }, c.get('user'), id, body.by), 200);
    });
}
