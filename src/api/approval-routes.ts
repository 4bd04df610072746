import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { approvalResource, ApprovalView, decideApproval, listApprovals } from '../engine/approvals/approvals.ts';
import { requireEnvironment } from '../engine/environments/launch.ts';
import { guard } from './authorize.ts';
import { ask } from '../engine/policy/guard.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const reason = z.string().trim().min(1, 'say why: a reason is recorded with the decision');
const Decision = z.strictObject({ reason });
const BreakGlass = z.strictObject({
  decision: z.enum(['approve', 'reject'], 'say approve or reject'),
  reason: z.string().trim().min(20, 'break-glass needs a real reason (at least 20 characters): it is shown to the owning team'),
});

/** Requests for governed data: what waits for my team, what I asked for, and the decisions. */
export function registerApprovalRoutes(app: Api, deps: { pool: pg.Pool }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/approvals', security: secured,
    request: { query: z.object({ status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(), mine: z.enum(['true', 'false']).optional(), environment: z.string().optional() }) },
    responses: { 200: json(z.object({ approvals: z.array(ApprovalView) }), 'Requests for data access your team decides; with mine=true, the ones you made; with environment=<id>, those of one environment you may see'), 403: errors[403], 404: errors[404] } }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.environment) await requireEnvironment(deps, { may: guard(c) }, q.environment);
      const asked = (action: 'readApproval' | 'decideApproval' | 'breakGlass', a: Pick<ApprovalView, 'id' | 'approverTeam' | 'requestedBy' | 'environmentTeam'>) =>
        ask(c.get('policy'), c.get('user'), action, approvalResource(a)).allowed;
      // May this reader see requests of teams they are not in at all? Only then is the query widened; every row is asked about anyway.
      const otherTeams = asked('readApproval', { id: '(any)', approverTeam: '(another team)', requestedBy: '(someone else)', environmentTeam: '(another team)' });
      const approvals = (await listApprovals(deps.pool, c.get('user'), { status: q.status, mine: q.mine === 'true', environment: q.environment, otherTeams }))
        .filter((a) => asked('readApproval', a));
      // Asked, not recorded: what the reader may do with each, so the portal offers only that.
      const may = (action: 'decideApproval' | 'breakGlass', a: ApprovalView) => a.status === 'pending' && asked(action, a);
      return c.json({ approvals: approvals.map((a) => ({ ...a, youMay: { decide: may('decideApproval', a), breakGlass: may('breakGlass', a) } })) }, 200);
    });
  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(createRoute({ method: 'post', path: `/api/v1/approvals/{id}/${decision}`, security: secured,
      request: { params: z.object({ id: z.string() }), body: { required: true, content: { 'application/json': { schema: Decision } } } },
      responses: { 200: json(ApprovalView, `The request, ${decision}d`), ...errors } }),
      async (c) => c.json(await decideApproval(deps.pool, { user: c.get('user'), may: guard(c) }, c.req.valid('param').id, decision, c.req.valid('json').reason), 200));
  }
  app.openapi(createRoute({ method: 'post', path: '/api/v1/approvals/{id}/break-glass', security: secured,
    description: 'A platform admin approves or rejects for an owning team they are not in. Off unless a policy allows the breakGlass action; always recorded as break-glass, and the owning team is told.',
    request: { params: z.object({ id: z.string() }), body: { required: true, content: { 'application/json': { schema: BreakGlass } } } },
    responses: { 200: json(ApprovalView, 'The request, decided by break-glass'), ...errors } }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await decideApproval(deps.pool, { user: c.get('user'), may: guard(c) }, c.req.valid('param').id, body.decision, body.reason, { breakGlass: true }), 200);
    });
}
