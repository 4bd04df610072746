import { createRoute, z } from '@hono/zod-openapi';
import { BuildView } from '../domain/build/schema.ts';
import { PgBuildJournal } from '../engine/builds/build-journal.ts';
import { requireEnvironment, type EnvironmentServiceDeps } from '../engine/environments/launch.ts';
import { PlatformError } from '../engine/errors.ts';
import { guard } from './authorize.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const BuildParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'e1a2b3c4d5' }),
  resourceId: z.string().openapi({ param: { name: 'resourceId', in: 'path' }, example: 'preview' }),
});

/** The builds of a resource that builds on push (a website preview, a service): who may read the environment may read them. */
export function registerBuildRoutes(app: Api, deps: Pick<EnvironmentServiceDeps, 'pool'>): void {
  const journal = new PgBuildJournal(deps.pool);
  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}/resources/{resourceId}/builds', security: secured,
    request: { params: BuildParams, query: z.object({ limit: z.coerce.number().int().min(1).max(50).optional() }) },
    responses: { 200: json(z.object({ builds: z.array(BuildView) }), 'The resource\'s builds, newest first, each with its status, error line and log'), 403: errors[403], 404: errors[404] } }),
    async (c) => {
      const { id, resourceId } = c.req.valid('param');
      const env = await requireEnvironment(deps, { may: guard(c) }, id);
      if (!env.resources.some((r) => r.id === resourceId)) {
        throw new PlatformError(404, 'unknown_resource', `environment ${id} has no resource "${resourceId}"; it has ${env.resources.map((r) => r.id).join(', ') || 'none'}`);
      }
      return c.json({ builds: await journal.list(id, resourceId, c.req.valid('query').limit ?? 10) }, 200);
    });
}
