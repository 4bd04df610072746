import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type pg from 'pg';
import { EnvironmentView, EventView, LaunchRequest } from '../domain/environment/schema.ts';
import { PlatformError } from '../engine/errors.ts';
import { launchEnvironment, deleteEnvironment, requireEnvironment } from '../engine/environments/launch.ts';
import { getEnvironmentView, listEnvironmentViews, listEvents } from '../engine/environments/store.ts';
import { formatPathError } from '../engine/paths/loader.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { listTeams, listUsers, revokeToken, signIn, userByToken, type User } from '../engine/identity/users.ts';
import type { EventFeed } from '../engine/live/event-feed.ts';
import { ApprovalView, decideApproval, listApprovals, type DataOwnership } from '../engine/approvals/approvals.ts';
import { errorResponse } from './errors.ts';
import { mountPortal } from './portal-assets.ts';
import { registerCatalogRoutes } from './catalog-routes.ts';

export interface ApiDeps {
  pool: pg.Pool;
  paths: PathLibrary;
  feed: EventFeed;
  version: string;
  /** On the embedded default the sign-in page may list the local accounts. */
  listLocalAccounts?: boolean;
  /** The built portal; served at the root when given. */
  portalDir?: string;
  dataOwners?: () => Promise<DataOwnership[]>;
  /** The warehouse's data dictionary (tables, columns, classification, who sees what). */
  dataDictionary?: () => Promise<{ relations: DatasetView[] }>;
}

export interface DatasetView {
  schema: string;
  name: string;
  kind: string;
  dataset: string;
  owner: string | null;
  description: string | null;
  visibleTo: string[];
  columns: { name: string; type: string; nullable: boolean; description: string | null; classification: string | null; visibleTo: string[] }[];
}

type Env = { Variables: { user: User } };

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ field: z.string(), message: z.string() })).optional() }) });
const errors = {
  400: { description: 'Bad input: the message says what to fix', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'No valid token', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Not allowed', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const PathSummary = z.object({
  name: z.string(), title: z.string(), description: z.string(), audience: z.string(), use: z.string().nullable(),
  tags: z.array(z.string()), owner: z.string(), version: z.string(), dataClass: z.string().nullable(), approval: z.string(),
  extensible: z.boolean(), resources: z.array(z.object({ id: z.string(), type: z.string() })),
  parameters: z.record(z.string(), z.unknown()), docs: z.string().nullable(),
});
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'e1a2b3c4d5' }) });

