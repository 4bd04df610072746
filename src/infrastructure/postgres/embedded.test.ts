import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';

test('the test cluster is a real PostgreSQL that creates databases on demand', async () => {
  const url = await createTestDatabase();
  const c = new pg.Client(url);
  await c.connect();
  const { rows } = await c.query('select current_setting($1) as v', ['server_version_num']);
  await c.end();
  assert.ok(Number(rows[0].v) >= 150000);
});
