import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { shippedPolicies } from '../../test/support/policies.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { getUser, type User } from '../engine/identity/users.ts';
import { TestClock } from '../domain/time/clock.ts';
import { Meter } from '../engine/metering/meter.ts';
import { Spend } from '../engine/spend/service.ts';
import { createEnvironment, eventAt } from '../engine/spend/testing.ts';
import { newApiApp } from './errors.ts';
import type { Env } from './openapi.ts';
import { registerSpendRoutes } from './spend-routes.ts';
import { shippedPoliciesDir } from '../../test/support/policies.ts';

let pool: pg.Pool;
let app: ReturnType<typeof newApiApp<Env>>;
const clock = new TestClock('2026-12-02T12:00:00Z');

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('spendapi'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  const spend = new Spend({ pool, policyDirs: [shippedPoliciesDir], clock });
  await createEnvironment(pool, { id: 'e00000sp01', team: 'churn-analytics', owner: 'dana', resources: [{ id: 'notebook', type: 'notebook' }, { id: 'repo', type: 'git-repo' }] });
  await eventAt(pool, 'e00000sp01', 'notebook', 'resource.ready', new Date('2026-12-01T22:00:00Z'));
  await eventAt(pool, 'e00000sp01', 'repo', 'resource.ready', new Date('2026-12-01T22:00:00Z'));
  await eventAt(pool, 'e00000sp01', 'notebook', 'resource.stopped', new Date('2026-12-02T02:00:00Z'));
  await new Meter({ pool, card: () => spend.card(), clock }).recordLifecycle();
  app = newApiApp<Env>();
  app.use('*', async (c, next) => {
    c.set('user', (await getUser(pool, c.req.query('as') ?? 'dana')) as User);
    c.set('policy', shippedPolicies());
    await next();
  });
  registerSpendRoutes(app, { pool, spend });
});
after(() => pool.end());

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await app.request(path, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: text.startsWith('{') ? JSON.parse(text) : null };
};

test('GET /spend itemises the team\'s month by resource, the total the sum of the rows, a point per day', async () => {
  const r = await call('GET', '/api/v1/spend?by=resource');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.currency, 'EUR');
  assert.equal(r.body.team, 'churn-analytics');
  const notebook = r.body.rows.find((x: { key: string }) => x.key === 'e00000sp01/notebook');
  // 4 hours at the shipped small notebook price (0.12 EUR/hour).
  assert.equal(notebook.amount, '0.4800');
  assert.equal(notebook.quantity, '4.0000');
  assert.equal(notebook.unit, 'hour');
  const sum = r.body.rows.reduce((s: number, x: { amount: string }) => s + Math.round(Number(x.amount) * 1e4), 0);
  assert.equal(Math.round(Number(r.body.total) * 1e4), sum);
  assert.deepEqual(r.body.daily.map((d: { day: string }) => d.day), ['2026-12-01', '2026-12-02']);
  assert.equal(r.body.budget, null);
});

test('GET /spend as CSV: a header, the rows and a TOTAL line', async () => {
  const r = await call('GET', '/api/v1/spend?by=resourceType&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.type, /text\/csv/);
  const lines = r.text.trimEnd().split('\r\n');
  assert.match(lines[0], /^key,label,/);
  assert.match(lines.at(-1)!, /^TOTAL,/);
  const viaAccept = await call('GET', '/api/v1/spend?by=user', undefined, { accept: 'text/csv' });
  assert.match(viaAccept.type, /text\/csv/);
});

test('GET /spend refuses another team\'s spend and bad windows with what to fix', async () => {
  assert.equal((await call('GET', '/api/v1/spend?team=payments')).status, 403);
  assert.equal((await call('GET', '/api/v1/spend?team=payments&as=priya')).status, 200, 'admins see every team');
  assert.equal((await call('GET', '/api/v1/spend?team=*')).status, 403);
  assert.equal((await call('GET', '/api/v1/spend?team=*&as=priya')).status, 200);
  const empty = await call('GET', '/api/v1/spend?from=2026-12-02&to=2026-11-01');
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /must come after from/);
  const bad = await call('GET', '/api/v1/spend?from=yesterday');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /ISO date/);
  assert.equal((await call('GET', '/api/v1/spend?by=colour')).status, 400);
});

test('budgets: admins set them, members see their team\'s with where it stands', async () => {
  assert.equal((await call('PUT', '/api/v1/budgets/churn-analytics', { monthly: '100.00', threshold: 75 })).status, 403);
  const set = await call('PUT', '/api/v1/budgets/churn-analytics?as=priya', { monthly: '100', threshold: 75 });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.monthly, '100.00');
  assert.equal(set.body.status.state, 'ok');
  const bad = await call('PUT', '/api/v1/budgets/churn-analytics?as=priya', { monthly: '-3' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /monthly must be an amount/);
  const list = await call('GET', '/api/v1/budgets');
  assert.deepEqual(list.body.budgets.map((b: { team: string }) => b.team), ['churn-analytics']);
  assert.equal((await call('GET', '/api/v1/budgets?as=mei')).body.budgets.length, 0, 'another team\'s budget is not shown');
  const report = await call('GET', '/api/v1/spend');
  assert.equal(report.body.budget.threshold, 75);
});
