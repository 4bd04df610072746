import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, testAdminUrl } from '../../../test/support/database.ts';
import { withClient } from '../../infrastructure/warehouse/sql.ts';
import type { Driver, ProvisionInput } from '../driver.ts';
import { databaseDriver, databaseOutputs } from './database.ts';

let driver: Driver;
/** Stand-ins for the platform's own database and the warehouse, on the same server. */
let platformDb: string;
let warehouseDb: string;

const input = (resourceId: string, state: ProvisionInput['state'] = {}): ProvisionInput => ({
  environmentId: 'e0dbtest01', resourceId, state, params: {},
  environment: { id: 'e0dbtest01', name: 'orders', team: 'payments', owner: 'priya', dataClass: null, path: 'java-microservice', params: {} },
});

const connectError = async (url: string): Promise<string | null> => {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.end();
    return null;
  } catch (e) {
    await c.end().catch(() => {});
    return (e as Error).message;
  }
};

before(async () => {
  const platformUrl = await createTestDatabase('gpplat');
  const warehouseUrl = await createTestDatabase('gpwh');
  platformDb = new URL(platformUrl).pathname.slice(1);
  warehouseDb = new URL(warehouseUrl).pathname.slice(1);
  const u = new URL(platformUrl);
  u.pathname = '/postgres';
  driver = databaseDriver({ adminUrl: u.toString(), host: u.hostname, port: Number(u.port), closed: [platformDb, warehouseDb] });
});

test('a service database: its role creates tables and reads them back through the outputs it is given', async () => {
  const { outputs } = await driver.provision(input('db'));
  const o = databaseOutputs.parse(outputs);
  assert.equal(o.database, 'svc_e0dbtest01_db');
  assert.equal(o.username, o.database);
  assert.equal(o.jdbcUrl, `jdbc:postgresql://${o.host}:${o.port}/${o.database}`);
  assert.match(o.url, /^postgres:\/\//);
  const rows = await withClient(o.url, async (c) => {
    await c.query('CREATE TABLE orders (id int PRIMARY KEY, total numeric)');
    await c.query('INSERT INTO orders VALUES (1, 9.5)');
    return (await c.query('SELECT total FROM orders')).rows;
  });
  assert.deepEqual(rows, [{ total: '9.5' }]);
  assert.deepEqual(await driver.status({ environmentId: 'e0dbtest01', resourceId: 'db', state: {} }), { healthy: true });
});

test('the role cannot connect to the platform\'s database, the warehouse or another service\'s database', async () => {
  const mine = databaseOutputs.parse((await driver.provision(input('iso'))).outputs);
  const other = databaseOutputs.parse((await driver.provision(input('other'))).outputs);
  const as = (db: string) => {
    const u = new URL(mine.url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  for (const db of [platformDb, warehouseDb, other.database]) {
    assert.match((await connectError(as(db))) ?? 'connected', /permission denied for database/, `role ${mine.username} must not reach ${db}`);
  }
  // And it holds no privilege to make more of anything.
  const attrs = await withClient(mine.url, async (c) => (await c.query('SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user')).rows[0]);
  assert.deepEqual(attrs, { rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false });
  assert.equal(await connectError(mine.url), null);
});

test('provision again with its state is idempotent: same credentials, data kept', async () => {
  const first = await driver.provision(input('twice'));
  const url = String(first.outputs.url);
  await withClient(url, (c) => c.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)'));
  const second = await driver.provision(input('twice', first.state));
  assert.deepEqual(second, first);
  assert.deepEqual(await withClient(url, async (c) => (await c.query('SELECT n FROM kept')).rows), [{ n: 7 }]);
});

test('deprovision ends open sessions and drops the database and the role; again is no error', async () => {
  const { state, outputs } = await driver.provision(input('gone'));
  const o = databaseOutputs.parse(outputs);
  const open = new pg.Client(o.url);
  open.on('error', () => {});
  await open.connect();
  const ref = { environmentId: 'e0dbtest01', resourceId: 'gone', state };
  await driver.deprovision(ref);
  await open.end().catch(() => {});
  assert.equal((await driver.status(ref)).healthy, false);
  assert.match((await connectError(o.url)) ?? 'connected', /password authentication failed|does not exist/);
  await driver.deprovision(ref);
});

test('a role of the same name that this driver did not make is left alone', async () => {
  await withClient(testAdminUrl(), (c) => c.query('CREATE ROLE svc_e0dbtest01_someone LOGIN'));
  await assert.rejects(driver.provision(input('someone')), /not made for a service database/);
  await assert.rejects(driver.deprovision({ environmentId: 'e0dbtest01', resourceId: 'someone', state: {} }), /not made for a service database/);
});
