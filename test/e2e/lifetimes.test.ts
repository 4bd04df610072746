import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

const day = 86_400_000;
let platform: PlatformProcess;
let env: EnvironmentView;

before(async () => {
  // A sweep every half second: the expiry of a new environment shows at once.
  platform = await startPlatformProcess({ env: { GOLDPATH_LIFETIME_SWEEP_MS: '500' } });
  env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'short-lived']);
  for (let i = 0; i < 60 && !env.expiresAt; i++) {
    await new Promise((r) => setTimeout(r, 250));
    env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'env', env.id]);
  }
});
after(async () => {
  await platform?.stop();
});

test("an environment expires after its path's ttl, and goldpath env says when", async () => {
  // sql-data-querying: ttl 14d, maxTtl 60d.
  assert.ok(env.expiresAt, 'the expiry is set');
  assert.equal(Date.parse(env.expiresAt) - Date.parse(env.createdAt), 14 * day);
  const shown = await platform.cli(['--as', 'dana', 'env', env.id]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 14 days; `goldpath extend e[a-z0-9]+` for more\)/);
});

test('goldpath extend moves the expiry within the path\'s limit and says the limit beyond it', async () => {
  const r = await platform.cli(['--as', 'dana', 'extend', env.id, '--by', '2d']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${env.id} now expires at .* UTC \\(in 16 days\\)`));
  const after = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'env', env.id]);
  assert.equal(Date.parse(after.expiresAt!) - Date.parse(env.expiresAt!), 2 * day);

  const over = await platform.cli(['--as', 'dana', 'extend', env.id, '--by', '50d']);
  assert.notEqual(over.code, 0);
  const latest = new Date(Date.parse(env.createdAt) + 60 * day).toISOString().slice(0, 16);
  assert.match(over.stderr, /beyond its limit: environments of this path live at most 60d from launch/);
  assert.ok(over.stderr.includes(`latest possible expiry is ${latest}`), over.stderr);
  assert.match(over.stderr, /extend by at most 4[34]d/);

  const bad = await platform.cli(['--as', 'dana', 'extend', env.id, '--by', 'forever']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /"forever" is not a duration/);
});

test("another team's member may not extend it", async () => {
  const r = await platform.cli(['--as', 'mei', 'extend', env.id, '--by', '1d']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /mei may not extend Environment::"e[a-z0-9]+"/);
});

test('goldpath notices lists what went to you and your team, and --read marks one read', async () => {
  // A notice as the platform writes it (the approvals write break-glass ones this way).
  const db = new pg.Client(platform.adminUrl('goldpath'));
  await db.connect();
  let id: number;
  try {
    id = Number((await db.query(`INSERT INTO notices (team_id, kind, message, environment_id) VALUES ('churn-analytics', 'break-glass', 'priya approved for your team', $1) RETURNING id`, [env.id])).rows[0].id);
  } finally {
    await db.end();
  }
  const shown = await platform.cli(['--as', 'dana', 'notices']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, new RegExp(`#${id} .*break-glass · short-lived \\(team churn-analytics\\)\\n    priya approved for your team`));
  assert.equal((await platform.cli(['--as', 'dana', 'notices', '--read', String(id)])).code, 0);
  const unread = await platform.cliJson<{ id: number }[]>(['--as', 'dana', 'notices']);
  assert.ok(!unread.some((n) => n.id === id), 'read: no longer unread for dana');
  assert.ok((await platform.cliJson<{ id: number }[]>(['--as', 'ravi', 'notices'])).some((n) => n.id === id), 'still unread for the rest of the team');
  assert.ok(!(await platform.cliJson<{ id: number }[]>(['--as', 'mei', 'notices'])).some((n) => n.id === id), 'another team does not see it');
});
