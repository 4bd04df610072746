import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { PlatformError } from '../engine/errors.ts';
import { listTeams, listUsers, revokeToken, signIn, userByToken } from '../engine/identity/users.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const UserSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), team: z.string(), isAdmin: z.boolean() });
const SignIn = z.strictObject({ user: z.string().min(1, 'give your user name or e-mail'), password: z.string().min(1, 'give your password') });
const open = new Set(['/api/v1/health', '/api/v1/openapi.json', '/api/v1/auth', '/api/v1/sessions']);

/** Sign-in (local accounts; room for OIDC beside `local` in /auth), tokens, and who is asking. */
export function registerSessionRoutes(app: Api, deps: { pool: pg.Pool; listLocalAccounts?: boolean }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/auth',
    responses: { 200: json(z.object({ methods: z.array(z.string()), localAccounts: z.array(z.object({ id: z.string(), name: z.string(), team: z.string() })) }), 'How to sign in') } }),
    async (c) => c.json({
      methods: ['local'],
      localAccounts: deps.listLocalAccounts ? (await listUsers(deps.pool)).map((u) => ({ id: u.id, name: u.name, team: u.team })) : [],
    }, 200));
  app.openapi(createRoute({ method: 'post', path: '/api/v1/sessions',
    request: { body: { required: true, content: { 'application/json': { schema: SignIn } } } },
    responses: { 201: json(z.object({ token: z.string(), user: UserSchema }), 'Signed in: send the token as a bearer token'), 400: errors[400], 401: errors[401] } }),
    async (c) => {
      const { user, password } = c.req.valid('json');
      return c.json(await signIn(deps.pool, user, password), 201);
    });

  // Everything else needs a token; the event stream also takes it as ?token= (EventSource cannot send headers).
  app.use('/api/v1/*', async (c, next) => {
    if (open.has(c.req.path) && !(c.req.path === '/api/v1/sessions' && c.req.method === 'DELETE')) return next();
    const header = c.req.header('authorization') ?? '';
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1] ?? (c.req.path.endsWith('/stream') ? c.req.query('token') : undefined);
    const user = token ? await userByToken(deps.pool, token) : null;
    if (!user) throw new PlatformError(401, 'unauthenticated', 'send your API token as "Authorization: Bearer <token>" (`goldpath token` prints it)');
    c.set('user', user);
    await next();
  });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/me', security: secured, responses: { 200: json(UserSchema, 'The signed-in user'), 401: errors[401] } }),
    (c) => c.json(c.get('user'), 200));
  app.openapi(createRoute({ method: 'delete', path: '/api/v1/sessions', security: secured, responses: { 204: { description: 'Signed out: the token no longer works' } } }),
    async (c) => {
      await revokeToken(deps.pool, c.req.header('authorization')!.replace(/^Bearer\s+/i, ''));
      return c.body(null, 204);
    });
  app.openapi(createRoute({ method: 'get', path: '/api/v1/teams', security: secured, responses: { 200: json(z.object({ teams: z.array(z.object({ id: z.string(), title: z.string(), members: z.array(z.string()) })) }), 'Teams') } }),
    async (c) => c.json({ teams: await listTeams(deps.pool) }, 200));
}
