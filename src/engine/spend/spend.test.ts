import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { actorFor } from '../../../test/support/policies.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { TestClock } from '../../domain/time/clock.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import { getUser, type User } from '../identity/users.ts';
import { listNotices } from '../notices/notices.ts';
import type { Queryable } from '../audit/log.ts';
import { Meter, recordTokens } from '../metering/meter.ts';
import { PlatformError } from '../errors.ts';
import { SpendReports } from './reports.ts';
import { budgetExceeded, budgetStatus, checkBudgets, setBudget } from './budgets.ts';
import { createEnvironment, eventAt, testRateCard } from './testing.ts';

// Spend with a controllable clock: lifecycle events are written at the test clock's times, the meter
// and the reports read the clock, and every amount is checked to the last decimal.

let pool: pg.Pool;
const minute = 60_000;
const t0 = new Date('2026-11-03T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * minute);

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('spend'), max: 6 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
});
after(() => pool.end());

const meterAt = (clock: TestClock, opts: { bucketsDir?: string; warehouse?: Queryable } = {}) => new Meter({ pool, card: () => testRateCard, clock, ...opts });
const reportsAt = (clock: TestClock) => new SpendReports({ db: pool, card: () => testRateCard, clock });
const dayOf = (team: string | null, clock: TestClock, by: 'resource' | 'environment' | 'team' = 'resource') =>
  reportsAt(clock).report({ team, from: new Date('2026-11-03T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z'), by });

/** A notebook, a repository and a warehouse grant that become ready at minute 0 and are deleted at `deletedAt`. */
async function launchedAndDeleted(id: string, team: string, owner: string, deletedAt: number | null) {
  await createEnvironment(pool, { id, team, owner, resources: [{ id: 'notebook', type: 'notebook' }, { id: 'repo', type: 'git-repo' }, { id: 'warehouse', type: 'warehouse' }] });
  for (const r of ['repo', 'warehouse', 'notebook']) await eventAt(pool, id, r, 'resource.ready', at(0));
  if (deletedAt !== null) await deleteAt(id, deletedAt);
}
async function deleteAt(id: string, minutes: number) {
  for (const r of ['notebook', 'warehouse', 'repo']) await eventAt(pool, id, r, 'resource.deleted', at(minutes));
  await eventAt(pool, id, null, 'environment.deleted', at(minutes));
}

test('an environment that runs 90 minutes and is then deleted costs exactly its 90 minutes', async () => {
  const clock = new TestClock(at(24 * 60 - 1));
  await launchedAndDeleted('e00000nin1', 'churn-analytics', 'dana', 90);
  await meterAt(clock).recordLifecycle();
  const r = await dayOf('churn-analytics', clock);
  const amounts = Object.fromEntries(r.rows.filter((x) => x.environment === 'e00000nin1').map((x) => [x.key, [x.quantity, x.unit, x.amount]]));
  // 1.5 h × 0.12 (notebook), 1.5 h × 0.02 (grant), 1.5 h of a 7.30-a-month repository (730 h a month: 0.01 an hour).
  assert.deepEqual(amounts, {
    'e00000nin1/notebook': ['1.5000', 'hour', '0.1800'],
    'e00000nin1/warehouse': ['1.5000', 'hour', '0.0300'],
    'e00000nin1/repo': ['0.0021', 'month', '0.0150'],
  });
  assert.equal(r.total, '0.2250');
  assert.equal(r.daily.find((d) => d.day === '2026-11-03')?.amount, '0.2250');
});

test('a restart in the middle loses nothing and doubles nothing', async () => {
  const clock = new TestClock(at(45));
  await launchedAndDeleted('e00000rst1', 'payments', 'mei', null);
  // The first process meters the open intervals at minute 45…
  await meterAt(clock).recordLifecycle();
  const midway = await dayOf('payments', clock);
  assert.equal(midway.rows.find((x) => x.key === 'e00000rst1/notebook')?.amount, '0.0900', '45 minutes so far');
  // …dies; the environment is deleted at minute 90 while no meter runs; a new process meters twice.
  await deleteAt('e00000rst1', 90);
  clock.set(at(24 * 60 - 1));
  await meterAt(clock).recordLifecycle();
  await meterAt(clock).recordLifecycle();
  const { rows } = await pool.query(`SELECT kind, started_at, ended_at FROM usage_records WHERE environment_id = 'e00000rst1' ORDER BY kind`);
  assert.equal(rows.length, 3, 'one record per resource interval');
  assert.ok(rows.every((x) => x.ended_at.getTime() === at(90).getTime()));
  assert.equal((await dayOf('payments', clock)).total, '0.2250', 'the same 90 minutes as without a restart');
});

