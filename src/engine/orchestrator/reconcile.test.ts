import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { z } from 'zod';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { DriverRegistry, PermanentDriverError, type Driver, type ResourceRef } from '../../drivers/driver.ts';
import { newEnvironmentId } from '../../domain/environment/id.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import { PgEnvironmentRepository, type EnvironmentRepository } from '../environments/repository.ts';
import { reconcileEnvironment, type ReconcileDeps } from './reconcile.ts';
import { environmentsNeedingWork } from './worker.ts';

let pool: pg.Pool;
let environments: PgEnvironmentRepository;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('reconcile'), max: 8 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  environments = new PgEnvironmentRepository(pool);
});
after(() => pool.end());

/**
 * A pretend world the fake drivers change: what exists, keyed by environment and resource, as a
 * real target would hold it. Drivers are idempotent on that key, as the driver contract asks.
 */
class World {
  readonly live = new Map<string, 'running' | 'stopped'>();
  readonly calls: string[] = [];
  /** Per `<call>:<resource id>`: errors to throw, in order, before the call succeeds. */
  readonly failures = new Map<string, Error[]>();

  driver(type: string, opts: { stoppable?: boolean } = {}): Driver {
    const key = (ref: ResourceRef) => `${ref.environmentId}/${ref.resourceId}`;
    const act = (call: string, ref: ResourceRef) => {
      this.calls.push(`${call}:${ref.resourceId}`);
      const queued = this.failures.get(`${call}:${ref.resourceId}`);
      const e = queued?.shift();
      if (e) throw e;
    };
    const d: Driver = {
      type, target: 'local',
      params: z.looseObject({}),
      outputs: z.object({ url: z.string(), username: z.string() }),
      provision: async (input) => {
        act('provision', input);
        this.live.set(key(input), 'running');
        return { state: { made: key(input) }, outputs: { url: `fake://${key(input)}?from=${String(input.params.from ?? '')}`, username: `u_${input.resourceId}` } };
      },
      status: async (ref) => ({ healthy: this.live.get(key(ref)) === 'running' }),
      deprovision: async (ref) => {
        act('deprovision', ref);
        this.live.delete(key(ref));
      },
    };
    if (opts.stoppable) {
      d.stop = async (ref) => {
        act('stop', ref);
        if (this.live.has(key(ref))) this.live.set(key(ref), 'stopped');
      };
    }
    return d;
  }

  registry(): DriverRegistry {
    return new DriverRegistry([this.driver('fake-repo'), this.driver('warehouse'), this.driver('fake-app', { stoppable: true })]);
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }

  of(envId: string): string[] {
    return [...this.live.entries()].filter(([k]) => k.startsWith(`${envId}/`)).map(([k, v]) => `${k.slice(envId.length + 1)}=${v}`).sort();
  }
}

const fast = { attempts: 3, firstDelayMs: 1, factor: 1 };

/** repo and grant first; the app reads the repo's URL through a placeholder. */
async function launch(opts: { status?: 'requested' | 'awaiting-approval' } = {}): Promise<string> {
  const id = newEnvironmentId();
  await environments.create({
    id, name: `t-${id}`, pathId: 'test-path', pathVersion: '1', team: 'churn-analytics', owner: 'dana', dataClass: 'sensitive', params: {},
    status: opts.status ?? 'requested',
    resources: [
      { id: 'repo', type: 'fake-repo', params: {}, dependsOn: [], wave: 0 },
      { id: 'grant', type: 'warehouse', params: {}, dependsOn: [], wave: 0 },
      { id: 'app', type: 'fake-app', params: { from: '${resources.repo.url}' }, dependsOn: ['repo'], wave: 1 },
    ],
    event: { type: 'environment.requested', message: 'test launch' },
  });
  return id;
}

const deps = (world: World, extra: Partial<ReconcileDeps> = {}): ReconcileDeps => ({ pool, drivers: world.registry(), retry: fast, ...extra });
const state = async (id: string) => {
  const s = (await environments.load(id))!;
  return { status: s.environment.status, reason: s.environment.reason, resources: Object.fromEntries(s.resources.map((r) => [r.id, r.status])) };
};
const eventTypes = async (id: string) => (await environments.events(id)).map((e) => e.type);
/** The environment's sensitive-data grant, approved by the payments team for 30 days from now. */
const approve = (id: string) =>
  pool.query(
    `INSERT INTO approvals (id, environment_id, approver_team, requested_by, reason, data_class, datasets, valid_days, status, decided_by, expires_at)
     VALUES ($1, $2, 'payments', 'dana', 'test', 'sensitive', '{cards}', 30, 'approved', 'mei', now() + interval '30 days')`,
    [`a${id}`, id],
  );

