import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type pg from 'pg';
import { PlatformError } from '../engine/errors.ts';
import { signIn, TooManySignIns } from '../engine/identity/sign-in.ts';
import { redeemStreamTicket } from '../engine/identity/stream-tickets.ts';
import { checkToken, revokeToken } from '../engine/identity/tokens.ts';
import type { OidcSignIn } from '../engine/identity/oidc.ts';
import { listTeams, type User } from '../engine/identity/users.ts';
import { ErrorSchema, errors, json, secured, type Api, type Env } from './openapi.ts';

const UserSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), team: z.string(), isAdmin: z.boolean() });
const SignIn = z.strictObject({
  user: z.string().min(1, 'give your user name or e-mail').max(320, 'a user name or e-mail is at most 320 characters'),
  password: z.string().min(1, 'give your password').max(1024, 'a password is at most 1024 characters'),
});
const open = new Set(['/api/v1/health', '/api/v1/openapi.json', '/api/v1/auth', '/api/v1/sessions', '/api/v1/auth/oidc/start', '/api/v1/auth/oidc/callback']);
const streamPath = /^\/api\/v1\/environments\/([^/]+)\/stream$/;
const howToGetAToken = 'sign in again in the portal or with `goldpath login`, or on this machine run `goldpath up` (it renews the local CLI tokens) and `goldpath token`';

/** The bearer token of a request, if it sent one. */
export const bearerToken = (c: Context): string | undefined => c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];

/** The client's address as the socket saw it; never a header the client could write itself. */
function clientAddress(c: Context): string | undefined {
  const raw = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  if (!raw) return undefined;
  const v4 = raw.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  if (v4) return v4;
  if (!raw.includes(':')) return raw;
  // One IPv6 host usually holds a whole /64: count the prefix, or every guess could come from a new address.
  const [head, tail = ''] = raw.split('::');
  const left = head ? head.split(':') : [];
  const right = raw.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':') + '::/64';
}

/** The user a bearer token belongs to, or a 401 that says what to do (checks are cached: tokens.ts). */
async function userOfToken(pool: pg.Pool, token: string | undefined): Promise<User> {
  if (!token) throw new PlatformError(401, 'unauthenticated', 'send your API token as "Authorization: Bearer <token>" (`goldpath token` prints it)');
  const check = await checkToken(pool, token);
  if (check.status === 'expired') throw new PlatformError(401, 'token_expired', `this API token expired at ${check.expiredAt}: ${howToGetAToken}`);
  if (check.status !== 'valid') throw new PlatformError(401, 'unauthenticated', `this API token is unknown or was revoked: ${howToGetAToken}`);
  return check.user;
}

/** Requires a bearer token, for routes outside /api/v1 (Backstage's catalog API at /api/catalog). */
export const requireToken = (pool: pg.Pool): MiddlewareHandler<Env> => async (c, next) => {
  c.set('user', await userOfToken(pool, bearerToken(c)));
  await next();
};

/**
 * Sign-in (local accounts, and the OIDC provider's name when there is one), tokens, and who is
 * asking. Nothing here names an account to someone without a token.
 */
export function registerSessionRoutes(app: Api, deps: { pool: pg.Pool; oidc?: OidcSignIn }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/auth',
    description: 'How to sign in: `local` (user and password, POST /api/v1/sessions) and, when configured, `oidc` (the browser goes to `oidc.start`).',
    responses: { 200: json(z.object({
      methods: z.array(z.enum(['local', 'oidc'])),
      oidc: z.object({ name: z.string().openapi({ example: 'Okta' }), start: z.string().openapi({ example: '/api/v1/auth/oidc/start' }) }).optional(),
    }), 'How to sign in') } }),
    (c) => c.json(deps.oidc
      ? { methods: ['local' as const, 'oidc' as const], oidc: { name: deps.oidc.settings.displayName, start: '/api/v1/auth/oidc/start' } }
      : { methods: ['local' as const] }, 200));
  app.openapi(createRoute({ method: 'post', path: '/api/v1/sessions',
    description: 'Signs in with a local account. Failed sign-ins are limited per account and per client address; past the limit the answer is 429 with Retry-After, before any password is checked.',
    request: { body: { required: true, content: { 'application/json': { schema: SignIn } } } },
    responses: {
      201: json(z.object({ token: z.string(), user: UserSchema }), 'Signed in: send the token as a bearer token (it lasts 12 hours)'),
      400: errors[400], 401: errors[401],
      429: { ...json(ErrorSchema, 'Too many failed sign-ins: wait as long as Retry-After says'), headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } },
    } }),
    async (c) => {
      const { user, password } = c.req.valid('json');
      try {
        return c.json(await signIn(deps.pool, user, password, { address: clientAddress(c) }), 201);
      } catch (e) {
        if (!(e instanceof TooManySignIns)) throw e;
        return c.json({ error: { code: 'too_many_attempts', message: e.message } }, 429, { 'Retry-After': String(e.retryAfterSeconds) });
      }
    });

  // Everything else needs a token in the Authorization header; the event stream (EventSource
  // cannot send headers) takes a single-use ?ticket= instead, never the token itself.
  app.use('/api/v1/*', async (c, next) => {
    if (open.has(c.req.path) && !(c.req.path === '/api/v1/sessions' && c.req.method === 'DELETE')) return next();
    const stream = c.req.path.match(streamPath);
    if (stream && c.req.query('token') !== undefined) {
      throw new PlatformError(401, 'token_in_url', 'API tokens are not accepted in URLs (they end up in logs and history): send "Authorization: Bearer <token>", or ask POST /api/v1/stream-tickets for a single-use ?ticket=');
    }
    const token = bearerToken(c);
    const ticket = stream ? c.req.query('ticket') : undefined;
    if (!token && ticket !== undefined) {
      c.set('user', await redeemStreamTicket(deps.pool, ticket, decodeURIComponent(stream![1])));
      return next();
    }
    c.set('user', await userOfToken(deps.pool, token));
    await next();
  });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/me', security: secured, responses: { 200: json(UserSchema, 'The signed-in user'), 401: errors[401] } }),
    (c) => c.json(c.get('user'), 200));
  app.openapi(createRoute({ method: 'delete', path: '/api/v1/sessions', security: secured, responses: { 204: { description: 'Signed out: the token no longer works' } } }),
    async (c) => {
      await revokeToken(deps.pool, bearerToken(c)!);
      return c.body(null, 204);
    });
  app.openapi(createRoute({ method: 'get', path: '/api/v1/teams', security: secured, responses: { 200: json(z.object({ teams: z.array(z.object({ id: z.string(), title: z.string(), members: z.array(z.string()) })) }), 'Teams') } }),
    async (c) => c.json({ teams: await listTeams(deps.pool) }, 200));
}