test('a stop and a start make two running intervals for the notebook; the grant and repository go on', async () => {
  const clock = new TestClock(at(24 * 60 - 1));
  await createEnvironment(pool, { id: 'e00000stp1', team: 'web', owner: 'sam', resources: [{ id: 'notebook', type: 'notebook', params: { size: 'large' } }, { id: 'repo', type: 'git-repo' }] });
  await eventAt(pool, 'e00000stp1', 'repo', 'resource.ready', at(0));
  await eventAt(pool, 'e00000stp1', 'notebook', 'resource.ready', at(0));
  await eventAt(pool, 'e00000stp1', 'notebook', 'resource.stopped', at(30));
  await eventAt(pool, 'e00000stp1', 'notebook', 'resource.ready', at(90));
  await eventAt(pool, 'e00000stp1', 'notebook', 'resource.stopped', at(120));
  await meterAt(clock).recordLifecycle();
  const r = await dayOf('web', clock);
  // 60 minutes at the large size (0.40/h); the repository exists from 09:00 to the end of the day (15 h at 0.01/h).
  assert.equal(r.rows.find((x) => x.key === 'e00000stp1/notebook')?.amount, '0.4000');
  assert.equal(r.rows.find((x) => x.key === 'e00000stp1/repo')?.amount, '0.1500');
});

test('warehouse queries are sampled by session and start: sampled again they grow, never double', async () => {
  const clock = new TestClock(at(24 * 60 - 1));
  await createEnvironment(pool, { id: 'e00000whq1', team: 'churn-analytics', owner: 'ravi', resources: [{ id: 'warehouse', type: 'warehouse', state: { role: 'gp_e00000whq1_warehouse' } }] });
  await createEnvironment(pool, { id: 'e00000whq2', team: 'payments', owner: 'olu', resources: [{ id: 'warehouse', type: 'warehouse', state: { role: 'gp_e00000whq2_warehouse' } }] });
  const backend = new Date('2026-11-03T08:00:00Z');
  let sessions: unknown[] = [];
  const warehouse = { query: async () => ({ rows: sessions }) } as unknown as Queryable;
  const session = (role: string, pid: number, start: Date, seconds: number) => ({ usename: role, pid, backend_start: backend, query_start: start, seconds: String(seconds) });
  const meter = meterAt(clock, { warehouse });
  // Running for 1,000 s, then seen finished at 8,640 s; and another team's query of 4,320 s.
  sessions = [session('gp_e00000whq1_warehouse', 11, at(60), 1000), session('gp_e00000whq2_warehouse', 12, at(60), 4320), session('gp_somebody_else', 13, at(60), 50)];
  await meter.sampleWarehouse();
  sessions = [session('gp_e00000whq1_warehouse', 11, at(60), 8640), session('gp_e00000whq2_warehouse', 12, at(60), 4320)];
  await meter.sampleWarehouse();
  await meter.sampleWarehouse();
  const { rows } = await pool.query(`SELECT environment_id, quantity FROM usage_records WHERE kind = 'query' ORDER BY environment_id`);
  assert.deepEqual(rows.map((x) => [x.environment_id, Number(x.quantity)]), [['e00000whq1', 8640], ['e00000whq2', 4320]]);
});

test('the shared warehouse server is split by query-seconds; what nobody used is an idle row of its own', async () => {
  const clock = new TestClock(at(24 * 60 - 1));
  // The day runs to 23:59 at most: the window ends at the clock. Use the whole of the day before instead.
  clock.set('2026-11-05T00:00:00Z');
  const team = await dayOf('churn-analytics', clock);
  // The server costs 73.00 a month = 2.40 a day, with 3,600 query-seconds an hour = 86,400 a day of capacity.
  // churn-analytics ran 8,640 s (10 %): 0.24. payments ran 4,320 s (5 %): 0.12. Idle: 2.04.
  const share = team.rows.find((x) => x.key === 'e00000whq1/shared:warehouse-server');
  assert.equal(share?.amount, '0.2400');
  assert.equal(share?.quantity, '8640.0000');
  assert.equal(team.rows.find((x) => x.key === 'e00000whq1/warehouse/queries')?.amount, '8.6400', '8,640 query-seconds at 0.001');
  assert.ok(!team.rows.some((x) => x.idle), 'a team is not charged for what nobody used');

  const all = await dayOf(null, clock);
  const idle = all.rows.find((x) => x.idle);
  assert.equal(idle?.key, 'idle/warehouse-server');
  assert.equal(idle?.amount, '2.0400');
  const shares = all.rows.filter((x) => x.key.includes('shared:warehouse-server') || x.idle).map((x) => x.amount);
  assert.deepEqual(shares.sort(), ['0.1200', '0.2400', '2.0400'], 'the shares and the idle row add up to the day\'s 2.40');
  const sum = all.rows.reduce((s, x) => s + Math.round(Number(x.amount) * 1e4), 0);
  assert.equal(Math.round(Number(all.total) * 1e4), sum, 'the total is the sum of the rows');
  const byTeam = await dayOf(null, clock, 'team');
  assert.equal(byTeam.total, all.total, 'grouped another way, the same total');
});

