import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { PlatformError } from '../engine/errors.ts';
import { teamExists } from '../engine/identity/users.ts';
import { TeamQuotas } from '../engine/quotas/quotas.ts';
import { quotaNames } from '../engine/quotas/schema.ts';
import { authorize } from './authorize.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const QuotaView = z.object({
  name: z.enum(quotaNames),
  limit: z.number().int(),
  used: z.number().int(),
  unit: z.string().openapi({ example: 'environments' }),
});
const TeamParam = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' }, example: 'churn-analytics' }) });
const unitOf: Record<(typeof quotaNames)[number], string> = {
  runningEnvironments: 'environments', notebooks: 'notebooks', warehouseConnections: 'connections', storageMb: 'MB',
};

/** A team's usage against its quotas (policies/quotas.yaml), for its members and admins. */
export function registerQuotaRoutes(app: Api, deps: { pool: pg.Pool; quotas?: TeamQuotas }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/teams/{id}/quotas', security: secured,
    description: 'What the team holds now against each of its limits; a launch that would go over one is refused.',
    request: { params: TeamParam },
    responses: { 200: json(z.object({ team: z.string(), quotas: z.array(QuotaView) }), 'Usage and limits'), 403: errors[403], 404: errors[404] } }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await teamExists(deps.pool, id))) throw new PlatformError(404, 'unknown_team', `no team "${id}"`);
      authorize(c, 'listEnvironments', { type: 'Team', id });
      // Without the platform's own (no disk to measure), limits still come from the policy folders.
      const quotas = deps.quotas ?? new TeamQuotas({ policyDirs: c.get('policy').dirs });
      const limits = quotas.limits(id);
      const usage = await quotas.usage(deps.pool, id);
      return c.json({ team: id, quotas: quotaNames.map((name) => ({ name, limit: limits[name], used: usage[name], unit: unitOf[name] })) }, 200);
    });
}
