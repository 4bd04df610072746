import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { createTestDatabase } from '../support/database.ts';
import { startPlatformProcess } from '../support/platform-process.ts';

test('DATABASE_URL runs the platform on an existing PostgreSQL instead of the embedded one', async () => {
  const platformDb = await createTestDatabase('platform');
  const warehouseDb = await createTestDatabase('warehouse');
  const platform = await startPlatformProcess({ env: { DATABASE_URL: platformDb, WAREHOUSE_DATABASE_URL: warehouseDb } });
  try {
    assert.match(platform.output(), /using PostgreSQL from DATABASE_URL/);
    assert.equal(existsSync(join(platform.home, 'pg')), false, 'no embedded cluster was made');
    const env = await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--wait']);
    assert.equal(env.status, 'ready');
    const wh = env.resources.find((r) => r.type === 'warehouse')!.outputs as { url: string };
    assert.equal(new URL(wh.url).port, new URL(warehouseDb).port);
    const c = new pg.Client(wh.url);
    await c.connect();
    assert.ok((await c.query('SELECT count(*)::int AS n FROM customers')).rows[0].n > 0);
    await c.end();
    const state = new pg.Client(platformDb);
    await state.connect();
    assert.equal((await state.query('SELECT count(*)::int AS n FROM environments')).rows[0].n, 1);
    await state.end();
    const deleted = await platform.cliJson<EnvironmentView>(['delete', env.id, '--wait']);
    assert.equal(deleted.status, 'deleted');
  } finally {
    assert.equal(await platform.stop(), 0);
  }
});