test('tokens from the LLM gateway are counted once per request, whatever the retries', async () => {
  const clock = new TestClock('2026-11-05T00:00:00Z');
  const usage = { requestId: 'req-1', environmentId: 'e00000whq1', model: 'small-llm', at: at(100), tokensIn: 2000, tokensOut: 500 };
  await recordTokens(pool, usage);
  await recordTokens(pool, usage);
  const card = { ...testRateCard, llm: { per1kTokensIn: '0.01', per1kTokensOut: '0.03' } };
  const r = await new SpendReports({ db: pool, card: () => card, clock }).report({ team: 'churn-analytics', from: new Date('2026-11-03T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z'), by: 'resource' });
  assert.equal(r.rows.find((x) => x.key === 'e00000whq1/llm/tokens-in')?.amount, '0.0200');
  assert.equal(r.rows.find((x) => x.key === 'e00000whq1/llm/tokens-out')?.amount, '0.0150');
});

test('bucket sizes are sampled: a size holds until it changes, and ends with the bucket', async () => {
  const buckets = mkdtempSync(join(tmpdir(), 'gp-spend-buckets-'));
  const clock = new TestClock(at(0));
  await createEnvironment(pool, { id: 'e00000bkt1', team: 'web', owner: 'priya', resources: [{ id: 'bucket', type: 'bucket', state: { bucket: 'e00000bkt1-bucket' } }] });
  await eventAt(pool, 'e00000bkt1', 'bucket', 'resource.ready', at(0));
  const meter = meterAt(clock, { bucketsDir: buckets });
  await meter.recordLifecycle();
  mkdirSync(join(buckets, 'e00000bkt1-bucket'));
  writeFileSync(join(buckets, 'e00000bkt1-bucket', 'data'), Buffer.alloc(4 * 1024 * 1024, 1));
  clock.set(at(10));
  assert.equal(await meter.sampleStorage(), 1, 'the first size, from the bucket\'s creation');
  clock.set(at(20));
  assert.equal(await meter.sampleStorage(), 0, 'unchanged: nothing written');
  writeFileSync(join(buckets, 'e00000bkt1-bucket', 'more'), Buffer.alloc(4 * 1024 * 1024, 1));
  clock.set(at(60));
  assert.equal(await meter.sampleStorage(), 1, 'a new size from now');
  await eventAt(pool, 'e00000bkt1', 'bucket', 'resource.deleted', at(120));
  await meter.recordLifecycle();
  await meter.sampleStorage();
  const { rows } = await pool.query(`SELECT started_at, ended_at, rate FROM usage_records WHERE environment_id = 'e00000bkt1' AND kind = 'storage' ORDER BY started_at`);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((x) => [x.started_at.toISOString(), x.ended_at?.toISOString()]), [[at(0).toISOString(), at(60).toISOString()], [at(60).toISOString(), at(120).toISOString()]]);
  assert.ok(Number(rows[1].rate) > Number(rows[0].rate));
  rmSync(buckets, { recursive: true, force: true });
});

test('a budget: one notice at its threshold, one when spent; then launches are refused by the policy, running environments untouched', async () => {
  const clock = new TestClock(at(24 * 60 - 1));
  // payments has spent 0.2250 (the restarted environment) and its shares this month so far.
  const reports = reportsAt(clock);
  const spent = await reports.spentThisMonth('payments');
  await setBudget(pool, 'payments', { monthly: spent.times(1.5).toFixed(2), threshold: 50 }, 'priya');
  assert.equal((await budgetStatus(pool, reports, 'payments'))?.state, 'warning');
  assert.deepEqual(await checkBudgets(pool, reports), [{ team: 'payments', level: 'warning' }]);
  assert.deepEqual(await checkBudgets(pool, reports), [], 'told once a month, however often checked');
  const mei = (await getUser(pool, 'mei')) as User;
  assert.deepEqual((await listNotices(pool, mei)).map((n) => n.kind), ['budget-warning']);
  assert.equal(await budgetExceeded(pool, reports, 'payments'), false);

  // A new environment runs on past the budget.
  await launchedAndDeleted('e00000bud1', 'payments', 'olu', null);
  await meterAt(clock).recordLifecycle();
  assert.equal((await budgetStatus(pool, reports, 'payments'))?.state, 'exceeded');
  assert.deepEqual(await checkBudgets(pool, reports), [{ team: 'payments', level: 'exceeded' }]);
  assert.deepEqual((await listNotices(pool, mei)).map((n) => n.kind), ['budget-exceeded', 'budget-warning']);
  assert.equal(await budgetExceeded(pool, reports, 'payments'), true);
  // What launch hands the policy engine refuses it, naming the policy and what to do.
  const path = { type: 'Path', id: 'data-science-experimentation', dataClass: null } as const;
  assert.throws(() => actorFor(mei).may('launch', path, { team: { entity: { type: 'Team', id: 'payments' } }, budgetExceeded: true }),
    (e: unknown) => e instanceof PlatformError && e.status === 403 && /spent its monthly budget/.test(e.message) && /no-launches-over-budget/.test(e.message));
  const { rows } = await pool.query(`SELECT status, desired FROM environments WHERE id = 'e00000bud1'`);
  assert.deepEqual(rows[0], { status: 'ready', desired: 'ready' }, 'the running environment keeps running');
});
