import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { prepareJobQueue } from '../orchestrator/worker.ts';
import { newEnvironmentId } from '../../domain/environment/id.ts';
import { Lifetime } from '../../domain/golden-path/schema.ts';
import { TestClock } from '../../domain/time/clock.ts';
import type { Driver, ResourceRef } from '../../drivers/driver.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import { listUsers, type User } from '../identity/users.ts';
import { PgEnvironmentRepository } from '../environments/repository.ts';
import { listNotices } from '../notices/notices.ts';
import { extendEnvironment } from './extend.ts';
import { sweepLifetimes, type LifetimeDeps } from './sweeper.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

let pool: pg.Pool;
let owner: User;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('lifetimes'), max: 6 });
  pool.on('error', () => {});
  await migrate(pool);
  await prepareJobQueue(pool);
  await seedDemoOrganisation(pool);
  owner = (await listUsers(pool))[0];
});
after(() => pool.end());

// Tests share one database: each looks only at its own environment in a sweep's report.

/** A workspace whose last activity the test sets; null means it does not answer. */
const activity = new Map<string, Date | null>();
const workspace = { type: 'notebook', activity: async (ref: ResourceRef) => activity.get(ref.environmentId) ?? null } as unknown as Driver;
const plainRepo = { type: 'git-repo' } as unknown as Driver;
const lifetimes: Record<string, Lifetime> = {
  short: Lifetime.parse({ ttl: '1d', maxTtl: '3d', idle: '1h' }),
};

function deps(clock: TestClock): LifetimeDeps {
  return { pool, clock, drivers: { get: (type: string) => (type === 'notebook' ? workspace : plainRepo) }, lifetimeOf: (id) => lifetimes[id] };
}

/** A ready environment of the `short` path with a repo and a notebook, launched now (database time). */
async function readyEnvironment(): Promise<{ id: string; createdAt: Date }> {
  const id = newEnvironmentId();
  const repo = new PgEnvironmentRepository(pool);
  await repo.create({
    id, name: `life-${id.slice(-4)}`, pathId: 'short', pathVersion: '1.0.0', team: owner.team, owner: owner.id, dataClass: null, params: {},
    status: 'ready', event: { type: 'environment.requested', message: 'test' },
    resources: [{ id: 'repo', type: 'git-repo', params: {}, dependsOn: [], wave: 0 }, { id: 'notebook', type: 'notebook', params: {}, dependsOn: ['repo'], wave: 1 }],
  });
  await pool.query(`UPDATE resources SET status = 'ready' WHERE environment_id = $1`, [id]);
  return { id, createdAt: (await repo.load(id))!.environment.created_at };
}

const row = async (id: string) => (await new PgEnvironmentRepository(pool).load(id))!.environment;
const eventsOf = async (id: string, type: string) => (await new PgEnvironmentRepository(pool).events(id)).filter((e) => e.type === type);
const noticesOf = async (id: string, kind: string) => (await listNotices(pool, owner, { limit: 1000 })).filter((n) => n.environment === id && n.kind === kind);
const systemAudits = async (id: string, action: string) =>
  (await pool.query(`SELECT * FROM audit_log WHERE actor = 'system' AND action = $1 AND resource = $2`, [action, `Environment::"${id}"`])).rows;
