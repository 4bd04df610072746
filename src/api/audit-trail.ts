import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type pg from 'pg';
import type { Decision } from '../domain/policy/decision.ts';
import type { Env } from './openapi.ts';
import { recordAudit, type AuditEntry } from '../engine/audit/log.ts';
import { PlatformError } from '../engine/errors.ts';
import { redact } from '../domain/secrets/redact.ts';

/**
 * Writes exactly one audit row for each /api/v1 request that made a policy decision or asked to
 * change something (any method but GET, HEAD and OPTIONS), after the handler ran, also when it
 * failed. It wraps everything else (authentication included), so refused sign-ins and requests
 * without a valid token are recorded as well. Handlers never write audit rows themselves.
 *
 * What it writes is built from the matched route (`/api/v1/environments/:id`), its parameters and
 * the decision: never the raw URL, its query string, a header or a body, which may hold secrets.
 * The one exception is a sign-in's login name, kept as the detail (never the password).
 */
export function auditTrail(pool: Pick<pg.Pool, 'query'>): MiddlewareHandler<Env> {
  return async (c, next) => {
    let thrown: unknown;
    try {
      await next();
    } catch (e) {
      thrown = e;
      throw e;
    } finally {
      const decision = c.get('decision');
      const method = c.req.method;
      if (decision || !readOnlyMethods.has(method) || (method === 'GET' && changingGets.has(endpointOf(c)?.path ?? ''))) {
        const status = thrown === undefined ? c.res.status : thrown instanceof PlatformError ? thrown.status : 500;
        const entry = await entryFor(c, decision, status).catch(() => undefined);
        if (entry) {
          await recordAudit(pool, entry).catch((e: Error) => {
            // The answer stands (the change, if any, is made); the operator must see the gap.
            console.error(`[audit] could not record ${entry.action} by ${entry.actor}: ${redact(e.message, [])}`);
          });
        }
      }
    }
  };
}

const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * GETs that change something all the same: the OpenID Connect callback issues a session (a browser
 * comes back from the identity provider with a GET; it cannot do otherwise).
 */
const changingGets = new Set(['/api/v1/auth/oidc/callback']);

async function entryFor(c: Context<Env>, decision: Decision | undefined, status: number): Promise<AuditEntry> {
  const endpoint = endpointOf(c);
  const route = endpoint?.path;
  const user = c.get('user') as Env['Variables']['user'] | undefined;
  const entry: AuditEntry = {
    actor: user?.id ?? 'anonymous',
    action: decision?.action ?? (route ? actionOf(c.req.method, route) : 'unknownEndpoint'),
    // The route's parameters only when no decision named the resource (most requests have one).
    resource: decision?.resource ?? (endpoint ? resourceOf(endpoint.path, paramsOf(c, endpoint.index)) : ''),
    team: decision?.team ?? null,
    decision: decision?.allowed === false || status === 401 || status === 403 ? 'deny' : 'allow',
    policies: decision?.policies ?? [],
    status,
  };
  if (route === '/api/v1/sessions' && c.req.method === 'POST') await describeSignIn(c, entry, status);
  if (route === '/api/v1/auth/oidc/callback') entry.detail = 'through the OpenID Connect provider';
  // A sign-in that did not sign anybody in was refused, whatever the status says (400, 429).
  if (entry.action === 'signIn' && status >= 400 && status < 500) entry.decision = 'deny';
  return entry;
}

/** The endpoint the request matched (not a middleware's `*`): its path and place among the matches. */
function endpointOf(c: Context): { path: string; index: number } | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i]!.method !== 'ALL' && !routes[i]!.path.endsWith('*')) return { path: routes[i]!.path, index: i };
  }
  return undefined;
}

/**
 * The endpoint's parameters, also when the request was refused before reaching it (Hono gives the
 * parameters of the handler it stopped at), each cut short: they name things.
 */
function paramsOf(c: Context, index: number): Record<string, string> {
  const at = c.req.routeIndex;
  try {
    c.req.routeIndex = index;
    return Object.fromEntries(Object.entries(c.req.param() as Record<string, string>).map(([k, v]) => [k, String(v).slice(0, 200)]));
  } catch {
    return {};
  } finally {
    c.req.routeIndex = at;
  }
}

/**
 * Names for the routes that change something, the same as the policy action they are decided by
 * when there is one (so that `--action launch` finds a launch refused before its decision, too).
 */
