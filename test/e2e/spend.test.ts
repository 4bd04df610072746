import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { parseCsv } from '../support/csv.ts';

// Usage and spend through the real CLI: the cost shown before launch, a launched environment's
// spend as a table and as CSV, and a spent budget refusing the next launch while the first runs on.

let platform: PlatformProcess;
let env: EnvironmentView;

interface Report { team: string; total: string; rows: { key: string; amount: string; unit: string | null }[]; budget: { state: string } | null }

before(async () => {
  // The meter's frequent passes every 300 ms: a new environment's spend shows at once.
  platform = await startPlatformProcess({ env: { GOLDPATH_METER_MS: '300' } });
  env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'metered', '--wait']);
  assert.equal(env.status, 'ready');
});
after(async () => {
  await platform?.stop();
});


test('goldpath paths shows each path\'s cost per day before launch', async () => {
  const r = await platform.cli(['--as', 'dana', 'paths']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /COST\/DAY/);
  // sql-data-querying: a repository (1.50 a month: 0.0493 a day), a warehouse grant (0.02 an hour: 0.48 a day)
  // and a small IDE, priced as if it ran all day (0.08 an hour: 1.92 a day).
  assert.match(r.stdout, /sql-data-querying .* 2\.4493 EUR/);
});

test('goldpath spend itemises the team\'s month, as a table and as CSV whose TOTAL is the sum of its rows', async () => {
  let report: Report | undefined;
  for (let i = 0; i < 80; i++) {
    report = await platform.cliJson<Report>(['--as', 'dana', 'spend', '--team', 'churn-analytics', '--by', 'resource']);
    if (report.rows.some((r) => r.key === `${env.id}/warehouse`)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(report!.rows.some((r) => r.key === `${env.id}/warehouse` && r.unit === 'hour'), JSON.stringify(report));
  assert.ok(report!.rows.some((r) => r.key === `${env.id}/queries` && r.unit === 'month'));

  const table = await platform.cli(['--as', 'dana', 'spend', '--team', 'churn-analytics', '--by', 'resource']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^team churn-analytics, .* by resource, in EUR/);
  assert.match(table.stdout, new RegExp(`${env.id}/warehouse\\s+warehouse of ${env.id} \\(metered\\)`));
  assert.match(table.stdout, /TOTAL\s+\d+\.\d{4}/);

  const csv = await platform.cli(['--as', 'dana', 'spend', '--team', 'churn-analytics', '--by', 'resourceType', '--from', new Date().toISOString().slice(0, 10), '--csv']);
  assert.equal(csv.code, 0, csv.stderr);
  const rows = parseCsv(csv.stdout);
  assert.equal(rows[0][0], 'key');
  const amount = rows[0].indexOf('amount');
  assert.equal(rows.at(-1)![0], 'TOTAL');
  const cents = (s: string) => Math.round(Number(s) * 1e4);
  assert.equal(rows.slice(1, -1).reduce((s, r) => s + cents(r[amount]), 0), cents(rows.at(-1)![amount]));
  assert.ok(rows.slice(1, -1).some((r) => r[0] === 'warehouse'));
});

test('another team\'s spend is refused; bad input says what to fix', async () => {
  const other = await platform.cli(['--as', 'dana', 'spend', '--team', 'payments']);
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /dana may not readSpend Team::"payments"/);
  const bad = await platform.cli(['--as', 'dana', 'spend', '--by', 'colour']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /by/);
});

test('a spent budget: the team is told, new launches are refused by the policy, the running environment keeps running', async () => {
  const denied = await platform.cli(['--as', 'dana', 'budgets', '--team', 'churn-analytics', '--set', '0']);
  assert.notEqual(denied.code, 0, 'only admins set budgets');
  const set = await platform.cli(['--as', 'priya', 'budgets', '--team', 'churn-analytics', '--set', '0']);
  assert.equal(set.code, 0, set.stderr);
  const list = await platform.cli(['--as', 'dana', 'budgets']);
  assert.match(list.stdout, /churn-analytics\s+0\.00 EUR .*exceeded/);

  const refused = await platform.cli(['--as', 'ravi', 'launch', 'sql-data-querying']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /spent its monthly budget.*running environments keep running \(policy no-launches-over-budget\)/);
  const still = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'env', env.id]);
  assert.equal(still.status, 'ready');

  let notices = '';
  for (let i = 0; i < 40 && !notices.includes('budget-exceeded'); i++) {
    notices = (await platform.cli(['--as', 'ravi', 'notices', '--json'])).stdout;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(notices, /budget-exceeded/);
  assert.match(notices, /has spent its whole 0\.00 monthly budget/);

  // Raised again, launches go through.
  assert.equal((await platform.cli(['--as', 'priya', 'budgets', '--team', 'churn-analytics', '--set', '1000'])).code, 0);
  const ok = await platform.cli(['--as', 'ravi', 'launch', 'sql-data-querying', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
});

test('a platform whose rate card has a mistake does not start, and says the file and line', async () => {
  const org = mkdtempSync(join(tmpdir(), 'gp-rates-'));
  mkdirSync(org, { recursive: true });
  writeFileSync(join(org, 'rate-card.yaml'), 'version: 1\ncurrency: EUR\nrepository: { perMonth: "one fifty" }\n');
  await assert.rejects(startPlatformProcess({ env: { GOLDPATH_POLICIES_DIR: org } }),
    (e: Error) => /rate-card\.yaml:3: repository\.perMonth: must be a price/.test(e.message) && /exited/.test(e.message));
});