const jobQueued = async (id: string) =>
  ((await pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE key = $1`, [`env:${id}`])).rowCount ?? 0) > 0;

test("an environment idle longer than its path allows is stopped like `goldpath stop`, with an event, a notice to the owner and an audit row by system", async () => {
  const env = await readyEnvironment();
  const clock = new TestClock(new Date(env.createdAt.getTime() + 10 * minute));
  activity.set(env.id, new Date(env.createdAt.getTime() + 5 * minute));

  let report = await sweepLifetimes(deps(clock));
  assert.ok(!report.idleStopped.includes(env.id), 'five minutes idle is fine');
  assert.equal((await row(env.id)).last_activity_at?.getTime(), env.createdAt.getTime() + 5 * minute, 'the measured activity is kept');

  clock.advance(56 * minute); // 61 minutes since the last activity
  report = await sweepLifetimes(deps(clock));
  assert.ok(report.idleStopped.includes(env.id));
  assert.equal((await row(env.id)).desired, 'stopped');
  assert.ok(await jobQueued(env.id), 'a reconcile is enqueued, as for goldpath stop');
  const [stop] = await eventsOf(env.id, 'environment.stop-requested');
  assert.match(stop.message, /^system: .*idle since .* longer than its path allows \(1h\)/);
  assert.equal((await noticesOf(env.id, 'idle-stopped')).length, 1);
  assert.equal((await systemAudits(env.id, 'stop')).length, 1);

  clock.advance(5 * minute);
  await sweepLifetimes(deps(clock));
  assert.equal((await eventsOf(env.id, 'environment.stop-requested')).length, 1, 'stopped once');
  assert.equal((await noticesOf(env.id, 'idle-stopped')).length, 1, 'told once');
});

test('a workspace that cannot tell its activity is never stopped on a guess', async () => {
  const env = await readyEnvironment();
  activity.set(env.id, null);
  const clock = new TestClock(new Date(env.createdAt.getTime() + 20 * hour));
  assert.ok(!(await sweepLifetimes(deps(clock))).idleStopped.includes(env.id));
  assert.equal((await row(env.id)).desired, 'ready');
});

test('an environment gets its expiry from its path; the owner is warned once before it, and at it the environment is deleted like `goldpath delete`', async () => {
  const env = await readyEnvironment();
  activity.set(env.id, null);
  const clock = new TestClock(new Date(env.createdAt.getTime() + minute));
  await sweepLifetimes(deps(clock));
  const expiresAt = (await row(env.id)).expires_at!;
  assert.equal(expiresAt.getTime(), env.createdAt.getTime() + day, 'launch + the path\'s ttl (1d)');

  clock.set(new Date(expiresAt.getTime() - 3 * hour)); // the lead is a tenth of the ttl: 2.4 h
  assert.ok(!(await sweepLifetimes(deps(clock))).warned.includes(env.id), 'not yet');
  clock.set(new Date(expiresAt.getTime() - 2 * hour));
  assert.ok((await sweepLifetimes(deps(clock))).warned.includes(env.id));
  clock.advance(minute);
  await sweepLifetimes(deps(clock));
  assert.equal((await noticesOf(env.id, 'expiry-warning')).length, 1, 'warned once');
  assert.match((await noticesOf(env.id, 'expiry-warning'))[0].message, new RegExp(`goldpath extend ${env.id}`));
  assert.equal((await eventsOf(env.id, 'environment.expiry-warning')).length, 1);
  assert.equal((await row(env.id)).desired, 'ready');

  clock.set(expiresAt);
  assert.ok((await sweepLifetimes(deps(clock))).expired.includes(env.id));
  assert.equal((await row(env.id)).desired, 'deleted');
  assert.ok(await jobQueued(env.id));
  assert.match((await eventsOf(env.id, 'environment.delete-requested'))[0].message, /^system: .* expired at .*: the platform is deleting it/);
  assert.equal((await noticesOf(env.id, 'expired')).length, 1);
  assert.equal((await systemAudits(env.id, 'delete')).length, 1);
});

test('an environment found past its expiry without a warning is warned first and deleted a warning lead later', async () => {
  const env = await readyEnvironment();
  activity.set(env.id, null);
  const clock = new TestClock(new Date(env.createdAt.getTime() + 2 * day)); // the platform was down when it should have warned
  const report = await sweepLifetimes(deps(clock));
  assert.deepEqual([report.warned.includes(env.id), report.expired.includes(env.id)], [true, false]);
  const moved = (await row(env.id)).expires_at!;
  assert.equal(moved.getTime(), clock.now().getTime() + 2.4 * hour);
  clock.advance(2.4 * hour);
  assert.ok((await sweepLifetimes(deps(clock))).expired.includes(env.id));
});

test('extend moves the expiry within the path\'s limit and refuses beyond it, naming the latest possible expiry', async () => {
  const env = await readyEnvironment();
  const clock = new TestClock(new Date(env.createdAt.getTime() + hour));
  const x = { pool, clock, lifetimeOf: (id: string) => lifetimes[id] };
  await sweepLifetimes(deps(clock));
  clock.set(new Date(env.createdAt.getTime() + 22 * hour));
  await sweepLifetimes(deps(clock)); // warned: within 2.4 h of the expiry
  assert.ok((await row(env.id)).expiry_warned_at);

  const view = await extendEnvironment(x, owner, env.id, '1d');
  assert.equal(view.expiresAt, new Date(env.createdAt.getTime() + 2 * day).toISOString());
  assert.equal((await row(env.id)).expiry_warned_at, null, 'the new expiry earns a new warning');
  assert.match((await eventsOf(env.id, 'environment.extended'))[0].message, new RegExp(`^${owner.id} extended it`));

  const latest = new Date(env.createdAt.getTime() + 3 * day).toISOString();
  await assert.rejects(extendEnvironment(x, owner, env.id, '2d'), (e: Error & { status?: number; code?: string }) => {
    assert.equal(e.status, 409);
    assert.equal(e.code, 'beyond_lifetime_limit');
    assert.match(e.message, /at most 3d from launch/);
    assert.ok(e.message.includes(`latest possible expiry is ${latest}`), e.message);
    assert.match(e.message, /extend by at most 1d/);
    return true;
  });
  await assert.rejects(extendEnvironment(x, owner, env.id, 'a while'), (e: Error & { status?: number }) => e.status === 400 && /not a duration/.test(e.message));

  assert.equal((await extendEnvironment(x, owner, env.id)).expiresAt, latest, 'without --by: one more ttl, as far as the limit');
  await assert.rejects(extendEnvironment(x, owner, env.id), /already expires at its limit/);
});
