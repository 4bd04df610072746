import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/support/database.ts';
import { ensureWarehouse, roleExists } from '../../infrastructure/warehouse/index.ts';
import { withClient } from '../../infrastructure/warehouse/sql.ts';
import { PermanentDriverError, type Driver, type ProvisionInput } from '../driver.ts';
import { warehouseDriver, warehouseOutputs } from './warehouse.ts';

let adminUrl: string;
let driver: Driver;

const input = (resourceId: string, state: ProvisionInput['state'] = {}, dataClass: string | null = 'synthetic'): ProvisionInput => ({
  environmentId: 'env1', resourceId, state, params: {},
  environment: { id: 'env1', name: 'churn', team: 'churn-analytics', owner: 'ravi', dataClass, path: 'tiny', params: {} },
});

before(async () => {
  adminUrl = await createTestDatabase('whdrv');
  await ensureWarehouse(adminUrl);
  const u = new URL(adminUrl);
  driver = warehouseDriver({ adminUrl, host: u.hostname, port: Number(u.port), database: u.pathname.slice(1) });
});

/** Counts customers the way a data scientist would: with the grant's own URL. */
const customersSeenWith = (url: string) => withClient(url, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n);

test('provision grants a role that sees its data class, and gives exactly the declared outputs', async () => {
  const { outputs } = await driver.provision(input('warehouse'));
  const o = warehouseOutputs.parse(outputs);
  assert.deepEqual(Object.keys(o).sort(), ['dataClass', 'database', 'host', 'password', 'port', 'schemas', 'scratchSchema', 'url', 'username']);
  assert.equal(o.username, 'gp_env1_warehouse');
  assert.equal(o.dataClass, 'synthetic');
  assert.ok(o.schemas.includes('synthetic'));
  assert.ok((await customersSeenWith(o.url)) > 0);
});

test('provision again with its state is idempotent: same role, same password, still connects', async () => {
  const first = await driver.provision(input('twice'));
  const second = await driver.provision(input('twice', first.state));
  assert.deepEqual(second, first);
  assert.ok((await customersSeenWith(String(second.outputs.url))) > 0);
});

test('deprovision drops the role, and dropping it again is no error', async () => {
  const { state, outputs } = await driver.provision(input('gone'));
  const ref = { environmentId: 'env1', resourceId: 'gone', state };
  await driver.deprovision(ref);
  assert.equal(await roleExists(adminUrl, String(outputs.username)), false);
  assert.deepEqual(await driver.status(ref), { healthy: false, message: 'role is missing' });
  await assert.rejects(customersSeenWith(String(outputs.url)));
  await driver.deprovision(ref);
});

test('a path without a data class, or params on a warehouse, are permanent errors and grant nothing', async () => {
  await assert.rejects(driver.provision(input('noclass', {}, null)), (e: Error) => e instanceof PermanentDriverError && /spec\.dataClass/.test(e.message));
  await assert.rejects(driver.provision({ ...input('withparams'), params: { dataClass: 'sensitive' } }), /resource "withparams" \(warehouse\): unknown param "dataClass"/);
  assert.equal(await roleExists(adminUrl, 'gp_env1_noclass'), false);
  assert.equal(await roleExists(adminUrl, 'gp_env1_withparams'), false);
});
