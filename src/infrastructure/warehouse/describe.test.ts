import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/support/database.ts';
import { describeWarehouse, ensureWarehouse } from './index.ts';

let adminUrl: string;
before(async () => {
  adminUrl = await createTestDatabase('whd');
  await ensureWarehouse(adminUrl, { scale: 0.02 });
});

test('the data dictionary lists every table and view with columns, classification, owner team and visibility', async () => {
  const d = await describeWarehouse(adminUrl);
  const names = d.relations.map((r) => `${r.schema}.${r.name}`).sort();
  for (const schema of ['masked', 'sensitive', 'synthetic']) {
    for (const t of ['accounts', 'cards', 'customers', 'products', 'transactions']) assert.ok(names.includes(`${schema}.${t}`), `${schema}.${t}`);
  }
  const raw = d.relations.find((r) => r.schema === 'sensitive' && r.name === 'customers')!;
  assert.equal(raw.kind, 'table');
  assert.equal(raw.owner, 'churn-analytics');
  assert.deepEqual(raw.visibleTo, ['sensitive']);
  const email = raw.columns.find((c) => c.name === 'email')!;
  assert.deepEqual(
    { type: email.type, nullable: email.nullable, classification: email.classification, masking: email.masking, visibleTo: email.visibleTo },
    { type: 'text', nullable: false, classification: 'pii.email', masking: 'none', visibleTo: ['sensitive'] },
  );
  assert.ok(email.description);

  const masked = d.relations.find((r) => r.schema === 'masked' && r.name === 'cards')!;
  assert.equal(masked.kind, 'view');
  assert.deepEqual(masked.visibleTo, ['masked']);
  assert.match(masked.rowFilter ?? '', /18 years/);
  const card = masked.columns.find((c) => c.name === 'card_number')!;
  assert.deepEqual([card.classification, card.masking, card.visibleTo], ['pii.card', 'last4', ['masked']]);

  const synthetic = d.relations.find((r) => r.schema === 'synthetic' && r.name === 'transactions')!;
  assert.deepEqual(synthetic.visibleTo, ['synthetic']);
  assert.equal(synthetic.owner, 'payments');
});
