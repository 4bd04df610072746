import type { OpenAPIHono } from '@hono/zod-openapi';
import type pg from 'pg';
import type { PathLibrary } from '../engine/paths/library.ts';
import type { EventFeed } from '../engine/live/event-feed.ts';
import type { DataOwnership } from '../engine/approvals/approvals.ts';
import { newApiApp } from './errors.ts';
import { mountPortal } from './portal-assets.ts';
import type { Env } from './openapi.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerOidcRoutes } from './oidc-routes.ts';
import type { OidcSignIn } from '../engine/identity/oidc.ts';
import { registerTokenRoutes } from './token-routes.ts';
import { registerPathRoutes } from './path-routes.ts';
import { registerModelRoutes } from './model-routes.ts';
import { registerQuotaRoutes } from './quota-routes.ts';
import { registerEnvironmentRoutes } from './environment-routes.ts';
import { registerBuildRoutes } from './build-routes.ts';
import { registerApprovalRoutes } from './approval-routes.ts';
import { registerLifetimeRoutes } from './lifetime-routes.ts';
import { registerNoticeRoutes } from './notice-routes.ts';
import { registerDatasetRoutes, type DatasetView } from './dataset-routes.ts';
import { catalogBodyLimits, registerCatalogRoutes } from './catalog-routes.ts';
import { registerBackstageCatalogRoutes } from './backstage-catalog-routes.ts';
import { limitRequestBodies, rejectUnstorableText } from './request-guards.ts';
import { securityHeaders } from './security-headers.ts';
import { registerPolicyRoutes } from './policy-routes.ts';
import type { PolicyEngine } from '../engine/policy/engine.ts';
import type { TeamQuotas } from '../engine/quotas/quotas.ts';
import { auditTrail } from './audit-trail.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { registerSpendRoutes } from './spend-routes.ts';
import { Spend } from '../engine/spend/service.ts';
import { registerSqlRoutes, type SqlConsoleDeps } from './sql-routes.ts';
import { registerAssistantRoutes } from './assistant-routes.ts';
import type { DatasetInsight } from '../engine/datasets/dataset-insight.ts';
import { registerMcpRoute } from './mcp/route.ts';

export interface ApiDeps {
  pool: pg.Pool;
  paths: PathLibrary;
  /** Every authorisation decision comes from it (src/api/authorize.ts). */
  policy: PolicyEngine;
  /** The teams' limits, checked at launch and shown per team. */
  quotas?: TeamQuotas;
  feed: EventFeed;
  version: string;
  /** Sign-in through the organisation's OpenID Connect provider, when configured. */
  oidc?: OidcSignIn;
  /** The built portal; served at the root when given. */
  portalDir?: string;
  dataOwners?: () => Promise<DataOwnership[]>;
  /** The warehouse's data dictionary (tables, columns, classification, who sees what). */
  dataDictionary?: () => Promise<{ relations: DatasetView[] }>;
  applyWarehousePolicy?: () => Promise<{ datasets: number }>;
  /** The platform's own reason to refuse a path here (e.g. sensitive data on a host that cannot sandbox). */
  refuseLaunch?: (path: { id: string; dataClass: string | null }) => string | undefined;
  /** Spend: the rate card, reports and budgets (docs/spend.md); launch asks it whether the team's budget is spent. Default: one from the policy folders. */
  spend?: Spend;
  /** Notebook servers kept warm for the next launches: how many are ready, how many starting. */
  warmNotebooks?: () => Promise<{ warm: number; starting: number } | null>;
  /** The SQL console: where saved queries are committed, who hears of those commits, its time limit. */
  sqlConsole?: SqlConsoleDeps['sqlConsole'];
  /** Statistics and synthetic previews for the dataset pages. */
  datasetInsight?: DatasetInsight;
}

/**
 * The HTTP API under /api/v1 (and the portal at /). Handlers translate HTTP to engine calls and
 * nothing more; request and response schemas are zod, from which the OpenAPI document comes.
 */
export function createApi(given: ApiDeps): OpenAPIHono<Env> {
  // One Spend for every route, and launches ask it about budgets.
  // (Its rate card is read when first asked for: an API built without policies, as some tests build it, never is.)
  const spend = given.spend ?? new Spend({ pool: given.pool, policyDirs: given.policy?.dirs ?? [] });
  const deps = { ...given, spend, budgetExceeded: spend.budgetExceeded };
  const app = newApiApp<Env>();
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no such endpoint: ${c.req.method} ${c.req.path}; see /api/v1/openapi.json` } }, 404));
  // Before every route: headers on every answer, then bodies refused by size before they are read,
  // then text no route could store (NUL, invalid UTF-8) refused with the field named.
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    c.set('policy', deps.policy);
    await next();
  });
  // Around everything else, authentication and the body guards included, so that refused sign-ins
  // and refused requests leave their audit row too (Hono runs middleware in the order registered).
  app.use('/api/v1/*', auditTrail(deps.pool));
  app.use('*', limitRequestBodies({ limits: catalogBodyLimits }));
  app.use('*', rejectUnstorableText(() => app.routes));

  app.get('/api/v1/health', async (c) => {
    await deps.pool.query('SELECT 1');
    const warm = (await deps.warmNotebooks?.()) ?? null;
    return c.json({ status: 'ok', version: deps.version, ...(warm ? { warmNotebooks: warm } : {}) });
  });
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Goldpath API', version: deps.version, description: 'Golden paths, environments and their resources, governed data, the catalog.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' });

  registerSessionRoutes(app, deps); // first: it installs the authentication of every later route
  registerOidcRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerPathRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerQuotaRoutes(app, deps);
  registerEnvironmentRoutes(app, deps);
  registerBuildRoutes(app, deps);
  registerApprovalRoutes(app, deps);
  registerLifetimeRoutes(app, deps);
  registerNoticeRoutes(app, deps);
  registerDatasetRoutes(app, deps);
  registerCatalogRoutes(app, deps);
  registerBackstageCatalogRoutes(app, deps); // Backstage's own catalog read API, at /api/catalog
  registerPolicyRoutes(app);
  registerAuditRoutes(app, deps);
  registerSpendRoutes(app, deps);
  registerSqlRoutes(app, deps);
  registerAssistantRoutes(app); // its actions are requests to this same app, with the caller's token
  registerMcpRoute(app, deps); // the MCP server at /mcp: the same actions as tools, through these routes (docs/mcp.md)
  if (deps.portalDir) mountPortal(app as never, deps.portalDir);
  return app;
}
