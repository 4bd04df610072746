import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { startPlatformProcess } from '../support/platform-process.ts';
import { query } from '../support/wait.ts';

test('an admin applies an edited policy file and what masked roles see changes at once', async () => {
  const policy = join(mkdtempSync(join(tmpdir(), 'gp-policy-')), 'policy.yaml');
  const original = readFileSync('warehouse/policy.yaml', 'utf8');
  writeFileSync(policy, original);
  const platform = await startPlatformProcess({ env: { GOLDPATH_WAREHOUSE_POLICY: policy } });
  try {
    const env = await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--wait']);
    const url = (env.resources.find((r) => r.type === 'warehouse')!.outputs as { url: string }).url;
    const before = (await query(url, 'SELECT email FROM customers LIMIT 1')).rows[0].email as string;
    assert.match(before, /^[0-9a-f]{16}$/, 'e-mails are hashed');

    const emailRule = /(email: \{[^}]*masking: )hash/;
    assert.match(original, emailRule);
    writeFileSync(policy, original.replace(emailRule, '$1redact'));
    const refused = await platform.cli(['warehouse', 'apply']);
    assert.match(refused.stderr, /dana may not applyWarehouse .*only platform admins apply the warehouse policy/);
    const applied = await platform.cli(['--as', 'priya', 'warehouse', 'apply']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await query(url, 'SELECT email FROM customers LIMIT 1')).rows[0].email, '[redacted]', 'the same role sees the new rule');

    writeFileSync(policy, original.replace(emailRule, '$1none'));
    const bad = await platform.cli(['--as', 'priya', 'warehouse', 'apply']);
    assert.match(bad.stderr, /email.*pii\.email/);
    assert.equal((await query(url, 'SELECT email FROM customers LIMIT 1')).rows[0].email, '[redacted]', 'a bad file changes nothing');
  } finally {
    await platform.stop();
  }
});
