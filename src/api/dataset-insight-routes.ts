import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type pg from 'pg';
import type { EnvironmentView } from '../domain/environment/schema.ts';
import type { DatasetInsight } from '../engine/datasets/dataset-insight.ts';
import { requireEnvironment } from '../engine/environments/launch.ts';
import { PgEnvironmentRepository } from '../engine/environments/repository.ts';
import { PlatformError } from '../engine/errors.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { ask } from '../engine/policy/guard.ts';
import { warehouseGrantOf } from '../engine/sql-console/environment-grant.ts';
import { queryPage } from '../engine/sql-console/read-only-query.ts';
import { guard } from './authorize.ts';
import { errors, json, secured, type Api, type Env } from './openapi.ts';
import type { DatasetView } from './dataset-routes.ts';

export interface DatasetInsightDeps {
  pool?: pg.Pool;
  paths?: PathLibrary;
  /** Statistics and synthetic previews of the warehouse's datasets. */
  datasetInsight?: DatasetInsight;
}

const PREVIEW_ROWS = 20;
const Params = z.object({ schema: z.string(), name: z.string() });

const ColumnStats = z.object({ name: z.string(), type: z.string(), nulls: z.number(), distinct: z.number().nullable(), min: z.string().nullable(), max: z.string().nullable() });
const DatasetStats = z.object({
  computedOn: z.string().openapi({ description: 'always the synthetic copy: the figures describe no real person' }),
  rowCount: z.number(),
  columns: z.array(ColumnStats),
  freshness: z.object({ dataUntil: z.string().nullable(), maskedRefreshedOn: z.string().nullable() }),
  computedAt: z.string(),
});
const GrantChoice = z.object({ environment: z.string(), name: z.string(), dataClass: z.string() });
const PathChoice = z.object({ path: z.string(), title: z.string(), dataClass: z.string(), approval: z.string() });
const DatasetPreview = z.object({
  source: z.enum(['synthetic', 'grant']).openapi({ description: 'synthetic: generated rows anyone may see; grant: the real relation, read with your environment\'s grant' }),
  relation: z.string(),
  environment: GrantChoice.nullable(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string().nullable())),
  access: z.object({
    grants: z.array(GrantChoice).openapi({ description: 'your environments whose warehouse grant reads this relation (pass one as ?environment=)' }),
    paths: z.array(PathChoice).openapi({ description: 'golden paths whose data class reads it: launch one to get a grant (sensitive ones ask the owner\'s approval)' }),
  }),
});

/** A dataset page's data: statistics and preview rows, as the viewer's access allows. */
export function registerDatasetInsightRoutes(app: Api, deps: DatasetInsightDeps & { datasets: () => Promise<DatasetView[]> }): void {
  const relationOf = async (schema: string, name: string) => {
    const all = await deps.datasets();
    const found = all.find((d) => d.schema === schema && d.name === name);
    if (!found) throw new PlatformError(404, 'unknown_dataset', `no dataset ${schema}.${name}; GET /api/v1/datasets lists them`);
    const synthetic = all.find((d) => d.schema === 'synthetic' && d.name === found.dataset);
    if (!synthetic || !deps.datasetInsight) throw new PlatformError(404, 'no_synthetic_copy', `dataset ${found.dataset} has no synthetic copy to describe`);
    return { found, synthetic, insight: deps.datasetInsight };
  };

  app.openapi(createRoute({ method: 'get', path: '/api/v1/datasets/{schema}/{name}/stats', security: secured,
    request: { params: Params },
    responses: { 200: json(DatasetStats, 'Row count, freshness and per-column nulls, distinct values, min and max, computed on the synthetic copy'), 404: errors[404] } }),
    async (c) => {
      const { schema, name } = c.req.valid('param');
      const { found, synthetic, insight } = await relationOf(schema, name);
      return c.json(await insight.stats(found, synthetic.columns), 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/datasets/{schema}/{name}/preview', security: secured,
    request: { params: Params, query: z.object({ environment: z.string().optional().openapi({ description: 'read the real relation with this environment\'s warehouse grant' }) }) },
    responses: { 200: json(DatasetPreview, 'The first rows: synthetic for everybody, the real ones only through your own grant'), 400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409] } }),
    async (c) => {
      const { schema, name } = c.req.valid('param');
      const { found, synthetic, insight } = await relationOf(schema, name);
      const access = { grants: (await grantsThatRead(c, deps, found)).map(choice), paths: pathsThatRead(deps, found) };
      const envId = c.req.valid('query').environment;
      if (!envId) {
        const rows = await insight.syntheticPreview(found, synthetic.columns);
        return c.json({ source: 'synthetic' as const, relation: `synthetic.${found.dataset}`, environment: null, ...rows, access }, 200);
      }
      if (!deps.pool) throw new PlatformError(404, 'no_environments', 'this platform keeps no environments');
      const env = await requireEnvironment({ pool: deps.pool }, { may: guard(c) }, envId, 'queryWarehouse');
      const grant = warehouseGrantOf(env);
      if (!found.visibleTo.includes(grant.dataClass)) {
        throw new PlatformError(400, 'grant_does_not_read', `${env.name}'s warehouse grant sees ${grant.dataClass} data, which does not include ${schema}.${name}; pick a grant that reads it, or launch one of: ${access.paths.map((p) => p.path).join(', ') || 'no path yet'}`);
      }
      const q = `SELECT * FROM "${schema.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}" LIMIT ${PREVIEW_ROWS}`;
      const page = await queryPage(grant.url, q, { limit: PREVIEW_ROWS, offset: 0 }, { timeoutMs: 15_000 });
      return c.json({ source: 'grant' as const, relation: `${schema}.${name}`, environment: choice(env), columns: page.columns.map((col) => col.name), rows: page.rows, access }, 200);
    });
}

const choice = (env: EnvironmentView) => ({ environment: env.id, name: env.name, dataClass: env.dataClass ?? '' });

/** The viewer's environments (theirs, and their team's) whose ready grant reads this relation and that the policy lets them query with. */
async function grantsThatRead(c: Context<Env>, deps: DatasetInsightDeps, relation: DatasetView): Promise<EnvironmentView[]> {
  if (!deps.pool) return [];
  const user = c.get('user');
  const repo = new PgEnvironmentRepository(deps.pool);
  const [mine, team] = await Promise.all([repo.list({ owner: user.id }), repo.list({ team: user.team })]);
  const seen = new Set<string>();
  return [...mine, ...team].filter((env) => {
    if (seen.has(env.id)) return false;
    seen.add(env.id);
    const grant = env.resources.find((r) => r.type === 'warehouse');
    return env.status === 'ready' && grant?.status === 'ready' && env.dataClass !== null && relation.visibleTo.includes(env.dataClass)
      && ask(c.get('policy'), user, 'queryWarehouse', { type: 'Environment', ...env }).allowed;
  });
}

/** Golden paths with a warehouse whose data class reads this relation, the least governed first. */
function pathsThatRead(deps: DatasetInsightDeps, relation: DatasetView): z.infer<typeof PathChoice>[] {
  const order = ['synthetic', 'masked', 'sensitive'];
  return (deps.paths?.list() ?? [])
    .filter(({ path }) => path.spec.dataClass && relation.visibleTo.includes(path.spec.dataClass) && Object.values(path.spec.resources).some((r) => r.type === 'warehouse'))
    .map(({ path }) => ({ path: path.metadata.name, title: path.metadata.title, dataClass: path.spec.dataClass!, approval: path.spec.approval }))
    .sort((a, b) => order.indexOf(a.dataClass) - order.indexOf(b.dataClass) || a.path.localeCompare(b.path));
}
