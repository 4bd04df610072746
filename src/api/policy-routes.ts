import { createRoute, z } from '@hono/zod-openapi';
import { json, secured, type Api } from './openapi.ts';

const PolicyView = z.object({
  id: z.string(),
  effect: z.enum(['permit', 'forbid']),
  file: z.string(),
  line: z.number(),
  reason: z.string().nullable(),
  text: z.string(),
});

/** The policies in force, for everyone to read: rules people are held to should be visible to them. */
export function registerPolicyRoutes(app: Api): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/policies', security: secured,
    description: 'Every policy in force (after the last successful reload), with the file and line it comes from.',
    responses: { 200: json(z.object({ policies: z.array(PolicyView) }), 'The policies in force') } }),
    (c) => c.json({
      policies: c.get('policy').policies.map((p) => ({
        id: p.id, effect: p.effect,
        file: p.file.split('/').pop()!, line: p.line, reason: p.reason ?? null, text: p.text,
      })),
    }, 200));
}