export function createApi(deps: ApiDeps): OpenAPIHono<Env> {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
        return c.json({ error: { code: 'invalid_request', message: details.map((d) => `${d.field}: ${d.message}`).join('; '), details } }, 400);
      }
    },
  });
  app.onError(errorResponse);
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no such endpoint: ${c.req.method} ${c.req.path}; see /api/v1/openapi.json` } }, 404));

  app.get('/api/v1/health', async (c) => {
    await deps.pool.query('SELECT 1');
    return c.json({ status: 'ok', version: deps.version });
  });
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Goldpath API', version: deps.version, description: 'Golden paths, environments and their resources.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' });

  const SignIn = z.strictObject({ user: z.string().min(1, 'give your user name or e-mail'), password: z.string().min(1, 'give your password') });
  const UserSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), team: z.string(), isAdmin: z.boolean() });
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

  const open = new Set(['/api/v1/health', '/api/v1/openapi.json', '/api/v1/auth', '/api/v1/sessions']);
  app.use('/api/v1/*', async (c, next) => {
    if (open.has(c.req.path) && !(c.req.path === '/api/v1/sessions' && c.req.method === 'DELETE')) return next();
    const header = c.req.header('authorization') ?? '';
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1] ?? (c.req.path.endsWith('/stream') ? c.req.query('token') : undefined);
    const user = token ? await userByToken(deps.pool, token) : null;
    if (!user) throw new PlatformError(401, 'unauthenticated', 'send your API token as "Authorization: Bearer <token>" (`goldpath token` prints it)');
    c.set('user', user);
    await next();
  });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/me', security: [{ token: [] }], responses: { 200: json(UserSchema, 'The signed-in user'), 401: errors[401] } }),
    (c) => c.json(c.get('user'), 200));
  app.openapi(createRoute({ method: 'delete', path: '/api/v1/sessions', security: [{ token: [] }], responses: { 204: { description: 'Signed out: the token no longer works' } } }),
    async (c) => {
      await revokeToken(deps.pool, c.req.header('authorization')!.replace(/^Bearer\s+/i, ''));
      return c.body(null, 204);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/teams', security: [{ token: [] }], responses: { 200: json(z.object({ teams: z.array(z.object({ id: z.string(), title: z.string(), members: z.array(z.string()) })) }), 'Teams') } }),
    async (c) => c.json({ teams: await listTeams(deps.pool) }, 200));

  const summary = (name: string) => {
    const { path } = deps.paths.get(name);
    return {
      name: path.metadata.name, title: path.metadata.title, description: path.metadata.description, audience: path.metadata.audience,
      use: path.metadata.use ?? null, tags: path.metadata.tags, owner: path.metadata.owner, version: path.spec.version,
      dataClass: path.spec.dataClass ?? null, approval: path.spec.approval, extensible: path.spec.extensible,
      resources: Object.entries(path.spec.resources).map(([id, r]) => ({ id, type: r.type })),
      parameters: path.spec.parameters, docs: path.spec.docs ?? null,
    };
  };
  app.openapi(createRoute({ method: 'get', path: '/api/v1/paths', security: [{ token: [] }],
    responses: { 200: json(z.object({ paths: z.array(PathSummary), errors: z.array(z.object({ file: z.string(), line: z.number().nullable(), field: z.string().nullable(), message: z.string(), text: z.string() })) }), 'Golden paths, and the files that could not be loaded') } }),
    (c) => c.json({ paths: deps.paths.list().map((p) => summary(p.path.metadata.name)), errors: deps.paths.errors.map((e) => ({ ...e, text: formatPathError(e) })) }, 200));

  app.openapi(createRoute({ method: 'get', path: '/api/v1/paths/{name}', security: [{ token: [] }],
    request: { params: z.object({ name: z.string() }) }, responses: { 200: json(PathSummary, 'One golden path'), 404: errors[404] } }),
    (c) => c.json(summary(c.req.valid('param').name), 200));

  app.openapi(createRoute({ method: 'post', path: '/api/v1/environments', security: [{ token: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: LaunchRequest } } } },
    responses: { 202: json(EnvironmentView, 'Launch accepted; follow /environments/{id}/stream for progress'), ...errors } }),
    async (c) => c.json(await launchEnvironment(deps, c.get('user'), c.req.valid('json')), 202));

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments', security: [{ token: [] }],
    request: { query: z.object({ team: z.string().optional(), mine: z.enum(['true', 'false']).optional(), includeDeleted: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ environments: z.array(EnvironmentView) }), 'Environments of a team (default: yours)') } }),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const team = q.team ?? user.team;
      if (!user.isAdmin && team !== user.team && q.mine !== 'true') throw new PlatformError(403, 'forbidden', `${user.id} may not list environments of team ${team}`);
      const environments = await listEnvironmentViews(deps.pool, {
        team: q.mine === 'true' ? undefined : team, owner: q.mine === 'true' ? user.id : undefined, includeDeleted: q.includeDeleted === 'true',
      });
      return c.json({ environments }, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}', security: [{ token: [] }], request: { params: IdParam },
    responses: { 200: json(EnvironmentView, 'One environment with its resources and their outputs'), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(await requireEnvironment(deps, c.get('user'), c.req.valid('param').id), 200));

  app.openapi(createRoute({ method: 'delete', path: '/api/v1/environments/{id}', security: [{ token: [] }], request: { params: IdParam },
    responses: { 202: json(EnvironmentView, 'Deletion accepted'), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(await deleteEnvironment(deps, c.get('user'), c.req.valid('param').id), 202));

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}/events', security: [{ token: [] }],
    request: { params: IdParam, query: z.object({ after: z.coerce.number().int().min(0).optional() }) },
    responses: { 200: json(z.object({ events: z.array(EventView) }), 'The environment\'s history, oldest first'), 404: errors[404] } }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireEnvironment(deps, c.get('user'), id);
      return c.json({ events: await listEvents(deps.pool, id, c.req.valid('query').after ?? 0) }, 200);
    });

  const Decision = z.strictObject({ reason: z.string().trim().min(1, 'say why: a reason is recorded with the decision') });
  app.openapi(createRoute({ method: 'get', path: '/api/v1/approvals', security: [{ token: [] }],
    request: { query: z.object({ status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(), mine: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ approvals: z.array(ApprovalView) }), 'Requests for data access your team decides (or, with mine=true, that you made)') } }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ approvals: await listApprovals(deps.pool, c.get('user'), { status: q.status, mine: q.mine === 'true' }) }, 200);
    });
  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(createRoute({ method: 'post', path: `/api/v1/approvals/{id}/${decision}`, security: [{ token: [] }],
      request: { params: z.object({ id: z.string() }), body: { required: true, content: { 'application/json': { schema: Decision } } } },
      responses: { 200: json(ApprovalView, `The request, ${decision}d`), ...errors, 409: { description: 'Already decided', content: { 'application/json': { schema: ErrorSchema } } } } }),
      async (c) => c.json(await decideApproval(deps.pool, c.get('user'), c.req.valid('param').id, decision, c.req.valid('json').reason), 200));
  }

  const DatasetSchema = z.object({
    schema: z.string(), name: z.string(), kind: z.string(), dataset: z.string(), owner: z.string().nullable(), description: z.string().nullable(), visibleTo: z.array(z.string()),
    columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), description: z.string().nullable(), classification: z.string().nullable(), visibleTo: z.array(z.string()) })),
  });
  const datasets = async (): Promise<DatasetView[]> => {
    if (!deps.dataDictionary) throw new PlatformError(404, 'no_warehouse', 'this platform has no warehouse');
    return (await deps.dataDictionary()).relations;
  };
  app.openapi(createRoute({ method: 'get', path: '/api/v1/datasets', security: [{ token: [] }],
    responses: { 200: json(z.object({ datasets: z.array(DatasetSchema) }), 'The data dictionary: every warehouse table and view with its columns') } }),
    async (c) => c.json({ datasets: await datasets() }, 200));
  app.openapi(createRoute({ method: 'get', path: '/api/v1/datasets/{schema}/{name}', security: [{ token: [] }],
    request: { params: z.object({ schema: z.string(), name: z.string() }) },
    responses: { 200: json(DatasetSchema, 'One dataset with its columns'), 404: errors[404] } }),
    async (c) => {
      const { schema, name } = c.req.valid('param');
      const found = (await datasets()).find((d) => d.schema === schema && d.name === name);
      if (!found) throw new PlatformError(404, 'unknown_dataset', `no dataset ${schema}.${name}; GET /api/v1/datasets lists them`);
      return c.json(found, 200);
    });

  // Server-sent events: `event` for each new event, `environment` for the new snapshot after it.
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/api/v1/environments/{id}/stream', security: [{ token: [] }],
    description: 'Live progress as server-sent events: `event` (an EventView) for each new event, then `environment` (an EnvironmentView). The token may be given as `?token=` for EventSource.',
    request: { params: IdParam, query: z.object({ after: z.coerce.number().optional(), token: z.string().optional() }) },
    responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, 404: errors[404] },
  });
  app.get('/api/v1/environments/:id/stream', async (c) => {
    const id = c.req.param('id');
    await requireEnvironment(deps, c.get('user'), id);
    return streamSSE(c, async (stream) => {
      let last = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? 0) || 0;
      let wake: () => void = () => {};
      const unsubscribe = deps.feed.subscribe(id, () => wake());
      stream.onAbort(() => {
        unsubscribe();
        wake();
      });
      try {
        while (!stream.aborted) {
          const events = await listEvents(deps.pool, id, last);
          for (const e of events) {
            await stream.writeSSE({ event: 'event', id: String(e.id), data: JSON.stringify(e) });
            last = e.id;
          }
          const env = await getEnvironmentView(deps.pool, id);
          await stream.writeSSE({ event: 'environment', data: JSON.stringify(env) });
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 15_000).unref();
          });
        }
      } finally {
        unsubscribe();
      }
    });
  });

  registerCatalogRoutes(app, { pool: deps.pool });
  if (deps.portalDir) mountPortal(app as never, deps.portalDir);
  return app;
}
