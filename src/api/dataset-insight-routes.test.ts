import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { shippedPolicies } from '../../test/support/policies.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { getUser, type User } from '../engine/identity/users.ts';
import { describeWarehouse, ensureWarehouse, grantAccess } from '../infrastructure/warehouse/index.ts';
import { newPassword, roleUrl } from '../infrastructure/warehouse/testing.ts';
import { withClient } from '../infrastructure/warehouse/sql.ts';
import { DatasetInsight } from '../engine/datasets/dataset-insight.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { newApiApp } from './errors.ts';
import type { Env } from './openapi.ts';
import { registerDatasetRoutes } from './dataset-routes.ts';

let pool: pg.Pool;
let warehouseUrl: string;
let app: ReturnType<typeof newApiApp<Env>>;

const paths = {
  list: () => [
    { path: { metadata: { name: 'sql-data-querying', title: 'SQL Data Querying' }, spec: { dataClass: 'masked', approval: 'none', resources: { warehouse: { type: 'warehouse' } } } } },
    { path: { metadata: { name: 'data-science-customer-data', title: 'Data Science with Customer Data' }, spec: { dataClass: 'sensitive', approval: 'data-owner', resources: { warehouse: { type: 'warehouse' } } } } },
    { path: { metadata: { name: 'website', title: 'Website' }, spec: { approval: 'none', resources: {} } } },
  ],
} as unknown as PathLibrary;

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('dsapi'), max: 4 });
  warehouseUrl = await createTestDatabase('dswh');
  await Promise.all([migrate(pool).then(() => seedDemoOrganisation(pool)), ensureWarehouse(warehouseUrl)]);
  // dana has a masked grant; mei (payments) has none.
  const role = 'gp_e000000ds1_warehouse';
  const password = newPassword();
  await grantAccess(warehouseUrl, { role, password, dataClass: 'masked', team: 'churn-analytics' });
  await pool.query(`INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired, data_class)
    VALUES ('e000000ds1', 'dana-sql', 'sql-data-querying', '1', 'churn-analytics', 'dana', 'ready', 'ready', 'masked')`);
  await pool.query(`INSERT INTO resources (environment_id, id, type, wave, status, outputs) VALUES ('e000000ds1', 'warehouse', 'warehouse', 0, 'ready', $1)`,
    [{ url: roleUrl(warehouseUrl, role, password), username: role, password, dataClass: 'masked' }]);
  const dictionary = await describeWarehouse(warehouseUrl);
  app = newApiApp<Env>();
  app.use('*', async (c, next) => {
    c.set('user', (await getUser(pool, c.req.header('x-as') ?? 'dana')) as User);
    c.set('policy', shippedPolicies());
    await next();
  });
  registerDatasetRoutes(app, { dataDictionary: async () => dictionary, pool, paths, datasetInsight: new DatasetInsight(warehouseUrl) });
});
after(() => pool.end());

const get = async (path: string, as = 'dana') => {
  const res = await app.request(path, { headers: { 'x-as': as } });
  return { status: res.status, body: await res.json() };
};

test('statistics are computed on the synthetic copy: row count, nulls, distinct values, min and max, freshness', async () => {
  const r = await get('/api/v1/datasets/masked/customers/stats');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.computedOn, 'synthetic.customers');
  const expected = await withClient(warehouseUrl, async (c) => (await c.query(`SELECT count(*)::int AS n, count(DISTINCT segment)::int AS segments, min(signup_date)::text AS first, max(signup_date)::text AS last FROM synthetic.customers`)).rows[0]);
  assert.equal(r.body.rowCount, expected.n);
  const segment = r.body.columns.find((c: { name: string }) => c.name === 'segment');
  assert.equal(segment.distinct, expected.segments);
  assert.equal(segment.nulls, 0);
  const signup = r.body.columns.find((c: { name: string }) => c.name === 'signup_date');
  assert.deepEqual([signup.min, signup.max], [expected.first, expected.last]);
  assert.equal(r.body.freshness.dataUntil, expected.last, 'the latest date, a birth date left out');
  assert.match(r.body.freshness.maskedRefreshedOn, /^\d{4}-\d{2}-\d{2}$/);
  const shown = (await describeWarehouse(warehouseUrl)).relations.find((x) => x.schema === 'masked' && x.name === 'customers')!.columns.map((c) => c.name);
  assert.deepEqual(r.body.columns.map((c: { name: string }) => c.name), shown, 'the columns the masked relation shows');
  const churned = r.body.columns.find((c: { name: string }) => c.name === 'churned');
  assert.deepEqual([churned.min, churned.max], [null, null], 'no min or max for a boolean');
  const again = await get('/api/v1/datasets/masked/customers/stats');
  assert.equal(again.body.computedAt, r.body.computedAt, 'cached');
  assert.equal((await get('/api/v1/datasets/masked/nothing/stats')).status, 404);
});

test('the preview is synthetic for everybody, and says which grants and paths read the real rows', async () => {
  const r = await get('/api/v1/datasets/sensitive/customers/preview', 'mei');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.source, 'synthetic');
  assert.equal(r.body.rows.length, 20);
  const raw = await withClient(warehouseUrl, async (c) => (await c.query('SELECT email FROM sensitive.customers')).rows.map((x) => x.email as string));
  const rawSet = new Set(raw);
  assert.ok(!r.body.rows.some((row: string[]) => row.some((v) => rawSet.has(v))), 'no raw value in the synthetic preview');
  assert.deepEqual(r.body.access.grants, [], 'mei has no grant');
  assert.deepEqual(r.body.access.paths.map((p: { path: string }) => p.path), ['data-science-customer-data'], 'only the sensitive path reads sensitive rows');
});

test('real rows come through the viewer\'s own grant, masked as that grant sees them; others are refused', async () => {
  const offered = await get('/api/v1/datasets/masked/customers/preview');
  assert.deepEqual(offered.body.access.grants, [{ environment: 'e000000ds1', name: 'dana-sql', dataClass: 'masked' }]);
  assert.deepEqual(offered.body.access.paths.map((p: { path: string }) => p.path), ['sql-data-querying']);
  const r = await get('/api/v1/datasets/masked/customers/preview?environment=e000000ds1');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.source, 'grant');
  const name = r.body.columns.indexOf('full_name');
  assert.ok(r.body.rows.length > 0 && r.body.rows.every((row: string[]) => row[name] === '[redacted]'), 'names are masked');
  const other = await get('/api/v1/datasets/sensitive/customers/preview?environment=e000000ds1');
  assert.equal(other.status, 400);
  assert.match(other.body.error.message, /dana-sql's warehouse grant sees masked data, which does not include sensitive\.customers/);
  const stranger = await get('/api/v1/datasets/masked/customers/preview?environment=e000000ds1', 'mei');
  assert.equal(stranger.status, 403);
  assert.match(stranger.body.error.message, /only its owner and team use/);
});
