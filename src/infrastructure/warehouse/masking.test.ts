import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { createTestDatabase } from '../../../test/support/database.ts';
import { ensureWarehouse } from './index.ts';
import { DEFAULT_POLICY_PATH } from './policy.ts';
import { withClient } from './sql.ts';

test('the masked data follows the policy file: a changed rule is recompiled, a removed dataset is dropped', async () => {
  const adminUrl = await createTestDatabase('whm');
  await ensureWarehouse(adminUrl, { scale: 0.02 });
  const dir = mkdtempSync(join(tmpdir(), 'gp-policy-'));
  try {
    const doc = parseDocument(readFileSync(DEFAULT_POLICY_PATH, 'utf8'));
    doc.setIn(['datasets', 'customers', 'columns', 'email', 'masking'], 'redact');
    doc.deleteIn(['datasets', 'customers', 'columns', 'phone']);
    doc.deleteIn(['datasets', 'products']);
    const policyPath = join(dir, 'policy.yaml');
    writeFileSync(policyPath, doc.toString());
    assert.deepEqual(await ensureWarehouse(adminUrl, { policyPath }), { seeded: false });
    await withClient(adminUrl, async (c) => {
      const views = await c.query(`SELECT relname FROM pg_class WHERE relnamespace = 'masked'::regnamespace AND relkind IN ('v', 'm') ORDER BY 1`);
      assert.deepEqual(views.rows.map((r) => r.relname), ['accounts', 'cards', 'customers', 'transactions']);
      const cols = await c.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'masked.customers'::regclass AND attnum > 0 ORDER BY attnum`);
      assert.ok(!cols.rows.some((r) => r.attname === 'phone'), 'an unlisted column is not exposed');
      const email = await c.query(`SELECT DISTINCT email FROM masked.customers`);
      assert.deepEqual(email.rows, [{ email: '[redacted]' }]);
    });
    // Back to the repository policy: the original views return.
    await ensureWarehouse(adminUrl);
    await withClient(adminUrl, async (c) => {
      const r = await c.query(`SELECT count(*)::int AS n, bool_and(email ~ '^[0-9a-f]{16}$') AS hashed, bool_and(phone LIKE '%*%') AS phone FROM masked.customers`);
      assert.equal(r.rows[0].hashed, true);
      assert.equal(r.rows[0].phone, true);
      const products = await c.query(`SELECT has_table_privilege('gp_class_masked', 'masked.products', 'SELECT') AS ok`);
      assert.equal(products.rows[0].ok, true);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the masked data is recomputed by the first ensure of a day (a minor who comes of age appears)', async () => {
  const adminUrl = await createTestDatabase('whm');
  await ensureWarehouse(adminUrl, { scale: 0.02 });
  await withClient(adminUrl, async (c) => {
    const minor = (await c.query(`SELECT min(customer_id) AS id FROM sensitive.customers WHERE date_of_birth > current_date - interval '18 years'`)).rows[0].id as number;
    assert.ok(minor);
    await c.query(`UPDATE sensitive.customers SET date_of_birth = current_date - interval '18 years 1 day' WHERE customer_id = $1`, [minor]);
    const seen = async () => (await c.query('SELECT count(*)::int AS n FROM masked.customers WHERE customer_id = $1', [minor])).rows[0].n as number;
    // Refreshed today already: nothing to do, the copy stays as it was.
    await ensureWarehouse(adminUrl, { scale: 0.02 });
    assert.equal(await seen(), 0);
    await c.query(`UPDATE gp_warehouse.meta SET value = '2000-01-01' WHERE key = 'masked_refreshed_on'`);
    const said: string[] = [];
    await ensureWarehouse(adminUrl, { scale: 0.02, onProgress: (m) => said.push(m) });
    assert.deepEqual(said, ['masked data refreshed']);
    assert.equal(await seen(), 1);
  });
});
