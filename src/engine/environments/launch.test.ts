import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { DriverRegistry, type Driver } from '../../drivers/driver.ts';
import { PlatformError } from '../errors.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import type { User } from '../identity/users.ts';
import { PathLibrary } from '../paths/library.ts';
import { prepareJobQueue } from '../orchestrator/worker.ts';
import { launchEnvironment, type EnvironmentServiceDeps } from './launch.ts';
import { deleteEnvironment } from './desired-state.ts';
import { actorFor } from '../../../test/support/policies.ts';

let pool: pg.Pool;
let paths: PathLibrary;
const dana: User = { id: 'dana', name: 'Dana Whitfield', email: 'dana@example.org', team: 'churn-analytics', isAdmin: false };

const scratch: Driver = {
  type: 'scratch', target: 'local', params: z.looseObject({}), outputs: z.object({ url: z.string() }),
  provision: async () => ({ state: {}, outputs: { url: 'x' } }), status: async () => ({ healthy: true }), deprovision: async () => {},
};

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('launch'), max: 8 });
  await migrate(pool);
  await prepareJobQueue(pool);
  await seedDemoOrganisation(pool);
  const dir = mkdtempSync(join(tmpdir(), 'gp-launch-paths-'));
  for (const [name, dataClass] of [['scratchpad', 'synthetic'], ['secret-scratchpad', 'sensitive']]) {
    writeFileSync(join(dir, `${name}.yaml`), `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata:
  name: ${name}
  title: Scratchpad
  description: One scratch resource.
  owner: platform
  audience: data
  use: querying
spec:
  version: 1.0.0
  dataClass: ${dataClass}
  approval: none
  extensible: false
  resources:
    pad:
      type: scratch
`);
  }
  paths = new PathLibrary([dir], new DriverRegistry([scratch]).declarations());
  const { errors } = await paths.reload();
  assert.deepEqual(errors, []);
});
after(() => pool.end());

const deps = (extra: Partial<EnvironmentServiceDeps> = {}): EnvironmentServiceDeps => ({ pool, paths, ...extra });
const count = async () => Number((await pool.query('SELECT count(*) FROM environments')).rows[0].count);

async function refusal(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PlatformError) return e;
    throw e;
  }
  assert.fail('expected the launch to be refused');
}

test('a second environment with the same name in a team gets 409 name_taken and nothing is written', async () => {
  await launchEnvironment(deps(), actorFor(dana), { path: 'scratchpad', name: 'churn-model' });
  const before = await count();
  const e = await refusal(launchEnvironment(deps(), actorFor(dana), { path: 'scratchpad', name: 'churn-model' }));
  assert.equal(e.status, 409);
  assert.equal(e.code, 'name_taken');
  assert.equal(e.message, 'team churn-analytics already has an environment named "churn-model"; choose another --name or delete it');
  assert.equal(await count(), before);
});

test('launches racing for one name: exactly one wins, the others get the same 409', async () => {
  const results = await Promise.allSettled(Array.from({ length: 6 }, () => launchEnvironment(deps(), actorFor(dana), { path: 'scratchpad', name: 'race' })));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results.filter((x) => x.status === 'rejected')) {
    assert.ok(r.reason instanceof PlatformError, String(r.reason));
    assert.equal(r.reason.code, 'name_taken');
  }
});

test('a deleted environment frees its name; another team may use the same name', async () => {
  const first = await launchEnvironment(deps(), actorFor(dana), { path: 'scratchpad', name: 'reused' });
  await deleteEnvironment(deps(), actorFor(dana), first.id);
  await pool.query(`UPDATE environments SET status = 'deleted' WHERE id = $1`, [first.id]); // as reconcile ends a delete
  const again = await launchEnvironment(deps(), actorFor(dana), { path: 'scratchpad', name: 'reused' });
  assert.equal(again.name, 'reused');
  const priya: User = { id: 'priya', name: 'Priya Raman', email: 'priya@example.org', team: 'web', isAdmin: true };
  assert.equal((await launchEnvironment(deps(), actorFor(priya), { path: 'scratchpad', team: 'web', name: 'reused' })).team, 'web');
});

test('generated names are distinct within the team', async () => {
  const launched = await Promise.all(Array.from({ length: 20 }, () => launchEnvironment(deps(), actorFor(dana), { path: 'scratchpad' })));
  assert.equal(new Set(launched.map((e) => e.name)).size, 20);
  for (const e of launched) assert.match(e.name, /^scratchpad-[a-z0-9]{4}$/);
});

test('the platform may refuse a path here: 409 unavailable_here with its reason, before anything is written', async () => {
  const asked: unknown[] = [];
  const refuseLaunch = (p: { id: string; dataClass: string | null }) => {
    asked.push(p);
    return p.dataClass === 'sensitive' ? 'this host cannot sandbox workspaces, so sensitive data is not offered here' : undefined;
  };
  const before = await count();
  const e = await refusal(launchEnvironment(deps({ refuseLaunch }), actorFor(dana), { path: 'secret-scratchpad' }));
  assert.equal(e.status, 409);
  assert.equal(e.code, 'unavailable_here');
  assert.equal(e.message, 'this host cannot sandbox workspaces, so sensitive data is not offered here');
  assert.equal(await count(), before);
  assert.deepEqual(asked, [{ id: 'secret-scratchpad', dataClass: 'sensitive' }]);
  assert.equal((await launchEnvironment(deps({ refuseLaunch }), actorFor(dana), { path: 'scratchpad' })).status, 'requested', 'other paths launch as before');
});