test('a launch is provisioned wave by wave, placeholders filled from the earlier wave, each change with its event', async () => {
  const world = new World();
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  assert.deepEqual(await state(id), { status: 'ready', reason: null, resources: { repo: 'ready', grant: 'ready', app: 'ready' } });
  assert.deepEqual(world.of(id), ['app=running', 'grant=running', 'repo=running']);
  const app = (await environments.load(id))!.resources.find((r) => r.id === 'app')!;
  assert.equal(app.outputs.url, `fake://${id}/app?from=fake://${id}/repo?from=`);
  const types = await eventTypes(id);
  assert.deepEqual(types.filter((t) => t.startsWith('environment.')), ['environment.requested', 'environment.provisioning', 'environment.ready']);
  assert.equal(types.filter((t) => t === 'resource.ready').length, 3);
  assert.ok(types.indexOf('resource.ready') < types.lastIndexOf('resource.provisioning'), 'the second wave starts after the first is ready');
});

test('running reconcile again on a ready environment provisions nothing and writes nothing', async () => {
  const world = new World();
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  const events = (await environments.events(id)).length;
  await reconcileEnvironment(deps(world), id);
  await reconcileEnvironment(deps(world), id);
  assert.equal(world.count('provision:app'), 1);
  assert.equal(world.count('provision:repo'), 1);
  assert.equal((await environments.events(id)).length, events);
  assert.equal((await state(id)).status, 'ready');
});

test('a transient failure is retried with its event, and the launch succeeds', async () => {
  const world = new World();
  world.failures.set('provision:app', [new Error('connection refused'), new Error('connection refused')]);
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  assert.equal((await state(id)).status, 'ready');
  assert.equal(world.count('provision:app'), 3);
  assert.equal((await eventTypes(id)).filter((t) => t === 'resource.retry').length, 2);
});

test('a permanent failure is not retried: the launch rolls back, last wave first, and ends failed with the reason', async () => {
  const world = new World();
  world.failures.set('provision:app', [new PermanentDriverError('quota exceeded')]);
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  const s = await state(id);
  assert.equal(s.status, 'failed');
  assert.match(s.reason!, /could not provision app: quota exceeded/);
  assert.deepEqual(s.resources, { repo: 'deleted', grant: 'deleted', app: 'deleted' });
  assert.equal(world.count('provision:app'), 1, 'a permanent failure is not retried');
  assert.deepEqual(world.of(id), [], 'nothing the launch made is left');
  const types = await eventTypes(id);
  assert.ok(types.includes('environment.rollback'));
  assert.equal(types.at(-1), 'environment.failed');
});

test('retries that run out roll the launch back too', async () => {
  const world = new World();
  world.failures.set('provision:grant', [new Error('timeout'), new Error('timeout'), new Error('timeout')]);
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  assert.equal((await state(id)).status, 'failed');
  assert.equal(world.count('provision:grant'), 3);
  assert.deepEqual(world.of(id), []);
});

const writes = new Set(['create', 'transition', 'setDesired', 'updateResource', 'addEvent', 'recordGrant', 'endApprovals']);