const knownActions: Record<string, string> = {
  'POST /api/v1/sessions': 'signIn',
  'GET /api/v1/auth/oidc/callback': 'signIn',
  'DELETE /api/v1/sessions': 'signOut',
  'POST /api/v1/environments': 'launch',
  'DELETE /api/v1/environments/:id': 'delete',
  'POST /api/v1/approvals/:id/approve': 'decideApproval',
  'POST /api/v1/approvals/:id/reject': 'decideApproval',
  'POST /api/v1/warehouse/apply': 'applyWarehouse',
  'POST /api/v1/catalog/entities': 'registerEntity',
  'DELETE /api/v1/catalog/entities/by-ref/:kind/:namespace/:name': 'deleteEntity',
  'POST /api/v1/catalog/imports/:id/commit': 'commitCatalogImport',
  'DELETE /api/v1/tokens/:id': 'revokeToken',
  'POST /api/v1/tokens': 'createToken',
  'POST /api/v1/stream-tickets': 'createStreamTicket',
  'POST /api/v1/notices/:id/read': 'markNoticeRead',
  // What the assistant then does on a confirmation is its own row, by the route it goes through.
  'POST /api/v1/assistant': 'ask',
};

const camel = (s: string) => s.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
const singular = (s: string) => s.replace(/ies$/, 'y').replace(/s$/, '');
const verbs: Record<string, string> = { POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };

/**
 * The action of a request no decision named. Known routes have their name; any other is named from
 * its route: a verb after an id is the action (`POST …/environments/:id/extend` → `extend`),
 * otherwise the method and the thing (`POST /api/v1/widgets` → `createWidget`).
 */
export function actionOf(method: string, route: string): string {
  const key = `${method} ${route}`;
  const known = knownActions[key] ?? derivedActions.get(key);
  if (known) return known;
  const derived = actionFromRoute(method, route);
  derivedActions.set(key, derived); // the route table is finite: each name is worked out once
  return derived;
}

const derivedActions = new Map<string, string>();

function actionFromRoute(method: string, route: string): string {
  const parts = route.replace(/^\/api\/v1\/?/, '').split('/').filter(Boolean);
  const last = parts.at(-1) ?? '';
  if (parts.length > 1 && parts.at(-2)!.startsWith(':') && !last.startsWith(':')) return camel(last);
  const things = parts.filter((p) => !p.startsWith(':'));
  const thing = things.map((p, i) => camel(i === things.length - 1 ? singular(p) : p)).map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join('');
  const verb = verbs[method] ?? method.toLowerCase();
  return thing ? verb + thing[0]!.toUpperCase() + thing.slice(1) : verb;
}

const resourceTypes: Record<string, string> = { environments: 'Environment', approvals: 'Approval', tokens: 'Token', catalog: 'CatalogEntity', teams: 'Team', paths: 'Path' };

/** The resource named as the policy engine would, from the route's parameters: Environment::"e1a2". */
export function resourceOf(route: string, params: Record<string, string>): string {
  const parts = route.replace(/^\/api\/v1\/?/, '').split('/').filter(Boolean);
  const type = resourceTypes[parts[0] ?? ''] ?? (parts[0] ? camel(singular(parts[0])).replace(/^./, (ch) => ch.toUpperCase()) : '');
  if (params.kind && params.namespace && params.name) return `${type}::${JSON.stringify(`${params.kind}:${params.namespace}/${params.name}`)}`;
  const id = params.id ?? params.name;
  return id && type ? `${type}::${JSON.stringify(id)}` : '';
}

/**
 * A sign-in names who tried: the login as typed (the detail) and, when it worked, the user it
 * signed in as (the actor). The password is never read here.
 */
async function describeSignIn(c: Context, entry: AuditEntry, status: number): Promise<void> {
  // Only a body some route already read: reading one here could mean reading a refused, huge body.
  const read = Object.keys(c.req.bodyCache).length > 0;
  const body = read ? await c.req.json().catch(() => undefined) as { user?: unknown } | undefined : undefined;
  if (typeof body?.user === 'string') entry.detail = `login: ${body.user.slice(0, 320)}`;
  if (status === 201) {
    const signedIn = await c.res.clone().json().catch(() => undefined) as { user?: { id?: unknown } } | undefined;
    if (typeof signedIn?.user?.id === 'string') entry.actor = signedIn.user.id;
  }
}
