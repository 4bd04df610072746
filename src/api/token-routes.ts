import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { guard } from './authorize.ts';
import { requireEnvironment } from '../engine/environments/launch.ts';
import { issueStreamTicket, streamTicketSeconds } from '../engine/identity/stream-tickets.ts';
import { issueToken, listTokens, revokeTokenById } from '../engine/identity/tokens.ts';
import { TokenView } from '../domain/identity/token.ts';
import { errors, json, secured, type Api } from './openapi.ts';
import { bearerToken } from './session-routes.ts';

const TokenIdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'tok_k3x9q2mz' }) });
const NewToken = z.strictObject({
  label: z.string().trim().min(1, 'name the token after where it is used, e.g. "laptop" or "ci"').max(60, 'keep the label under 60 characters'),
  days: z.number({ error: 'give the number of days the token works, 1 to 365' }).int('a whole number of days').min(1, 'at least 1 day').max(365, 'at most 365 days; create a new one when it ends').optional()
    .openapi({ description: 'How long it works (default 90 days)', example: 90 }),
});
const TicketRequest = z.strictObject({ environmentId: z.string().min(1, 'give the id of the environment to follow').max(200, 'not an environment id') });

/** The caller's own API tokens (list, revoke) and single-use tickets for the live-progress stream. */
export function registerTokenRoutes(app: Api, deps: { pool: pg.Pool }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/tokens', security: secured,
    responses: { 200: json(z.object({ tokens: z.array(TokenView) }), 'Your tokens that still work, newest first (never their secrets)'), 401: errors[401] } }),
    async (c) => c.json({ tokens: await listTokens(deps.pool, c.get('user').id, bearerToken(c)) }, 200));

  app.openapi(createRoute({ method: 'post', path: '/api/v1/tokens', security: secured,
    description: 'Creates an API token for you (a CLI or automation token). Its secret is in this answer only: it is never shown again.',
    request: { body: { required: true, content: { 'application/json': { schema: NewToken } } } },
    responses: { 201: json(TokenView.extend({ token: z.string().openapi({ description: 'The secret, shown once' }) }), 'The new token'), 400: errors[400], 401: errors[401] } }),
    async (c) => {
      const { label, days } = c.req.valid('json');
      const user = c.get('user');
      const token = await issueToken(deps.pool, user.id, 'cli', (days ?? 90) * 24, label);
      const view = (await listTokens(deps.pool, user.id, token)).find((t) => t.current)!;
      return c.json({ ...view, current: false, token }, 201);
    });

  app.openapi(createRoute({ method: 'delete', path: '/api/v1/tokens/{id}', security: secured, request: { params: TokenIdParam },
    responses: { 204: { description: 'Revoked: the token no longer works (revoking the current one signs you out)' }, 401: errors[401], 404: errors[404] } }),
    async (c) => {
      await revokeTokenById(deps.pool, c.get('user').id, c.req.valid('param').id);
      return c.body(null, 204);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/stream-tickets', security: secured,
    description: `A single-use ticket to open /api/v1/environments/{id}/stream?ticket=… (EventSource cannot send a header). It opens one stream of that environment, once, within ${streamTicketSeconds} s.`,
    request: { body: { required: true, content: { 'application/json': { schema: TicketRequest } } } },
    responses: { 201: json(z.object({ ticket: z.string(), expiresAt: z.string() }), 'The ticket'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] } }),
    async (c) => {
      const { environmentId } = c.req.valid('json');
      const user = c.get('user');
      await requireEnvironment(deps, { may: guard(c) }, environmentId);
      return c.json(await issueStreamTicket(deps.pool, bearerToken(c)!, user, environmentId), 201);
    });
}