/** The repository of a process that dies at its n-th write: that write and everything after it throw. */
function dyingAt(repo: EnvironmentRepository, n: number): EnvironmentRepository & { died: () => boolean } {
  let count = 0;
  let dead = false;
  return new Proxy(repo, {
    get(target, prop) {
      if (prop === 'died') return () => dead;
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead || (writes.has(String(prop)) && ++count >= n)) {
          dead = true;
          throw new Error('killed');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as EnvironmentRepository & { died: () => boolean };
}

test('a crash between any two steps of a launch: the next run finishes it with exactly one of everything', async () => {
  for (let n = 1; ; n++) {
    const world = new World();
    const id = await launch();
    const dying = dyingAt(environments, n);
    await reconcileEnvironment(deps(world, { environments: dying }), id).catch(() => {});
    if (!dying.died()) break; // this run had fewer than n writes: every crash point was tried
    await reconcileEnvironment(deps(world), id);
    assert.deepEqual(await state(id), { status: 'ready', reason: null, resources: { repo: 'ready', grant: 'ready', app: 'ready' } }, `crash at write ${n}`);
    assert.deepEqual(world.of(id), ['app=running', 'grant=running', 'repo=running'], `crash at write ${n}`);
    assert.ok(n < 40, 'a launch of three resources takes a bounded number of writes');
  }
});

test('a crash between any two steps of a delete: the next run removes everything', async () => {
  for (let n = 1; ; n++) {
    const world = new World();
    const id = await launch();
    await reconcileEnvironment(deps(world), id);
    await environments.setDesired(id, { desired: 'deleted', status: 'ready', event: { type: 'environment.delete-requested', message: 'test' } });
    const dying = dyingAt(environments, n);
    await reconcileEnvironment(deps(world, { environments: dying }), id).catch(() => {});
    if (!dying.died()) break;
    await reconcileEnvironment(deps(world), id);
    assert.deepEqual(await state(id), { status: 'deleted', reason: null, resources: { repo: 'deleted', grant: 'deleted', app: 'deleted' } }, `crash at write ${n}`);
    assert.deepEqual(world.of(id), [], `crash at write ${n}`);
  }
});

test('a teardown that cannot finish stays deleting, says so, and completes on a later run', async () => {
  const world = new World();
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  await environments.setDesired(id, { desired: 'deleted', status: 'ready', event: { type: 'environment.delete-requested', message: 'test' } });
  world.failures.set('deprovision:repo', [new PermanentDriverError('repository is locked')]);
  await assert.rejects(reconcileEnvironment(deps(world), id), /teardown of .* incomplete/);
  const partial = await state(id);
  assert.equal(partial.status, 'deleting');
  assert.deepEqual(partial.resources, { repo: 'deprovisioning', grant: 'deleted', app: 'deleted' });
  assert.ok((await eventTypes(id)).includes('environment.teardown-incomplete'));
  await reconcileEnvironment(deps(world), id);
  assert.equal((await state(id)).status, 'deleted');
  assert.deepEqual(world.of(id), []);
});

test('stop stops what can stop and keeps the rest; start provisions it again', async () => {
  const world = new World();
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  await environments.setDesired(id, { desired: 'stopped', status: 'ready', event: { type: 'environment.stop-requested', message: 'test' } });
  await reconcileEnvironment(deps(world), id);
  assert.deepEqual(await state(id), { status: 'stopped', reason: null, resources: { repo: 'ready', grant: 'ready', app: 'stopped' } });
  assert.deepEqual(world.of(id), ['app=stopped', 'grant=running', 'repo=running']);
  await environments.setDesired(id, { desired: 'ready', status: 'requested', event: { type: 'environment.start-requested', message: 'test' } });
  await reconcileEnvironment(deps(world), id);
  assert.deepEqual(await state(id), { status: 'ready', reason: null, resources: { repo: 'ready', grant: 'ready', app: 'ready' } });
  assert.deepEqual(world.of(id), ['app=running', 'grant=running', 'repo=running']);
  assert.equal(world.count('provision:repo'), 1, 'what kept running was not provisioned again');
});

test('a ready resource that stopped answering is provisioned again', async () => {
  const world = new World();
  const id = await launch();
  await reconcileEnvironment(deps(world), id);
  world.live.delete(`${id}/app`);
  await reconcileEnvironment(deps(world), id);
  assert.deepEqual(world.of(id), ['app=running', 'grant=running', 'repo=running']);
  assert.ok((await eventTypes(id)).includes('resource.repairing'));
});

test('approval: the last approval starts provisioning, the grant is recorded; when it lapses the grant goes and the rest stays', async () => {
  const world = new World();
  const id = await launch({ status: 'awaiting-approval' });
  await approve(id);
  await reconcileEnvironment(deps(world), id);
  assert.equal((await state(id)).status, 'ready');
  const granted = await pool.query('SELECT granted FROM approvals WHERE environment_id = $1', [id]);
  assert.equal(granted.rows[0].granted, 'u_grant (sensitive)');

  await pool.query(`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE environment_id = $1`, [id]);
  await reconcileEnvironment(deps(world), id);
  assert.deepEqual(await state(id), { status: 'ready', reason: null, resources: { repo: 'ready', grant: 'deleted', app: 'ready' } });
  assert.deepEqual(world.of(id), ['app=running', 'repo=running']);
  const revoked = await pool.query('SELECT revoked_at FROM approvals WHERE environment_id = $1', [id]);
  assert.ok(revoked.rows[0].revoked_at);
  assert.ok((await eventTypes(id)).includes('approval.expired'));
  await reconcileEnvironment(deps(world), id);
  assert.equal(world.count('provision:grant'), 1, 'the lapsed grant is not given again by a later run');
});

test('the sweeper finds exactly the environments whose plan has work, and none a live run holds', async () => {
  const world = new World();
  const drivers = world.registry();
  const settled = await launch();
  await reconcileEnvironment(deps(world), settled);
  const unfinished = await launch();
  const lapsing = await launch({ status: 'awaiting-approval' });
  await approve(lapsing);
  await reconcileEnvironment(deps(world), lapsing);
  const mine = (ids: string[]) => ids.filter((id) => [settled, unfinished, lapsing].includes(id)).sort();

  assert.deepEqual(mine(await environmentsNeedingWork(environments, drivers, new Date())), [unfinished]);
  assert.deepEqual(mine(await environmentsNeedingWork(environments, drivers, new Date(Date.now() + 31 * 86_400_000))), [lapsing, unfinished].sort(),
    'an approval that has run out is work');
  assert.deepEqual(mine(await environmentsNeedingWork(environments, drivers, new Date(), { includeReady: true })), [settled, unfinished, lapsing].sort(),
    'after a start every ready environment is checked');
  let held: string[] = [];
  await environments.exclusively(unfinished, async () => {
    held = mine(await environmentsNeedingWork(environments, drivers, new Date()));
  });
  assert.deepEqual(held, [], 'a live run holds it: not enqueued twice');
});
